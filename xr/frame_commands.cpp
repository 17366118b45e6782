#include "xr/frame_commands.h"

namespace vt::xr {

CommandSlots::CommandSlots(gpu::Context& context, std::string_view name) : context_(context) {
    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = context.queueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateCommandPool(context.device(), &poolInfo, nullptr, &pool));
    pool_ = {context, pool, name};
    VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocateInfo.commandPool = pool;
    allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocateInfo.commandBufferCount = kSlots;
    VK_CHECK(vkAllocateCommandBuffers(context.device(), &allocateInfo, buffers_.data()));
}

VkCommandBuffer CommandSlots::begin() {
    current_ = uint32_t(next_++ % kSlots);
    if (values_[current_]) context_.waitFor(values_[current_]);
    context_.collectRetired();
    VkCommandBuffer commands = buffers_[current_];
    VK_CHECK(vkResetCommandBuffer(commands, 0));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(commands, &begin));
    return commands;
}

uint64_t CommandSlots::submit() {
    VkCommandBuffer commands = buffers_[current_];
    VK_CHECK(vkEndCommandBuffer(commands));
    values_[current_] = context_.submit(commands);
    return values_[current_];
}

void LayerReadback::record(gpu::Context& context, VkCommandBuffer commands, VkImage image, VkExtent2D extent,
                           uint32_t layers) {
    layers_ = layers;
    layerBytes_ = VkDeviceSize(extent.width) * extent.height * 4;
    buffer_ = gpu::Buffer(context, layerBytes_ * layers, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback,
                          "xr capture");
    gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                               VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                               VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                               VK_ACCESS_2_TRANSFER_READ_BIT});
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, layers};
    region.imageExtent = {extent.width, extent.height, 1};
    vkCmdCopyImageToBuffer(commands, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer_.handle(), 1, &region);
    gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                               VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT});
    gpu::makeCopiesVisibleToHost(commands);
}

std::vector<std::vector<uint8_t>> LayerReadback::take(const gpu::Context& context) {
    context.waitFor(value_);
    buffer_.invalidate();
    const auto* bytes = static_cast<const uint8_t*>(buffer_.mapped());
    std::vector<std::vector<uint8_t>> images;
    for (uint32_t i = 0; i < layers_; ++i) images.emplace_back(bytes + layerBytes_ * i, bytes + layerBytes_ * (i + 1));
    buffer_ = {};
    return images;
}

}  // namespace vt::xr
