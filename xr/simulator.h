#pragma once
// The test simulator: what a headset and a visitor would give the app, played deterministically by
// frame number so that captures and event logs are the same on every machine.
//
//   ScriptedHeadAndHands  a head path (a slow look left and right) with the runtime's eyes, and
//                         controller sequences: Interact (teleport, snap turn, grab, recentre, point
//                         and select) or Tour (the tour's controls by buttons and by the tour panel).
//   EyeCapture            both eyes of one frame as PNGs, the first settled one from a given frame;
//                         while it waits the scene holds still (the scripted head, the narration).
//
// Both sit behind the interfaces the production frame uses (HeadAndHands, FrameTap); the app picks
// them at startup from --head-path, --input-script and --capture-frame.

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "gpu/image_readback.h"
#include "xr/frame_tap.h"
#include "xr/head_and_hands.h"
#include "xr/panels.h"
#include "xr/xr_app.h"

namespace vt::xr {

class ScriptedHeadAndHands : public HeadAndHands {
public:
    // `tracked` gives the eyes relative to the head, the input's liveness and what is not scripted
    // (the head unless `scriptedHead`, the hands when `script` is None). `panels` may be null.
    ScriptedHeadAndHands(std::unique_ptr<TrackedHeadAndHands> tracked, bool scriptedHead, InputScript script,
                         float standingEyeHeight, const gallery::ExhibitScene& scene, const Panels* panels)
        : tracked_(std::move(tracked)), scriptedHead_(scriptedHead), script_(script),
          standingEyeHeight_(standingEyeHeight), scene_(scene), panels_(panels) {}

    AliveOr<HeadAndEyes> locate(XrTime time, bool holdStill) override;
    AliveOr<std::array<HandState, 2>> hands(XrTime time, bool focused, const Pose& head, const Rig& rig) override;

private:
    Pose scriptedHead() const;
    std::array<HandState, 2> interactHands(const Pose& head, const Rig& rig);
    std::array<HandState, 2> tourHands(const Pose& head, const Rig& rig);

    std::unique_ptr<TrackedHeadAndHands> tracked_;
    bool scriptedHead_;
    InputScript script_;
    float standingEyeHeight_;
    const gallery::ExhibitScene& scene_;
    const Panels* panels_;
    uint64_t headFrame_ = 0;          // position on the head path
    uint64_t inputFrame_ = 0;         // position in the controller sequence
    glm::vec3 grabCentre_{0.0f};
    size_t tourStep_ = 0;             // the tour controls: the next step, and the frame it is due
    uint64_t tourDue_ = 20;
};

class EyeCapture : public FrameTap {
public:
    // Captures the first frame from `frame` on whose scene has settled (or the frame kMaxWaitFrames
    // later) into `dir`/left.png and right.png.
    EyeCapture(gpu::Context& context, const gallery::ExhibitScene& scene, uint64_t frame, std::string dir)
        : scene_(scene), frame_(frame), dir_(std::move(dir)), readback_(context, "xr capture") {}

    bool holding(uint64_t framesSubmitted) const override;
    void record(VkCommandBuffer commands, const render::RenderTarget& target, uint64_t framesSubmitted) override;
    void submitted(uint64_t timelineValue) override;
    void afterFrame(bool final) override;
    bool done() const override { return finished_; }
    bool failed() const override { return failed_; }

private:
    void write(const gpu::ReadbackResult& eyes);

    const gallery::ExhibitScene& scene_;
    uint64_t frame_;
    std::string dir_;
    gpu::ImageReadback readback_;
    bool submitted_ = false;  // the copy's submission is on its way
    bool finished_ = false;   // written, or failed to
    bool failed_ = false;
    uint64_t capturedFrame_ = 0;
};

}  // namespace vt::xr
