#include "tour/stop_narration.h"

#include <format>

namespace vt::tour {

std::optional<std::string> StopNarration::start(const exhibit::TourStop& stop, size_t index, std::string_view language) {
    narration_.stop();
    started_ = true;
    stopSeconds_ = 0.0f;
    durationSeconds_ = stop.durationSeconds;
    audioPath_.clear();
    std::optional<std::string> problem;
    float length = stop.durationSeconds;
    if (const std::string& file = stop.audio.get(language); !file.empty()) {
        const std::string path = exhibit::resolveResource(exhibitPath_, file);
        if (auto played = narration_.play(path); played) {
            length = narration_.lengthSeconds();
            audioPath_ = path;
        } else if (reported_.insert(path).second) {
            problem = std::format("tour stop {}: {}", index + 1, played.error().message);
        }
    }
    captions_ = CaptionTrack(stop.text.get(language), length);
    narration_.setPaused(paused_);
    return problem;
}

void StopNarration::stop() {
    narration_.stop();
    captions_ = CaptionTrack("", 0.0f);
    audioPath_.clear();
    started_ = false;
    stopSeconds_ = 0.0f;
}

void StopNarration::setPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    narration_.setPaused(paused);
}

void StopNarration::advance(float seconds) {
    if (!started_ || paused_) return;
    stopSeconds_ += seconds;
    narration_.advance(seconds);
}

const std::string& StopNarration::caption() const {
    static const std::string none;
    return started_ ? captions_.at(seconds()) : none;
}

bool StopNarration::over() const {
    if (!started_) return false;
    if (narrated()) return narration_.finished();
    return durationSeconds_ > 0.0f && stopSeconds_ >= durationSeconds_;
}

}  // namespace vt::tour
