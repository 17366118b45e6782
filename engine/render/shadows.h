#pragma once
// Shadow maps for spot lights and for the key (directional) light.
//
// One layered depth image, one layer per shadowed spot light (kMaxShadowedSpots), rendered by a
// depth-only pass from the light with a perspective projection over its fixed cone, so a texel's
// world size depends only on the distance to the light. Both eyes of a stereo frame sample the same
// maps. Layers are cached: a light's layer is re-rendered only when the light's position, aim, cone
// or range changes, or when the set of opaque draws (models, streamed clusters, their transforms)
// changes, so a still gallery records no shadow passes at all.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "core/bounds.h"
#include "gpu/context.h"
#include "gpu/resources.h"
#include "scene/camera.h"

namespace vt::render {

struct FrameInput;

// Quality of one lighting feature. Off costs nothing; Low is the cheap variant (lavapipe, integrated
// GPUs): one hardware-filtered tap per shadow lookup, a short contact march; High filters wider.
enum class Quality : uint8_t { Off, Low, High };

// Texels per edge of one layer. The sample gallery's spot cones are ~50 degrees wide and 2-4 m from
// what they light, so a texel is 2-4 mm on the floor: sharper than PCF's penumbra.
constexpr uint32_t kSpotShadowMapSize = 1024;
// Spot lights that cast shadows in one frame (layers of the map; VT_MAX_SHADOWED_SPOTS in shaders).
constexpr uint32_t kMaxShadowedSpots = 4;

// What the forward pass needs to know about one spot light's shadow.
struct SpotShadow {
    int32_t layer = -1;                // < 0: the light casts no shadow this frame
    glm::mat4 shadowFromWorld{1.0f};   // xy: uv in the layer, z: depth (0 at the near plane, 1 at range)
    float texelPerMetre = 0.0f;        // a shadow texel's world size at 1 m from the light
};

class SpotShadows {
public:
    explicit SpotShadows(gpu::Context& context);

    // Chooses layers for the first kMaxShadowedSpots spot lights of input.lighting that have
    // castsShadow set, and records depth passes (outside any rendering) for the layers whose light or
    // draws changed since they were last rendered. Returns one entry per spot light of the input, in
    // order, and adds the number of layers rendered to `rendered`. The command buffer must be
    // submitted: the cache assumes it runs.
    std::vector<SpotShadow> update(VkCommandBuffer commands, const FrameInput& input, uint32_t& rendered);
    // Only makes the maps readable (cleared once), for frames with spot shadows off.
    void prepare(VkCommandBuffer commands);

    // The layered depth image (2D_ARRAY view), in SHADER_READ_ONLY_OPTIMAL after update(), and the
    // comparison sampler to read it with (1 = lit).
    VkImageView view() const { return depth_.view(); }
    VkSampler sampler() const { return sampler_.get(); }

private:
    struct Layer {
        uint64_t lightKey = 0;  // the light's position, aim, cone and range
        uint64_t drawsKey = 0;  // what was drawn into it
        bool rendered = false;
    };

    gpu::Context& context_;
    gpu::Image depth_;
    std::array<gpu::ImageView, kMaxShadowedSpots> layerViews_;
    gpu::Sampler sampler_;
    gpu::PipelineLayout layout_;
    gpu::ShaderModule vertexShader_;
    gpu::Pipeline pipeline_;
    std::array<Layer, kMaxShadowedSpots> layers_;
    bool initialized_ = false;
};

// The key light's shadow: one orthographic depth map over the light's shadow region (a gallery room),
// or over the part of it near the eyes when the region is larger than kKeyShadowDistance allows.
// Its texel size depends only on the region and the views' projections, and its origin moves in
// whole texels, so shadows do not shimmer as the eyes move; a still or walking visitor in one room
// sees one fixed map, cached like the spot layers.

// Texels per edge of the key light's map. A 7 x 6 x 4 m room seen along the sample's key light spans
// about 9 m: 4.4 mm texels.
constexpr uint32_t kKeyShadowMapSize = 2048;
// Metres from the eyes the key light's map covers at most (then it follows the eyes, in whole texels).
constexpr float kKeyShadowDistance = 12.0f;

struct KeyShadowFit {
    bool valid = false;
    glm::mat4 clipFromWorld{1.0f};  // orthographic, conventional depth (0 nearest the light)
    float texelMetres = 0.0f;       // a texel's world size
};

// Fits the key light's map: light-space rotation from `direction` alone, width the region's extent
// across the light or the eyes' shadow sphere (views' frusta to kKeyShadowDistance), whichever is
// smaller, rounded up to 1/8 m; the origin snapped to whole texels; depth over the region's corners.
// Invalid for an empty region. Pure, for tests.
KeyShadowFit fitKeyShadow(glm::vec3 direction, const Bounds& region, std::span<const scene::View> views,
                          uint32_t mapSize = kKeyShadowMapSize);

// What the forward pass needs to know about the key light's shadow.
struct KeyShadow {
    bool enabled = false;
    glm::mat4 shadowFromWorld{1.0f};  // xy: uv in the map, z: depth (0 nearest the light)
    float texelMetres = 0.0f;
};

class KeyShadowMap {
public:
    explicit KeyShadowMap(gpu::Context& context);

    // Records the depth pass (outside any rendering) when the light's fit or the draws changed since
    // it was last rendered, adding 1 to `rendered` then. Disabled (nothing recorded) when the sun
    // casts no shadow or has no region. The command buffer must be submitted.
    KeyShadow update(VkCommandBuffer commands, const FrameInput& input, uint32_t& rendered);
    // Only makes the map readable (cleared once), for frames with the key shadow off.
    void prepare(VkCommandBuffer commands);

    // A one-layer 2D_ARRAY view in SHADER_READ_ONLY_OPTIMAL after update(), and its compare sampler.
    VkImageView view() const { return depth_.view(); }
    VkSampler sampler() const { return sampler_.get(); }

private:
    gpu::Context& context_;
    gpu::Image depth_;
    gpu::ImageView layerView_;
    gpu::Sampler sampler_;
    gpu::PipelineLayout layout_;
    gpu::ShaderModule vertexShader_;
    gpu::ShaderModule fragmentShader_;
    gpu::Pipeline pipeline_;
    uint64_t key_ = 0;  // fit, cut plane and draws of what is in the map
    bool rendered_ = false;
    bool initialized_ = false;
};

}  // namespace vt::render
