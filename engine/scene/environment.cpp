#include "scene/environment.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vt::scene {

Environment Environment::gallery() {
    // Warm-white ceiling light, neutral walls, dark floor: soft, top-lit, as a museum room.
    Environment environment{glm::vec3(1.6f, 1.55f, 1.45f), glm::vec3(0.42f, 0.40f, 0.37f),
                            glm::vec3(0.12f, 0.11f, 0.10f), 1.0f};
    environment.softboxRadiance = glm::vec3(3.2f, 3.1f, 2.9f);
    return environment;
}

glm::vec3 Environment::radiance(const glm::vec3& dir) const {
    const float y = dir.y;
    glm::vec3 color;
    if (y >= 0.0f) {
        // Smooth falloff from the ceiling toward the walls.
        color = glm::mix(horizon, zenith, std::pow(y, 0.6f));
    } else {
        color = glm::mix(horizon, ground, std::min(1.0f, -y * 4.0f));
    }
    if (softboxRadiance != glm::vec3(0.0f)) {
        // Smooth edge over the outer fifth of the angular radius.
        const float angle = std::acos(std::clamp(glm::dot(dir, glm::normalize(softboxDirection)), -1.0f, 1.0f));
        const float t = std::clamp((softboxAngle - angle) / (0.2f * softboxAngle), 0.0f, 1.0f);
        color = glm::mix(color, softboxRadiance, t * t * (3.0f - 2.0f * t));
    }
    return color * intensity;
}

std::array<float, 9> shBasis(const glm::vec3& n) {
    return {0.282095f,
            0.488603f * n.y,
            0.488603f * n.z,
            0.488603f * n.x,
            1.092548f * n.x * n.y,
            1.092548f * n.y * n.z,
            0.315392f * (3.0f * n.z * n.z - 1.0f),
            1.092548f * n.x * n.z,
            0.546274f * (n.x * n.x - n.y * n.y)};
}

glm::vec3 cubeDirection(uint32_t face, float u, float v) {
    // u, v in [-1, 1]; Vulkan cube face orientation (same as OpenGL's).
    glm::vec3 d;
    switch (face) {
        case 0: d = {1.0f, -v, -u}; break;
        case 1: d = {-1.0f, -v, u}; break;
        case 2: d = {u, 1.0f, v}; break;
        case 3: d = {u, -1.0f, -v}; break;
        case 4: d = {u, -v, 1.0f}; break;
        default: d = {-u, -v, -1.0f}; break;
    }
    return glm::normalize(d);
}

std::array<glm::vec3, 9> Environment::diffuseSh() const {
    // Project radiance onto SH by integrating over a latitude-longitude grid, then apply the cosine
    // lobe's convolution (Ramamoorthi & Hanrahan) and divide by pi for Lambert.
    constexpr int kRows = 64, kCols = 128;
    std::array<glm::vec3, 9> sh{};
    const float dTheta = std::numbers::pi_v<float> / kRows, dPhi = 2.0f * std::numbers::pi_v<float> / kCols;
    for (int row = 0; row < kRows; ++row) {
        const float theta = (row + 0.5f) * dTheta;
        const float solidAngle = std::sin(theta) * dTheta * dPhi;
        for (int col = 0; col < kCols; ++col) {
            const float phi = (col + 0.5f) * dPhi;
            const glm::vec3 dir{std::sin(theta) * std::cos(phi), std::cos(theta), std::sin(theta) * std::sin(phi)};
            const glm::vec3 l = radiance(dir);
            const auto basis = shBasis(dir);
            for (int i = 0; i < 9; ++i) sh[i] += l * basis[i] * solidAngle;
        }
    }
    constexpr float kBand[9] = {3.141593f, 2.094395f, 2.094395f, 2.094395f, 0.785398f,
                                0.785398f, 0.785398f, 0.785398f, 0.785398f};
    for (int i = 0; i < 9; ++i) sh[i] *= kBand[i] / std::numbers::pi_v<float>;
    return sh;
}

Environment::Cube Environment::bakeCube(uint32_t size) const {
    Cube cube;
    cube.size = size;
    cube.mipCount = 1;
    while ((size >> cube.mipCount) > 0) ++cube.mipCount;
    cube.mips.resize(cube.mipCount);
    for (uint32_t face = 0; face < 6; ++face) {
        auto& base = cube.mips[0][face];
        base.resize(size_t(size) * size);
        for (uint32_t y = 0; y < size; ++y)
            for (uint32_t x = 0; x < size; ++x)
                base[y * size + x] =
                    radiance(cubeDirection(face, (x + 0.5f) / size * 2.0f - 1.0f, (y + 0.5f) / size * 2.0f - 1.0f));
        // Box filter: rough reflections read coarser mips (a cheap stand-in for GGX prefiltering that
        // is adequate for this smooth environment).
        for (uint32_t level = 1; level < cube.mipCount; ++level) {
            const uint32_t dst = size >> level, src = dst * 2;
            const auto& parent = cube.mips[level - 1][face];
            auto& mip = cube.mips[level][face];
            mip.resize(size_t(dst) * dst);
            for (uint32_t y = 0; y < dst; ++y)
                for (uint32_t x = 0; x < dst; ++x)
                    mip[y * dst + x] = 0.25f * (parent[(2 * y) * src + 2 * x] + parent[(2 * y) * src + 2 * x + 1] +
                                                parent[(2 * y + 1) * src + 2 * x] + parent[(2 * y + 1) * src + 2 * x + 1]);
        }
    }
    return cube;
}

}  // namespace vt::scene
