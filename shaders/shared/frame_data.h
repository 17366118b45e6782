// Structures shared by C++ and GLSL. Every member is a vec4, uvec4 or mat4 so that std140 and C++
// layouts agree; static_asserts on the C++ side pin the sizes.
#ifndef VITRINE_SHADER_FRAME_DATA_H
#define VITRINE_SHADER_FRAME_DATA_H

#ifdef __cplusplus
#include <glm/glm.hpp>
namespace vt::shader {
using vec4 = glm::vec4;
using uvec4 = glm::uvec4;
using mat4 = glm::mat4;
#endif

#define VT_MAX_VIEWS 2
#define VT_MAX_SPOT_LIGHTS 16
#define VT_MAX_SHADOWED_SPOTS 4  // layers of the spot shadow map: spot lights that cast shadows per frame

#define VT_ALPHA_OPAQUE 0u
#define VT_ALPHA_MASK 1u
#define VT_ALPHA_BLEND 2u

#define VT_QUALITY_OFF 0u  // render::Quality, per feature in GpuFrame::quality
#define VT_QUALITY_LOW 1u
#define VT_QUALITY_HIGH 2u

#define VT_TONEMAP_PBR_NEUTRAL 0u
#define VT_TONEMAP_ACES 1u

struct GpuView {
    mat4 clipFromWorld;
    vec4 position;  // xyz: eye position in world space, w: the projection's near distance (view depth = w / depth)
};

struct GpuSpotLight {
    vec4 positionRange;      // xyz position, w range (zero beyond)
    vec4 directionCosOuter;  // xyz direction the light points (unit), w cos(outer cone)
    vec4 colorCosInner;      // rgb colour * intensity, w cos(inner cone)
    vec4 shadow;             // x shadow map layer (< 0: casts none), y shadow texel size per metre from the light
};

struct GpuFrame {
    GpuView views[VT_MAX_VIEWS];
    vec4 sunDirection;  // xyz: unit direction TOWARD the light
    vec4 sunColor;      // rgb: colour * intensity
    vec4 sh[9];         // diffuse irradiance SH (rgb), already divided by pi
    vec4 params;        // x exposure, y environment mip count, z ambient intensity, w 1 / shadow map size
    uvec4 counts;       // x spot light count, y tone mapper
    GpuSpotLight spots[VT_MAX_SPOT_LIGHTS];
    mat4 shadowFromWorld[VT_MAX_SHADOWED_SPOTS];  // per layer: xy shadow map uv, z depth (0 near, 1 far)
    mat4 keyShadowFromWorld;  // the key light's map: xy uv, z depth (0 nearest the light)
    vec4 keyShadow;           // x 1 when the key light casts a shadow, y texel size (metres), z 1 / map size
    uvec4 quality;            // VT_QUALITY_*: x spot shadows, y key light shadow, z contact shadows
};

struct GpuMaterial {
    vec4 baseColorFactor;
    vec4 emissiveAlphaCutoff;  // rgb emissive factor, w alpha cutoff
    vec4 surface;              // x metallic, y roughness, z normal scale, w occlusion strength
    uvec4 flags;               // x alpha mode, y has normal texture, z double sided, w two-channel normal map
};

#ifdef __cplusplus
static_assert(sizeof(GpuView) == 80);
static_assert(sizeof(GpuSpotLight) == 64);
static_assert(sizeof(GpuFrame) ==
              2 * 80 + 16 * 2 + 16 * 9 + 16 * 2 + 64 * VT_MAX_SPOT_LIGHTS + 64 * VT_MAX_SHADOWED_SPOTS + 64 + 16 * 2);
static_assert(sizeof(GpuMaterial) == 64);
}  // namespace vt::shader
#endif

#endif
