#pragma once
// The OpenXR program: the instance (with XR_KHR_vulkan_enable2 and, when offered, the depth layer and
// hand interaction extensions), the head-mounted system and its stereo views and blend mode, the
// session with its reference spaces, the event queue and the session's lifecycle (xr::SessionMachine:
// begin, end, exit, loss). What the app does when the session changes under it comes through a
// Listener, so this file knows nothing of the scene, the narration or the frame.
//
// Lifetime: create() makes the instance; createSession() the session (after the Vulkan device made
// through the runtime, xr/vulkan_binding.h). destroySession() goes before that device; the instance
// goes with this object, after the device.

#include <array>
#include <memory>
#include <string>

#include "core/result.h"
#include "xr/logic/session_machine.h"
#include "xr/openxr_include.h"
#include "xr/xr_app.h"

namespace vt::gpu {
class Context;
}

namespace vt::xr {

class OpenXrProgram {
public:
    // What the app does when the session changes under it; called from pollEvents() and lost().
    class Listener {
    public:
        virtual ~Listener() = default;
        // The session's state changed (the machine has it), before its action (begin, end) is taken.
        virtual void onStateChanged() = 0;
        // xrEndSession comes next: nothing of the app's may still be on the GPU queue after this.
        virtual void beforeEndSession() = 0;
        // The runtime moved the tracking space (the visitor recentred through it).
        virtual void onRecentre() = 0;
        virtual void onInteractionProfileChanged() = 0;
    };

    // The instance, or no runtime (an error value: the app exits with 2).
    static Result<std::unique_ptr<OpenXrProgram>> create(Listener& listener);
    ~OpenXrProgram();
    OpenXrProgram(const OpenXrProgram&) = delete;
    OpenXrProgram& operator=(const OpenXrProgram&) = delete;

    // The head-mounted display: its stereo views and the blend mode for `mode` (see-through for AR
    // when offered). An error when there is none.
    Result<void> chooseSystem(Mode mode);
    // The session on `context`'s queue and the reference spaces: STAGE when the runtime has it and the
    // visitor stands, else LOCAL (the rig calibrates the eye height).
    Result<void> createSession(const gpu::Context& context, bool seated);
    // Destroys the spaces and the session (results ignored: after a loss there is nothing left to do).
    void destroySession();

    // Drains the event queue: state changes (through the machine), instance loss, recentring,
    // interaction profile changes.
    void pollEvents();
    // Our own exit (the frame budget reached): through xrRequestExitSession while running.
    void requestExit(std::string reason);
    // A call found the runtime or session gone: says so and ends the session's loop.
    void lost(const RuntimeLoss& loss);

    XrInstance instance() const { return instance_; }
    XrSystemId system() const { return system_; }
    XrSession session() const { return session_; }
    XrSpace appSpace() const { return appSpace_; }    // the tracking space (STAGE or LOCAL)
    XrSpace viewSpace() const { return viewSpace_; }  // the head
    bool stageSpace() const { return stageSpace_; }
    bool depthExtension() const { return depthExtension_; }
    bool handInteraction() const { return handInteraction_; }
    XrEnvironmentBlendMode blendMode() const { return blendMode_; }
    const XrViewConfigurationView& eyeView() const { return configViews_[0]; }

    const SessionMachine& machine() const { return machine_; }
    bool exitRequestedByUs() const { return exitRequestedByUs_; }
    const std::string& exitReason() const { return exitReason_; }
    void setExitReason(std::string reason) { exitReason_ = std::move(reason); }
    bool runtimeLost() const { return runtimeLost_; }

private:
    explicit OpenXrProgram(Listener& listener) : listener_(listener) {}
    Result<void> createInstance();
    void chooseBlendMode(Mode mode);
    void onSessionStateChanged(XrSessionState state);
    void perform(SessionAction action);

    Listener& listener_;
    SessionMachine machine_{false};
    XrInstance instance_ = XR_NULL_HANDLE;
    XrSystemId system_ = XR_NULL_SYSTEM_ID;
    XrSession session_ = XR_NULL_HANDLE;
    XrSpace appSpace_ = XR_NULL_HANDLE;
    XrSpace viewSpace_ = XR_NULL_HANDLE;
    bool stageSpace_ = false;
    bool depthExtension_ = false;
    bool handInteraction_ = false;
    XrEnvironmentBlendMode blendMode_ = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    std::array<XrViewConfigurationView, kViewCount> configViews_{};
    bool exitRequestedByUs_ = false;
    std::string exitReason_ = "session exited";
    bool runtimeLost_ = false;
};

}  // namespace vt::xr
