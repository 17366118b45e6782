#include "xr/xr_input.h"

#include <cstring>
#include <utility>

#include "core/log.h"

namespace vt::xr {

namespace {

XrPath path(XrInstance instance, const std::string& text) {
    XrPath result = XR_NULL_PATH;
    XR_CHECK(instance, xrStringToPath(instance, text.c_str(), &result));
    return result;
}

}  // namespace

Result<std::unique_ptr<Input>> Input::create(XrInstance instance, bool handInteraction) {
    auto input = std::make_unique<Input>();
    input->instance_ = instance;
    XrActionSetCreateInfo setInfo{XR_TYPE_ACTION_SET_CREATE_INFO};
    std::strcpy(setInfo.actionSetName, "gallery");
    std::strcpy(setInfo.localizedActionSetName, "Gallery");
    if (XrResult r = xrCreateActionSet(instance, &setInfo, &input->set_); XR_FAILED(r))
        return fail("xrCreateActionSet failed: {}", resultName(instance, r));
    input->hands_ = {path(instance, "/user/hand/left"), path(instance, "/user/hand/right")};
    if (auto ok = input->createActions(); !ok) return std::unexpected(ok.error());
    input->suggestBindings(handInteraction);
    return input;
}

Result<void> Input::createActions() {
    auto action = [&](XrAction& out, XrActionType type, const char* name, const char* localized) -> Result<void> {
        XrActionCreateInfo info{XR_TYPE_ACTION_CREATE_INFO};
        info.actionType = type;
        std::strcpy(info.actionName, name);
        std::strcpy(info.localizedActionName, localized);
        info.countSubactionPaths = 2;
        info.subactionPaths = hands_.data();
        if (XrResult r = xrCreateAction(set_, &info, &out); XR_FAILED(r))
            return fail("xrCreateAction({}) failed: {}", name, resultName(instance_, r));
        return {};
    };
    for (auto made : {action(aim_, XR_ACTION_TYPE_POSE_INPUT, "aim", "Point"),
                      action(grip_, XR_ACTION_TYPE_POSE_INPUT, "grip", "Hand"),
                      action(select_, XR_ACTION_TYPE_BOOLEAN_INPUT, "select", "Select"),
                      action(squeeze_, XR_ACTION_TYPE_FLOAT_INPUT, "grab", "Grab"),
                      action(stick_, XR_ACTION_TYPE_VECTOR2F_INPUT, "move", "Teleport and turn"),
                      action(teleport_, XR_ACTION_TYPE_BOOLEAN_INPUT, "teleport", "Teleport"),
                      action(menu_, XR_ACTION_TYPE_BOOLEAN_INPUT, "language", "Switch language"),
                      action(recentre_, XR_ACTION_TYPE_BOOLEAN_INPUT, "recentre", "Recentre"),
                      action(tourPrevious_, XR_ACTION_TYPE_BOOLEAN_INPUT, "tour_previous", "Previous tour stop"),
                      action(tourPause_, XR_ACTION_TYPE_BOOLEAN_INPUT, "tour_pause", "Pause or resume the tour")})
        if (!made) return std::unexpected(made.error());
    return {};
}

void Input::suggest(const char* profile, std::initializer_list<Binding> both,
                    std::initializer_list<std::pair<XrAction, const char*>> single) {
    std::vector<XrActionSuggestedBinding> bindings;
    for (const Binding& b : both)
        for (const char* hand : {"/user/hand/left", "/user/hand/right"})
            bindings.push_back({b.action, path(instance_, std::string(hand) + b.suffix)});
    for (const auto& [a, full] : single) bindings.push_back({a, path(instance_, full)});
    XrInteractionProfileSuggestedBinding suggested{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    suggested.interactionProfile = path(instance_, profile);
    suggested.countSuggestedBindings = static_cast<uint32_t>(bindings.size());
    suggested.suggestedBindings = bindings.data();
    if (XrResult r = xrSuggestInteractionProfileBindings(instance_, &suggested); XR_FAILED(r)) {
        log::warn("xr: bindings for {} rejected: {}", profile, resultName(instance_, r));
        return;
    }
    profiles_.push_back(profile);
}

void Input::suggestBindings(bool handInteraction) {
    // The tour's previous stop and pause / resume go on the right hand's two face buttons where a
    // controller has them free (Touch, Index: the left hand's switch language and recentre). The
    // simple controller, the Vive wand and hands have no button left: the tour panel's thirds
    // (previous, pause / resume, next) serve there, and on every controller.
    suggest("/interaction_profiles/khr/simple_controller",
            {{aim_, "/input/aim/pose"}, {grip_, "/input/grip/pose"}, {select_, "/input/select/click"},
             {teleport_, "/input/menu/click"}},
            {});
    suggest("/interaction_profiles/oculus/touch_controller",
            {{aim_, "/input/aim/pose"}, {grip_, "/input/grip/pose"}, {select_, "/input/trigger/value"},
             {squeeze_, "/input/squeeze/value"}, {stick_, "/input/thumbstick"}},
            {{menu_, "/user/hand/left/input/x/click"}, {recentre_, "/user/hand/left/input/y/click"},
             {tourPrevious_, "/user/hand/right/input/b/click"}, {tourPause_, "/user/hand/right/input/a/click"}});
    suggest("/interaction_profiles/valve/index_controller",
            {{aim_, "/input/aim/pose"}, {grip_, "/input/grip/pose"}, {select_, "/input/trigger/click"},
             {squeeze_, "/input/squeeze/value"}, {stick_, "/input/thumbstick"}},
            {{menu_, "/user/hand/left/input/b/click"}, {recentre_, "/user/hand/left/input/a/click"},
             {tourPrevious_, "/user/hand/right/input/b/click"}, {tourPause_, "/user/hand/right/input/a/click"}});
    suggest("/interaction_profiles/htc/vive_controller",
            {{aim_, "/input/aim/pose"}, {grip_, "/input/grip/pose"}, {select_, "/input/trigger/click"},
             {squeeze_, "/input/squeeze/click"}, {stick_, "/input/trackpad"},
             {teleport_, "/input/trackpad/click"}},
            {{menu_, "/user/hand/left/input/menu/click"}, {recentre_, "/user/hand/right/input/menu/click"}});
    if (handInteraction)
        suggest("/interaction_profiles/ext/hand_interaction_ext",
                {{aim_, "/input/aim/pose"}, {grip_, "/input/grip/pose"}, {select_, "/input/aim_activate_ext/value"},
                 {squeeze_, "/input/grasp_ext/value"}},
                {});
}

Input::~Input() {
    detach();
    if (set_) xrDestroyActionSet(set_);  // destroys its actions too
}

Result<void> Input::attach(XrSession session) {
    XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
    attach.countActionSets = 1;
    attach.actionSets = &set_;
    if (XrResult r = xrAttachSessionActionSets(session, &attach); XR_FAILED(r))
        return fail("xrAttachSessionActionSets failed: {}", resultName(instance_, r));
    for (int hand = 0; hand < 2; ++hand) {
        XrActionSpaceCreateInfo info{XR_TYPE_ACTION_SPACE_CREATE_INFO};
        info.subactionPath = hands_[hand];
        info.poseInActionSpace.orientation.w = 1.0f;
        info.action = aim_;
        if (XrResult r = xrCreateActionSpace(session, &info, &aimSpaces_[hand]); XR_FAILED(r))
            return fail("xrCreateActionSpace failed: {}", resultName(instance_, r));
        info.action = grip_;
        if (XrResult r = xrCreateActionSpace(session, &info, &gripSpaces_[hand]); XR_FAILED(r))
            return fail("xrCreateActionSpace failed: {}", resultName(instance_, r));
    }
    return {};
}

void Input::detach() {
    for (XrSpace& space : aimSpaces_)
        if (space) xrDestroySpace(std::exchange(space, XR_NULL_HANDLE));
    for (XrSpace& space : gripSpaces_)
        if (space) xrDestroySpace(std::exchange(space, XR_NULL_HANDLE));
}

std::array<std::string, 2> Input::currentProfiles(XrSession session) const {
    std::array<std::string, 2> names{"none", "none"};
    for (int hand = 0; hand < 2; ++hand) {
        XrInteractionProfileState state{XR_TYPE_INTERACTION_PROFILE_STATE};
        if (XR_FAILED(xrGetCurrentInteractionProfile(session, hands_[hand], &state)) ||
            state.interactionProfile == XR_NULL_PATH)
            continue;
        char text[XR_MAX_PATH_LENGTH];
        uint32_t length = 0;
        if (XR_SUCCEEDED(xrPathToString(instance_, state.interactionProfile, sizeof(text), &length, text))) names[hand] = text;
    }
    return names;
}

bool Input::sync(XrSession session, XrSpace appSpace, XrTime time, bool focused, std::array<HandState, 2>& hands) {
    hands = {};
    if (!focused) return true;
    const XrActiveActionSet active{set_, XR_NULL_PATH};
    XrActionsSyncInfo syncInfo{XR_TYPE_ACTIONS_SYNC_INFO};
    syncInfo.countActiveActionSets = 1;
    syncInfo.activeActionSets = &active;
    XrResult r = xrSyncActions(session, &syncInfo);
    if (isLoss(r)) return false;
    if (r != XR_SUCCESS) return true;  // XR_SESSION_NOT_FOCUSED: nothing to read
    for (int hand = 0; hand < 2; ++hand) {
        HandState& state = hands[hand];
        XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
        get.subactionPath = hands_[hand];
        XrActionStateBoolean boolean{XR_TYPE_ACTION_STATE_BOOLEAN};
        XrActionStateFloat value{XR_TYPE_ACTION_STATE_FLOAT};
        XrActionStateVector2f vector{XR_TYPE_ACTION_STATE_VECTOR2F};
        get.action = select_;
        if (XR_SUCCEEDED(xrGetActionStateBoolean(session, &get, &boolean))) {
            state.select = boolean.isActive && boolean.currentState;
            state.active |= bool(boolean.isActive);
        }
        // A button: pressed only while its action is active for this hand.
        const auto pressed = [&](XrAction action) {
            get.action = action;
            return XR_SUCCEEDED(xrGetActionStateBoolean(session, &get, &boolean)) && boolean.isActive && boolean.currentState;
        };
        state.teleport = pressed(teleport_);
        state.menu = pressed(menu_);
        state.recentre = pressed(recentre_);
        state.tourPrevious = pressed(tourPrevious_);
        state.tourPause = pressed(tourPause_);
        get.action = squeeze_;
        if (XR_SUCCEEDED(xrGetActionStateFloat(session, &get, &value)) && value.isActive)
            state.squeeze = value.currentState;
        get.action = stick_;
        if (XR_SUCCEEDED(xrGetActionStateVector2f(session, &get, &vector)) && vector.isActive)
            state.stick = {vector.currentState.x, vector.currentState.y};
        XrSpaceLocation location{XR_TYPE_SPACE_LOCATION};
        constexpr XrSpaceLocationFlags kTracked =
            XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT;
        if (XR_SUCCEEDED(xrLocateSpace(aimSpaces_[hand], appSpace, time, &location)) &&
            (location.locationFlags & kTracked) == kTracked) {
            state.aimValid = true;
            state.aim = toPose(location.pose);
        }
        if (XR_SUCCEEDED(xrLocateSpace(gripSpaces_[hand], appSpace, time, &location)) &&
            (location.locationFlags & kTracked) == kTracked) {
            state.gripValid = true;
            state.grip = toPose(location.pose);
        }
        state.active |= state.aimValid || state.gripValid;
    }
    return true;
}

}  // namespace vt::xr
