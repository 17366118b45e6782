#include "gallery/gallery_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::gallery {
namespace {

constexpr float kGlassMargin = 0.08f;      // metres of air above the object inside a vitrine
constexpr float kGlassInset = 0.03f;       // metres the glass stands in from the plinth's edge
constexpr float kMinOpeningPiece = 1e-3f;  // metres: wall pieces shorter than this are dropped
constexpr float kCeilingGlow = 0.25f;      // ceiling emission, times its colour (linear, exposure 1)

enum class Surface { Floor, Wall, Ceiling, Stand, Glass };

// Collects triangles per (surface, colour) material, each wound counter-clockwise seen from the side
// its normal points to (glTF's front face).
class Builder {
public:
    void triangle(Surface surface, glm::vec3 color, glm::vec3 a, glm::vec3 b, glm::vec3 c, glm::vec3 normal) {
        asset::Mesh& mesh = meshFor(surface, color);
        if (glm::dot(glm::cross(b - a, c - a), normal) < 0.0f) std::swap(b, c);
        const uint32_t base = uint32_t(mesh.positions.size());
        for (const glm::vec3& p : {a, b, c}) {
            mesh.positions.push_back(p);
            mesh.normals.push_back(normal);
        }
        mesh.indices.insert(mesh.indices.end(), {base, base + 1, base + 2});
    }
    // Quad p0 p1 p2 p3 in order around its edge.
    void quad(Surface surface, glm::vec3 color, glm::vec3 p0, glm::vec3 p1, glm::vec3 p2, glm::vec3 p3,
              glm::vec3 normal) {
        triangle(surface, color, p0, p1, p2, normal);
        triangle(surface, color, p0, p2, p3, normal);
    }
    asset::Model finish() {
        asset::Model model;
        model.source = "gallery";
        model.materials = std::move(materialList_);
        for (asset::Mesh& mesh : meshes_)
            if (!mesh.indices.empty()) model.meshes.push_back(std::move(mesh));
        if (model.materials.empty()) model.materials.push_back({});
        return model;
    }

private:
    asset::Mesh& meshFor(Surface surface, glm::vec3 color) {
        const auto key = std::make_tuple(int(surface), color.r, color.g, color.b);
        auto found = materials_.find(key);
        if (found != materials_.end()) return meshes_[found->second];
        asset::Material material;
        material.metallicFactor = 0.0f;
        material.baseColorFactor = glm::vec4(color, 1.0f);
        switch (surface) {
            case Surface::Floor: material.name = "floor"; material.roughnessFactor = 0.55f; break;
            case Surface::Wall: material.name = "wall"; material.roughnessFactor = 0.9f; break;
            case Surface::Ceiling:
                // A faint glow, like a diffusing skylight: lit only from below, a ceiling reads as a black lid.
                material.name = "ceiling";
                material.roughnessFactor = 0.95f;
                material.emissiveFactor = color * kCeilingGlow;
                break;
            case Surface::Stand: material.name = "stand"; material.roughnessFactor = 0.7f; break;
            case Surface::Glass:
                // Low alpha, smooth: the environment's reflection is what shows it is there.
                material.name = "glass";
                material.baseColorFactor = glm::vec4(color, 0.12f);
                material.roughnessFactor = 0.05f;
                material.alphaMode = asset::AlphaMode::Blend;
                material.doubleSided = true;
                break;
        }
        const uint32_t index = uint32_t(materialList_.size());
        materialList_.push_back(material);
        asset::Mesh mesh;
        mesh.name = material.name;
        mesh.material = index;
        meshes_.push_back(std::move(mesh));
        materials_.emplace(key, index);
        return meshes_.back();
    }

    std::map<std::tuple<int, float, float, float>, uint32_t> materials_;
    std::vector<asset::Material> materialList_;
    std::vector<asset::Mesh> meshes_;
};

glm::vec3 onFloor(glm::vec2 p, float y) { return {p.x, y, p.y}; }

// A box's five visible faces (no bottom), turned by yaw about its vertical axis.
void addBox(Builder& builder, Surface surface, glm::vec3 color, glm::vec2 centerXZ, float yawDegrees, glm::vec3 size,
            float bottomY, bool withTop) {
    const glm::mat4 turn = glm::rotate(glm::mat4(1.0f), glm::radians(yawDegrees), {0, 1, 0});
    const glm::vec3 h = size * 0.5f;
    auto corner = [&](float sx, float y, float sz) {
        const glm::vec3 local = glm::vec3(turn * glm::vec4(sx * h.x, 0.0f, sz * h.z, 1.0f));
        return glm::vec3(centerXZ.x + local.x, y, centerXZ.y + local.z);
    };
    auto axis = [&](glm::vec3 v) { return glm::normalize(glm::vec3(turn * glm::vec4(v, 0.0f))); };
    const float y0 = bottomY, y1 = bottomY + size.y;
    const float sides[4][2] = {{1, 1}, {1, -1}, {-1, -1}, {-1, 1}};
    for (int i = 0; i < 4; ++i) {
        const float* s0 = sides[i];
        const float* s1 = sides[(i + 1) % 4];
        const glm::vec3 normal = axis(glm::vec3(s0[0] + s1[0], 0.0f, s0[1] + s1[1]) * 0.5f);
        builder.quad(surface, color, corner(s0[0], y0, s0[1]), corner(s1[0], y0, s1[1]), corner(s1[0], y1, s1[1]),
                     corner(s0[0], y1, s0[1]), normal);
    }
    if (withTop)
        builder.quad(surface, color, corner(1, y1, 1), corner(1, y1, -1), corner(-1, y1, -1), corner(-1, y1, 1),
                     {0, 1, 0});
}

void addRoom(Builder& builder, const exhibit::Room& room) {
    const std::vector<glm::vec2>& floor = room.floor;
    const size_t n = floor.size();
    if (n < 3) return;
    const std::vector<uint32_t> triangles = triangulate(floor);
    for (size_t t = 0; t + 2 < triangles.size(); t += 3) {
        const glm::vec2 a = floor[triangles[t]], b = floor[triangles[t + 1]], c = floor[triangles[t + 2]];
        builder.triangle(Surface::Floor, room.floorColor, onFloor(a, 0.0f), onFloor(b, 0.0f), onFloor(c, 0.0f),
                         {0, 1, 0});
        builder.triangle(Surface::Ceiling, room.ceilingColor, onFloor(a, room.height), onFloor(b, room.height),
                         onFloor(c, room.height), {0, -1, 0});
    }
    // For a counter-clockwise polygon in (x, z) the inside is to the left of each edge: (-dz, dx).
    const float inward = signedArea2(floor) > 0.0f ? 1.0f : -1.0f;
    for (size_t i = 0; i < n; ++i) {
        const glm::vec2 a = floor[i], b = floor[(i + 1) % n];
        const float length = glm::length(b - a);
        if (length <= 0.0f) continue;
        const glm::vec2 along = (b - a) / length;
        const glm::vec3 normal = glm::vec3(-along.y, 0.0f, along.x) * inward;
        // The wall as pieces along its length: full height between openings, a lintel above each.
        std::vector<const exhibit::Opening*> openings;
        for (const exhibit::Opening& opening : room.openings)
            if (opening.edge == i) openings.push_back(&opening);
        std::sort(openings.begin(), openings.end(),
                  [](const exhibit::Opening* x, const exhibit::Opening* y) { return x->center < y->center; });
        auto piece = [&](float s0, float s1, float y0, float y1) {
            s0 = std::clamp(s0, 0.0f, length);
            s1 = std::clamp(s1, 0.0f, length);
            y1 = std::min(y1, room.height);
            if (s1 - s0 < kMinOpeningPiece || y1 - y0 < kMinOpeningPiece) return;
            const glm::vec2 p0 = a + along * s0, p1 = a + along * s1;
            builder.quad(Surface::Wall, room.wallColor, onFloor(p0, y0), onFloor(p1, y0), onFloor(p1, y1),
                         onFloor(p0, y1), normal);
        };
        float s = 0.0f;
        for (const exhibit::Opening* opening : openings) {
            const float start = opening->center - opening->width * 0.5f;
            const float end = opening->center + opening->width * 0.5f;
            piece(s, start, 0.0f, room.height);
            piece(std::max(start, s), end, opening->height, room.height);
            s = std::max(s, end);
        }
        piece(s, length, 0.0f, room.height);
    }
}

}  // namespace

float signedArea2(std::span<const glm::vec2> polygon) {
    float area = 0.0f;
    for (size_t i = 0; i < polygon.size(); ++i) {
        const glm::vec2 a = polygon[i], b = polygon[(i + 1) % polygon.size()];
        area += a.x * b.y - b.x * a.y;
    }
    return area;
}

std::vector<uint32_t> triangulate(std::span<const glm::vec2> polygon) {
    std::vector<uint32_t> result;
    const size_t n = polygon.size();
    if (n < 3) return result;
    const float orientation = signedArea2(polygon) > 0.0f ? 1.0f : -1.0f;
    if (signedArea2(polygon) == 0.0f) return result;
    auto cross = [](glm::vec2 o, glm::vec2 a, glm::vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); };
    std::vector<uint32_t> remaining(n);
    for (uint32_t i = 0; i < n; ++i) remaining[i] = i;
    // Ear clipping, O(n^3) at worst: rooms have a handful of corners.
    size_t guard = 0;
    while (remaining.size() > 3 && guard++ < n * n) {
        bool clipped = false;
        for (size_t i = 0; i < remaining.size(); ++i) {
            const uint32_t ia = remaining[(i + remaining.size() - 1) % remaining.size()];
            const uint32_t ib = remaining[i];
            const uint32_t ic = remaining[(i + 1) % remaining.size()];
            const glm::vec2 a = polygon[ia], b = polygon[ib], c = polygon[ic];
            if (cross(a, b, c) * orientation <= 0.0f) continue;  // reflex or flat corner
            bool contains = false;
            for (uint32_t other : remaining) {
                if (other == ia || other == ib || other == ic) continue;
                const glm::vec2 p = polygon[other];
                if (cross(a, b, p) * orientation >= 0.0f && cross(b, c, p) * orientation >= 0.0f &&
                    cross(c, a, p) * orientation >= 0.0f) {
                    contains = true;
                    break;
                }
            }
            if (contains) continue;
            result.insert(result.end(), {ia, ib, ic});
            remaining.erase(remaining.begin() + std::ptrdiff_t(i));
            clipped = true;
            break;
        }
        if (!clipped) break;  // not simple: keep what was clipped
    }
    if (remaining.size() == 3) result.insert(result.end(), {remaining[0], remaining[1], remaining[2]});
    return result;
}

std::vector<glm::vec2> standFootprint(const exhibit::Artifact& artifact) {
    if (artifact.stand.kind == exhibit::StandKind::None) return {};
    const glm::mat4 turn = glm::rotate(glm::mat4(1.0f), glm::radians(artifact.rotationDegrees.y), {0, 1, 0});
    const glm::vec2 h{artifact.stand.size.x * 0.5f, artifact.stand.size.z * 0.5f};
    std::vector<glm::vec2> corners;
    for (const glm::vec2 s : {glm::vec2(-1, -1), glm::vec2(1, -1), glm::vec2(1, 1), glm::vec2(-1, 1)}) {
        const glm::vec4 local = turn * glm::vec4(s.x * h.x, 0.0f, s.y * h.y, 1.0f);
        corners.push_back(artifact.positionXZ + glm::vec2(local.x, local.z));
    }
    if (signedArea2(corners) < 0.0f) std::reverse(corners.begin(), corners.end());
    return corners;
}

std::optional<GlassCase> glassCase(const exhibit::Artifact& artifact, float objectHeight) {
    if (artifact.stand.kind != exhibit::StandKind::Vitrine) return std::nullopt;
    if (!(objectHeight > 0.0f)) objectHeight = kDefaultObjectHeight;
    GlassCase glass;
    glass.centerXZ = artifact.positionXZ;
    glass.yawDegrees = artifact.rotationDegrees.y;
    glass.bottomY = artifact.stand.size.y;
    const float top = artifact.baseY() + objectHeight + kGlassMargin;
    glass.size = {std::max(artifact.stand.size.x - 2.0f * kGlassInset, 0.05f), std::max(top - glass.bottomY, 0.1f),
                  std::max(artifact.stand.size.z - 2.0f * kGlassInset, 0.05f)};
    return glass;
}

asset::Model buildGalleryModel(const exhibit::Exhibit& exhibit, std::span<const float> objectHeights) {
    Builder builder;
    for (const exhibit::Room& room : exhibit.rooms) addRoom(builder, room);
    for (size_t i = 0; i < exhibit.artifacts.size(); ++i) {
        const exhibit::Artifact& artifact = exhibit.artifacts[i];
        if (artifact.stand.kind == exhibit::StandKind::None) continue;
        addBox(builder, Surface::Stand, artifact.stand.color, artifact.positionXZ, artifact.rotationDegrees.y,
               artifact.stand.size, 0.0f, /*withTop=*/true);
        const float height = i < objectHeights.size() ? objectHeights[i] : 0.0f;
        if (auto glass = glassCase(artifact, height))
            addBox(builder, Surface::Glass, glm::vec3(0.92f, 0.96f, 1.0f), glass->centerXZ, glass->yawDegrees,
                   glass->size, glass->bottomY, /*withTop=*/true);
    }
    return builder.finish();
}

}  // namespace vt::gallery
