#pragma once
// The XR frame's command buffers and the eye readback, in one place.
//
// TODO: these are stand-ins for the shared frame engine (gpu::FrameSlots and gpu::ImageReadback,
// branch viewer-split, "gpu: frame slots and image readback"); once that commit is on this branch,
// use those and delete this file.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gpu/context.h"
#include "gpu/resources.h"

namespace vt::xr {

// Frames in flight, each with its command buffer and the timeline value of its last submission.
class CommandSlots {
public:
    static constexpr uint32_t kSlots = 2;  // frames the CPU may record ahead of the GPU

    CommandSlots(gpu::Context& context, std::string_view name);

    // The next slot's command buffer, begun (one-time submit), after waiting for its previous
    // submission and destroying the objects the GPU has finished with.
    VkCommandBuffer begin();
    // Ends and submits the command buffer begin() returned; returns the value the submission signals.
    uint64_t submit();

private:
    gpu::Context& context_;
    gpu::Owned<VkCommandPool, VK_OBJECT_TYPE_COMMAND_POOL> pool_;
    std::array<VkCommandBuffer, kSlots> buffers_{};
    std::array<uint64_t, kSlots> values_{};
    uint64_t next_ = 0;     // slots begun
    uint32_t current_ = 0;  // the slot begin() returned
};

// The layers of an RGBA8 colour image copied into host memory, taken once the GPU has done the copy.
class LayerReadback {
public:
    // Records the copy of `layers` layers of `image` (`extent` each), which is in
    // COLOR_ATTACHMENT_OPTIMAL after colour writes and is left so.
    void record(gpu::Context& context, VkCommandBuffer commands, VkImage image, VkExtent2D extent, uint32_t layers);
    // The submission that carried the copy signals `timelineValue`.
    void submitted(uint64_t timelineValue) { value_ = timelineValue; }
    bool pending() const { return bool(buffer_); }
    bool ready(const gpu::Context& context) const { return pending() && context.completedValue() >= value_; }
    // Waits for the copy; one RGBA8 image (width * height * 4 bytes) per layer. Empties the readback.
    std::vector<std::vector<uint8_t>> take(const gpu::Context& context);

private:
    gpu::Buffer buffer_;
    VkDeviceSize layerBytes_ = 0;
    uint32_t layers_ = 0;
    uint64_t value_ = 0;
};

}  // namespace vt::xr
