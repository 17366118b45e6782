#pragma once
// Where the visitor's head, eyes and hands are this frame: the one interface the frame loop reads.
// In a headset, TrackedHeadAndHands asks the runtime (xrLocateViews, xrLocateSpace, the action system).
// For tests, ScriptedHeadAndHands (xr/simulator.h) plays a fixed head path and controller sequences
// by frame number behind the same interface. The app chooses one at startup; the frame never asks which.

#include <array>

#include "xr/logic/locomotion.h"
#include "xr/logic/xr_math.h"
#include "xr/openxr_include.h"
#include "xr/xr_input.h"

namespace vt::xr {

// The head and the eyes in the app's tracking space, with each eye's field of view.
struct HeadAndEyes {
    bool tracked = false;  // false: the runtime is not tracking the head (submit no layers this frame)
    Pose head;
    std::array<Pose, kViewCount> eyes;
    std::array<XrFovf, kViewCount> fovs{};
};

class HeadAndHands {
public:
    virtual ~HeadAndHands() = default;
    // The head and eyes at `time` (the frame's predicted display time). `holdStill`: a scripted head
    // stays where it is (a capture waits for the scene to settle); the tracked head ignores it.
    virtual AliveOr<HeadAndEyes> locate(XrTime time, bool holdStill) = 0;
    // Both hands (left, right) at `time`, in the tracking space; inactive unless the session has input
    // focus. `head` and `rig` (where the tracking space stands in the gallery) place scripted hands.
    virtual AliveOr<std::array<HandState, 2>> hands(XrTime time, bool focused, const Pose& head, const Rig& rig) = 0;
};

// The runtime's head and eyes, and the controllers through xr::Input. Holds handles only: the
// session, its spaces and `input` outlive it.
class TrackedHeadAndHands : public HeadAndHands {
public:
    TrackedHeadAndHands(XrInstance instance, XrSession session, XrSpace appSpace, XrSpace viewSpace, Input& input)
        : instance_(instance), session_(session), appSpace_(appSpace), viewSpace_(viewSpace), input_(input) {}

    AliveOr<HeadAndEyes> locate(XrTime time, bool holdStill) override;
    AliveOr<std::array<HandState, 2>> hands(XrTime time, bool focused, const Pose& head, const Rig& rig) override;

    // The eyes relative to the head (the view space), no head: for a scripted head that carries them.
    AliveOr<HeadAndEyes> locateEyesInHead(XrTime time) const { return locateViews(time, viewSpace_); }

private:
    AliveOr<HeadAndEyes> locateViews(XrTime time, XrSpace space) const;

    XrInstance instance_;
    XrSession session_;
    XrSpace appSpace_;
    XrSpace viewSpace_;
    Input& input_;
};

}  // namespace vt::xr
