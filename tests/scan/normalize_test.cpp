#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "normalize.h"

namespace vt::scan {
namespace {

asset::Model quadModel() {
    asset::Model model;
    asset::Mesh mesh;
    mesh.name = "quad";
    // Two triangles in z = 0, with vertex 1 duplicated (index 4) as a UV seam would.
    mesh.positions = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {1, 0, 0}};
    mesh.indices = {0, 1, 2, 0, 2, 3};
    model.meshes.push_back(mesh);
    return model;
}

TEST(Normalize, GeneratesUnitNormalsAndADefaultMaterial) {
    asset::Model model = quadModel();
    ASSERT_TRUE(normalizeModel(model, "q.obj"));
    const asset::Mesh& mesh = model.meshes[0];
    ASSERT_EQ(mesh.normals.size(), 5u);
    for (const glm::vec3& n : mesh.normals) EXPECT_NEAR(glm::distance(n, glm::vec3(0, 0, 1)), 0.0f, 1e-6f);
    ASSERT_EQ(model.materials.size(), 1u);
    EXPECT_EQ(mesh.material, 0u);
}

TEST(Normalize, WeldsByPositionSoSeamsAreSmooth) {
    // A fold: two triangles at 90 degrees sharing an edge, with the shared vertices duplicated.
    asset::Mesh mesh;
    mesh.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, /*dup*/ {0, 0, 0}, {1, 0, 0}, {0, 0, 1}};
    mesh.indices = {0, 1, 2, 3, 5, 4};
    const std::vector<glm::vec3> normals = smoothNormals(mesh);
    // The shared edge's vertices get the average of +z and +y (both triangles have equal area).
    const glm::vec3 expected = glm::normalize(glm::vec3(0, 1, 1));
    for (size_t v : {0u, 1u, 3u, 4u}) EXPECT_NEAR(glm::distance(normals[v], expected), 0.0f, 1e-6f) << v;
    EXPECT_NEAR(glm::distance(normals[2], glm::vec3(0, 0, 1)), 0.0f, 1e-6f);
    EXPECT_NEAR(glm::distance(normals[5], glm::vec3(0, 1, 0)), 0.0f, 1e-6f);
}

TEST(Normalize, DropsDegenerateTriangles) {
    asset::Model model = quadModel();
    model.meshes[0].indices.insert(model.meshes[0].indices.end(), {1, 1, 2});
    ASSERT_TRUE(normalizeModel(model, "q.obj"));
    EXPECT_EQ(model.triangleCount(), 2u);
}

TEST(Normalize, RejectsNonFinitePositions) {
    asset::Model model = quadModel();
    model.meshes[0].positions[3].y = std::numeric_limits<float>::quiet_NaN();
    const Result<void> result = normalizeModel(model, "q.obj");
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().message.starts_with("q.obj: mesh 0 'quad': vertex 3 has a non-finite position"))
        << result.error().message;
}

TEST(Normalize, RejectsIndicesOutOfRange) {
    asset::Model model = quadModel();
    model.meshes[0].indices[4] = 99;
    const Result<void> result = normalizeModel(model, "q.obj");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "q.obj: mesh 0 'quad': triangle 1 has vertex index 99, but there are only 5 vertices");
}

TEST(Normalize, RejectsAModelWithoutTriangles) {
    asset::Model model = quadModel();
    model.meshes[0].indices = {0, 0, 1};
    const Result<void> result = normalizeModel(model, "q.obj");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "q.obj: empty mesh: the file contains no triangles");
}

TEST(Normalize, RepairsBrokenNormalsAndClampsMaterials) {
    asset::Model model = quadModel();
    model.meshes[0].normals = {{0, 0, 2}, {0, 0, 0}, {0, 0, 1}, {0, 0, 1}, {NAN, 0, 0}};
    model.meshes[0].material = 7;
    model.materials.push_back({.baseColorTexture = 3});
    ASSERT_TRUE(normalizeModel(model, "q.obj"));
    for (const glm::vec3& n : model.meshes[0].normals) EXPECT_NEAR(glm::distance(n, glm::vec3(0, 0, 1)), 0.0f, 1e-6f);
    EXPECT_EQ(model.meshes[0].material, 0u);
    EXPECT_EQ(model.materials[0].baseColorTexture, asset::kNoTexture);
}

}  // namespace
}  // namespace vt::scan
