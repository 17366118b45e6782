#pragma once
// The OpenXR session lifecycle as a pure state machine (no OpenXR calls), so every transition the
// spec describes can be tested on the CPU. The app feeds it what the runtime reports and performs
// the action it returns (hello_xr's HandleSessionStateChangedEvent, made explicit):
//
//   IDLE            wait (keep polling events; no frames)
//   READY           xrBeginSession, then run the frame loop
//   SYNCHRONIZED    frames, no layers shown yet
//   VISIBLE         frames with layers; no input focus
//   FOCUSED         frames with layers and input
//   STOPPING        xrEndSession; wait for IDLE / EXITING
//   LOSS_PENDING    the session is lost: destroy it, then exit (or retry, if the app allows)
//   EXITING         destroy the session and exit
//
// An instance loss (XrEventDataInstanceLossPending, or any call returning XR_ERROR_INSTANCE_LOST,
// e.g. when the runtime process dies) ends the app cleanly from any state.

#include <string_view>

namespace vt::xr {

enum class SessionState { Unknown, Idle, Ready, Synchronized, Visible, Focused, Stopping, LossPending, Exiting };

std::string_view stateName(SessionState state);  // "FOCUSED", as the spec spells it

enum class SessionAction {
    None,
    BeginSession,    // call xrBeginSession
    EndSession,      // call xrEndSession
    RequestExit,     // call xrRequestExitSession (the session is running; the runtime will walk it to STOPPING)
    DestroyAndExit,  // destroy the session (and instance) and leave the loop
    DestroyAndRetry  // destroy the session and try to create a new one when the system comes back
};

class SessionMachine {
public:
    explicit SessionMachine(bool retryOnLoss = false) : retryOnLoss_(retryOnLoss) {}

    // XrEventDataSessionStateChanged.
    SessionAction onStateChanged(SessionState next);
    // XrEventDataInstanceLossPending, or a call that returned XR_ERROR_INSTANCE_LOST /
    // XR_ERROR_RUNTIME_FAILURE / XR_ERROR_RUNTIME_UNAVAILABLE: the runtime is gone.
    SessionAction onInstanceLost();
    // The app wants to quit (frame budget reached, user asked). While running, the spec path is
    // xrRequestExitSession and then the runtime's STOPPING/EXITING; when not running, exit directly.
    SessionAction requestExit();
    // After DestroyAndRetry, a new session was created: back to the start.
    void resetForNewSession();

    SessionState state() const { return state_; }
    bool running() const { return running_; }              // between xrBeginSession and xrEndSession
    bool shouldSubmitLayers() const { return state_ == SessionState::Visible || state_ == SessionState::Focused; }
    bool inputFocused() const { return state_ == SessionState::Focused; }
    bool exitRequested() const { return exitRequested_; }
    bool finished() const { return finished_; }             // the loop must end
    bool lost() const { return lost_; }                     // ended because the runtime or session was lost

private:
    SessionState state_ = SessionState::Unknown;
    bool running_ = false;
    bool exitRequested_ = false;
    bool finished_ = false;
    bool lost_ = false;
    bool retryOnLoss_ = false;
};

}  // namespace vt::xr
