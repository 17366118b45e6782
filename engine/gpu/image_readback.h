#pragma once
// Reading a frame's pixels back to the CPU: screenshots, captures, golden tests, picking by depth.
//
// Copies are recorded into a command buffer the caller submits (a FrameSlots frame, usually), and
// the bytes are taken once the GPU has completed that submission:
//
//   gpu::ImageReadback readback(context, "screenshot");
//   readback.recordColor(slot.commands, {image, format, extent});      // and/or recordDepth(...)
//   readback.submitted(slots.submit(waits, signals));
//   later, without waiting:  if (auto pixels = readback.take()) use pixels->layers[0];
//   or at once, waiting:     gpu::ReadbackResult pixels = readback.wait();
//
// Every colour layer comes back as one RGBA8 image (rows top to bottom, the layout of asset::Image):
// a BGRA image (a swapchain's usual format) is swizzled to RGBA; colour values are the image's own
// bytes (sRGB-encoded for an _SRGB format). One readback holds one frame's copies at a time: take
// them (take() or wait()) before recording the next. Its host buffers are kept and reused while the
// size fits. Move-only; the Context must outlive it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vulkan/vulkan.h>

#include "gpu/resources.h"

namespace vt::gpu {

// One layer of a colour image: width * height * 4 bytes, RGBA, rows top to bottom.
struct ReadbackImage {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> rgba;
};

enum class ReadbackAlpha {
    Keep,    // the image's alpha as drawn (headless renders, goldens)
    Opaque,  // every alpha byte 255: what a window or a headset shows (screenshots, captures)
};

// What recordColor copies, and the layouts around the copy.
struct ColorCopy {
    VkImage image = VK_NULL_HANDLE;
    // R8G8B8A8 or B8G8R8A8, UNORM or SRGB (anything else is a contract violation).
    VkFormat format = VK_FORMAT_R8G8B8A8_SRGB;
    VkExtent2D extent{};
    uint32_t baseLayer = 0;
    uint32_t layerCount = 1;  // 2 for a stereo (multiview) image: one ReadbackImage per layer
    // The image's layout when the copy is recorded:
    //   TRANSFER_SRC_OPTIMAL: copied as it is (the caller made its writes visible to copies, as the
    //                         renderer does for RenderTarget::finalLayout = TRANSFER_SRC_OPTIMAL);
    //   COLOR_ATTACHMENT_OPTIMAL: after colour attachment writes (the panels, an XR frame).
    VkImageLayout layout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    // The layout it is left in: TRANSFER_SRC_OPTIMAL, COLOR_ATTACHMENT_OPTIMAL (later attachment
    // writes wait for the copy) or PRESENT_SRC_KHR (the present's semaphore orders it).
    VkImageLayout finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    ReadbackAlpha alpha = ReadbackAlpha::Keep;
};

// One frame's copies, as bytes the CPU owns.
struct ReadbackResult {
    std::vector<ReadbackImage> layers;  // one per colour layer copied, in layer order (empty without recordColor)
    std::vector<float> depth;           // depthExtent.width * height values, row 0 first (empty without recordDepth)
    VkExtent2D depthExtent{};
};

class ImageReadback {
public:
    ImageReadback() = default;
    ImageReadback(Context& context, std::string_view name);
    ImageReadback(ImageReadback&&) noexcept = default;
    ImageReadback& operator=(ImageReadback&&) noexcept = default;

    // Records the copy of `copy.layerCount` layers (with the layout transitions it asks for), then
    // makes it visible to host reads once the command buffer has completed.
    void recordColor(VkCommandBuffer commands, const ColorCopy& copy);
    // Records the copy of a 1-sample VK_FORMAT_D32_SFLOAT image in TRANSFER_SRC_OPTIMAL, with its
    // writes visible to copies (the renderer's RenderTarget::depthCopy leaves it so).
    void recordDepth(VkCommandBuffer commands, VkImage depth, VkExtent2D extent);

    // The timeline value of the submission that holds the recorded copies (FrameSlots::submit).
    void submitted(uint64_t timelineValue);

    bool recorded() const { return state_ != State::Idle; }  // copies recorded and not yet taken
    bool ready() const;  // submitted and completed by the GPU: take() will succeed (never waits)
    // The copies' bytes if ready(), else nothing; after that the readback is free for the next copies.
    std::optional<ReadbackResult> take();
    // Waits for the submission, then takes the bytes. Requires submitted().
    ReadbackResult wait();

private:
    enum class State { Idle, Recorded, Submitted };
    void startRecording();
    ReadbackResult collect();

    Context* context_ = nullptr;
    std::string name_;
    State state_ = State::Idle;
    uint64_t value_ = 0;
    Buffer colorBuffer_;
    Buffer depthBuffer_;
    ColorCopy color_;  // what was recorded (layerCount 0: no colour this time)
    VkExtent2D depthExtent_{};  // 0 x 0: no depth this time
};

}  // namespace vt::gpu
