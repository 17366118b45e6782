// App: what is drawn over the 3D view behind the panels: the measurement and the annotation markers
// with their labels, placed clear of the panels.
#include "viewer/app.h"

#include <algorithm>
#include <cstdio>
#include <format>

#include <imgui.h>

#include "ui/overlay_layout.h"

namespace vt::viewer {
namespace {

constexpr ImU32 kMeasureColor = IM_COL32(255, 210, 40, 255);
constexpr ImU32 kAnnotationColor = IM_COL32(60, 170, 255, 235);

// World point -> framebuffer pixel; nullopt behind the camera.
std::optional<glm::vec2> project(const scene::View& view, glm::vec2 viewport, glm::vec3 world) {
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(world, 1.0f);
    if (clip.w <= 1e-5f) return std::nullopt;
    const glm::vec2 ndc = glm::vec2(clip) / clip.w;
    return glm::vec2((ndc.x * 0.5f + 0.5f) * viewport.x, (ndc.y * 0.5f + 0.5f) * viewport.y);
}

}  // namespace

bool App::showsMarkers(size_t artifact, const scene::View& view) const {
    if (scene_.exhibit().artifacts[artifact].annotations.empty()) return false;
    if (mode_ == Mode::Inspect) return selected_ == artifact;
    return glm::distance(scene_.artifacts()[artifact].worldBounds.center(), view.position) <= 4.0f;
}

glm::vec3 App::annotationPosition(size_t artifact, size_t annotation) const {
    const auto found = snapped_.find({artifact, annotation});
    return found != snapped_.end() ? found->second : scene_.annotationWorldPosition(artifact, annotation);
}

void App::drawOverlays(glm::vec2 viewport, const scene::View& view) {
    labelBoxes_.clear();
    std::vector<ui::ScreenRect> keepClear;  // what a label must not cover: the panels, then the labels placed
    for (const ui::Panel& panel : ui::visiblePanels()) keepClear.push_back(panel.rect);
    drawMeasurement(viewport, view, keepClear);
    if (!panels_.annotations) return;
    const bool markersInView = drawAnnotationMarkers(viewport, view, keepClear);
    requestMarkerOcclusion(view, markersInView);
}

// The measuring points, the line between them and the distance at its middle.
void App::drawMeasurement(glm::vec2 viewport, const scene::View& view, std::vector<ui::ScreenRect>& keepClear) {
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    const float em = ImGui::GetFontSize();
    std::vector<glm::vec2> screen;
    for (const glm::vec3& p : measurePoints_)
        if (auto s = project(view, viewport, p)) screen.push_back(*s);
    if (screen.size() != measurePoints_.size()) return;
    if (screen.size() == 2) {
        draw->AddLine({screen[0].x, screen[0].y}, {screen[1].x, screen[1].y}, IM_COL32(0, 0, 0, 160), em * 0.3f);
        draw->AddLine({screen[0].x, screen[0].y}, {screen[1].x, screen[1].y}, kMeasureColor, em * 0.15f);
        const glm::vec2 mid = (screen[0] + screen[1]) * 0.5f;
        const std::string text = formatLength(lastMeasureMm_);
        const ImVec2 size = ImGui::CalcTextSize(text.c_str());
        const ui::ScreenRect box{{mid.x - size.x * 0.5f - 4, mid.y - size.y - 10}, {mid.x + size.x * 0.5f + 4, mid.y - 6}};
        draw->AddRectFilled({box.min.x, box.min.y}, {box.max.x, box.max.y}, IM_COL32(0, 0, 0, 190), 4.0f);
        draw->AddText({mid.x - size.x * 0.5f, mid.y - size.y - 8}, kMeasureColor, text.c_str());
        labelBoxes_.emplace_back("the measured distance", box);
        keepClear.push_back(box);  // annotation labels keep clear of it too
    }
    for (const glm::vec2& s : screen) draw->AddCircleFilled({s.x, s.y}, em * 0.3f, kMeasureColor);
}

// Numbered markers on the inspected object (or the tour's, or those near a walker), with their
// labels while inspecting. Returns whether any marker is in view (hidden ones too).
bool App::drawAnnotationMarkers(glm::vec2 viewport, const scene::View& view, std::vector<ui::ScreenRect>& keepClear) {
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    const float em = ImGui::GetFontSize();
    bool markersInView = false;
    const auto& artifacts = scene_.exhibit().artifacts;
    for (size_t a = 0; a < artifacts.size(); ++a) {
        if (!showsMarkers(a, view)) continue;
        for (size_t n = 0; n < artifacts[a].annotations.size(); ++n) {
            const auto s = project(view, viewport, annotationPosition(a, n));
            if (!s || s->x < 0 || s->y < 0 || s->x > viewport.x || s->y > viewport.y) continue;
            markersInView = true;
            if (hiddenMarkers_.contains({a, n})) continue;
            draw->AddCircleFilled({s->x, s->y}, em * 0.55f, kAnnotationColor);
            const std::string number = std::to_string(n + 1);
            const ImVec2 size = ImGui::CalcTextSize(number.c_str());
            draw->AddText({s->x - size.x * 0.5f, s->y - size.y * 0.5f}, IM_COL32_WHITE, number.c_str());
            const std::string& text = artifacts[a].annotations[n].text.get(settings_.language);
            if (mode_ == Mode::Inspect && !text.empty())
                drawAnnotationLabel(*s, text, std::format("the label of annotation {} on '{}'", n + 1, artifacts[a].id),
                                    viewport, keepClear);
        }
    }
    return markersInView;
}

// Beside the marker, wrapped to the room left by the panels; left out where there is none.
void App::drawAnnotationLabel(glm::vec2 marker, const std::string& text, std::string name, glm::vec2 viewport,
                              std::vector<ui::ScreenRect>& keepClear) {
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    const float em = ImGui::GetFontSize();
    const ui::LabelRules rules{.gap = em * 0.25f, .padding = 4.0f, .lineHeight = em, .minWidth = em * 6.0f,
                               .maxWidth = em * 30.0f};
    const auto measure = [&](float wrapWidth) {
        const ImVec2 textSize = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrapWidth);
        return glm::vec2(textSize.x, textSize.y);
    };
    const auto placed = ui::placeLabel(marker, em * 0.55f, viewport, keepClear, measure, rules);
    if (!placed) return;
    draw->AddRectFilled({placed->box.min.x, placed->box.min.y}, {placed->box.max.x, placed->box.max.y},
                        IM_COL32(0, 0, 0, 170), 4.0f);
    draw->AddText(ImGui::GetFont(), em, {placed->textAt.x, placed->textAt.y}, IM_COL32_WHITE, text.c_str(), nullptr,
                  placed->wrapWidth);
    labelBoxes_.emplace_back(std::move(name), placed->box);
    keepClear.push_back(placed->box);  // the next label keeps clear of this one
}

// Which markers the surface hides is read from the depth once the view has stopped moving (and
// again once streaming has settled).
void App::requestMarkerOcclusion(const scene::View& view, bool markersInView) {
    constexpr int kStillFrames = 2;  // frames with an unchanged view before the depth is read
    const glm::mat4 clipFromWorld = view.clipFromWorld();
    stillFrames_ = clipFromWorld == lastClipFromWorld_ ? stillFrames_ + 1 : 0;
    lastClipFromWorld_ = clipFromWorld;
    const bool pending = std::ranges::any_of(picks_, [](const PickRequest& p) { return p.purpose == PickRequest::Purpose::MarkerOcclusion; });
    if (markersInView && stillFrames_ >= kStillFrames && !pending &&
        (clipFromWorld != occlusionClipFromWorld_ || (!occlusionSettled_ && scene_.settled()))) {
        occlusionClipFromWorld_ = clipFromWorld;
        occlusionSettled_ = scene_.settled();
        picks_.push_back({PickRequest::Purpose::MarkerOcclusion, {}, 0});
    }
}

void App::checkLabelsClearOfPanels() {
    for (const ui::Panel& panel : ui::visiblePanels())
        for (const auto& [label, box] : labelBoxes_)
            if (box.overlaps(panel.rect) && reportedOverlaps_.insert(label + "|" + panel.name).second) {
                std::printf("ui: %s overlaps panel '%s'\n", label.c_str(), panel.name.c_str());
                std::fflush(stdout);
            }
}

}  // namespace vt::viewer
