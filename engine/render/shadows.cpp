#include "render/shadows.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <glm/gtc/matrix_transform.hpp>

#include "gpu/pipeline.h"
#include "render/position_input.h"
#include "render/renderer.h"
#include "shaders/embedded_shaders.h"
#include "shaders/shared/frame_data.h"

namespace vt::render {

namespace {

static_assert(kMaxShadowedSpots == VT_MAX_SHADOWED_SPOTS);
static_assert(uint32_t(Quality::Off) == VT_QUALITY_OFF && uint32_t(Quality::Low) == VT_QUALITY_LOW &&
              uint32_t(Quality::High) == VT_QUALITY_HIGH);

constexpr VkFormat kShadowFormat = VK_FORMAT_D32_SFLOAT;
constexpr float kNearMetres = 0.05f;  // the shadow frustum's near plane; nothing sits closer to a lamp
// Rasterizer depth bias for the depth pass: constant (units of the depth format's resolution) and per
// unit of depth slope. Small, because the receiver's normal offset does most of the work.
constexpr float kBiasConstant = 1.25f;
constexpr float kBiasSlope = 1.75f;

// FNV-1a over plain values: cheap, and a change in any byte changes the key.
struct Hasher {
    uint64_t value = 1469598103934665603ull;
    template <class T>
    void add(const T& v) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(&v);
        for (size_t i = 0; i < sizeof(T); ++i) value = (value ^ bytes[i]) * 1099511628211ull;
    }
};

uint64_t lightKey(const scene::SpotLight& spot) {
    Hasher h;
    h.add(spot.position);
    h.add(spot.direction);
    h.add(spot.outerConeRadians);
    h.add(spot.range);
    return h.value;
}

bool castsShadow(const GpuMaterialBinding& material) {
    // Blended surfaces (vitrine glass) let light through; alpha-tested ones cast as opaque for now.
    return material.alphaMode != asset::AlphaMode::Blend;
}

// Every opaque draw and its transform. TODO: this covers the whole scene, so a change anywhere
// re-renders every layer; hashing only the draws inside each light's cone would keep the others.
// Streamed clusters are known by buffer and range: a different cluster loaded into the same slot with
// the same counts and transform would go unnoticed; a residency generation per slot would close that.
uint64_t drawsKey(const FrameInput& input) {
    Hasher h;
    for (const DrawItem& item : input.items) {
        h.add(item.model->uploadId);
        h.add(item.worldFromModel);
    }
    for (const ClusterDraw& cluster : input.clusters) {
        if (!cluster.material || !castsShadow(*cluster.material)) continue;
        h.add(cluster.vertices);
        h.add(cluster.indices);
        h.add(cluster.firstIndex);
        h.add(cluster.indexCount);
        h.add(cluster.vertexOffset);
        h.add(cluster.worldFromModel);
    }
    return h.value;
}

// The light's projection: a square frustum just wider than the outer cone, reaching to its range.
glm::mat4 clipFromWorld(const scene::SpotLight& spot, float& halfAngle) {
    halfAngle = std::min(spot.outerConeRadians + 0.02f, 1.45f);
    const glm::vec3 forward = glm::normalize(spot.direction);
    const glm::vec3 up = std::abs(forward.y) > 0.99f ? glm::vec3(0.0f, 0.0f, 1.0f) : glm::vec3(0.0f, 1.0f, 0.0f);
    const glm::mat4 viewFromWorld = glm::lookAtRH(spot.position, spot.position + forward, up);
    const glm::mat4 clipFromView = glm::perspectiveRH_ZO(2.0f * halfAngle, 1.0f, kNearMetres,
                                                         std::max(spot.range, kNearMetres * 2.0f));
    return clipFromView * viewFromWorld;
}


// Clip xy in [-1, 1] to uv in [0, 1]; Vulkan's clip y and texture v both point down the image.
glm::mat4 uvFromClip() {
    return glm::translate(glm::mat4(1.0f), glm::vec3(0.5f, 0.5f, 0.0f)) *
           glm::scale(glm::mat4(1.0f), glm::vec3(0.5f, 0.5f, 1.0f));
}

// Push constants of both depth passes: shadow.vert reads the matrix only.
struct DepthPush {
    glm::mat4 clipFromModel;
    glm::vec4 keepPlane;  // model space (key_shadow.vert)
};
const glm::vec4 kKeepAll{0.0f, 0.0f, 0.0f, 1.0f};  // a "plane" every point is in front of

gpu::Image createDepthImage(gpu::Context& context, uint32_t size, uint32_t layers, const char* name) {
    return gpu::Image(context,
                      {kShadowFormat, {size, size}, 1, layers, VK_SAMPLE_COUNT_1_BIT,
                       VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT |
                           VK_IMAGE_USAGE_TRANSFER_DST_BIT,
                       VK_IMAGE_VIEW_TYPE_2D_ARRAY},
                      name);
}

gpu::ImageView createLayerView(gpu::Context& context, const gpu::Image& image, uint32_t layer, const char* name) {
    VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    info.image = image.handle();
    info.viewType = VK_IMAGE_VIEW_TYPE_2D;
    info.format = kShadowFormat;
    info.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, layer, 1};
    VkImageView view;
    VK_CHECK(vkCreateImageView(context.device(), &info, nullptr, &view));
    return gpu::ImageView(context, view, name);
}

// Hardware comparison with bilinear filtering where the format allows it (2x2 PCF per tap).
gpu::Sampler createCompareSampler(gpu::Context& context, const char* name) {
    VkFormatProperties props;
    vkGetPhysicalDeviceFormatProperties(context.physicalDevice(), kShadowFormat, &props);
    const bool linear = props.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
    VkSamplerCreateInfo samplerInfo{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    samplerInfo.magFilter = samplerInfo.minFilter = linear ? VK_FILTER_LINEAR : VK_FILTER_NEAREST;
    samplerInfo.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
    samplerInfo.addressModeU = samplerInfo.addressModeV = samplerInfo.addressModeW =
        VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    samplerInfo.compareEnable = VK_TRUE;
    samplerInfo.compareOp = VK_COMPARE_OP_LESS_OR_EQUAL;  // lit when no nearer caster is stored
    VkSampler sampler;
    VK_CHECK(vkCreateSampler(context.device(), &samplerInfo, nullptr, &sampler));
    return gpu::Sampler(context, sampler, name);
}

gpu::PipelineLayout createDepthLayout(gpu::Context& context, const char* name) {
    VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(DepthPush)};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &push;
    VkPipelineLayout layout;
    VK_CHECK(vkCreatePipelineLayout(context.device(), &layoutInfo, nullptr, &layout));
    return gpu::PipelineLayout(context, layout, name);
}

gpu::Pipeline createDepthPipeline(gpu::Context& context, const gpu::PipelineLayout& layout,
                                  const gpu::ShaderModule& vertex, VkShaderModule fragment, const char* name) {
    gpu::GraphicsPipelineDesc desc;
    desc.layout = layout.get();
    desc.vertex = vertex.get();
    desc.fragment = fragment;
    usePositionOnlyInput(desc);
    desc.depthFormat = kShadowFormat;
    desc.depthCompare = VK_COMPARE_OP_LESS_OR_EQUAL;  // conventional Z here: near 0, far 1
    desc.depthBiasConstant = kBiasConstant;
    desc.depthBiasSlope = kBiasSlope;
    return gpu::createGraphicsPipeline(context, desc, name);
}

// Every layer starts cleared to "far" and readable, so the descriptor is valid from the start.
void clearToFar(VkCommandBuffer commands, const gpu::Image& depth, uint32_t layers) {
    gpu::transition(commands, {depth.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT});
    const VkClearDepthStencilValue far{1.0f, 0};
    const VkImageSubresourceRange all{VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, layers};
    vkCmdClearDepthStencilImage(commands, depth.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &far, 1, &all);
    gpu::transition(commands, {depth.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                               VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                               VK_ACCESS_2_SHADER_SAMPLED_READ_BIT});
}

struct DepthTarget {
    VkImage image;
    VkImageView layerView;
    uint32_t layer;
    uint32_t size;
};

// One depth pass of every opaque draw into a layer, from `lightClipFromWorld`; only what lies in
// front of `worldKeepPlane` casts (when the pipeline has key_shadow.frag).
void renderDepth(VkCommandBuffer commands, const FrameInput& input, const DepthTarget& target, VkPipeline pipeline,
                 VkPipelineLayout layout, const glm::mat4& lightClipFromWorld, const glm::vec4& worldKeepPlane) {
    // Earlier frames' fragment shaders may still read this layer: wait for them, discard, draw.
    VkImageMemoryBarrier2 toAttachment{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
    toAttachment.srcStageMask = VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    toAttachment.srcAccessMask = VK_ACCESS_2_NONE;
    toAttachment.dstStageMask =
        VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
    toAttachment.dstAccessMask =
        VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    toAttachment.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    toAttachment.newLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    toAttachment.srcQueueFamilyIndex = toAttachment.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    toAttachment.image = target.image;
    toAttachment.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, target.layer, 1};
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.imageMemoryBarrierCount = 1;
    dependency.pImageMemoryBarriers = &toAttachment;
    vkCmdPipelineBarrier2(commands, &dependency);

    VkRenderingAttachmentInfo depth{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
    depth.imageView = target.layerView;
    depth.imageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    depth.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    depth.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    depth.clearValue.depthStencil = {1.0f, 0};
    VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
    rendering.renderArea = {{0, 0}, {target.size, target.size}};
    rendering.layerCount = 1;
    rendering.pDepthAttachment = &depth;
    vkCmdBeginRendering(commands, &rendering);
    const VkViewport viewport{0.0f, 0.0f, float(target.size), float(target.size), 0.0f, 1.0f};
    const VkRect2D scissor{{0, 0}, {target.size, target.size}};
    vkCmdSetViewport(commands, 0, 1, &viewport);
    vkCmdSetScissor(commands, 0, 1, &scissor);
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
    // Both faces cast: single-sided walls and open scans must still block the light.
    vkCmdSetCullMode(commands, VK_CULL_MODE_NONE);
    vkCmdSetFrontFace(commands, VK_FRONT_FACE_COUNTER_CLOCKWISE);

    VkBuffer boundVertices = VK_NULL_HANDLE, boundIndices = VK_NULL_HANDLE;
    auto draw = [&](VkBuffer vertices, VkBuffer indices, const glm::mat4& worldFromModel, uint32_t firstIndex,
                    uint32_t indexCount, int32_t vertexOffset) {
        if (vertices != boundVertices) {
            const VkDeviceSize offset = 0;
            vkCmdBindVertexBuffers(commands, 0, 1, &vertices, &offset);
            boundVertices = vertices;
        }
        if (indices != boundIndices) {
            vkCmdBindIndexBuffer(commands, indices, 0, VK_INDEX_TYPE_UINT32);
            boundIndices = indices;
        }
        // A plane maps to model space by the transpose of worldFromModel: dot(P, M p) = dot(M^T P, p).
        const DepthPush push{lightClipFromWorld * worldFromModel, glm::transpose(worldFromModel) * worldKeepPlane};
        vkCmdPushConstants(commands, layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof push, &push);
        vkCmdDrawIndexed(commands, indexCount, 1, firstIndex, vertexOffset, 0);
    };
    forEachDraw(input, [&](const DrawRef& ref) {
        if (castsShadow(*ref.material))
            draw(ref.vertices, ref.indices, *ref.worldFromModel, ref.firstIndex, ref.indexCount, ref.vertexOffset);
    });
    vkCmdEndRendering(commands);

    VkImageMemoryBarrier2 toRead = toAttachment;
    toRead.srcStageMask = VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
    toRead.srcAccessMask = VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    toRead.dstStageMask = VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    toRead.dstAccessMask = VK_ACCESS_2_SHADER_SAMPLED_READ_BIT;
    toRead.oldLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    toRead.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    dependency.pImageMemoryBarriers = &toRead;
    vkCmdPipelineBarrier2(commands, &dependency);
}

// The key light's rotation: depends on its direction only, so texel snapping holds while eyes move.
glm::mat4 lightFromWorld(glm::vec3 direction) {
    const glm::vec3 forward = glm::normalize(direction);
    const glm::vec3 up = std::abs(forward.y) > 0.99f ? glm::vec3(0.0f, 0.0f, 1.0f) : glm::vec3(0.0f, 1.0f, 0.0f);
    return glm::lookAtRH(glm::vec3(0.0f), forward, up);
}

// A sphere around the views' frusta from their near planes to kKeyShadowDistance, in world space.
// Its radius depends only on the projections (and the eyes' separation), never on where they look.
void shadowSphere(std::span<const scene::View> views, glm::vec3& centre, float& radius) {
    std::vector<glm::vec3> centres;
    std::vector<float> radii;
    for (const scene::View& view : views) {
        const glm::mat4 viewFromClip = glm::inverse(view.clipFromView);
        std::array<glm::vec3, 8> corners;
        for (int i = 0; i < 4; ++i) {
            // Reversed Z: the near plane is at clip depth 1.
            const glm::vec4 p = viewFromClip * glm::vec4(i & 1 ? 1.0f : -1.0f, i & 2 ? 1.0f : -1.0f, 1.0f, 1.0f);
            const glm::vec3 nearCorner = glm::vec3(p) / p.w;
            corners[i] = nearCorner;
            corners[i + 4] = nearCorner * (kKeyShadowDistance / std::max(-nearCorner.z, 1e-6f));
        }
        glm::vec3 mid(0.0f);
        for (const glm::vec3& c : corners) mid += c / 8.0f;
        float r = 0.0f;
        for (const glm::vec3& c : corners) r = std::max(r, glm::distance(c, mid));
        centres.push_back(glm::vec3(glm::inverse(view.viewFromWorld) * glm::vec4(mid, 1.0f)));
        radii.push_back(r);
    }
    centre = glm::vec3(0.0f);
    for (const glm::vec3& c : centres) centre += c / float(centres.size());
    radius = 0.0f;
    for (size_t i = 0; i < centres.size(); ++i) radius = std::max(radius, radii[i] + glm::distance(centres[i], centre));
}
}  // namespace

SpotShadows::SpotShadows(gpu::Context& context) : context_(context) {
    depth_ = createDepthImage(context, kSpotShadowMapSize, kMaxShadowedSpots, "spot shadow maps");
    for (uint32_t layer = 0; layer < kMaxShadowedSpots; ++layer)
        layerViews_[layer] = createLayerView(context, depth_, layer, "spot shadow layer");
    sampler_ = createCompareSampler(context, "spot shadow sampler");
    layout_ = createDepthLayout(context, "shadow pipeline layout");
    vertexShader_ = gpu::createShaderModule(context, shaders::shadow_vert, "shadow.vert");
    pipeline_ = createDepthPipeline(context, layout_, vertexShader_, VK_NULL_HANDLE, "spot shadow depth");
}

void SpotShadows::prepare(VkCommandBuffer commands) {
    if (initialized_) return;
    clearToFar(commands, depth_, kMaxShadowedSpots);
    initialized_ = true;
}

std::vector<SpotShadow> SpotShadows::update(VkCommandBuffer commands, const FrameInput& input, uint32_t& rendered) {
    const std::vector<scene::SpotLight>& spots = input.lighting->spots;
    std::vector<SpotShadow> shadows(spots.size());

    prepare(commands);
    // The shadowed lights, in order; each keeps the layer it had last frame when it can (its cache).
    std::vector<uint32_t> wanted;
    const size_t drawn = std::min<size_t>(spots.size(), VT_MAX_SPOT_LIGHTS);
    for (uint32_t i = 0; i < drawn && wanted.size() < kMaxShadowedSpots; ++i)
        if (spots[i].castsShadow) wanted.push_back(i);
    std::array<bool, kMaxShadowedSpots> taken{};
    std::vector<int32_t> layerOf(wanted.size(), -1);
    for (size_t w = 0; w < wanted.size(); ++w)
        for (uint32_t layer = 0; layer < kMaxShadowedSpots; ++layer)
            if (!taken[layer] && layers_[layer].rendered && layers_[layer].lightKey == lightKey(spots[wanted[w]])) {
                layerOf[w] = int32_t(layer);
                taken[layer] = true;
                break;
            }
    for (size_t w = 0; w < wanted.size(); ++w)
        if (layerOf[w] < 0) {
            const auto free = std::ranges::find(taken, false);
            layerOf[w] = int32_t(free - taken.begin());
            *free = true;
        }

    const uint64_t draws = drawsKey(input);
    for (size_t w = 0; w < wanted.size(); ++w) {
        const scene::SpotLight& spot = spots[wanted[w]];
        const uint32_t layer = uint32_t(layerOf[w]);
        float halfAngle = 0.0f;
        const glm::mat4 lightClipFromWorld = clipFromWorld(spot, halfAngle);
        SpotShadow& shadow = shadows[wanted[w]];
        shadow.layer = int32_t(layer);
        // Clip xy in [-1, 1] to uv in [0, 1]; Vulkan's clip y and texture v both point down the image.
        shadow.shadowFromWorld = uvFromClip() * lightClipFromWorld;
        shadow.texelPerMetre = 2.0f * std::tan(halfAngle) / float(kSpotShadowMapSize);

        Layer& cached = layers_[layer];
        const uint64_t key = lightKey(spot);
        if (cached.rendered && cached.lightKey == key && cached.drawsKey == draws) continue;
        renderDepth(commands, input, {depth_.handle(), layerViews_[layer].get(), layer, kSpotShadowMapSize},
                    pipeline_.get(), layout_.get(), lightClipFromWorld, kKeepAll);
        cached = {key, draws, true};
        ++rendered;
    }
    return shadows;
}

KeyShadowFit fitKeyShadow(glm::vec3 direction, const Bounds& region, std::span<const scene::View> views,
                          uint32_t mapSize) {
    KeyShadowFit fit;
    if (!glm::all(glm::greaterThan(region.max, region.min)) || glm::length(direction) <= 0.0f) return fit;
    const glm::mat4 rotation = lightFromWorld(direction);
    glm::vec3 lo(std::numeric_limits<float>::max()), hi(-std::numeric_limits<float>::max());
    for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p{corner & 1 ? region.max.x : region.min.x, corner & 2 ? region.max.y : region.min.y,
                          corner & 4 ? region.max.z : region.min.z};
        const glm::vec3 q = glm::vec3(rotation * glm::vec4(p, 1.0f));
        lo = glm::min(lo, q);
        hi = glm::max(hi, q);
    }
    // The square's width: the region across the light, or the eyes' sphere when that is smaller.
    float width = std::max(hi.x - lo.x, hi.y - lo.y);
    glm::vec2 centre = (glm::vec2(lo) + glm::vec2(hi)) * 0.5f;
    if (!views.empty()) {
        glm::vec3 sphereCentre;
        float radius;
        shadowSphere(views, sphereCentre, radius);
        if (2.0f * radius < width) {
            width = 2.0f * radius;
            const glm::vec2 c = glm::vec2(rotation * glm::vec4(sphereCentre, 1.0f));
            // Keep the square inside the region where the region is wider than it.
            centre = glm::clamp(c, glm::vec2(lo) + width * 0.5f, glm::vec2(hi) - width * 0.5f);
        }
    }
    // Rounded up to 1/8 m, so floating-point noise in the inputs never changes the texel size.
    width = std::ceil(width * 8.0f + 1e-3f) / 8.0f;
    fit.texelMetres = width / float(mapSize);
    centre = glm::round(centre / fit.texelMetres) * fit.texelMetres;  // whole texels: no shimmer
    constexpr float kDepthMargin = 0.05f;  // metres beyond the region's nearest and farthest corners
    // View space looks down -z: the light's nearest corner has the largest z.
    const glm::mat4 clipFromLight =
        glm::orthoRH_ZO(centre.x - width * 0.5f, centre.x + width * 0.5f, centre.y - width * 0.5f,
                        centre.y + width * 0.5f, -hi.z - kDepthMargin, -lo.z + kDepthMargin);
    fit.clipFromWorld = clipFromLight * rotation;
    fit.valid = true;
    return fit;
}

KeyShadowMap::KeyShadowMap(gpu::Context& context) : context_(context) {
    depth_ = createDepthImage(context, kKeyShadowMapSize, 1, "key shadow map");
    layerView_ = createLayerView(context, depth_, 0, "key shadow layer");
    sampler_ = createCompareSampler(context, "key shadow sampler");
    layout_ = createDepthLayout(context, "key shadow pipeline layout");
    vertexShader_ = gpu::createShaderModule(context, shaders::key_shadow_vert, "key_shadow.vert");
    fragmentShader_ = gpu::createShaderModule(context, shaders::key_shadow_frag, "key_shadow.frag");
    pipeline_ = createDepthPipeline(context, layout_, vertexShader_, fragmentShader_.get(), "key shadow depth");
}

void KeyShadowMap::prepare(VkCommandBuffer commands) {
    if (initialized_) return;
    clearToFar(commands, depth_, 1);
    initialized_ = true;
}

KeyShadow KeyShadowMap::update(VkCommandBuffer commands, const FrameInput& input, uint32_t& rendered) {
    prepare(commands);
    const scene::DirectionalLight& sun = input.lighting->sun;
    KeyShadow shadow;
    if (!sun.castsShadow || sun.intensity <= 0.0f) return shadow;
    const KeyShadowFit fit = fitKeyShadow(sun.direction, sun.shadowRegion, input.views);
    if (!fit.valid) return shadow;
    shadow.enabled = true;
    shadow.shadowFromWorld = uvFromClip() * fit.clipFromWorld;
    shadow.texelMetres = fit.texelMetres;

    // Casters above the region's top cast nothing: a plane facing down through it.
    const glm::vec4 keepPlane(0.0f, -1.0f, 0.0f, sun.shadowRegion.max.y);
    Hasher h;
    h.add(fit.clipFromWorld);
    h.add(keepPlane);
    h.add(drawsKey(input));
    if (rendered_ && key_ == h.value) return shadow;
    renderDepth(commands, input, {depth_.handle(), layerView_.get(), 0, kKeyShadowMapSize}, pipeline_.get(),
                layout_.get(), fit.clipFromWorld, keepPlane);
    key_ = h.value;
    rendered_ = true;
    ++rendered;
    return shadow;
}

}  // namespace vt::render
