#include <gtest/gtest.h>

#include "render/gpu_model.h"

namespace vt::render {
namespace {

TEST(Interleave, ConcatenatesMeshesWithOffsetsAndDefaults) {
    asset::Model model;
    model.materials.resize(2);
    asset::Mesh a;
    a.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    a.normals = {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}};
    a.indices = {0, 1, 2};
    asset::Mesh b = a;
    b.colors = {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}};
    b.texcoords = {{0, 0}, {1, 0}, {0, 1}};
    b.indices = {2, 1, 0};
    b.material = 1;
    asset::Mesh empty;
    empty.material = 7;  // out of range, and no triangles: dropped
    model.meshes = {a, b, empty};

    std::vector<GpuVertex> vertices;
    std::vector<uint32_t> indices;
    std::vector<GpuDraw> draws;
    interleave(model, vertices, indices, draws);
    ASSERT_EQ(vertices.size(), 6u);
    ASSERT_EQ(indices.size(), 6u);
    ASSERT_EQ(draws.size(), 2u);
    EXPECT_EQ(draws[1].firstIndex, 3u);
    EXPECT_EQ(draws[1].vertexOffset, 3);
    EXPECT_EQ(draws[1].material, 1u);
    EXPECT_EQ(vertices[0].color, glm::vec4(1.0f));  // no colours: white, so textures show unchanged
    EXPECT_EQ(vertices[0].tangent.w, 0.0f);         // no tangents: the shader derives a frame
    EXPECT_EQ(vertices[4].color, glm::vec4(0, 1, 0, 1));
    EXPECT_EQ(vertices[5].texcoord, glm::vec2(0, 1));
    EXPECT_EQ(indices[3], 2u);  // indices stay relative to the draw's vertexOffset
    EXPECT_FALSE(draws[0].hasTexcoords);
    EXPECT_TRUE(draws[1].hasTexcoords);
}

}  // namespace
}  // namespace vt::render
