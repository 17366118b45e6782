#include "gpu/resources.h"

#include "gpu/upload_batch.h"

#include <algorithm>
#include <cstring>
#include <vector>

// VMA's implementation is third-party code: compile it here without our warning flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wparentheses"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wshadow"
#define VMA_IMPLEMENTATION
#include <vk_mem_alloc.h>

#include "gpu/upload_batch.h"
#pragma GCC diagnostic pop

#include "core/check.h"

namespace vt::gpu {

Buffer::Buffer(Context& context, VkDeviceSize size, VkBufferUsageFlags usage, MemoryUse memory,
               std::string_view name)
    : context_(&context), size_(size) {
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = std::max<VkDeviceSize>(size, 4);
    info.usage = usage;
    VmaAllocationCreateInfo allocation{};
    allocation.usage = VMA_MEMORY_USAGE_AUTO;
    if (memory == MemoryUse::Upload)
        allocation.flags = VMA_ALLOCATION_CREATE_HOST_ACCESS_SEQUENTIAL_WRITE_BIT | VMA_ALLOCATION_CREATE_MAPPED_BIT;
    else if (memory == MemoryUse::Readback)
        allocation.flags = VMA_ALLOCATION_CREATE_HOST_ACCESS_RANDOM_BIT | VMA_ALLOCATION_CREATE_MAPPED_BIT;
    VmaAllocationInfo result{};
    VK_CHECK(vmaCreateBuffer(context.allocator(), &info, &allocation, &buffer_, &allocation_, &result));
    mapped_ = result.pMappedData;
    context.setName(VK_OBJECT_TYPE_BUFFER, buffer_, name);
}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
    if (this != &other) {
        release();
        context_ = std::exchange(other.context_, nullptr);
        buffer_ = std::exchange(other.buffer_, VK_NULL_HANDLE);
        allocation_ = std::exchange(other.allocation_, nullptr);
        size_ = std::exchange(other.size_, 0);
        mapped_ = std::exchange(other.mapped_, nullptr);
    }
    return *this;
}

void Buffer::release() {
    if (context_ && buffer_)
        context_->retire({VK_OBJECT_TYPE_BUFFER, reinterpret_cast<uint64_t>(buffer_), allocation_});
    buffer_ = VK_NULL_HANDLE;
    allocation_ = nullptr;
}

void Buffer::flush() const { VK_CHECK(vmaFlushAllocation(context_->allocator(), allocation_, 0, VK_WHOLE_SIZE)); }
void Buffer::invalidate() const {
    VK_CHECK(vmaInvalidateAllocation(context_->allocator(), allocation_, 0, VK_WHOLE_SIZE));
}

Image::Image(Context& context, const ImageDesc& desc, std::string_view name) : context_(&context), desc_(desc) {
    VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
    info.flags = desc.viewType == VK_IMAGE_VIEW_TYPE_CUBE ? VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT : 0;
    info.imageType = VK_IMAGE_TYPE_2D;
    info.format = desc.format;
    info.extent = {desc.extent.width, desc.extent.height, 1};
    info.mipLevels = desc.mipLevels;
    info.arrayLayers = desc.layers;
    info.samples = desc.samples;
    info.tiling = VK_IMAGE_TILING_OPTIMAL;
    info.usage = desc.usage;
    info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VmaAllocationCreateInfo allocation{};
    allocation.usage = desc.transient ? VMA_MEMORY_USAGE_GPU_LAZILY_ALLOCATED : VMA_MEMORY_USAGE_AUTO;
    if (desc.transient &&
        vmaCreateImage(context.allocator(), &info, &allocation, &image_, &allocation_, nullptr) == VK_SUCCESS) {
        // lazily allocated memory exists (tilers); done
    } else {
        allocation.usage = VMA_MEMORY_USAGE_AUTO;
        VK_CHECK(vmaCreateImage(context.allocator(), &info, &allocation, &image_, &allocation_, nullptr));
    }
    context.setName(VK_OBJECT_TYPE_IMAGE, image_, name);

    const bool depth = desc.format == VK_FORMAT_D32_SFLOAT || desc.format == VK_FORMAT_D16_UNORM ||
                       desc.format == VK_FORMAT_D24_UNORM_S8_UINT || desc.format == VK_FORMAT_D32_SFLOAT_S8_UINT;
    VkImageViewCreateInfo viewInfo{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    viewInfo.image = image_;
    viewInfo.viewType = desc.viewType;
    viewInfo.format = desc.format;
    viewInfo.subresourceRange = {VkImageAspectFlags(depth ? VK_IMAGE_ASPECT_DEPTH_BIT : VK_IMAGE_ASPECT_COLOR_BIT), 0,
                                 desc.mipLevels, 0, desc.layers};
    VK_CHECK(vkCreateImageView(context.device(), &viewInfo, nullptr, &view_));
    context.setName(VK_OBJECT_TYPE_IMAGE_VIEW, view_, name);
}

Image& Image::operator=(Image&& other) noexcept {
    if (this != &other) {
        release();
        context_ = std::exchange(other.context_, nullptr);
        image_ = std::exchange(other.image_, VK_NULL_HANDLE);
        view_ = std::exchange(other.view_, VK_NULL_HANDLE);
        allocation_ = std::exchange(other.allocation_, nullptr);
        desc_ = other.desc_;
    }
    return *this;
}

void Image::release() {
    if (context_ && view_) context_->retire({VK_OBJECT_TYPE_IMAGE_VIEW, reinterpret_cast<uint64_t>(view_), nullptr});
    if (context_ && image_)
        context_->retire({VK_OBJECT_TYPE_IMAGE, reinterpret_cast<uint64_t>(image_), allocation_});
    view_ = VK_NULL_HANDLE;
    image_ = VK_NULL_HANDLE;
    allocation_ = nullptr;
}

void transition(VkCommandBuffer commands, const ImageTransition& t) {
    VkImageMemoryBarrier2 barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
    barrier.srcStageMask = t.srcStage;
    barrier.srcAccessMask = t.srcAccess;
    barrier.dstStageMask = t.dstStage;
    barrier.dstAccessMask = t.dstAccess;
    barrier.oldLayout = t.oldLayout;
    barrier.newLayout = t.newLayout;
    barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.image = t.image;
    barrier.subresourceRange = {t.aspect, t.baseMip, t.mipCount, 0, t.layerCount};
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.imageMemoryBarrierCount = 1;
    dependency.pImageMemoryBarriers = &barrier;
    vkCmdPipelineBarrier2(commands, &dependency);
}

namespace {

// Bytes of one layer of one mip level; block-compressed formats count whole 4x4 blocks.
VkDeviceSize levelBytes(VkFormat format, uint32_t width, uint32_t height) {
    const VkDeviceSize blocks = VkDeviceSize((width + 3) / 4) * ((height + 3) / 4);
    switch (format) {
        case VK_FORMAT_R8G8B8A8_UNORM:
        case VK_FORMAT_R8G8B8A8_SRGB:
        case VK_FORMAT_B8G8R8A8_UNORM:
        case VK_FORMAT_B8G8R8A8_SRGB: return VkDeviceSize(width) * height * 4;
        case VK_FORMAT_R16G16B16A16_SFLOAT: return VkDeviceSize(width) * height * 8;
        case VK_FORMAT_R32G32B32A32_SFLOAT: return VkDeviceSize(width) * height * 16;
        case VK_FORMAT_BC1_RGB_UNORM_BLOCK:
        case VK_FORMAT_BC1_RGB_SRGB_BLOCK:
        case VK_FORMAT_BC1_RGBA_UNORM_BLOCK:
        case VK_FORMAT_BC1_RGBA_SRGB_BLOCK:
        case VK_FORMAT_BC4_UNORM_BLOCK: return blocks * 8;
        case VK_FORMAT_BC3_UNORM_BLOCK:
        case VK_FORMAT_BC3_SRGB_BLOCK:
        case VK_FORMAT_BC5_UNORM_BLOCK:
        case VK_FORMAT_BC7_UNORM_BLOCK:
        case VK_FORMAT_BC7_SRGB_BLOCK: return blocks * 16;
        default: VT_CHECK(false, "uploadImage: format not supported for uploads");
    }
}

}  // namespace

VkDeviceSize imageBytes(const ImageDesc& desc, uint32_t providedMips) {
    VkDeviceSize total = 0;
    for (uint32_t mip = 0; mip < providedMips; ++mip)
        total += levelBytes(desc.format, std::max(1u, desc.extent.width >> mip), std::max(1u, desc.extent.height >> mip)) *
                 desc.layers;
    return total;
}

void recordImageUpload(VkCommandBuffer commands, Image& image, VkBuffer staging, VkDeviceSize stagingOffset,
                       uint32_t providedMips) {
    const ImageDesc& desc = image.desc();
    transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                          VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE,
                          VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT});
    std::vector<VkBufferImageCopy> regions;
    VkDeviceSize offset = stagingOffset;
    for (uint32_t mip = 0; mip < providedMips; ++mip) {
        const uint32_t width = std::max(1u, desc.extent.width >> mip);
        const uint32_t height = std::max(1u, desc.extent.height >> mip);
        VkBufferImageCopy region{};
        region.bufferOffset = offset;
        region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, mip, 0, desc.layers};
        region.imageExtent = {width, height, 1};
        regions.push_back(region);
        offset += levelBytes(desc.format, width, height) * desc.layers;
    }
    vkCmdCopyBufferToImage(commands, staging, image.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                           static_cast<uint32_t>(regions.size()), regions.data());
    // Generate the remaining mips by halving blits, each level read after it was written.
    for (uint32_t mip = providedMips; mip < desc.mipLevels; ++mip) {
        transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                              VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT,
                              VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_BLIT_BIT,
                              VK_ACCESS_2_TRANSFER_READ_BIT, mip - 1, 1});
        VkImageBlit blit{};
        blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, mip - 1, 0, desc.layers};
        blit.srcOffsets[1] = {int32_t(std::max(1u, desc.extent.width >> (mip - 1))),
                              int32_t(std::max(1u, desc.extent.height >> (mip - 1))), 1};
        blit.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, mip, 0, desc.layers};
        blit.dstOffsets[1] = {int32_t(std::max(1u, desc.extent.width >> mip)),
                              int32_t(std::max(1u, desc.extent.height >> mip)), 1};
        vkCmdBlitImage(commands, image.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, image.handle(),
                       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
    }
    // Levels below providedMips..mipLevels-1 differ in layout: SRC for blitted sources, DST for the last.
    if (desc.mipLevels > providedMips)
        transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                              VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_BLIT_BIT,
                              VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                              VK_ACCESS_2_SHADER_SAMPLED_READ_BIT, 0, desc.mipLevels - 1});
    const uint32_t lastDst = desc.mipLevels > providedMips ? desc.mipLevels - 1 : 0;
    const uint32_t dstCount = desc.mipLevels > providedMips ? 1 : desc.mipLevels;
    transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                          VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT,
                          VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                          VK_ACCESS_2_SHADER_SAMPLED_READ_BIT, lastDst, dstCount});
}

// The one-off helpers go through an UploadBatch of their own: submitted at once, never waited for.
Buffer uploadBuffer(Context& context, std::span<const std::byte> bytes, VkBufferUsageFlags usage,
                    std::string_view name) {
    UploadBatch batch(context);
    Buffer buffer = batch.uploadBuffer(bytes, usage, name);
    batch.submit();
    return buffer;
}

void uploadImage(Context& context, Image& image, std::span<const std::byte> bytes) {
    UploadBatch batch(context);
    batch.uploadImage(image, bytes, 1);
    batch.submit();
}

void uploadImageWithMips(Context& context, Image& image, std::span<const std::byte> bytes) {
    UploadBatch batch(context);
    batch.uploadImage(image, bytes, image.desc().mipLevels);
    batch.submit();
}

void makeCopiesVisibleToHost(VkCommandBuffer commands) {
    VkMemoryBarrier2 toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    toHost.srcStageMask = VK_PIPELINE_STAGE_2_COPY_BIT;
    toHost.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
    toHost.dstStageMask = VK_PIPELINE_STAGE_2_HOST_BIT;
    toHost.dstAccessMask = VK_ACCESS_2_HOST_READ_BIT;
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.memoryBarrierCount = 1;
    dependency.pMemoryBarriers = &toHost;
    vkCmdPipelineBarrier2(commands, &dependency);
}

}  // namespace vt::gpu
