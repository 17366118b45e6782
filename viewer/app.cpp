#include "viewer/app.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <format>

#include <imgui.h>

#include "gallery/entrance.h"
#include "ui/label_panel.h"
#include "ui/strings.h"

namespace vt::viewer {
namespace {

constexpr ImU32 kMeasureColor = IM_COL32(255, 210, 40, 255);
const ImVec4 kHintColor{0.78f, 0.78f, 0.78f, 1.0f};
constexpr ImU32 kAnnotationColor = IM_COL32(60, 170, 255, 235);

std::string lower(std::string text) {
    for (char& c : text) c = char(std::tolower(uint8_t(c)));
    return text;
}

bool matches(const exhibit::LocalizedText& text, const std::string& needle) {
    for (const auto& [language, value] : text.byLanguage)
        if (lower(value).find(needle) != std::string::npos) return true;
    return false;
}

// World point -> framebuffer pixel; nullopt behind the camera.
std::optional<glm::vec2> project(const scene::View& view, glm::vec2 viewport, glm::vec3 world) {
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(world, 1.0f);
    if (clip.w <= 1e-5f) return std::nullopt;
    const glm::vec2 ndc = glm::vec2(clip) / clip.w;
    return glm::vec2((ndc.x * 0.5f + 0.5f) * viewport.x, (ndc.y * 0.5f + 0.5f) * viewport.y);
}

}  // namespace

std::string formatLength(double mm) {
    if (mm < 100.0) return std::format("{:.1f} mm", mm);
    if (mm < 10000.0) return std::format("{:.1f} cm", mm / 10.0);
    return std::format("{:.2f} m", mm / 1000.0);
}

App::App(gallery::ExhibitScene& scene, std::string exhibitPath, Settings settings, std::vector<std::string> problems)
    : scene_(scene), settings_(std::move(settings)), problems_(std::move(problems)), narration_(exhibitPath),
      exhibitPath_(std::move(exhibitPath)) {
    const exhibit::Exhibit& e = scene_.exhibit();
    walk_.setEyeHeight(e.eyeHeight);
    const exhibit::CameraPose start = gallery::entrance(e);
    walk_.setPose({start.position, start.target});
}

std::string App::allText() const {
    std::string text;
    const exhibit::Exhibit& e = scene_.exhibit();
    auto add = [&](const exhibit::LocalizedText& t) {
        for (const auto& [language, value] : t.byLanguage) text += value;
    };
    add(e.title);
    add(e.description);
    add(e.tour.title);
    for (const exhibit::Room& room : e.rooms) add(room.name);
    for (const exhibit::Artifact& a : e.artifacts) {
        const exhibit::Label& l = a.label;
        for (const auto* t : {&l.title, &l.creator, &l.date, &l.culture, &l.medium, &l.dimensions, &l.description,
                              &l.creditLine})
            add(*t);
        for (const exhibit::Annotation& n : a.annotations) add(n.text);
    }
    for (const exhibit::TourStop& s : e.tour.stops) {
        add(s.title);
        add(s.text);
    }
    return text;
}

std::optional<size_t> App::findArtifact(const std::string& id) const {
    const auto& artifacts = scene_.exhibit().artifacts;
    for (size_t i = 0; i < artifacts.size(); ++i)
        if (artifacts[i].id == id) return i;
    return std::nullopt;
}

void App::setSettings(const Settings& settings) {
    const bool stream = settings.quality != settings_.quality || settings.budgetMiB != settings_.budgetMiB;
    const bool language = settings.language != settings_.language;
    settings_ = settings;
    settingsChanged_ = true;
    // A new language mid-stop: that stop's narration and captions start again in it.
    if (language && mode_ == Mode::Tour && tour_.active() && !tour_.movePending()) {
        startNarration();
        std::printf("tour: stop %d in %s%s\n", tour_.stop() + 1, settings_.language.c_str(),
                    narration_.narrated() ? std::format(", narration {:.2f} s", narration_.narration().lengthSeconds()).c_str() : "");
        std::fflush(stdout);
    }
    if (stream) {
        stream::StreamOptions options;
        options.pixelErrorThreshold = settings_.quality;
        options.gpuBudgetBytes = uint64_t(settings_.budgetMiB) << 20;
        scene_.setStreamOptions(options);
    }
}

bool App::showsMarkers(size_t artifact, const scene::View& view) const {
    if (scene_.exhibit().artifacts[artifact].annotations.empty()) return false;
    if (mode_ == Mode::Inspect) return selected_ == artifact;
    return glm::distance(scene_.artifacts()[artifact].worldBounds.center(), view.position) <= 4.0f;
}

glm::vec3 App::annotationPosition(size_t artifact, size_t annotation) const {
    const auto found = snapped_.find({artifact, annotation});
    return found != snapped_.end() ? found->second : scene_.annotationWorldPosition(artifact, annotation);
}

void App::update(float seconds) {
    // Once an inspected object has settled, put its annotation markers on its drawn surface.
    if (mode_ == Mode::Inspect && selected_ && scene_.artifacts()[*selected_].open && scene_.settled() &&
        !scene_.exhibit().artifacts[*selected_].annotations.empty() && !snapRequested_.contains(*selected_)) {
        snapRequested_.insert(*selected_);
        picks_.push_back({PickRequest::Purpose::SnapAnnotations, {}, *selected_});
    }
    // Inspecting an object whose pack was still opening: frame it again once its real size is known.
    if (mode_ == Mode::Inspect && selected_ && !framedOpen_ && scene_.artifacts()[*selected_].open)
        frameInspected(inspectCamera_.orbit().yawDegrees, inspectCamera_.orbit().pitchDegrees);
    if (mode_ != Mode::Tour || !tour_.active()) return;
    if (tour_.movePending()) {
        move_.advance(seconds);
        tourPose_ = move_.pose();
        if (move_.done()) arriveAtStop();
        return;
    }
    if (tour_.paused()) return;
    narration_.advance(seconds);
    // Log each caption as it comes up, with the narration time (scripts and tests follow it).
    if (const std::string& caption = narration_.caption(); caption != lastCaption_) {
        lastCaption_ = caption;
        std::printf("caption: %.2f s: %s\n", narration_.seconds(), caption.c_str());
        std::fflush(stdout);
    }
    // On to the next stop when the narration is over, except at the last (tour_cursor.h).
    if (narration_.over() && tour_.narrationOver()) moveToCurrentStop();
}

scene::View App::view(float aspect) const {
    lastAspect_ = aspect;
    switch (mode_) {
    case Mode::Inspect: {
        // With the information panel open, the object sits in the middle of what the panel leaves free.
        const float free = std::max(lastViewport_.x - infoPanelWidth_, lastViewport_.x * 0.5f);
        const float shift = panels_.info ? -(lastViewport_.x - free) / std::max(1.0f, lastViewport_.x) : 0.0f;
        return inspectCamera_.view(kFovY, aspect, shift);
    }
    case Mode::Tour: return viewFromPose(tourPose_, kFovY, aspect);
    case Mode::Walk: break;
    }
    return viewFromPose(walk_.pose(), kFovY, aspect);
}

void App::walkMove(glm::vec2 move, float seconds, bool run) {
    if (mode_ != Mode::Walk) return;
    const gallery::Collision& collision = scene_.collision();
    walk_.move(move, seconds, run, [&](glm::vec2 from, glm::vec2 to, float radius) {
        return collision.resolveMove(from, to, radius);
    });
}

void App::look(glm::vec2 mouseDelta) {
    if (mode_ == Mode::Walk) walk_.look(mouseDelta, settings_.look);
}

void App::setWalkPose(const Pose& pose) {
    if (mode_ == Mode::Tour) endTour();
    mode_ = Mode::Walk;
    walk_.setPose(pose);
}

void App::inspect(size_t artifact) {
    if (artifact >= scene_.artifacts().size()) return;
    if (mode_ == Mode::Tour) endTour();
    mode_ = Mode::Inspect;
    selected_ = artifact;
    panels_.info = true;
    frameInspected(30.0f, 15.0f);
}

void App::frameInspected(float yawDegrees, float pitchDegrees) {
    const gallery::ArtifactInfo& info = scene_.artifacts()[*selected_];
    framedOpen_ = info.open;
    // Frame the object in the part of the view the information panel leaves free.
    const glm::vec2 viewport = lastViewport_;
    const float free = std::max(viewport.x - infoPanelWidth_, viewport.x * 0.5f);
    inspectCamera_.frame(info.worldBounds, kFovY, free / std::max(1.0f, viewport.y), yawDegrees, pitchDegrees);
}

void App::leaveToWalk() {
    if (mode_ == Mode::Tour) endTour();
    if (mode_ == Mode::Inspect) {
        // Step back to where the visitor stood, facing the object.
        mode_ = Mode::Walk;
        return;
    }
    mode_ = Mode::Walk;
}

// A stop's view: framed with the curator's field of view where the exhibit gives one.
Pose App::stopPose(const exhibit::TourStop& stop) {
    const auto& fov = stop.camera.fieldOfViewDegrees;
    return {stop.camera.position, stop.camera.target, fov ? glm::radians(*fov) : kFovY};
}

void App::startTour(size_t stop) {
    const auto& stops = scene_.exhibit().tour.stops;
    if (stops.empty()) {
        addProblem("this exhibit has no guided tour");
        return;
    }
    tour_.start(stops.size(), stop);
    moveToCurrentStop();
}

void App::moveToCurrentStop() {
    const Pose from = [&] {
        const scene::View v = view(lastAspect_);
        const glm::mat4 worldFromView = glm::inverse(v.viewFromWorld);
        const float fovY = mode_ == Mode::Tour && tourPose_.fovY > 0.0f ? tourPose_.fovY : kFovY;
        return Pose{v.position, glm::vec3(worldFromView * glm::vec4(0, 0, -1, 1)), fovY};
    }();
    mode_ = Mode::Tour;
    panels_.tour = true;
    tourPose_ = from;
    move_ = CameraMove(from, stopPose(scene_.exhibit().tour.stops[size_t(tour_.stop())]));
    narration_.stop();
    narration_.setPaused(false);
}

void App::jumpToStop(size_t stop) {
    const auto& stops = scene_.exhibit().tour.stops;
    if (stops.empty()) return startTour(0);
    mode_ = Mode::Tour;
    panels_.tour = true;
    narration_.setPaused(false);
    tour_.start(stops.size(), stop);
    arriveAtStop();
}

void App::arriveAtStop() {
    tour_.arrived();
    const auto& stops = scene_.exhibit().tour.stops;
    const size_t stop = size_t(tour_.stop());
    const exhibit::TourStop& s = stops[stop];
    tourPose_ = stopPose(s);
    startNarration();
    std::printf("tour: stop %zu of %zu%s\n", stop + 1, stops.size(),
                narration_.narrated() ? std::format(", narration {:.2f} s", narration_.narration().lengthSeconds()).c_str() : "");
    std::fflush(stdout);
    if (auto a = findArtifact(s.artifact)) selected_ = *a;
}

void App::startNarration() {
    const exhibit::TourStop& s = scene_.exhibit().tour.stops[size_t(tour_.stop())];
    // Once per file: the stop falls back to its duration (or the reading pace) with captions.
    if (auto problem = narration_.start(s, size_t(tour_.stop()), settings_.language)) {
        std::fprintf(stderr, "%s\n", problem->c_str());
        addProblem(std::move(*problem));
    }
    lastCaption_.clear();
}

// Next and previous follow the tour cursor's rules, the same as in the headset: past the last stop
// the tour ends; at the first, previous does nothing.
void App::tourNext() {
    if (mode_ != Mode::Tour) return startTour(0);
    if (!tour_.apply(tour::TourCommand::Next)) return;
    if (!tour_.active()) {
        std::printf("tour: ended after the last stop\n");
        std::fflush(stdout);
        return endTour();
    }
    moveToCurrentStop();
}

void App::tourPrevious() {
    if (mode_ != Mode::Tour) return startTour(0);
    if (tour_.apply(tour::TourCommand::Previous)) moveToCurrentStop();
}

void App::tourPause(bool paused) {
    tour_.setPaused(paused);
    narration_.setPaused(tour_.paused());
}

void App::endTour() {
    narration_.stop();
    tour_.finish();
    panels_.tour = false;
    // Carry on walking from where the tour left the camera.
    walk_.setPose(tourPose_);
    mode_ = Mode::Walk;
}

void App::click(glm::vec2 pixel) {
    picks_.push_back({panels_.measure ? PickRequest::Purpose::MeasurePoint : PickRequest::Purpose::Select, pixel, 0});
}

void App::measure(glm::vec2 a, glm::vec2 b) {
    panels_.measure = true;
    measurePoints_.clear();
    picks_.push_back({PickRequest::Purpose::MeasurePoint, a, 0});
    picks_.push_back({PickRequest::Purpose::MeasurePoint, b, 0});
}

void App::measureSpan(size_t artifact) {
    panels_.measure = true;
    measurePoints_.clear();
    picks_.push_back({PickRequest::Purpose::MeasureSpan, {}, artifact});
}

std::optional<glm::vec3> App::unproject(const float* depth, glm::uvec2 extent, const scene::View& view,
                                        glm::vec2 pixel) const {
    const int x0 = int(pixel.x), y0 = int(pixel.y);
    // Snap to the nearest drawn pixel within a few pixels, so a click on a silhouette still lands.
    constexpr int kSnapPixels = 4;
    int bestX = -1, bestY = -1, bestDistance = 1 << 30;
    for (int dy = -kSnapPixels; dy <= kSnapPixels; ++dy)
        for (int dx = -kSnapPixels; dx <= kSnapPixels; ++dx) {
            const int x = x0 + dx, y = y0 + dy;
            if (x < 0 || y < 0 || x >= int(extent.x) || y >= int(extent.y)) continue;
            if (depth[size_t(y) * extent.x + size_t(x)] <= 0.0f) continue;
            if (dx * dx + dy * dy < bestDistance) {
                bestDistance = dx * dx + dy * dy;
                bestX = x;
                bestY = y;
            }
        }
    if (bestX < 0) return std::nullopt;
    const float d = depth[size_t(bestY) * extent.x + size_t(bestX)];
    const glm::vec4 ndc{(float(bestX) + 0.5f) / float(extent.x) * 2.0f - 1.0f,
                        (float(bestY) + 0.5f) / float(extent.y) * 2.0f - 1.0f, d, 1.0f};
    const glm::vec4 world = glm::inverse(view.clipFromWorld()) * ndc;
    return glm::vec3(world) / world.w;
}

void App::onDepth(const float* depth, glm::uvec2 extent, const scene::View& view) {
    const std::vector<PickRequest> picks = std::exchange(picks_, {});
    for (const PickRequest& pick : picks) {
        switch (pick.purpose) {
        case PickRequest::Purpose::Select: {
            const auto point = unproject(depth, extent, view, pick.pixel);
            const auto artifact = point ? scene_.artifactAt(*point) : std::nullopt;
            if (artifact) {
                inspect(*artifact);
                std::printf("selected: %s\n", scene_.exhibit().artifacts[*artifact].id.c_str());
            } else {
                std::printf("selected: nothing at pixel (%.0f, %.0f)\n", pick.pixel.x, pick.pixel.y);
            }
            break;
        }
        case PickRequest::Purpose::MeasurePoint: {
            const auto point = unproject(depth, extent, view, pick.pixel);
            if (!point) {
                std::printf("measure: nothing under pixel (%.0f, %.0f)\n", pick.pixel.x, pick.pixel.y);
                break;
            }
            if (measurePoints_.size() >= 2) measurePoints_.clear();
            measurePoints_.push_back(*point);
            if (measurePoints_.size() == 2) finishMeasure();
            break;
        }
        case PickRequest::Purpose::SnapAnnotations: {
            // The surface point under each marker, if it is near the given position (a marker
            // behind the object, or off screen, keeps its position).
            const auto& notes = scene_.exhibit().artifacts[pick.artifact].annotations;
            const float reach = std::max(0.03f, 0.15f * scene_.artifacts()[pick.artifact].worldBounds.radius());
            for (size_t n = 0; n < notes.size(); ++n) {
                const glm::vec3 given = scene_.annotationWorldPosition(pick.artifact, n);
                const glm::vec4 clip = view.clipFromWorld() * glm::vec4(given, 1.0f);
                if (clip.w <= 0.0f) continue;
                const glm::vec2 pixel{(clip.x / clip.w * 0.5f + 0.5f) * float(extent.x),
                                      (clip.y / clip.w * 0.5f + 0.5f) * float(extent.y)};
                if (pixel.x < 0 || pixel.y < 0 || pixel.x >= float(extent.x) || pixel.y >= float(extent.y)) continue;
                const auto surface = unproject(depth, extent, view, pixel);
                if (surface && glm::distance(*surface, given) <= reach) snapped_[{pick.artifact, n}] = *surface;
            }
            occlusionClipFromWorld_ = glm::mat4(0.0f);  // the markers moved: read which are hidden again
            size_t onSurface = 0;
            for (size_t n = 0; n < notes.size(); ++n) onSurface += snapped_.contains({pick.artifact, n});
            std::printf("annotations: %zu of %zu on the surface of '%s'\n", onSurface, notes.size(),
                        scene_.exhibit().artifacts[pick.artifact].id.c_str());
            break;
        }
        case PickRequest::Purpose::MarkerOcclusion: {
            // A marker is hidden where the surface drawn at its pixel is nearer than the marker by more
            // than the snapping reach (markers not snapped may sit a little inside the surface).
            std::set<std::pair<size_t, size_t>> hidden;
            const auto& artifacts = scene_.exhibit().artifacts;
            const glm::mat4 worldFromClip = glm::inverse(view.clipFromWorld());
            for (size_t a = 0; a < artifacts.size(); ++a) {
                if (!showsMarkers(a, view)) continue;
                const float reach = std::max(0.03f, 0.15f * scene_.artifacts()[a].worldBounds.radius());
                for (size_t n = 0; n < artifacts[a].annotations.size(); ++n) {
                    const glm::vec3 marker = annotationPosition(a, n);
                    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(marker, 1.0f);
                    if (clip.w <= 0.0f) continue;
                    const float x = (clip.x / clip.w * 0.5f + 0.5f) * float(extent.x);
                    const float y = (clip.y / clip.w * 0.5f + 0.5f) * float(extent.y);
                    if (x < 0 || y < 0 || x >= float(extent.x) || y >= float(extent.y)) continue;
                    const float d = depth[size_t(y) * extent.x + size_t(x)];
                    if (d <= 0.0f) continue;  // nothing drawn there
                    const glm::vec4 ndc{(std::floor(x) + 0.5f) / float(extent.x) * 2.0f - 1.0f,
                                        (std::floor(y) + 0.5f) / float(extent.y) * 2.0f - 1.0f, d, 1.0f};
                    const glm::vec4 w = worldFromClip * ndc;
                    const glm::vec3 surface = glm::vec3(w) / w.w;
                    if (glm::distance(surface, view.position) < glm::distance(marker, view.position) - reach)
                        hidden.insert({a, n});
                }
            }
            if (hidden != hiddenMarkers_)
                std::printf("annotations: %zu marker%s behind the surface\n", hidden.size(), hidden.size() == 1 ? "" : "s");
            hiddenMarkers_ = std::move(hidden);
            break;
        }
        case PickRequest::Purpose::MeasureSpan: {
            // Leftmost and rightmost drawn pixels that belong to the object (not its plinth's top).
            const Bounds bounds = scene_.artifacts()[pick.artifact].worldBounds;
            const glm::mat4 worldFromClip = glm::inverse(view.clipFromWorld());
            float left = 1e9f, right = -1e9f;
            glm::vec3 leftPoint{0.0f}, rightPoint{0.0f};
            for (uint32_t y = 0; y < extent.y; ++y)
                for (uint32_t x = 0; x < extent.x; ++x) {
                    const float d = depth[size_t(y) * extent.x + x];
                    if (d <= 0.0f) continue;
                    const glm::vec4 ndc{(float(x) + 0.5f) / float(extent.x) * 2.0f - 1.0f,
                                        (float(y) + 0.5f) / float(extent.y) * 2.0f - 1.0f, d, 1.0f};
                    const glm::vec4 w = worldFromClip * ndc;
                    const glm::vec3 p = glm::vec3(w) / w.w;
                    if (p.y <= bounds.min.y + 0.002f) continue;
                    if (glm::any(glm::lessThan(p, bounds.min - 0.002f)) || glm::any(glm::greaterThan(p, bounds.max + 0.002f)))
                        continue;
                    if (float(x) < left) left = float(x), leftPoint = p;
                    if (float(x) > right) right = float(x), rightPoint = p;
                }
            if (right < left) {
                std::printf("measure: artifact '%s' is not in view\n", scene_.exhibit().artifacts[pick.artifact].id.c_str());
                break;
            }
            measurePoints_ = {leftPoint, rightPoint};
            finishMeasure();
            break;
        }
        }
    }
    std::fflush(stdout);
}

void App::finishMeasure() {
    const glm::vec3 a = measurePoints_[0], b = measurePoints_[1];
    // The gallery shows the object at `scale` times life size (metres); the real object is what counts.
    const auto artifact = scene_.artifactAt((a + b) * 0.5f, 0.05f);
    float scale = 1.0f;
    std::string id = "-";
    if (artifact) {
        scale = scene_.exhibit().artifacts[*artifact].scale;
        id = scene_.exhibit().artifacts[*artifact].id;
    }
    lastMeasureMm_ = double(glm::distance(a, b)) * 1000.0 / double(scale);
    std::printf("measure: %.1f mm on '%s' (%s), from (%.4f, %.4f, %.4f) to (%.4f, %.4f, %.4f) m\n", lastMeasureMm_,
                id.c_str(), formatLength(lastMeasureMm_).c_str(), a.x, a.y, a.z, b.x, b.y, b.z);
    std::fflush(stdout);
}

void App::buildUi(glm::vec2 viewport, const scene::View& view) {
    lastViewport_ = viewport;
    infoPanelWidth_ = ImGui::GetFontSize() * 23.0f;
    drawHelp(viewport);
    if (panels_.info) drawInfo();
    if (panels_.tour && mode_ == Mode::Tour) drawTour();
    if (panels_.browse) drawBrowse();
    if (panels_.settings) drawSettings();
    if (panels_.stats) drawStats();
    if (panels_.measure) drawMeasure();
    if (panels_.problems && !problems_.empty()) drawProblems();
    // After the panels: the labels go where no panel is (the background list draws below them anyway).
    drawOverlays(viewport, view);
    checkLabelsClearOfPanels();
}

void App::checkLabelsClearOfPanels() {
    for (const ui::Panel& panel : ui::visiblePanels())
        for (const auto& [label, box] : labelBoxes_)
            if (box.overlaps(panel.rect) && reportedOverlaps_.insert(label + "|" + panel.name).second) {
                std::printf("ui: %s overlaps panel '%s'\n", label.c_str(), panel.name.c_str());
                std::fflush(stdout);
            }
}

void App::drawHelp(glm::vec2 viewport) {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 0.5f}, ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.55f);
    ImGui::SetNextWindowSizeConstraints({0, 0}, {viewport.x - em, em * 4});
    ImGui::Begin("##help", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                     ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove);
    const std::string& title = scene_.exhibit().title.get(settings_.language);
    const char* mode = mode_ == Mode::Walk ? ui::tr("Walk", settings_.language)
                       : mode_ == Mode::Inspect ? ui::tr("Inspect", settings_.language)
                                               : ui::tr("Tour", settings_.language);
    ImGui::Text("%s  |  %s", title.empty() ? "Vitrine" : title.c_str(), mode);
    if (mode_ == Mode::Walk)
        ImGui::TextColored(kHintColor, "%s", ui::tr("WASD walk, drag (or Tab) to look, click an object, T tour, B browse, I info, M measure, F1 settings, F3 stats, F12 screenshot", settings_.language));
    else if (mode_ == Mode::Inspect)
        ImGui::TextColored(kHintColor, "%s", ui::tr("drag orbit, right-drag pan, wheel zoom, M measure, H annotations, Esc back to walking", settings_.language));
    else
        ImGui::TextColored(kHintColor, "%s", ui::tr("Right/N next, Left/P previous, Space pause, Esc leave the tour", settings_.language));
    ImGui::End();
}

void App::drawInfo() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x - em * 0.5f, em * 4.5f}, ImGuiCond_Always, {1.0f, 0.0f});
    ImGui::SetNextWindowSize({em * 22, 0}, ImGuiCond_Always);
    std::string title = std::string(ui::tr("Object information", settings_.language)) + "###info";
    if (ImGui::Begin(title.c_str(), &panels_.info, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize)) {
        if (!selected_) {
            ImGui::TextWrapped("%s", ui::tr("Click an object to see its record.", settings_.language));
        } else {
            const gallery::ArtifactInfo& info = scene_.artifacts()[*selected_];
            if (info.failed) ImGui::TextColored({1, 0.5f, 0.4f, 1}, "%s", ui::tr("Could not open", settings_.language));
            ui::drawLabelPanel(info.artifact->label, settings_.language);
        }
    }
    ImGui::End();
}

void App::drawTour() {
    const auto& stops = scene_.exhibit().tour.stops;
    if (!tour_.active() || size_t(tour_.stop()) >= stops.size()) return;
    const exhibit::TourStop& stop = stops[size_t(tour_.stop())];
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {0.5f, 1.0f});
    ImGui::SetNextWindowSize({std::min(display.x - em, em * 36), 0}, ImGuiCond_Always);
    const std::string& tourTitle = scene_.exhibit().tour.title.get(settings_.language);
    const std::string title = std::format("{} {}/{}###tour", tourTitle.empty() ? ui::tr("Tour", settings_.language) : tourTitle,
                                          tour_.stop() + 1, stops.size());
    if (ImGui::Begin(title.c_str(), nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse)) {
        const std::string& stopTitle = stop.title.get(settings_.language);
        if (!stopTitle.empty()) ImGui::TextWrapped("%s", stopTitle.c_str());
        // Captions follow the narration's clock when there is narration, the stop's clock otherwise.
        const std::string& caption = tour_.movePending() ? std::string() : narration_.caption();
        ImGui::Separator();
        ImGui::TextWrapped("%s", caption.empty() && tour_.movePending() ? "..." : caption.c_str());
        ImGui::Separator();
        if (ImGui::Button(ui::tr("Previous", settings_.language))) tourPrevious();
        ImGui::SameLine();
        if (ImGui::Button(tour_.paused() ? ui::tr("Play", settings_.language) : ui::tr("Pause", settings_.language)))
            tourPause(!tour_.paused());
        ImGui::SameLine();
        if (ImGui::Button(ui::tr("Next", settings_.language))) tourNext();
    }
    ImGui::End();
}

void App::drawBrowse() {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize({em * 30, em * 20}, ImGuiCond_FirstUseEver);
    const std::string title = std::string(ui::tr("Browse", settings_.language)) + "###browse";
    if (ImGui::Begin(title.c_str(), &panels_.browse)) {
        char buffer[256];
        std::snprintf(buffer, sizeof buffer, "%s", search_.c_str());
        if (ImGui::InputTextWithHint("##search", ui::tr("Search", settings_.language), buffer, sizeof buffer))
            search_ = buffer;
        const std::string needle = lower(search_);
        const auto& artifacts = scene_.exhibit().artifacts;
        int shown = 0;
        if (ImGui::BeginTable("objects", 4,
                              ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(ui::tr("Title", settings_.language), 0, 3.0f);
            ImGui::TableSetupColumn(ui::tr("Creator", settings_.language), 0, 1.5f);
            ImGui::TableSetupColumn(ui::tr("Date", settings_.language), 0, 1.0f);
            ImGui::TableSetupColumn(ui::tr("Culture", settings_.language), 0, 2.0f);
            ImGui::TableHeadersRow();
            for (size_t i = 0; i < artifacts.size(); ++i) {
                const exhibit::Label& l = artifacts[i].label;
                if (!needle.empty() && !matches(l.title, needle) && !matches(l.creator, needle) &&
                    !matches(l.date, needle) && !matches(l.culture, needle) && lower(artifacts[i].id).find(needle) == std::string::npos)
                    continue;
                ++shown;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const std::string& name = l.title.get(settings_.language);
                const std::string label = (name.empty() ? artifacts[i].id : name) + "##" + artifacts[i].id;
                if (ImGui::Selectable(label.c_str(), selected_ == i, ImGuiSelectableFlags_SpanAllColumns)) inspect(i);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.creator.get(settings_.language).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.date.get(settings_.language).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.culture.get(settings_.language).c_str());
            }
            ImGui::EndTable();
        }
        if (shown == 0) ImGui::TextDisabled("%s", ui::tr("No results", settings_.language));
    }
    ImGui::End();
}

void App::drawSettings() {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver);
    const std::string title = std::string(ui::tr("Settings", settings_.language)) + "###settings";
    if (ImGui::Begin(title.c_str(), &panels_.settings, ImGuiWindowFlags_AlwaysAutoResize)) {
        Settings s = settings_;
        bool changed = false;
        const auto& languages = scene_.exhibit().languages;
        std::vector<std::string> offered = languages;
        for (const char* l : {"en", "zh"})
            if (std::find(offered.begin(), offered.end(), l) == offered.end()) offered.push_back(l);
        if (ImGui::BeginCombo(ui::tr("Language", settings_.language), s.language.c_str())) {
            for (const std::string& l : offered)
                if (ImGui::Selectable(l.c_str(), l == s.language)) s.language = l, changed = true;
            ImGui::EndCombo();
        }
        changed |= ImGui::SliderFloat(ui::tr("UI scale", settings_.language), &s.uiScale, 0.75f, 3.0f, "%.2f");
        changed |= ImGui::SliderFloat(ui::tr("Mouse sensitivity", settings_.language), &s.look.degreesPerPixel, 0.02f, 0.6f, "%.2f");
        changed |= ImGui::Checkbox(ui::tr("Invert mouse", settings_.language), &s.look.invertY);
        changed |= ImGui::SliderFloat(ui::tr("Quality (pixel error)", settings_.language), &s.quality, 0.5f, 16.0f, "%.1f",
                                      ImGuiSliderFlags_Logarithmic);
        int budget = int(s.budgetMiB);
        if (ImGui::SliderInt(ui::tr("Memory budget (MiB)", settings_.language), &budget, 64, 4096)) {
            s.budgetMiB = uint32_t(budget);
            changed = true;
        }
        changed |= ImGui::Checkbox(ui::tr("VSync", settings_.language), &s.vsync);
        // The font atlas is rebuilt between frames: a new UI scale applies when the slider is let go.
        if (changed) {
            if (s.uiScale != settings_.uiScale && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
                pendingUiScale_ = s.uiScale;
                s.uiScale = settings_.uiScale;
            }
            setSettings(s);
        }
    }
    ImGui::End();
    if (pendingUiScale_ > 0 && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        Settings s = settings_;
        s.uiScale = std::exchange(pendingUiScale_, 0.0f);
        setSettings(s);
    }
}

void App::drawStats() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x - em * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {1.0f, 1.0f});
    ImGui::SetNextWindowBgAlpha(0.6f);
    const std::string title = std::string(ui::tr("Statistics", settings_.language)) + "###stats";
    if (ImGui::Begin(title.c_str(), &panels_.stats, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        const stream::StreamStats stats = scene_.stats();
        size_t open = 0, failed = 0;
        for (const gallery::ArtifactInfo& a : scene_.artifacts()) open += a.open, failed += a.failed;
        // Each line's words (and their order) come from ui::tr; the numbers are filled in by std::format.
        auto line = [&](const char* key, const auto&... values) {
            ImGui::TextUnformatted(std::vformat(ui::tr(key, settings_.language), std::make_format_args(values...)).c_str());
        };
        const float fps = 1000.0f / std::max(frameMs_, 0.01f);
        const unsigned long long triangles = triangles_;
        const double gpuMiB = double(stats.residentGpuBytes) / 1048576.0, cacheMiB = double(stats.cachedCpuBytes) / 1048576.0;
        const double fetchedMiB = double(stats.bytesFetched) / 1048576.0;
        const size_t total = scene_.artifacts().size();
        line("frame {:.1f} ms ({:.0f} fps)", frameMs_, fps);
        line("triangles {}", triangles);
        line("resident {:.1f} MiB GPU, {:.1f} MiB cache", gpuMiB, cacheMiB);
        line("pages {} resident, {} pending", stats.pagesResident, stats.pendingRequests);
        line("artifacts {} open, {} failed, {} total", open, failed, total);
        line(scene_.settled() ? "fetched {:.1f} MiB, settled" : "fetched {:.1f} MiB", fetchedMiB);
    }
    ImGui::End();
}

void App::drawMeasure() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({em * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {0.0f, 1.0f});
    const std::string title = std::string(ui::tr("Measure", settings_.language)) + "###measure";
    if (ImGui::Begin(title.c_str(), &panels_.measure, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        if (measurePoints_.size() < 2)
            ImGui::TextUnformatted(ui::tr("Click two points on the object.", settings_.language));
        else
            ImGui::Text("%s: %s", ui::tr("Distance", settings_.language), formatLength(lastMeasureMm_).c_str());
    }
    ImGui::End();
    if (!panels_.measure) measurePoints_.clear();
}

void App::drawOverlays(glm::vec2 viewport, const scene::View& view) {
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    const float em = ImGui::GetFontSize();
    labelBoxes_.clear();
    std::vector<ui::ScreenRect> panels;  // what a label must not cover: the panels, then the labels placed
    for (const ui::Panel& panel : ui::visiblePanels()) panels.push_back(panel.rect);
    // Measurement: the points, the line between them and the distance at its middle.
    std::vector<glm::vec2> screen;
    for (const glm::vec3& p : measurePoints_)
        if (auto s = project(view, viewport, p)) screen.push_back(*s);
    if (screen.size() == measurePoints_.size()) {
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
            panels.push_back(box);  // annotation labels keep clear of it too
        }
        for (const glm::vec2& s : screen) draw->AddCircleFilled({s.x, s.y}, em * 0.3f, kMeasureColor);
    }
    // Annotations: numbered markers on the inspected object (or the tour's, or those near a walker).
    if (!panels_.annotations) return;
    // Which markers the surface hides is read from the depth once the view has stopped moving.
    constexpr int kStillFrames = 2;  // frames with an unchanged view before the depth is read
    const glm::mat4 clipFromWorld = view.clipFromWorld();
    stillFrames_ = clipFromWorld == lastClipFromWorld_ ? stillFrames_ + 1 : 0;
    lastClipFromWorld_ = clipFromWorld;
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
            if (mode_ == Mode::Inspect && !text.empty()) {
                // Beside the marker, wrapped to the room left by the panels; left out where there is none.
                const ui::LabelRules rules{.gap = em * 0.25f, .padding = 4.0f, .lineHeight = em, .minWidth = em * 6.0f,
                                           .maxWidth = em * 30.0f};
                const auto measure = [&](float wrapWidth) {
                    const ImVec2 textSize = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrapWidth);
                    return glm::vec2(textSize.x, textSize.y);
                };
                const auto placed = ui::placeLabel(*s, em * 0.55f, viewport, panels, measure, rules);
                if (!placed) continue;
                draw->AddRectFilled({placed->box.min.x, placed->box.min.y}, {placed->box.max.x, placed->box.max.y},
                                    IM_COL32(0, 0, 0, 170), 4.0f);
                draw->AddText(ImGui::GetFont(), em, {placed->textAt.x, placed->textAt.y}, IM_COL32_WHITE, text.c_str(),
                              nullptr, placed->wrapWidth);
                labelBoxes_.emplace_back(std::format("the label of annotation {} on '{}'", n + 1, artifacts[a].id), placed->box);
                panels.push_back(placed->box);  // the next label keeps clear of this one
            }
        }
    }
    const bool pending = std::ranges::any_of(picks_, [](const PickRequest& p) { return p.purpose == PickRequest::Purpose::MarkerOcclusion; });
    if (markersInView && stillFrames_ >= kStillFrames && !pending &&
        (clipFromWorld != occlusionClipFromWorld_ || (!occlusionSettled_ && scene_.settled()))) {
        occlusionClipFromWorld_ = clipFromWorld;
        occlusionSettled_ = scene_.settled();
        picks_.push_back({PickRequest::Purpose::MarkerOcclusion, {}, 0});
    }
}

void App::drawProblems() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver, {0.5f, 0.0f});
    ImGui::SetNextWindowSize({std::min(display.x - em, em * 40), 0}, ImGuiCond_FirstUseEver);
    const std::string title = std::format("{} ({})###problems",
                                          ui::tr("Problems", settings_.language), problems_.size());
    if (ImGui::Begin(title.c_str(), &panels_.problems)) {
        for (const std::string& p : problems_) ImGui::TextWrapped("%s", p.c_str());
    }
    ImGui::End();
}

}  // namespace vt::viewer
