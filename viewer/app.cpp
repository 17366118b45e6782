// App: the mode, settings, and moving about (walking, inspecting). The rest of App is in
// app_tour.cpp, app_picking.cpp, app_panels.cpp and app_overlays.cpp.
#include "viewer/app.h"

#include <algorithm>
#include <cstdio>
#include <format>

#include "gallery/entrance.h"

namespace vt::viewer {

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

}  // namespace vt::viewer
