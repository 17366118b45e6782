#include "viewer/frame_output.h"

namespace vt::viewer {

FrameOutput::FrameOutput(Session& session, VkExtent2D offscreenSize)
    : session_(session),
      slots_(*session.context, session.swapchain ? gpu::FrameSlots::kWindowed : gpu::FrameSlots::kOffscreen,
             "viewer frame"),
      readback_(*session.context, "viewer readback"),
      offscreenExtent_(offscreenSize) {}

VkExtent2D FrameOutput::extent() const {
    return session_.swapchain ? session_.swapchain->extent() : offscreenExtent_;
}

void FrameOutput::resize(VkExtent2D size) {
    if (session_.window) session_.window->setSize(size);
    else offscreenExtent_ = size;
}

bool FrameOutput::canReadColor() const { return !session_.swapchain || session_.swapchain->canCopy(); }

bool FrameOutput::begin(bool vsync) {
    Swapchain* swapchain = session_.swapchain.get();
    if (swapchain) {
        const VkExtent2D fb = session_.window->framebufferSize();
        if (fb.width == 0 || fb.height == 0) {  // minimised: nothing to draw into
            session_.window->waitEvents(0.1);
            return false;
        }
        if (needSwapchain_ || fb.width != swapchain->extent().width || fb.height != swapchain->extent().height) {
            ++swapchainRebuilds_;
            if (auto made = swapchain->recreate(fb, vsync); !made) return false;
            needSwapchain_ = false;
        }
    }
    const gpu::FrameSlots::Slot& slot = slots_.begin();
    if (swapchain) {
        const auto acquired = swapchain->acquire(slot.acquired);
        if (!acquired) {  // out of date: the slot is begun again on its next turn
            needSwapchain_ = true;
            return false;
        }
        imageIndex_ = *acquired;
        image_ = swapchain->image(imageIndex_);
        imageView_ = swapchain->view(imageIndex_);
        return true;
    }
    const VkExtent2D ext = offscreenExtent_;
    if (!offscreen_ || offscreen_.desc().extent.width != ext.width || offscreen_.desc().extent.height != ext.height)
        offscreen_ = gpu::Image(*session_.context,
                                {VK_FORMAT_R8G8B8A8_SRGB, ext, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                 VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                                "viewer offscreen target");
    image_ = offscreen_.handle();
    imageView_ = offscreen_.view();
    return true;
}

void FrameOutput::prepareImages(const FrameReadbacks& readbacks) {
    const VkExtent2D ext = extent();
    if (readbacks.depth &&
        (!depthCopy_ || depthCopy_.desc().extent.width != ext.width || depthCopy_.desc().extent.height != ext.height))
        depthCopy_ = gpu::Image(*session_.context,
                                {VK_FORMAT_D32_SFLOAT, ext, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                 VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                                "viewer depth copy");
}

render::RenderTarget FrameOutput::target(const FrameReadbacks& readbacks) const {
    render::RenderTarget target;
    target.image = image_;
    target.view = imageView_;
    target.extent = extent();
    // The previous frame's screenshot copy (offscreen: the same image) is done before the writes.
    target.initialStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_2_COPY_BIT;
    target.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    target.finalStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
    target.finalAccess = VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT;
    if (readbacks.depth) {
        target.depthCopy = depthCopy_.handle();
        target.depthCopyView = depthCopy_.view();
    }
    return target;
}

DrawnFrame FrameOutput::draw(const render::FrameInput& input, FrameReadbacks readbacks) {
    const VkExtent2D ext = extent();
    const bool windowed = session_.swapchain != nullptr;
    prepareImages(readbacks);
    const VkCommandBuffer commands = slots_.current().commands;
    DrawnFrame frame;
    // 1. The scene, into the image; it stays a colour attachment for the panels.
    frame.stats = session_.renderer->record(commands, input, target(readbacks));
    // 2. Depth of what was drawn, for picking and measuring.
    if (readbacks.depth) readback_.recordDepth(commands, depthCopy_.handle(), ext);
    // 3. Panels over the scene.
    session_.ui->render(commands, imageView_, ext);
    // 4. Screenshot copy, then hand the image to the presentation engine (or leave it for the next copy).
    const VkImageLayout finalLayout = windowed ? VK_IMAGE_LAYOUT_PRESENT_SRC_KHR : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    if (readbacks.color) {
        gpu::ColorCopy copy{image_, session_.colorFormat(), ext};
        copy.layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
        copy.finalLayout = finalLayout;
        copy.alpha = gpu::ReadbackAlpha::Opaque;  // the window is opaque
        readback_.recordColor(commands, copy);
    } else {
        gpu::transition(commands, {image_, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, finalLayout,
                                   VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
                                   windowed ? VK_PIPELINE_STAGE_2_NONE : VK_PIPELINE_STAGE_2_COPY_BIT,
                                   windowed ? VK_ACCESS_2_NONE : VK_ACCESS_2_TRANSFER_READ_BIT});
    }
    // 5. Submit and present; only a frame with readbacks waits for the GPU.
    const uint64_t submitted = submitAndPresent();
    if (readback_.recorded()) {
        readback_.submitted(submitted);
        frame.pixels = readback_.wait();
    }
    return frame;
}

uint64_t FrameOutput::submitAndPresent() {
    Swapchain* swapchain = session_.swapchain.get();
    if (!swapchain) return slots_.submit();
    // Wait for the acquire; signal the image's own semaphore, which its present waits for.
    const uint64_t value =
        slots_.submit({gpu::semaphoreSubmit(slots_.current().acquired, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT)},
                      {gpu::semaphoreSubmit(swapchain->renderedSemaphore(imageIndex_), VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT)});
    if (!swapchain->present(imageIndex_)) needSwapchain_ = true;
    return value;
}

}  // namespace vt::viewer
