#include "render/headless.h"

#include <cstring>

#include "core/check.h"
#include "gpu/frame_slots.h"
#include "gpu/image_readback.h"

namespace vt::render {

HeadlessFrame renderHeadless(gpu::Context& context, Renderer& renderer, const FrameInput& input, VkExtent2D extent) {
    const uint32_t viewCount = static_cast<uint32_t>(input.views.size());
    gpu::Image target(context,
                      {VK_FORMAT_R8G8B8A8_SRGB, extent, 1, viewCount, VK_SAMPLE_COUNT_1_BIT,
                       VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                       viewCount > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D},
                      "headless target");
    gpu::FrameSlots slots(context, gpu::FrameSlots::kOffscreen, "headless frame");
    gpu::ImageReadback readback(context, "headless readback");
    const VkCommandBuffer commands = slots.begin().commands;
    RenderTarget renderTarget;
    renderTarget.image = target.handle();
    renderTarget.view = target.view();
    renderTarget.extent = extent;
    renderTarget.viewCount = viewCount;
    renderTarget.finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    renderTarget.finalStage = VK_PIPELINE_STAGE_2_COPY_BIT;
    renderTarget.finalAccess = VK_ACCESS_2_TRANSFER_READ_BIT;
    HeadlessFrame frame;
    frame.stats = renderer.record(commands, input, renderTarget);
    readback.recordColor(commands, {target.handle(), VK_FORMAT_R8G8B8A8_SRGB, extent, 0, viewCount});
    readback.submitted(slots.submit());
    gpu::ReadbackResult pixels = readback.wait();
    for (uint32_t view = 0; view < viewCount; ++view) {
        asset::Image image;
        image.name = viewCount > 1 ? (view == 0 ? "left eye" : "right eye") : "render";
        image.width = pixels.layers[view].width;
        image.height = pixels.layers[view].height;
        image.rgba = std::move(pixels.layers[view].rgba);
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
