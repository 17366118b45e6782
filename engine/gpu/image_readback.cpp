#include "gpu/image_readback.h"

#include <cstring>
#include <utility>

#include "core/check.h"

namespace vt::gpu {
namespace {

bool isBgra(VkFormat format) { return format == VK_FORMAT_B8G8R8A8_SRGB || format == VK_FORMAT_B8G8R8A8_UNORM; }

bool isRgba(VkFormat format) { return format == VK_FORMAT_R8G8B8A8_SRGB || format == VK_FORMAT_R8G8B8A8_UNORM; }

// A host buffer of at least `bytes`, kept while it is large enough.
void reserve(Context& context, Buffer& buffer, VkDeviceSize bytes, const std::string& name) {
    if (buffer && buffer.size() >= bytes) return;
    buffer = Buffer(context, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUse::Readback, name);
}

}  // namespace

ImageReadback::ImageReadback(Context& context, std::string_view name) : context_(&context), name_(name) {}

void ImageReadback::startRecording() {
    VT_CHECK(context_, "ImageReadback used without a Context");
    VT_CHECK(state_ != State::Submitted, "ImageReadback: take() or wait() for the last copies before recording more");
    if (state_ == State::Idle) {
        color_.layerCount = 0;
        depthExtent_ = {};
    }
    state_ = State::Recorded;
}

void ImageReadback::recordColor(VkCommandBuffer commands, const ColorCopy& copy) {
    startRecording();
    VT_CHECK(isRgba(copy.format) || isBgra(copy.format), "ImageReadback reads back 8-bit RGBA or BGRA images only");
    VT_CHECK(copy.layerCount >= 1, "ImageReadback: a colour copy needs at least one layer");
    VT_CHECK(copy.layout == VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL || copy.layout == VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
             "ImageReadback: the image must be in TRANSFER_SRC_OPTIMAL or COLOR_ATTACHMENT_OPTIMAL");
    const VkDeviceSize bytes = VkDeviceSize(copy.extent.width) * copy.extent.height * 4 * copy.layerCount;
    reserve(*context_, colorBuffer_, bytes, name_ + " colour");
    color_ = copy;

    if (copy.layout == VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL)
        transition(commands, {copy.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                              VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                              VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                              VK_ACCESS_2_TRANSFER_READ_BIT});
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, copy.baseLayer, copy.layerCount};
    region.imageExtent = {copy.extent.width, copy.extent.height, 1};
    vkCmdCopyImageToBuffer(commands, copy.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, colorBuffer_.handle(), 1, &region);
    switch (copy.finalLayout) {
        case VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL: break;
        case VK_IMAGE_LAYOUT_PRESENT_SRC_KHR:
            // The submission's signal semaphore orders the present after the copy.
            transition(commands, {copy.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                  VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                                  VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE});
            break;
        case VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL:
            transition(commands, {copy.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                  VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                  VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                  VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT});
            break;
        default: VT_CHECK(false, "ImageReadback: finalLayout must be TRANSFER_SRC, PRESENT_SRC or COLOR_ATTACHMENT");
    }
    makeCopiesVisibleToHost(commands);
}

void ImageReadback::recordDepth(VkCommandBuffer commands, VkImage depth, VkExtent2D extent) {
    startRecording();
    const VkDeviceSize bytes = VkDeviceSize(extent.width) * extent.height * sizeof(float);
    reserve(*context_, depthBuffer_, bytes, name_ + " depth");
    depthExtent_ = extent;
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
    region.imageExtent = {extent.width, extent.height, 1};
    vkCmdCopyImageToBuffer(commands, depth, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, depthBuffer_.handle(), 1, &region);
    makeCopiesVisibleToHost(commands);
}

void ImageReadback::submitted(uint64_t timelineValue) {
    VT_CHECK(state_ == State::Recorded, "ImageReadback::submitted without copies recorded since the last take");
    value_ = timelineValue;
    state_ = State::Submitted;
}

bool ImageReadback::ready() const {
    return state_ == State::Submitted && context_->completedValue() >= value_;
}

std::optional<ReadbackResult> ImageReadback::take() {
    if (!ready()) return std::nullopt;
    return collect();
}

ReadbackResult ImageReadback::wait() {
    VT_CHECK(state_ == State::Submitted, "ImageReadback::wait before submitted()");
    context_->waitFor(value_);
    return collect();
}

ReadbackResult ImageReadback::collect() {
    ReadbackResult result;
    if (color_.layerCount > 0) {
        colorBuffer_.invalidate();
        const size_t layerBytes = size_t(color_.extent.width) * color_.extent.height * 4;
        const auto* bytes = static_cast<const uint8_t*>(colorBuffer_.mapped());
        const bool swizzle = isBgra(color_.format);
        const bool opaque = color_.alpha == ReadbackAlpha::Opaque;
        for (uint32_t layer = 0; layer < color_.layerCount; ++layer) {
            ReadbackImage image;
            image.width = color_.extent.width;
            image.height = color_.extent.height;
            image.rgba.assign(bytes + layerBytes * layer, bytes + layerBytes * (layer + 1));
            if (swizzle || opaque)
                for (size_t i = 0; i < image.rgba.size(); i += 4) {
                    if (swizzle) std::swap(image.rgba[i], image.rgba[i + 2]);
                    if (opaque) image.rgba[i + 3] = 255;
                }
            result.layers.push_back(std::move(image));
        }
    }
    if (depthExtent_.width > 0) {
        depthBuffer_.invalidate();
        result.depthExtent = depthExtent_;
        result.depth.resize(size_t(depthExtent_.width) * depthExtent_.height);
        std::memcpy(result.depth.data(), depthBuffer_.mapped(), result.depth.size() * sizeof(float));
    }
    state_ = State::Idle;
    return result;
}

}  // namespace vt::gpu
