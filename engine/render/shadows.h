#pragma once
// Shadow maps for spot lights.
//
// One layered depth image, one layer per shadowed spot light (kMaxShadowedSpots), rendered by a
// depth-only pass from the light with a perspective projection over its fixed cone, so a texel's
// world size depends only on the distance to the light. Both eyes of a stereo frame sample the same
// maps. Layers are cached: a light's layer is re-rendered only when the light's position, aim, cone
// or range changes, or when the set of opaque draws (models, streamed clusters, their transforms)
// changes, so a still gallery records no shadow passes at all.

#include <array>
#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

#include "gpu/context.h"
#include "gpu/resources.h"

namespace vt::render {

struct FrameInput;

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
    void render(VkCommandBuffer commands, const FrameInput& input, uint32_t layer, const glm::mat4& clipFromWorld);

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

}  // namespace vt::render
