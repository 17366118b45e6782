#pragma once
// The vertex input of depth-only passes (shadow maps, the depth prepass): GpuVertex buffers, position only.

#include <cstddef>

#include "gpu/pipeline.h"
#include "render/gpu_model.h"

namespace vt::render {

inline void usePositionOnlyInput(gpu::GraphicsPipelineDesc& desc) {
    static constexpr VkVertexInputBindingDescription kBinding{0, sizeof(GpuVertex), VK_VERTEX_INPUT_RATE_VERTEX};
    static constexpr VkVertexInputAttributeDescription kPosition{0, 0, VK_FORMAT_R32G32B32_SFLOAT,
                                                                 offsetof(GpuVertex, position)};
    desc.bindings.assign(&kBinding, &kBinding + 1);
    desc.attributes.assign(&kPosition, &kPosition + 1);
}

}  // namespace vt::render
