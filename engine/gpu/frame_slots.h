#pragma once
// Frames in flight: N slots, each with its own command pool and command buffer, a binary semaphore
// for a swapchain acquire, and the timeline value its last submission signals.
//
//   gpu::FrameSlots slots(context, gpu::FrameSlots::kWindowed, "viewer frame");
//   every frame:
//       const gpu::FrameSlots::Slot& slot = slots.begin();  // waits for this slot's last frame only
//       acquire an image signalling slot.acquired; record into slot.commands
//       const uint64_t value = slots.submit(waits, signals);  // the timeline value of this frame
//
// Frame pacing: begin() waits for the submission the slot made N frames ago, never for the frame
// just submitted, so with two slots the CPU records frame n+1 while the GPU draws frame n.
//
// Owns its pools and semaphores: the destructor waits for every slot's submission, destroys them and
// collects what the GPU has finished with, so dropping a FrameSlots is the whole teardown. The
// Context must outlive it.

#include <cstdint>
#include <string_view>
#include <vector>

#include <vulkan/vulkan.h>

#include "gpu/context.h"

namespace vt::gpu {

class FrameSlots {
public:
    static constexpr uint32_t kOffscreen = 1;  // one frame at a time: an offscreen loop, a one-off render
    static constexpr uint32_t kWindowed = 2;   // two frames in flight: a swapchain or an XR runtime

    struct Slot {
        VkCommandBuffer commands = VK_NULL_HANDLE;  // recording after begin(), submitted by submit()
        VkSemaphore acquired = VK_NULL_HANDLE;      // binary: give it to vkAcquireNextImageKHR, wait on it in submit()
        uint64_t submitted = 0;                     // timeline value of the slot's last submission (0: none yet)
        VkCommandPool pool = VK_NULL_HANDLE;        // the slot's own pool, reset by begin()
        uint32_t index = 0;                         // which slot (0..count-1)
    };

    // `count` slots (kOffscreen or kWindowed; any count >= 1 works); `name` labels them for validation.
    FrameSlots(Context& context, uint32_t count, std::string_view name);
    ~FrameSlots();
    FrameSlots(const FrameSlots&) = delete;
    FrameSlots& operator=(const FrameSlots&) = delete;

    // Moves to the next slot and makes it ready to record: waits until the GPU has finished that
    // slot's previous submission, destroys what the GPU has finished with (Context::collectRetired),
    // resets the slot's pool and begins its command buffer (one-time submit). A slot that was begun
    // and never submitted (the frame was dropped, e.g. an out-of-date swapchain) is simply begun
    // again when its turn comes; its `acquired` semaphore must then be unsignalled.
    const Slot& begin();

    // Ends the current slot's command buffer and submits it through Context::submit, which adds the
    // timeline signal to `signals`. Returns the timeline value the submission signals (also kept as
    // the slot's `submitted`): hand it to an ImageReadback, or wait for it with Context::waitFor.
    uint64_t submit(const std::vector<VkSemaphoreSubmitInfo>& waits = {},
                    const std::vector<VkSemaphoreSubmitInfo>& signals = {});

    // The slot begin() returned last.
    const Slot& current() const { return slots_[current_]; }
    uint32_t count() const { return static_cast<uint32_t>(slots_.size()); }

private:
    Context& context_;
    std::vector<Slot> slots_;
    uint32_t current_ = 0;
    bool recording_ = false;
};

// A binary semaphore to wait on or signal in FrameSlots::submit (or Context::submit) at `stage`.
VkSemaphoreSubmitInfo semaphoreSubmit(VkSemaphore semaphore, VkPipelineStageFlags2 stage);

}  // namespace vt::gpu
