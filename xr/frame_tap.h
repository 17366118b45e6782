#pragma once
// What sees the frames besides the headset. In a headset nothing does: FrameTap itself, whose hooks do
// nothing. For tests, EyeCapture (xr/simulator.h) holds the scene still until it has settled and
// writes both eyes of one frame as PNGs. The frame loop calls the hooks on every frame, either way.

#include <cstdint>

#include <vulkan/vulkan.h>

#include "render/renderer.h"

namespace vt::xr {

class FrameTap {
public:
    virtual ~FrameTap() = default;
    // True while the scene should hold still (a scripted head, the narration), given the frames
    // submitted so far.
    virtual bool holding(uint64_t /*framesSubmitted*/) const { return false; }
    // After the renderer recorded into `target` (both layers, left in COLOR_ATTACHMENT_OPTIMAL): may
    // record commands that read it, and must leave it as it found it.
    virtual void record(VkCommandBuffer /*commands*/, const render::RenderTarget& /*target*/,
                        uint64_t /*framesSubmitted*/) {}
    // The submission that carried those commands signals `timelineValue`.
    virtual void submitted(uint64_t /*timelineValue*/) {}
    // After each frame, and once more with `final` at the end (the GPU idle): finishes what the GPU
    // has completed.
    virtual void afterFrame(bool /*final*/) {}
    // The app may end: what was asked for is done.
    virtual bool done() const { return true; }
    virtual bool failed() const { return false; }
};

}  // namespace vt::xr
