#include "tour/tour_cursor.h"

#include <algorithm>

namespace vt::tour {

std::string_view commandName(TourCommand command) {
    switch (command) {
        case TourCommand::Next: return "next";
        case TourCommand::Previous: return "previous";
        case TourCommand::PauseResume: return "pause";
    }
    return "?";
}

void TourCursor::start(size_t stopCount, size_t firstStop) {
    count_ = stopCount;
    paused_ = false;
    stop_ = stopCount > 0 ? int(std::min(firstStop, stopCount - 1)) : -1;
    movePending_ = stop_ >= 0;
}

void TourCursor::finish() {
    stop_ = -1;
    movePending_ = false;
    paused_ = false;
}

bool TourCursor::apply(TourCommand command) {
    if (!active()) return false;
    switch (command) {
        case TourCommand::Next:
            if (size_t(stop_) + 1 >= count_) {
                finish();
                return true;
            }
            ++stop_;
            break;
        case TourCommand::Previous:
            if (stop_ == 0) return false;
            --stop_;
            break;
        case TourCommand::PauseResume:
            paused_ = !paused_;
            return true;
    }
    movePending_ = true;
    paused_ = false;
    return true;
}

bool TourCursor::narrationOver() {
    if (!active() || movePending_ || paused_ || size_t(stop_) + 1 >= count_) return false;
    return apply(TourCommand::Next);
}

}  // namespace vt::tour
