#include "gpu/upload_batch.h"

#include <cstring>

#include "core/check.h"

namespace vt::gpu {

UploadBatch::UploadBatch(Context& context) : context_(context) {}

UploadBatch::~UploadBatch() { submit(); }

void UploadBatch::begin() {
    if (!commands_) {
        VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
        poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
        poolInfo.queueFamilyIndex = context_.queueFamily();
        VK_CHECK(vkCreateCommandPool(context_.device(), &poolInfo, nullptr, &pool_));
        VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        allocateInfo.commandPool = pool_;
        allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        allocateInfo.commandBufferCount = 1;
        VK_CHECK(vkAllocateCommandBuffers(context_.device(), &allocateInfo, &commands_));
        VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
        VK_CHECK(vkBeginCommandBuffer(commands_, &begin));
    }
}

VkBuffer UploadBatch::stage(std::span<const std::byte> bytes) {
    begin();
    Buffer staging(context_, bytes.size(), VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUse::Upload, "upload staging");
    std::memcpy(staging.mapped(), bytes.data(), bytes.size());
    staging.flush();
    const VkBuffer handle = staging.handle();
    staging_.push_back(std::move(staging));
    bytes_ += bytes.size();
    return handle;
}

Buffer UploadBatch::uploadBuffer(std::span<const std::byte> bytes, VkBufferUsageFlags usage, std::string_view name) {
    const VkBuffer staging = stage(bytes);
    Buffer buffer(context_, bytes.size(), usage | VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUse::GpuOnly, name);
    const VkBufferCopy region{0, 0, bytes.size()};
    vkCmdCopyBuffer(commands_, staging, buffer.handle(), 1, &region);
    return buffer;
}

void UploadBatch::uploadImage(Image& image, std::span<const std::byte> bytes, uint32_t providedMips) {
    VT_CHECK(providedMips >= 1 && providedMips <= image.desc().mipLevels, "uploadImage: bad mip count");
    VT_CHECK(bytes.size() == imageBytes(image.desc(), providedMips), "uploadImage: byte count does not match the image");
    const VkBuffer staging = stage(bytes);
    recordImageUpload(commands_, image, staging, 0, providedMips);
}

void UploadBatch::uploadImage(Image& image, Buffer staging, uint32_t providedMips) {
    VT_CHECK(providedMips >= 1 && providedMips <= image.desc().mipLevels, "uploadImage: bad mip count");
    VT_CHECK(staging.size() >= imageBytes(image.desc(), providedMips), "uploadImage: the staging buffer is too small");
    begin();
    recordImageUpload(commands_, image, staging.handle(), 0, providedMips);
    bytes_ += staging.size();
    staging_.push_back(std::move(staging));
}

void UploadBatch::submit() {
    if (!commands_) return;
    // Everything submitted after this (the frames that draw the new data) sees the copies.
    VkMemoryBarrier2 barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    barrier.srcStageMask = VK_PIPELINE_STAGE_2_COPY_BIT;
    barrier.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
    // Later copies too (a readback of an uploaded buffer in a test, an image re-uploaded).
    barrier.dstStageMask = VK_PIPELINE_STAGE_2_VERTEX_ATTRIBUTE_INPUT_BIT | VK_PIPELINE_STAGE_2_INDEX_INPUT_BIT |
                           VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT |
                           VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT;
    barrier.dstAccessMask = VK_ACCESS_2_VERTEX_ATTRIBUTE_READ_BIT | VK_ACCESS_2_INDEX_READ_BIT |
                            VK_ACCESS_2_SHADER_READ_BIT | VK_ACCESS_2_TRANSFER_READ_BIT |
                            VK_ACCESS_2_TRANSFER_WRITE_BIT;
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.memoryBarrierCount = 1;
    dependency.pMemoryBarriers = &barrier;
    vkCmdPipelineBarrier2(commands_, &dependency);
    VK_CHECK(vkEndCommandBuffer(commands_));
    context_.submit(commands_);
    // Staging memory and the pool (with its command buffer) go once the GPU has run the copies.
    staging_.clear();
    context_.retire({VK_OBJECT_TYPE_COMMAND_POOL, reinterpret_cast<uint64_t>(pool_), nullptr});
    pool_ = VK_NULL_HANDLE;
    commands_ = VK_NULL_HANDLE;
}

}  // namespace vt::gpu
