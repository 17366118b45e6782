#include <cmath>

#include <gtest/gtest.h>

#include "scene/environment.h"

namespace vt::scene {
namespace {

glm::vec3 evaluateSh(const std::array<glm::vec3, 9>& sh, const glm::vec3& n) {
    const auto basis = shBasis(n);
    glm::vec3 sum(0.0f);
    for (int i = 0; i < 9; ++i) sum += sh[i] * basis[i];
    return sum;
}

TEST(Environment, UniformRadianceGivesEqualDiffuseEverywhere) {
    // A white furnace: radiance L from every direction reflects L from a white Lambert surface.
    Environment uniform{glm::vec3(0.7f), glm::vec3(0.7f), glm::vec3(0.7f), 1.0f};
    const auto sh = uniform.diffuseSh();
    for (const glm::vec3 n : {glm::vec3(0, 1, 0), glm::vec3(0, -1, 0), glm::vec3(1, 0, 0), glm::normalize(glm::vec3(1, 2, 3))})
        EXPECT_NEAR(evaluateSh(sh, n).g, 0.7f, 0.01f);
}

TEST(Environment, GalleryIsBrighterFromAboveThanBelow) {
    const auto sh = Environment::gallery().diffuseSh();
    const glm::vec3 up = evaluateSh(sh, {0, 1, 0}), down = evaluateSh(sh, {0, -1, 0});
    EXPECT_GT(up.r, down.r * 2.0f);
    EXPECT_GT(down.r, 0.0f);
}

TEST(Environment, CubeFacesPointAlongTheirAxes) {
    const glm::vec3 axes[6] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    for (uint32_t face = 0; face < 6; ++face) EXPECT_GT(glm::dot(cubeDirection(face, 0, 0), axes[face]), 0.999f);
    // Vulkan's +Y face: v grows toward +Z.
    EXPECT_GT(cubeDirection(2, 0.0f, 0.9f).z, 0.5f);
    // +X face: u grows toward -Z, v grows toward -Y.
    EXPECT_LT(cubeDirection(0, 0.9f, 0.0f).z, -0.5f);
    EXPECT_LT(cubeDirection(0, 0.0f, 0.9f).y, -0.5f);
}

TEST(Environment, CubeMipChainAveragesToTheSameMean) {
    const auto cube = Environment::gallery().bakeCube(16);
    ASSERT_EQ(cube.mipCount, 5u);
    ASSERT_EQ(cube.mips[4][2].size(), 1u);
    glm::vec3 mean0(0.0f);
    for (const glm::vec3& t : cube.mips[0][2]) mean0 += t;
    mean0 /= float(cube.mips[0][2].size());
    EXPECT_NEAR(cube.mips[4][2][0].r, mean0.r, 1e-4f);
    // The ceiling face (+Y) is brighter than the floor face (-Y).
    EXPECT_GT(cube.mips[4][2][0].r, cube.mips[4][3][0].r);
}

}  // namespace
}  // namespace vt::scene
