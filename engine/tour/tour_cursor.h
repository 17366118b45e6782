#pragma once
// Where a visitor is in a guided tour, for the desktop viewer and the headset alike: which stop,
// whether the move there is still to be made, whether the visitor paused the narration. Pure logic
// (no narration, no camera), written once and tested once (tests/tour/tour_cursor_test.cpp).
//
// The rules both apps follow: next moves to the following stop, and past the last stop the tour
// ends (the visitor walks on from there); previous moves to the stop before, and at the first stop
// nothing changes; a move lifts the pause, so the new stop's narration plays; the end of a stop's
// narration moves on, except at the last stop, where the visitor stays until they choose.

#include <cstddef>
#include <string_view>

namespace vt::tour {

enum class TourCommand { Next, Previous, PauseResume };
std::string_view commandName(TourCommand command);  // "next", "previous", "pause"

class TourCursor {
public:
    // Starts at `firstStop` (clamped to the last; the tour stays off when it has no stops), with a
    // move there pending and the pause lifted.
    void start(size_t stopCount, size_t firstStop = 0);
    // Ends the tour (stop() becomes -1).
    void finish();
    // Applies a visitor's command during the tour (see the rules above). Returns whether anything
    // changed; after Next at the last stop, active() is false.
    bool apply(TourCommand command);
    // The stop's narration (or its duration) is over: on to the next stop, except at the last.
    // Returns whether it moved on.
    bool narrationOver();
    // The visitor now stands at the current stop.
    void arrived() { movePending_ = false; }
    // Pauses or resumes the narration at this stop (a control that sets rather than toggles).
    void setPaused(bool paused) { paused_ = active() && paused; }

    bool active() const { return stop_ >= 0; }
    int stop() const { return stop_; }  // from 0; -1 when there is no tour
    size_t count() const { return count_; }
    bool movePending() const { return movePending_; }
    bool paused() const { return paused_; }

private:
    int stop_ = -1;
    size_t count_ = 0;
    bool movePending_ = false;
    bool paused_ = false;
};

}  // namespace vt::tour
