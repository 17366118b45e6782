#include "xr/logic/tour_controls.h"

#include <cmath>

namespace vt::xr {

std::string_view commandName(TourCommand command) {
    switch (command) {
        case TourCommand::Next: return "next";
        case TourCommand::Previous: return "previous";
        case TourCommand::PauseResume: return "pause";
    }
    return "?";
}

void TourCursor::start(size_t stopCount) {
    count_ = stopCount;
    paused_ = false;
    stop_ = stopCount > 0 ? 0 : -1;
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

std::optional<PanelHit> rayPanel(glm::vec3 origin, glm::vec3 direction, const glm::mat4& worldFromPanel,
                                 glm::vec2 sizeMetres) {
    const glm::mat4 panelFromWorld = glm::inverse(worldFromPanel);
    const glm::vec3 o = glm::vec3(panelFromWorld * glm::vec4(origin, 1.0f));
    const glm::vec3 d = glm::vec3(panelFromWorld * glm::vec4(direction, 0.0f));
    if (std::abs(d.z) < 1e-6f) return std::nullopt;  // along the panel's plane
    const float t = -o.z / d.z;  // the same ray parameter in both frames (the map is affine)
    if (t <= 0.0f) return std::nullopt;
    const glm::vec3 p = o + d * t;
    const glm::vec2 uv{p.x / sizeMetres.x + 0.5f, 0.5f - p.y / sizeMetres.y};
    if (uv.x < 0.0f || uv.x > 1.0f || uv.y < 0.0f || uv.y > 1.0f) return std::nullopt;
    return PanelHit{t * glm::length(direction), uv};
}

TourCommand panelCommand(glm::vec2 uv) {
    if (uv.x < 1.0f / 3.0f) return TourCommand::Previous;
    if (uv.x > 2.0f / 3.0f) return TourCommand::Next;
    return TourCommand::PauseResume;
}

}  // namespace vt::xr
