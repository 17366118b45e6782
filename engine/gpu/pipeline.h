#pragma once
// Shader modules and graphics pipelines for dynamic rendering.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "gpu/resources.h"

namespace vt::gpu {

ShaderModule createShaderModule(Context& context, std::span<const uint32_t> spirv, std::string_view name);

// Everything a forward pipeline needs; viewport, scissor, cull mode and front face are dynamic
// (set them before drawing).
struct GraphicsPipelineDesc {
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkShaderModule vertex = VK_NULL_HANDLE;
    VkShaderModule fragment = VK_NULL_HANDLE;  // none for a depth-only pass
    std::vector<VkVertexInputBindingDescription> bindings;
    std::vector<VkVertexInputAttributeDescription> attributes;
    VkFormat colorFormat = VK_FORMAT_UNDEFINED;  // UNDEFINED: no colour attachment (depth-only)
    VkFormat depthFormat = VK_FORMAT_UNDEFINED;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    uint32_t viewMask = 0;  // multiview: bit i renders view i; 0 = single view
    bool depthWrite = true;
    VkCompareOp depthCompare = VK_COMPARE_OP_GREATER_OR_EQUAL;  // reversed Z
    // Depth bias (shadow maps): constant in units of the format's resolution, slope per unit depth slope.
    float depthBiasConstant = 0.0f;
    float depthBiasSlope = 0.0f;
    bool alphaBlend = false;       // premultiplied "over"
    bool alphaToCoverage = false;  // smooth alpha-tested edges under MSAA
    std::vector<VkSpecializationMapEntry> specializationEntries;
    std::span<const std::byte> specializationData;
};

Pipeline createGraphicsPipeline(Context& context, const GraphicsPipelineDesc& desc, std::string_view name);

}  // namespace vt::gpu
