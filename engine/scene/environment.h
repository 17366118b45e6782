#pragma once
// The environment that gives image-based ambient light.
//
// For now environments are procedural (a gallery: bright diffuse ceiling, warm walls, darker floor),
// so no HDR file has to ship; the renderer only sees the baked cube map and the diffuse spherical
// harmonics, so a captured HDR environment can replace it later without touching the renderer.

#include <array>
#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

namespace vt::scene {

struct Environment {
    glm::vec3 zenith{1.0f};    // linear radiance straight up
    glm::vec3 horizon{0.5f};   // at the horizon (gallery walls)
    glm::vec3 ground{0.15f};   // below the horizon (floor)
    float intensity = 1.0f;
    // A soft rectangular-ish light source (a skylight or softbox) that gives metals and glazes a
    // highlight to reflect; zero radiance disables it.
    glm::vec3 softboxDirection{-0.45f, 0.55f, 0.7f};  // toward the softbox, world space (normalized on use)
    float softboxAngle = 0.45f;                       // angular radius in radians
    glm::vec3 softboxRadiance{0.0f};

    static Environment gallery();

    // Radiance arriving from world direction `dir` (unit).
    glm::vec3 radiance(const glm::vec3& dir) const;

    // Order-2 spherical harmonics (9 coefficients, the usual real basis order) of the cosine-convolved
    // radiance divided by pi, so that diffuse = albedo * sum(sh[i] * Y_i(n)).
    std::array<glm::vec3, 9> diffuseSh() const;

    // A cube map of the radiance: `size`² per face, faces in Vulkan order (+X, -X, +Y, -Y, +Z, -Z),
    // then a box-filtered mip chain down to 1². Texels are linear RGB.
    struct Cube {
        uint32_t size = 0;
        uint32_t mipCount = 0;
        // mips[level][face] holds size>>level squared texels, row-major.
        std::vector<std::array<std::vector<glm::vec3>, 6>> mips;
    };
    Cube bakeCube(uint32_t size) const;
};

// The 9 real SH basis functions at unit direction `n`.
std::array<float, 9> shBasis(const glm::vec3& n);

// Direction through the centre of texel (x, y) of cube face `face` (Vulkan face order and orientation).
glm::vec3 cubeDirection(uint32_t face, float u, float v);

}  // namespace vt::scene
