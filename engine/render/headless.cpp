#include "render/headless.h"

#include <cstring>

#include "core/check.h"

namespace vt::render {

HeadlessFrame renderHeadless(gpu::Context& context, Renderer& renderer, const FrameInput& input, VkExtent2D extent) {
    const uint32_t viewCount = static_cast<uint32_t>(input.views.size());
    gpu::Image target(context,
                      {VK_FORMAT_R8G8B8A8_SRGB, extent, 1, viewCount, VK_SAMPLE_COUNT_1_BIT,
                       VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                       viewCount > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D},
                      "headless target");
    const VkDeviceSize layerBytes = VkDeviceSize(extent.width) * extent.height * 4;
    gpu::Buffer readback(context, layerBytes * viewCount, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback,
                         "headless readback");
    HeadlessFrame frame;
    context.runNow([&](VkCommandBuffer commands) {
        RenderTarget renderTarget;
        renderTarget.image = target.handle();
        renderTarget.view = target.view();
        renderTarget.extent = extent;
        renderTarget.viewCount = viewCount;
        renderTarget.finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
        renderTarget.finalStage = VK_PIPELINE_STAGE_2_COPY_BIT;
        renderTarget.finalAccess = VK_ACCESS_2_TRANSFER_READ_BIT;
        frame.stats = renderer.record(commands, input, renderTarget);
        VkBufferImageCopy region{};
        region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, viewCount};
        region.imageExtent = {extent.width, extent.height, 1};
        vkCmdCopyImageToBuffer(commands, target.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback.handle(), 1,
                               &region);
        gpu::makeCopiesVisibleToHost(commands);  // for the host read below
    });
    readback.invalidate();
    const auto* bytes = static_cast<const uint8_t*>(readback.mapped());
    for (uint32_t view = 0; view < viewCount; ++view) {
        asset::Image image;
        image.name = viewCount > 1 ? (view == 0 ? "left eye" : "right eye") : "render";
        image.width = extent.width;
        image.height = extent.height;
        image.rgba.assign(bytes + layerBytes * view, bytes + layerBytes * (view + 1));
        frame.views.push_back(std::move(image));
    }
    return frame;
}

asset::Image sideBySide(const asset::Image& left, const asset::Image& right) {
    VT_CHECK(left.height == right.height, "sideBySide needs images of equal height");
    asset::Image result;
    result.name = "stereo";
    result.width = left.width + right.width;
    result.height = left.height;
    result.rgba.resize(size_t(result.width) * result.height * 4);
    for (uint32_t y = 0; y < result.height; ++y) {
        std::memcpy(&result.rgba[size_t(y) * result.width * 4], &left.rgba[size_t(y) * left.width * 4], left.width * 4);
        std::memcpy(&result.rgba[(size_t(y) * result.width + left.width) * 4], &right.rgba[size_t(y) * right.width * 4],
                    right.width * 4);
    }
    return result;
}

}  // namespace vt::render
