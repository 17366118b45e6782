#include "xr/head_and_hands.h"

namespace vt::xr {

AliveOr<HeadAndEyes> TrackedHeadAndHands::locateViews(XrTime time, XrSpace space) const {
    XrViewLocateInfo locateInfo{XR_TYPE_VIEW_LOCATE_INFO};
    locateInfo.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    locateInfo.displayTime = time;
    locateInfo.space = space;
    XrViewState viewState{XR_TYPE_VIEW_STATE};
    std::array<XrView, kViewCount> views;
    views.fill({XR_TYPE_VIEW});
    uint32_t count = 0;
    const XrResult r = xrLocateViews(session_, &locateInfo, &viewState, kViewCount, &count, views.data());
    if (isLoss(r)) return std::unexpected(RuntimeLoss{"xrLocateViews", r});
    XR_CHECK_RESULT(instance_, r, "xrLocateViews");
    HeadAndEyes located;
    constexpr XrViewStateFlags kValid = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    located.tracked = (viewState.viewStateFlags & kValid) == kValid;
    for (uint32_t i = 0; i < kViewCount; ++i) {
        located.eyes[i] = toPose(views[i].pose);
        located.fovs[i] = views[i].fov;
    }
    return located;
}

AliveOr<HeadAndEyes> TrackedHeadAndHands::locate(XrTime time, bool /*holdStill*/) {
    auto located = locateViews(time, appSpace_);
    if (!located || !located->tracked) return located;
    XrSpaceLocation location{XR_TYPE_SPACE_LOCATION};
    const XrResult r = xrLocateSpace(viewSpace_, appSpace_, time, &location);
    if (isLoss(r)) return std::unexpected(RuntimeLoss{"xrLocateSpace", r});
    located->head = toPose(location.pose);
    return located;
}

AliveOr<std::array<HandState, 2>> TrackedHeadAndHands::hands(XrTime time, bool focused, const Pose& /*head*/,
                                                             const Rig& /*rig*/) {
    std::array<HandState, 2> hands{};
    if (!input_.sync(session_, appSpace_, time, focused, hands))
        return std::unexpected(RuntimeLoss{"xrSyncActions", XR_ERROR_SESSION_LOST});
    return hands;
}

}  // namespace vt::xr
