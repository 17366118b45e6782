#include "xr/logic/session_machine.h"

namespace vt::xr {

std::string_view stateName(SessionState state) {
    switch (state) {
        case SessionState::Unknown: return "UNKNOWN";
        case SessionState::Idle: return "IDLE";
        case SessionState::Ready: return "READY";
        case SessionState::Synchronized: return "SYNCHRONIZED";
        case SessionState::Visible: return "VISIBLE";
        case SessionState::Focused: return "FOCUSED";
        case SessionState::Stopping: return "STOPPING";
        case SessionState::LossPending: return "LOSS_PENDING";
        case SessionState::Exiting: return "EXITING";
    }
    return "UNKNOWN";
}

SessionAction SessionMachine::onStateChanged(SessionState next) {
    if (finished_) return SessionAction::None;
    state_ = next;
    switch (next) {
        case SessionState::Ready:
            // An exit asked for before the session ran: never begin it.
            if (exitRequested_) {
                finished_ = true;
                return SessionAction::DestroyAndExit;
            }
            running_ = true;
            return SessionAction::BeginSession;
        case SessionState::Stopping:
            if (!running_) return SessionAction::None;
            running_ = false;
            return SessionAction::EndSession;
        case SessionState::Idle:
            // After our exit request the runtime goes STOPPING -> IDLE -> EXITING: wait for EXITING
            // (the app bounds that wait, see exitRequested()).
            return SessionAction::None;
        case SessionState::Exiting:
            // A running session must be ended first; the spec only sends EXITING after STOPPING, but
            // a runtime may skip it.
            running_ = false;
            finished_ = true;
            return SessionAction::DestroyAndExit;
        case SessionState::LossPending:
            running_ = false;
            lost_ = true;
            if (retryOnLoss_) return SessionAction::DestroyAndRetry;
            finished_ = true;
            return SessionAction::DestroyAndExit;
        case SessionState::Synchronized:
        case SessionState::Visible:
        case SessionState::Focused:
        case SessionState::Unknown:
            return SessionAction::None;
    }
    return SessionAction::None;
}

SessionAction SessionMachine::onInstanceLost() {
    if (finished_) return SessionAction::None;
    running_ = false;
    lost_ = true;
    finished_ = true;
    state_ = SessionState::LossPending;
    return SessionAction::DestroyAndExit;
}

SessionAction SessionMachine::requestExit() {
    if (finished_) return SessionAction::None;
    if (exitRequested_) return SessionAction::None;
    exitRequested_ = true;
    if (running_) return SessionAction::RequestExit;
    finished_ = true;
    return SessionAction::DestroyAndExit;
}

void SessionMachine::resetForNewSession() {
    state_ = SessionState::Unknown;
    running_ = false;
    finished_ = false;
    lost_ = false;
}

}  // namespace vt::xr
