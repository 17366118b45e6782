#pragma once
// The guided tour's controls in the headset: where a pointing ray meets the tour panel, and which
// control that part of the panel is (the fallback for controllers without free buttons, and for
// hands). The tour's state is engine/tour's TourCursor, the same as the desktop viewer's.

#include <cstddef>
#include <optional>
#include <string_view>

#include <glm/glm.hpp>

#include "tour/tour_cursor.h"

namespace vt::xr {

// The tour cursor is the viewer's too: engine/tour/tour_cursor.h.
using tour::commandName;
using tour::TourCommand;
using tour::TourCursor;

// Where a ray (origin, unit direction) meets a panel: a sizeMetres rectangle in the panel's frame
// (x right, y up, centred on the origin, facing +Z; either side counts). uv: 0..1 from the panel's
// left edge and from its top edge.
struct PanelHit {
    float distance = 0.0f;
    glm::vec2 uv{0.0f};
};
std::optional<PanelHit> rayPanel(glm::vec3 origin, glm::vec3 direction, const glm::mat4& worldFromPanel,
                                 glm::vec2 sizeMetres);

// The tour panel's controls by thirds of its width: left previous, middle pause / resume, right next.
TourCommand panelCommand(glm::vec2 uv);

}  // namespace vt::xr
