#pragma once
// Where the viewer's frames go: the window's swapchain, or an offscreen image when there is no
// window. One frame is begin() (an image to draw into) then draw() (the scene, the panels, the
// readbacks asked for; submit; present). Frames are paced by gpu::FrameSlots (two in flight with a
// window, one offscreen); depth and screenshots come back through gpu::ImageReadback, and only a
// frame with a readback waits for the GPU.
//
// Owns the frame slots, the offscreen image, the depth copy and the readback buffers; it must be
// dropped before the Session it draws with.

#include <optional>

#include "gpu/frame_slots.h"
#include "gpu/image_readback.h"
#include "render/renderer.h"
#include "viewer/session.h"

namespace vt::viewer {

// What a frame reads back besides drawing.
struct FrameReadbacks {
    bool depth = false;  // the depth of what was drawn: picking, measuring, annotation markers
    bool color = false;  // the finished picture with its panels: a screenshot
};

struct DrawnFrame {
    render::FrameStats stats;
    gpu::ReadbackResult pixels;  // layers[0]: the picture (opaque RGBA) if asked for; depth if asked for
};

class FrameOutput {
public:
    // `offscreenSize`: the offscreen image's size (ignored with a window, which has its own).
    FrameOutput(Session& session, VkExtent2D offscreenSize);

    VkExtent2D extent() const;
    // A new size: the window is asked to change (the swapchain follows), or the next offscreen frame has it.
    void resize(VkExtent2D size);
    // Recreate the swapchain before the next frame (its vsync setting changed).
    void recreateSwapchain() { needSwapchain_ = true; }
    // Whether a screenshot can be read back (a window whose images are not transfer sources cannot).
    bool canReadColor() const;
    // Swapchains rebuilt so far (window resized, vsync changed): a rebuild waits for the frames in
    // flight, which is not a stall of the frame loop.
    uint32_t swapchainRebuilds() const { return swapchainRebuilds_; }

    // Readies the next frame: keeps the swapchain matching the window (with `vsync`), moves to the
    // next frame slot and acquires an image. False when there is nothing to draw into this time
    // (minimised, out of date): skip the frame.
    bool begin(bool vsync);
    // After begin() and the frame's ImGui windows: records the scene, the depth copy, the panels and
    // the screenshot copy, submits, presents, and waits for the readbacks when there are any.
    DrawnFrame draw(const render::FrameInput& input, FrameReadbacks readbacks);

private:
    void prepareImages(const FrameReadbacks& readbacks);
    render::RenderTarget target(const FrameReadbacks& readbacks) const;
    uint64_t submitAndPresent();  // returns the timeline value of the submission

    Session& session_;
    gpu::FrameSlots slots_;
    gpu::ImageReadback readback_;
    VkExtent2D offscreenExtent_{};
    gpu::Image offscreen_;
    gpu::Image depthCopy_;
    bool needSwapchain_ = false;
    uint32_t swapchainRebuilds_ = 0;

    // The frame begun: its image (swapchain or offscreen) and which swapchain image.
    VkImage image_ = VK_NULL_HANDLE;
    VkImageView imageView_ = VK_NULL_HANDLE;
    uint32_t imageIndex_ = 0;
};

}  // namespace vt::viewer
