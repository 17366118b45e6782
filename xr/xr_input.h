#pragma once
// Controller input through the OpenXR action system: one action set ("gallery") with suggested
// bindings for the Khronos simple controller, Oculus Touch, Valve Index, HTC Vive and, when the
// runtime offers XR_EXT_hand_interaction, tracked hands. The app reads a HandState per hand per frame
// and never looks at device paths.

#include <array>
#include <initializer_list>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "core/result.h"
#include "xr/logic/xr_math.h"
#include "xr/openxr_include.h"

namespace vt::xr {

struct HandState {
    bool active = false;     // some device drives this hand
    bool aimValid = false;   // aim pose tracked
    bool gripValid = false;  // grip pose tracked
    Pose aim;                // in the app's tracking space: ray from the pointer, -Z forward
    Pose grip;               // in the app's tracking space: the palm
    bool select = false;     // trigger / select / pinch held
    float squeeze = 0.0f;    // grab, 0..1
    glm::vec2 stick{0.0f};   // thumbstick or trackpad: y forward = teleport aim, x = snap turn
    bool teleport = false;   // a separate teleport button (simple controller's menu, Vive trackpad click)
    bool menu = false;       // switch language
    bool recentre = false;   // recentre and calibrate the eye height
    bool tourPrevious = false;  // guided tour: the previous stop
    bool tourPause = false;     // guided tour: pause / resume the narration
};

class Input {
public:
    // Creates the action set and suggests bindings on `instance`. Profiles the runtime rejects are
    // logged and skipped, never fatal.
    static Result<std::unique_ptr<Input>> create(XrInstance instance, bool handInteraction);
    ~Input();

    // Attaches the action set and creates the pose spaces; call once after xrCreateSession.
    Result<void> attach(XrSession session);
    // Reads this frame's state (only when focused: unfocused sessions get inactive input).
    // Returns false when the runtime or session is lost.
    bool sync(XrSession session, XrSpace appSpace, XrTime time, bool focused, std::array<HandState, 2>& hands);
    // Destroys the spaces (before the session goes).
    void detach();

    const std::vector<std::string>& profiles() const { return profiles_; }  // accepted binding sets
    // The interaction profile the runtime bound to each hand (left, right; "none" when it bound none),
    // e.g. after XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED: which of the suggested sets is in use.
    std::array<std::string, 2> currentProfiles(XrSession session) const;

private:
    struct Binding {
        XrAction action;
        const char* suffix;  // appended to /user/hand/{left,right}
    };
    Result<void> createActions();
    // Suggests `both` on each hand and `single` as given for `profile`; a rejected profile is logged.
    void suggest(const char* profile, std::initializer_list<Binding> both,
                 std::initializer_list<std::pair<XrAction, const char*>> single);
    void suggestBindings(bool handInteraction);

    XrInstance instance_ = XR_NULL_HANDLE;
    XrActionSet set_ = XR_NULL_HANDLE;
    XrAction aim_ = XR_NULL_HANDLE, grip_ = XR_NULL_HANDLE, select_ = XR_NULL_HANDLE, squeeze_ = XR_NULL_HANDLE,
             stick_ = XR_NULL_HANDLE, teleport_ = XR_NULL_HANDLE, menu_ = XR_NULL_HANDLE, recentre_ = XR_NULL_HANDLE,
             tourPrevious_ = XR_NULL_HANDLE, tourPause_ = XR_NULL_HANDLE;
    std::array<XrPath, 2> hands_{};
    std::array<XrSpace, 2> aimSpaces_{};
    std::array<XrSpace, 2> gripSpaces_{};
    std::vector<std::string> profiles_;
};

}  // namespace vt::xr
