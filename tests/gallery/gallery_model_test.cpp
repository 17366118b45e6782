// The gallery geometry built from an exhibit: doorways are really open, every surface faces the
// visitor, vitrines get glass, and the triangle counts stay small.
#include <cmath>
#include <limits>
#include <optional>

#include <gtest/gtest.h>

#include "exhibit/exhibit.h"
#include "gallery/gallery_model.h"

namespace vt::gallery {
namespace {

// Two 8 x 6 m rooms side by side, sharing the wall x = 8 with a 1.6 m doorway at z = 3.
const char* kTwoRooms = R"({
  "rooms": [
    {"id": "a", "floor": [[0, 0], [8, 0], [8, 6], [0, 6]], "height": 4,
     "openings": [{"edge": 1, "center": 3, "width": 1.6, "height": 2.5}]},
    {"id": "b", "floor": [[8, 0], [8, 6], [14, 6], [14, 0]], "height": 4,
     "openings": [{"edge": 0, "center": 3, "width": 1.6, "height": 2.5}]}
  ],
  "artifacts": [
    {"id": "p", "pack": "p.vpk", "position": [2, 2], "stand": {"kind": "plinth", "size": [0.6, 1.0, 0.6]}},
    {"id": "v", "pack": "v.vpk", "position": [11, 2], "rotationDegrees": [0, 30, 0],
     "stand": {"kind": "vitrine", "size": [0.8, 0.9, 0.6]}}
  ]
})";

exhibit::Exhibit parse(const char* json) {
    exhibit::ParseResult result = exhibit::parseExhibit(json, "test.json");
    EXPECT_TRUE(result.usable);
    EXPECT_EQ(result.errorCount(), 0u);
    return std::move(result.exhibit);
}

struct Hit {
    float t = 0.0f;
    glm::vec3 normal{0.0f};
    uint32_t material = 0;
};

// Nearest triangle hit along the ray (Moeller-Trumbore), either side, or with `culled` only the front
// faces of single-sided materials (what the renderer shows).
std::optional<Hit> raycast(const asset::Model& model, glm::vec3 origin, glm::vec3 direction, bool culled = false) {
    std::optional<Hit> best;
    for (const asset::Mesh& mesh : model.meshes) {
        for (size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
            const glm::vec3 a = mesh.positions[mesh.indices[i]], b = mesh.positions[mesh.indices[i + 1]],
                            c = mesh.positions[mesh.indices[i + 2]];
            const glm::vec3 e1 = b - a, e2 = c - a, p = glm::cross(direction, e2);
            const float det = glm::dot(e1, p);
            if (std::abs(det) < 1e-9f) continue;
            const glm::vec3 s = origin - a;
            const float u = glm::dot(s, p) / det;
            const glm::vec3 q = glm::cross(s, e1);
            const float v = glm::dot(direction, q) / det;
            const float t = glm::dot(e2, q) / det;
            if (u < 0 || v < 0 || u + v > 1 || t <= 1e-5f) continue;
            if (culled && !model.materials[mesh.material].doubleSided && glm::dot(glm::cross(e1, e2), direction) > 0)
                continue;
            if (!best || t < best->t) best = Hit{t, glm::normalize(glm::cross(e1, e2)), mesh.material};
        }
    }
    return best;
}

TEST(GalleryModel, DoorwayIsOpenAndTheWallAroundItIsNot) {
    const asset::Model model = buildGalleryModel(parse(kTwoRooms));
    // Through the middle of the doorway, at walking height: straight through both rooms to the far wall
    // of room b (x = 14), nothing at x = 8.
    const auto through = raycast(model, {4, 1.2f, 3}, {1, 0, 0});
    ASSERT_TRUE(through);
    EXPECT_NEAR(4 + through->t, 14.0f, 1e-3f) << "the ray should cross the doorway and stop at the far wall";
    // Beside the doorway and above it (the lintel), the shared wall is there.
    for (const glm::vec3 origin : {glm::vec3(4, 1.2f, 1.5f), glm::vec3(4, 1.2f, 4.5f), glm::vec3(4, 3.0f, 3)}) {
        const auto hit = raycast(model, origin, {1, 0, 0});
        ASSERT_TRUE(hit);
        EXPECT_NEAR(origin.x + hit->t, 8.0f, 1e-3f) << "at z " << origin.z << " y " << origin.y;
    }
    // Seen from room b the shared wall is there too (its own copy, facing room b).
    const auto back = raycast(model, {12, 1.2f, 1.0f}, {-1, 0, 0});
    ASSERT_TRUE(back);
    EXPECT_NEAR(12 - back->t, 8.0f, 1e-3f);
}

TEST(GalleryModel, SurfacesFaceIntoTheRooms) {
    const asset::Model model = buildGalleryModel(parse(kTwoRooms));
    // From points inside each room, rays in every horizontal and vertical direction hit a front face
    // (where the shared wall's two copies coincide, the one facing this room), and never show a back
    // face: the room is closed and every surface faces into it.
    for (const glm::vec3 origin : {glm::vec3(5, 1.5f, 4.5f), glm::vec3(12.5f, 2.0f, 4.5f)}) {
        for (const glm::vec3 direction : {glm::vec3(1, 0, 0), glm::vec3(-1, 0, 0), glm::vec3(0, 0, 1),
                                          glm::vec3(0, 0, -1), glm::vec3(0, 1, 0), glm::vec3(0, -1, 0),
                                          glm::normalize(glm::vec3(1, 0.2f, 0.7f))}) {
            const auto front = raycast(model, origin, direction, /*culled=*/true);
            ASSERT_TRUE(front) << "a ray escaped the room";
            const auto any = raycast(model, origin, direction);
            EXPECT_NEAR(front->t, any->t, 1e-4f) << "a back face is nearer than the first front face";
            EXPECT_LT(glm::dot(front->normal, direction), -0.1f);
        }
    }
    for (const asset::Mesh& mesh : model.meshes) {
        ASSERT_EQ(mesh.normals.size(), mesh.positions.size());
        for (size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
            const glm::vec3 a = mesh.positions[mesh.indices[i]], b = mesh.positions[mesh.indices[i + 1]],
                            c = mesh.positions[mesh.indices[i + 2]];
            const glm::vec3 face = glm::normalize(glm::cross(b - a, c - a));
            EXPECT_GT(glm::dot(face, mesh.normals[mesh.indices[i]]), 0.99f) << mesh.name << " triangle " << i / 3;
        }
    }
}

TEST(GalleryModel, FloorsCeilingsPlinthsAndGlass) {
    const exhibit::Exhibit e = parse(kTwoRooms);
    const asset::Model model = buildGalleryModel(e);
    // Down onto the plinth: its top at 1.0 m, facing up.
    const auto plinth = raycast(model, {2, 3, 2}, {0, -1, 0});
    ASSERT_TRUE(plinth);
    EXPECT_NEAR(3 - plinth->t, 1.0f, 1e-4f);
    EXPECT_EQ(model.materials[plinth->material].alphaMode, asset::AlphaMode::Opaque);
    // Down onto the vitrine: glass first (blended, double sided), above the default object height.
    const auto glass = raycast(model, {11, 3, 2}, {0, -1, 0});
    ASSERT_TRUE(glass);
    const asset::Material& glassMaterial = model.materials[glass->material];
    EXPECT_EQ(glassMaterial.alphaMode, asset::AlphaMode::Blend);
    EXPECT_TRUE(glassMaterial.doubleSided);
    EXPECT_LT(glassMaterial.baseColorFactor.a, 0.5f);
    EXPECT_GT(3 - glass->t, 0.9f + kDefaultObjectHeight);
    // With the object's height known, the case fits it.
    const std::vector<float> heights{0.0f, 0.3f};
    const auto fitted = raycast(buildGalleryModel(e, heights), {11, 3, 2}, {0, -1, 0});
    ASSERT_TRUE(fitted);
    EXPECT_NEAR(3 - fitted->t, 0.9f + 0.3f + 0.08f, 1e-3f);
    // Floor and ceiling in an empty spot.
    EXPECT_NEAR(raycast(model, {6, 1, 5}, {0, -1, 0})->t, 1.0f, 1e-4f);
    EXPECT_NEAR(raycast(model, {6, 1, 5}, {0, 1, 0})->t, 3.0f, 1e-4f);
    // Sane size: two rooms, a plinth and a vitrine are a few hundred triangles at most.
    EXPECT_GT(model.triangleCount(), 40u);
    EXPECT_LT(model.triangleCount(), 400u);
    for (const asset::Mesh& mesh : model.meshes) EXPECT_FALSE(mesh.indices.empty());
}

TEST(GalleryModel, TriangulatesConcaveRoomsEitherWinding) {
    // An L-shaped room.
    std::vector<glm::vec2> l{{0, 0}, {6, 0}, {6, 3}, {3, 3}, {3, 6}, {0, 6}};
    for (int pass = 0; pass < 2; ++pass) {
        const std::vector<uint32_t> triangles = triangulate(l);
        ASSERT_EQ(triangles.size(), (l.size() - 2) * 3);
        float area = 0.0f;
        for (size_t i = 0; i < triangles.size(); i += 3) {
            const glm::vec2 a = l[triangles[i]], b = l[triangles[i + 1]], c = l[triangles[i + 2]];
            area += std::abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) * 0.5f;
        }
        EXPECT_NEAR(area, 27.0f, 1e-4f);
        std::reverse(l.begin(), l.end());
    }
}

TEST(GalleryModel, SampleExhibitParsesCleanlyAndBuilds) {
    exhibit::ParseResult result = exhibit::loadExhibit(VITRINE_SAMPLE_EXHIBIT_SOURCE);
    ASSERT_TRUE(result.usable);
    for (const exhibit::Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.format();
    const exhibit::Exhibit& e = result.exhibit;
    EXPECT_EQ(e.rooms.size(), 2u);
    EXPECT_GE(e.artifacts.size(), 4u);
    EXPECT_GE(e.tour.stops.size(), 5u);
    for (const exhibit::Artifact& a : e.artifacts) {
        EXPECT_FALSE(isHttpUrl(a.pack)) << a.id;
        EXPECT_TRUE(a.pack.starts_with("packs/")) << a.id;
        for (const char* language : {"en", "zh"}) {
            EXPECT_FALSE(a.label.title.byLanguage.count(language) == 0) << a.id << " title in " << language;
            EXPECT_FALSE(a.label.description.byLanguage.count(language) == 0) << a.id << " description in " << language;
            EXPECT_FALSE(a.label.creditLine.byLanguage.count(language) == 0) << a.id << " credit in " << language;
        }
    }
    for (const exhibit::TourStop& stop : e.tour.stops) {
        EXPECT_EQ(stop.text.byLanguage.count("en"), 1u);
        EXPECT_EQ(stop.text.byLanguage.count("zh"), 1u);
    }
    const asset::Model model = buildGalleryModel(e);
    EXPECT_LT(model.triangleCount(), 1000u);
}

}  // namespace
}  // namespace vt::gallery
