#include "xr/logic/tour_controls.h"

#include <cmath>

namespace vt::xr {

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
