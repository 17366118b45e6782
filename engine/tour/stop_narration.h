#pragma once
// One tour stop's narration and its captions, as the desktop viewer and the headset play them: the
// stop's audio in the visitor's language (LocalizedText's fallback: its primary subtag, English,
// any), resolved against the exhibit file, and the caption track spread over the narration's
// length, or over the stop's durationSeconds (or the reading pace) when it has no audio or its audio
// cannot be played. The caption shown follows the narration's position when there is narration, the
// stop's own clock otherwise; both stand still while paused.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "exhibit/exhibit.h"
#include "tour/captions.h"
#include "tour/narration.h"

namespace vt::tour {

class StopNarration {
public:
    // exhibitPath: the exhibit file, against which the stops' audio paths resolve.
    explicit StopNarration(std::string exhibitPath) : exhibitPath_(std::move(exhibitPath)) {}

    // Starts `stop` (number `index` from 0, for messages) in `language`; what was playing stops, a
    // pause carries over. An audio file that cannot be played comes back as a message ("tour stop 2:
    // FILE: no such narration file"), once per file; the stop then runs on its own clock.
    std::optional<std::string> start(const exhibit::TourStop& stop, size_t index, std::string_view language);
    // Nothing plays and no caption shows (on the way to a stop, after the tour).
    void stop();
    void setPaused(bool paused);
    // Once per frame: the stop's clock and, without a sound device, the narration's (not while paused).
    void advance(float seconds);

    bool started() const { return started_; }
    bool paused() const { return paused_; }
    bool narrated() const { return narration_.active(); }
    // The narration's position when narrated, else the time at this stop.
    float seconds() const { return narrated() ? narration_.positionSeconds() : stopSeconds_; }
    const std::string& caption() const;
    // The narration has finished or, without narration, the stop's durationSeconds (when set) passed.
    bool over() const;
    const std::string& audioPath() const { return audioPath_; }  // resolved; empty when nothing plays
    const Narration& narration() const { return narration_; }
    const CaptionTrack& captions() const { return captions_; }

private:
    std::string exhibitPath_;
    Narration narration_;
    CaptionTrack captions_{"", 0.0f};
    std::set<std::string> reported_;  // files already reported as unplayable
    std::string audioPath_;
    float stopSeconds_ = 0.0f;        // time at this stop, without pauses
    float durationSeconds_ = 0.0f;
    bool started_ = false;
    bool paused_ = false;
};

}  // namespace vt::tour
