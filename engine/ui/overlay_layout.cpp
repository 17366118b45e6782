#include "ui/overlay_layout.h"

#include <algorithm>

#include <imgui.h>
#include <imgui_internal.h>

namespace vt::ui {

std::vector<Panel> visiblePanels() {
    std::vector<Panel> panels;
    const ImGuiContext* context = ImGui::GetCurrentContext();
    if (!context) return panels;
    constexpr ImGuiWindowFlags kNested = ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup;
    for (const ImGuiWindow* window : context->Windows) {
        if (!window->Active || window->Hidden || window->IsFallbackWindow || (window->Flags & kNested)) continue;
        if (window->Size.x <= 0 || window->Size.y <= 0) continue;
        panels.push_back({window->Name,
                          {{window->Pos.x, window->Pos.y}, {window->Pos.x + window->Size.x, window->Pos.y + window->Size.y}}});
    }
    return panels;
}

namespace {

enum class Side { Right, Left };

// The label on one side of the marker: start as wide as allowed, then narrow it to end before the
// nearest panel it would cover, until it covers none or is too narrow to read.
std::optional<LabelPlacement> placeOnSide(Side side, glm::vec2 marker, float markerRadius, glm::vec2 viewport,
                                          std::span<const ScreenRect> panels, const MeasureText& measure,
                                          const LabelRules& rules) {
    const float top = marker.y - rules.lineHeight * 0.5f;
    // The text's near edge: its left edge on the right side, its right edge on the left side.
    const float nearEdge = side == Side::Right ? marker.x + markerRadius + rules.gap + rules.padding
                                               : marker.x - markerRadius - rules.gap - rules.padding;
    auto boxAt = [&](glm::vec2 size) {
        const float left = side == Side::Right ? nearEdge : nearEdge - size.x;
        return ScreenRect{{left - rules.padding, top - rules.padding}, {left + size.x + rules.padding, top + size.y + rules.padding}};
    };
    float limit = side == Side::Right ? viewport.x - rules.padding - nearEdge : nearEdge - rules.padding;
    limit = std::min(limit, rules.maxWidth);
    for (size_t attempt = 0;; ++attempt) {
        if (limit < rules.minWidth || attempt > panels.size()) return std::nullopt;
        const glm::vec2 size = measure(limit);
        const ScreenRect box = boxAt(size);
        if (box.min.y < 0 || box.max.y > viewport.y) return std::nullopt;
        float narrower = limit;
        bool hit = false;
        for (const ScreenRect& panel : panels) {
            if (!box.overlaps(panel)) continue;
            hit = true;
            // A panel on the marker's own side of the text leaves no room on this side.
            if (side == Side::Right ? panel.min.x <= nearEdge : panel.max.x >= nearEdge) return std::nullopt;
            narrower = std::min(narrower, side == Side::Right ? panel.min.x - rules.padding - nearEdge
                                                              : nearEdge - panel.max.x - rules.padding);
        }
        if (hit) {
            if (narrower >= limit) return std::nullopt;  // the measure ignored the width: give up rather than loop
            limit = narrower;
            continue;
        }
        // Clear. Wrapped lines are balanced: the narrowest width that needs no more lines (no last line
        // of one word or one character). The box only shrinks towards the marker, so it stays clear.
        if (size.y > rules.lineHeight * 1.5f) {
            float wide = limit, narrow = rules.minWidth;
            for (int step = 0; step < 12 && wide - narrow > 1.0f; ++step) {
                const float middle = (wide + narrow) * 0.5f;
                (measure(middle).y > size.y ? narrow : wide) = middle;
            }
            limit = wide;
        }
        const glm::vec2 finalSize = measure(limit);
        const ScreenRect finalBox = boxAt(finalSize);
        return LabelPlacement{finalBox, {side == Side::Right ? nearEdge : nearEdge - finalSize.x, top}, limit};
    }
}

}  // namespace

std::optional<LabelPlacement> placeLabel(glm::vec2 marker, float markerRadius, glm::vec2 viewport,
                                         std::span<const ScreenRect> panels, const MeasureText& measure,
                                         const LabelRules& rules) {
    // The side where the label needs fewer lines, the right on a tie (it reads away from the marker).
    const auto right = placeOnSide(Side::Right, marker, markerRadius, viewport, panels, measure, rules);
    const auto left = placeOnSide(Side::Left, marker, markerRadius, viewport, panels, measure, rules);
    if (right && left) {
        const float rightHeight = right->box.max.y - right->box.min.y, leftHeight = left->box.max.y - left->box.min.y;
        return leftHeight < rightHeight ? left : right;
    }
    return right ? right : left;
}

}  // namespace vt::ui
