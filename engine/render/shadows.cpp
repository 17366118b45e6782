#include "render/shadows.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "gpu/pipeline.h"
#include "render/renderer.h"
#include "shaders/embedded_shaders.h"
#include "shaders/shared/frame_data.h"

namespace vt::render {

namespace {

static_assert(kMaxShadowedSpots == VT_MAX_SHADOWED_SPOTS);

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

}  // namespace

SpotShadows::SpotShadows(gpu::Context& context) : context_(context) {
    VkDevice device = context.device();
    depth_ = gpu::Image(context,
                        {kShadowFormat, {kSpotShadowMapSize, kSpotShadowMapSize}, 1, kMaxShadowedSpots,
                         VK_SAMPLE_COUNT_1_BIT,
                         VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT |
                             VK_IMAGE_USAGE_TRANSFER_DST_BIT,
                         VK_IMAGE_VIEW_TYPE_2D_ARRAY},
                        "spot shadow maps");
    for (uint32_t layer = 0; layer < kMaxShadowedSpots; ++layer) {
        VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        info.image = depth_.handle();
        info.viewType = VK_IMAGE_VIEW_TYPE_2D;
        info.format = kShadowFormat;
        info.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, layer, 1};
        VkImageView view;
        VK_CHECK(vkCreateImageView(device, &info, nullptr, &view));
        layerViews_[layer] = gpu::ImageView(context, view, "spot shadow layer");
    }

    // Hardware comparison with bilinear filtering where the format allows it (2x2 PCF per tap).
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
    VK_CHECK(vkCreateSampler(device, &samplerInfo, nullptr, &sampler));
    sampler_ = gpu::Sampler(context, sampler, "spot shadow sampler");

    VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(glm::mat4)};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &push;
    VkPipelineLayout layout;
    VK_CHECK(vkCreatePipelineLayout(device, &layoutInfo, nullptr, &layout));
    layout_ = gpu::PipelineLayout(context, layout, "shadow pipeline layout");
    vertexShader_ = gpu::createShaderModule(context, shaders::shadow_vert, "shadow.vert");

    gpu::GraphicsPipelineDesc desc;
    desc.layout = layout_.get();
    desc.vertex = vertexShader_.get();
    static constexpr VkVertexInputBindingDescription kBinding{0, sizeof(GpuVertex), VK_VERTEX_INPUT_RATE_VERTEX};
    static constexpr VkVertexInputAttributeDescription kPosition{0, 0, VK_FORMAT_R32G32B32_SFLOAT,
                                                                 offsetof(GpuVertex, position)};
    desc.bindings.assign(&kBinding, &kBinding + 1);
    desc.attributes.assign(&kPosition, &kPosition + 1);
    desc.depthFormat = kShadowFormat;
    desc.depthCompare = VK_COMPARE_OP_LESS_OR_EQUAL;  // conventional Z here: near 0, far 1
    desc.depthBiasConstant = kBiasConstant;
    desc.depthBiasSlope = kBiasSlope;
    pipeline_ = gpu::createGraphicsPipeline(context, desc, "spot shadow depth");
}

std::vector<SpotShadow> SpotShadows::update(VkCommandBuffer commands, const FrameInput& input, uint32_t& rendered) {
    const std::vector<scene::SpotLight>& spots = input.lighting->spots;
    std::vector<SpotShadow> shadows(spots.size());

    if (!initialized_) {
        // Every layer starts cleared to "far" and readable, so the descriptor is valid from the start.
        gpu::transition(commands, {depth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE,
                                   VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT});
        const VkClearDepthStencilValue far{1.0f, 0};
        const VkImageSubresourceRange all{VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, kMaxShadowedSpots};
        vkCmdClearDepthStencilImage(commands, depth_.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &far, 1, &all);
        gpu::transition(commands, {depth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                                   VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                   VK_ACCESS_2_SHADER_SAMPLED_READ_BIT});
        initialized_ = true;
    }

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
        const glm::mat4 uvFromClip = glm::translate(glm::mat4(1.0f), glm::vec3(0.5f, 0.5f, 0.0f)) *
                                     glm::scale(glm::mat4(1.0f), glm::vec3(0.5f, 0.5f, 1.0f));
        shadow.shadowFromWorld = uvFromClip * lightClipFromWorld;
        shadow.texelPerMetre = 2.0f * std::tan(halfAngle) / float(kSpotShadowMapSize);

        Layer& cached = layers_[layer];
        const uint64_t key = lightKey(spot);
        if (cached.rendered && cached.lightKey == key && cached.drawsKey == draws) continue;
        render(commands, input, layer, lightClipFromWorld);
        cached = {key, draws, true};
        ++rendered;
    }
    return shadows;
}

void SpotShadows::render(VkCommandBuffer commands, const FrameInput& input, uint32_t layer,
                         const glm::mat4& lightClipFromWorld) {
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
    toAttachment.image = depth_.handle();
    toAttachment.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, layer, 1};
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.imageMemoryBarrierCount = 1;
    dependency.pImageMemoryBarriers = &toAttachment;
    vkCmdPipelineBarrier2(commands, &dependency);

    VkRenderingAttachmentInfo depth{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
    depth.imageView = layerViews_[layer].get();
    depth.imageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    depth.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    depth.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    depth.clearValue.depthStencil = {1.0f, 0};
    VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
    rendering.renderArea = {{0, 0}, {kSpotShadowMapSize, kSpotShadowMapSize}};
    rendering.layerCount = 1;
    rendering.pDepthAttachment = &depth;
    vkCmdBeginRendering(commands, &rendering);
    const VkViewport viewport{0.0f, 0.0f, float(kSpotShadowMapSize), float(kSpotShadowMapSize), 0.0f, 1.0f};
    const VkRect2D scissor{{0, 0}, {kSpotShadowMapSize, kSpotShadowMapSize}};
    vkCmdSetViewport(commands, 0, 1, &viewport);
    vkCmdSetScissor(commands, 0, 1, &scissor);
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_.get());
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
        const glm::mat4 clipFromModel = lightClipFromWorld * worldFromModel;
        vkCmdPushConstants(commands, layout_.get(), VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof clipFromModel, &clipFromModel);
        vkCmdDrawIndexed(commands, indexCount, 1, firstIndex, vertexOffset, 0);
    };
    for (const DrawItem& item : input.items)
        for (const GpuDraw& gpuDraw : item.model->draws)
            if (castsShadow(item.model->materialSet.materials[gpuDraw.material]))
                draw(item.model->vertices.handle(), item.model->indices.handle(), item.worldFromModel,
                     gpuDraw.firstIndex, gpuDraw.indexCount, gpuDraw.vertexOffset);
    for (const ClusterDraw& cluster : input.clusters)
        if (cluster.material && castsShadow(*cluster.material))
            draw(cluster.vertices, cluster.indices, cluster.worldFromModel, cluster.firstIndex, cluster.indexCount,
                 cluster.vertexOffset);
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

}  // namespace vt::render
