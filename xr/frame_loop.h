#pragma once
// The XR frame, from xrWaitFrame to xrEndFrame, as a list of steps (hello_xr's RenderFrame):
//
//   locate    the head and eyes at the predicted display time (HeadAndHands)
//   rig       place the tracking space in the gallery (first frame, recentring)
//   input     the hands through the interaction: teleport, turn, grab, point, the tour's controls
//   scene     the streaming cut, lights, the interaction's and the panels' draws for both eyes
//   record    wait for the frame slot, acquire the eye images, record panels and the multiview pass
//   submit    submit, then give the images back to the runtime
//   layers    the projection layer (and the panels' quad layers) to xrEndFrame
//
// The loop is paced by xrWaitFrame and never waits for streaming. It holds references to the app's
// parts (all outlive it) and owns the rig and the frame's command buffers.

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "exhibit/exhibit.h"
#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "gpu/frame_slots.h"
#include "render/renderer.h"
#include "xr/frame_tap.h"
#include "xr/head_and_hands.h"
#include "xr/interaction.h"
#include "xr/logic/locomotion.h"
#include "xr/openxr_program.h"
#include "xr/panels.h"
#include "xr/swapchains.h"

namespace vt::xr {

// What the frame works with; the app owns all of it. `panels` may be null (--panels off).
struct FrameParts {
    OpenXrProgram& program;
    gpu::Context& context;
    render::Renderer& renderer;
    gallery::ExhibitScene& scene;
    const exhibit::Exhibit& exhibit;
    Interaction& interaction;
    Panels* panels = nullptr;
    EyeSwapchains& swapchains;
    HeadAndHands& headAndHands;
    FrameTap& tap;
};

class FrameLoop {
public:
    FrameLoop(const FrameParts& parts, const ComfortSettings& comfort);

    // One frame: xrWaitFrame, xrBeginFrame, render both eyes when the session shows them, xrEndFrame.
    // A lost runtime ends the program's session loop (OpenXrProgram::lost).
    void step();
    // The runtime moved the tracking space: the next frame puts the head back where it was in the world.
    void recentre() { recentrePending_ = true; }

    uint64_t framesSubmitted() const { return framesSubmitted_; }  // frames whose projection layer had both views
    // Frames that waited for the GPU through Context::runNow or waitIdle (an upload or an idle wait):
    // a dropped frame in a headset, so the closing report fails when it is not 0.
    uint64_t framesStalled() const { return framesStalled_; }
    // "xr: cpu ms/frame ...": our time per frame (input, interaction, scene, record), not the runtime's,
    // the GPU's or vkQueueSubmit's.
    void printTimes() const;

private:
    using Clock = std::chrono::steady_clock;

    bool render(const XrFrameState& state, std::array<XrCompositionLayerProjectionView, kViewCount>& out);
    void placeRig(const Pose& head);
    bool input(XrTime time, const Pose& head, float dt);
    render::FrameInput prepareScene(const HeadAndEyes& located, float dt);
    AliveOr<VkCommandBuffer> record(const render::FrameInput& input);
    Alive submit();
    void endFrame(XrTime displayTime, const std::array<XrCompositionLayerProjectionView, kViewCount>* views);
    bool lost(const RuntimeLoss& loss);  // false, after telling the program
    void exclude(Clock::time_point since);  // runtime calls and GPU waits are not our CPU time

    FrameParts parts_;
    const ComfortSettings comfort_;
    gpu::FrameSlots slots_;  // two frames in flight
    Rig rig_;
    bool rigPlaced_ = false;
    bool recentrePending_ = false;
    glm::vec3 lastHeadWorld_{0.0f};  // for recentring
    float lastHeadYaw_ = 0.0f;
    std::array<scene::View, kViewCount> views_;
    std::vector<render::ClusterDraw> frameClusters_;  // the scene's and interaction's, plus the panel quad
    uint64_t framesSubmitted_ = 0;
    uint64_t framesStalled_ = 0;
    XrTime lastDisplayTime_ = 0;

    Clock::time_point cpuStart_;  // this frame's span in our code, less `excluded_`
    double excluded_ = 0.0;
    double cpuSeconds_ = 0.0;     // in our code: input, interaction, scene, record
    double sceneSeconds_ = 0.0;   // of which ExhibitScene::prepareFrame (streaming cut, uploads, lights)
    double recordSeconds_ = 0.0;  // of which Renderer::record
    double submitSeconds_ = 0.0;  // vkQueueSubmit2, not counted as ours (lavapipe renders inside it)
    uint64_t cpuFrames_ = 0;
};

}  // namespace vt::xr
