// App: the guided tour (moves between stops, narration, next/previous/pause by the tour cursor's rules).
#include "viewer/app.h"

#include <cstdio>
#include <format>

namespace vt::viewer {

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

}  // namespace vt::viewer
