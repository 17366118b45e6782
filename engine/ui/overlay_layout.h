#pragma once
// Where screen-space labels go (an annotation's words beside its marker) so that they never cover a
// panel: beside the marker, on the side where it needs fewer lines (the right on a tie), wrapped to the
// width that is free there, or, where neither side has room, not at all (the marker's number stays).

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace vt::ui {

struct ScreenRect {
    glm::vec2 min{0.0f};  // px, top-left
    glm::vec2 max{0.0f};  // px, bottom-right (exclusive)
    bool overlaps(const ScreenRect& other) const {
        return min.x < other.max.x && other.min.x < max.x && min.y < other.max.y && other.min.y < max.y;
    }
};

struct Panel {
    std::string name;  // the ImGui window's name ("Object information###info")
    ScreenRect rect;
};

// The Dear ImGui windows begun so far this frame and shown (between NewFrame and Render): top-level
// windows only (child windows, popups and tooltips lie within them or are transient).
std::vector<Panel> visiblePanels();

// The size of the label's text when wrapped at `wrapWidth` px.
using MeasureText = std::function<glm::vec2(float wrapWidth)>;

struct LabelRules {
    float gap = 4.0f;        // px between the marker's edge and the label's box
    float padding = 4.0f;    // px between the box's edge and the text
    float lineHeight = 16.0f;  // px: the first line is centred on the marker
    float minWidth = 64.0f;  // px: narrower than this, a label is not worth reading
    float maxWidth = 480.0f;  // px: lines wrap here even with room to spare
};

struct LabelPlacement {
    ScreenRect box;      // the label's background, padding included
    glm::vec2 textAt;    // top-left of the text
    float wrapWidth = 0;  // pass to the text drawing call
};

// A box for the label of the marker at `marker` (its centre, radius `markerRadius`) inside the
// viewport that overlaps no panel, or nothing when neither side has room.
std::optional<LabelPlacement> placeLabel(glm::vec2 marker, float markerRadius, glm::vec2 viewport,
                                         std::span<const ScreenRect> panels, const MeasureText& measure,
                                         const LabelRules& rules = {});

}  // namespace vt::ui
