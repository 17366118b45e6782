#include "normalize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace vt::scan {
namespace {

// A normal shorter than this (squared) is treated as absent. Unit normals are ~1.
constexpr float kMinNormalLength2 = 1e-12f;

bool finite(const glm::vec2& v) { return std::isfinite(v.x) && std::isfinite(v.y); }
bool finite(const glm::vec3& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
bool finite(const glm::vec4& v) { return finite(glm::vec3(v)) && std::isfinite(v.w); }

std::string meshLabel(const asset::Mesh& mesh, size_t index) {
    return mesh.name.empty() ? std::format("mesh {}", index) : std::format("mesh {} '{}'", index, mesh.name);
}

struct PositionKey {
    uint32_t x, y, z;
    bool operator==(const PositionKey&) const = default;
};
struct PositionHash {
    size_t operator()(const PositionKey& k) const {
        return size_t(k.x) * 73856093u ^ size_t(k.y) * 19349663u ^ size_t(k.z) * 83492791u;
    }
};
PositionKey keyOf(glm::vec3 p) {
    p += glm::vec3(0.0f);  // -0 + 0 = +0, so both zeros weld
    PositionKey key;
    std::memcpy(&key.x, &p.x, 4);
    std::memcpy(&key.y, &p.y, 4);
    std::memcpy(&key.z, &p.z, 4);
    return key;
}

template <class T>
void dropIfInvalid(std::vector<T>& values, size_t vertexCount) {
    if (values.empty()) return;
    if (values.size() != vertexCount || !std::ranges::all_of(values, [](const T& v) { return finite(v); })) values.clear();
}

}  // namespace

std::vector<glm::vec3> smoothNormals(const asset::Mesh& mesh) {
    const size_t vertexCount = mesh.positions.size();
    // Weld by position: UV or normal seams split vertices that must share a smooth normal.
    std::vector<uint32_t> weldOf(vertexCount);
    std::unordered_map<PositionKey, uint32_t, PositionHash> firstAt;
    firstAt.reserve(vertexCount);
    uint32_t welded = 0;
    for (size_t i = 0; i < vertexCount; ++i) {
        auto [it, inserted] = firstAt.try_emplace(keyOf(mesh.positions[i]), welded);
        if (inserted) ++welded;
        weldOf[i] = it->second;
    }
    std::vector<glm::vec3> accumulated(welded, glm::vec3(0.0f));
    for (size_t t = 0; t + 2 < mesh.indices.size(); t += 3) {
        const uint32_t a = mesh.indices[t], b = mesh.indices[t + 1], c = mesh.indices[t + 2];
        const glm::vec3 pa = mesh.positions[a];
        // The cross product's length is twice the triangle area: summing it weights by area.
        const glm::vec3 n = glm::cross(mesh.positions[b] - pa, mesh.positions[c] - pa);
        if (!finite(n)) continue;
        accumulated[weldOf[a]] += n;
        accumulated[weldOf[b]] += n;
        accumulated[weldOf[c]] += n;
    }
    std::vector<glm::vec3> normals(vertexCount);
    for (size_t i = 0; i < vertexCount; ++i) {
        const glm::vec3 n = accumulated[weldOf[i]];
        const float length2 = glm::dot(n, n);
        // A vertex on no (or only zero-area) triangles gets an arbitrary unit normal.
        normals[i] = (length2 > 0.0f && std::isfinite(length2)) ? n / std::sqrt(length2) : glm::vec3(0.0f, 0.0f, 1.0f);
    }
    return normals;
}

Result<void> normalizeModel(asset::Model& model, std::string_view label) {
    for (size_t m = 0; m < model.meshes.size(); ++m) {
        asset::Mesh& mesh = model.meshes[m];
        const size_t vertexCount = mesh.positions.size();
        for (size_t v = 0; v < vertexCount; ++v) {
            const glm::vec3 p = mesh.positions[v];
            if (!finite(p))
                return fail("{}: {}: vertex {} has a non-finite position ({}, {}, {})", label, meshLabel(mesh, m), v,
                            p.x, p.y, p.z);
        }
        if (mesh.indices.size() % 3 != 0)
            return fail("{}: {}: {} indices is not a whole number of triangles", label, meshLabel(mesh, m),
                        mesh.indices.size());
        size_t kept = 0;
        for (size_t t = 0; t < mesh.indices.size(); t += 3) {
            const uint32_t a = mesh.indices[t], b = mesh.indices[t + 1], c = mesh.indices[t + 2];
            for (uint32_t index : {a, b, c})
                if (index >= vertexCount)
                    return fail("{}: {}: triangle {} has vertex index {}, but there are only {} vertices", label,
                                meshLabel(mesh, m), t / 3, index, vertexCount);
            if (a == b || b == c || a == c) continue;  // degenerate: draws nothing, breaks adjacency
            mesh.indices[kept++] = a;
            mesh.indices[kept++] = b;
            mesh.indices[kept++] = c;
        }
        mesh.indices.resize(kept);

        dropIfInvalid(mesh.tangents, vertexCount);
        dropIfInvalid(mesh.texcoords, vertexCount);
        dropIfInvalid(mesh.colors, vertexCount);

        if (mesh.normals.size() != vertexCount) {
            mesh.normals = smoothNormals(mesh);
        } else {
            // Keep authored normals; replace only the broken ones with smooth ones.
            std::vector<glm::vec3> smooth;
            for (size_t v = 0; v < vertexCount; ++v) {
                glm::vec3& n = mesh.normals[v];
                const float length2 = glm::dot(n, n);
                if (finite(n) && length2 > kMinNormalLength2 && std::isfinite(length2)) {
                    n /= std::sqrt(length2);
                } else {
                    if (smooth.empty()) smooth = smoothNormals(mesh);
                    n = smooth[v];
                }
            }
        }
        for (glm::vec4& t : mesh.tangents) {
            const glm::vec3 xyz(t);
            const float length2 = glm::dot(xyz, xyz);
            t = length2 > kMinNormalLength2 ? glm::vec4(xyz / std::sqrt(length2), t.w < 0.0f ? -1.0f : 1.0f)
                                            : glm::vec4(1.0f, 0.0f, 0.0f, 1.0f);
        }
    }
    std::erase_if(model.meshes, [](const asset::Mesh& mesh) { return mesh.indices.empty(); });
    if (model.meshes.empty()) return fail("{}: empty mesh: the file contains no triangles", label);

    for (size_t i = 0; i < model.images.size(); ++i) {
        const asset::Image& image = model.images[i];
        if (image.width == 0 || image.height == 0 || image.rgba.size() != size_t(image.width) * image.height * 4)
            return fail("{}: image {} '{}' has {} bytes for {}x{} RGBA", label, i, image.name, image.rgba.size(),
                        image.width, image.height);
    }
    if (model.materials.empty()) model.materials.push_back(asset::Material{.name = "default", .metallicFactor = 0.0f});
    const int32_t imageCount = int32_t(model.images.size());
    for (asset::Material& material : model.materials) {
        for (int32_t* texture : {&material.baseColorTexture, &material.metallicRoughnessTexture, &material.normalTexture,
                                 &material.occlusionTexture, &material.emissiveTexture})
            if (*texture < 0 || *texture >= imageCount) *texture = asset::kNoTexture;
    }
    const uint32_t lastMaterial = uint32_t(model.materials.size() - 1);
    for (asset::Mesh& mesh : model.meshes) mesh.material = std::min(mesh.material, lastMaterial);
    return {};
}

}  // namespace vt::scan
