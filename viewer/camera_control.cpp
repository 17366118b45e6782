#include "viewer/camera_control.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::viewer {

void WalkCamera::setPose(const Pose& pose) {
    position_ = {pose.position.x, eyeHeight_, pose.position.z};
    const glm::vec3 d = pose.target - pose.position;
    const float horizontal = std::sqrt(d.x * d.x + d.z * d.z);
    if (horizontal > 1e-5f || std::abs(d.y) > 1e-5f) {
        yaw_ = glm::degrees(std::atan2(d.x, -d.z));
        pitch_ = std::clamp(glm::degrees(std::atan2(d.y, horizontal)), -kMaxPitchDegrees, kMaxPitchDegrees);
    }
}

glm::vec3 WalkCamera::forward() const {
    const float yaw = glm::radians(yaw_), pitch = glm::radians(pitch_);
    return {std::sin(yaw) * std::cos(pitch), std::sin(pitch), -std::cos(yaw) * std::cos(pitch)};
}

void WalkCamera::look(glm::vec2 mouseDelta, const LookSettings& settings) {
    yaw_ += mouseDelta.x * settings.degreesPerPixel;
    yaw_ = std::fmod(yaw_, 360.0f);
    pitch_ -= mouseDelta.y * settings.degreesPerPixel * (settings.invertY ? -1.0f : 1.0f);
    pitch_ = std::clamp(pitch_, -kMaxPitchDegrees, kMaxPitchDegrees);
}

void WalkCamera::move(glm::vec2 move, float seconds, bool run, const ResolveMove& resolve) {
    if (glm::length(move) > 1.0f) move = glm::normalize(move);
    const float yaw = glm::radians(yaw_);
    const glm::vec2 forward{std::sin(yaw), -std::cos(yaw)};
    const glm::vec2 right{std::cos(yaw), std::sin(yaw)};
    const float distance = kWalkSpeed * (run ? kRunFactor : 1.0f) * seconds;
    const glm::vec2 from{position_.x, position_.z};
    const glm::vec2 to = from + (forward * move.y + right * move.x) * distance;
    const glm::vec2 reached = resolve ? resolve(from, to, kRadius) : to;
    position_ = {reached.x, eyeHeight_, reached.y};
}

void InspectCamera::frame(const Bounds& bounds, float fovY, float aspect, float yawDegrees, float pitchDegrees) {
    orbit_ = scene::frameBounds(bounds, fovY, aspect, yawDegrees, pitchDegrees);
    homeDistance_ = orbit_.distance;
}

void InspectCamera::rotate(glm::vec2 mouseDelta, const LookSettings& settings) {
    orbit_.yawDegrees = std::fmod(orbit_.yawDegrees - mouseDelta.x * settings.degreesPerPixel * 2.0f, 360.0f);
    orbit_.pitchDegrees += mouseDelta.y * settings.degreesPerPixel * 2.0f * (settings.invertY ? -1.0f : 1.0f);
    orbit_.pitchDegrees = std::clamp(orbit_.pitchDegrees, -85.0f, 85.0f);
}

void InspectCamera::zoom(float steps) {
    orbit_.distance = std::clamp(orbit_.distance * std::pow(0.9f, steps), homeDistance_ / 20.0f, homeDistance_ * 4.0f);
}

void InspectCamera::pan(glm::vec2 mouseDelta, float viewportHeightPixels, float fovY) {
    // One pixel covers this many metres at the target's distance.
    const float metresPerPixel = 2.0f * orbit_.distance * std::tan(fovY * 0.5f) / std::max(1.0f, viewportHeightPixels);
    const Pose p = pose();
    const glm::vec3 forward = glm::normalize(p.target - p.position);
    const glm::vec3 right = glm::normalize(glm::cross(forward, glm::vec3(0, 1, 0)));
    const glm::vec3 up = glm::cross(right, forward);
    orbit_.target += (-right * mouseDelta.x + up * mouseDelta.y) * metresPerPixel;
}

void InspectCamera::setAngles(float yawDegrees, float pitchDegrees) {
    orbit_.yawDegrees = yawDegrees;
    orbit_.pitchDegrees = std::clamp(pitchDegrees, -85.0f, 85.0f);
}

scene::View InspectCamera::view(float fovY, float aspect, float shiftX) const {
    scene::View view = scene::orbitView(orbit_, fovY, aspect);
    view.clipFromView = glm::translate(glm::mat4(1.0f), glm::vec3(shiftX, 0.0f, 0.0f)) * view.clipFromView;
    return view;
}

Pose InspectCamera::pose() const {
    const scene::View view = scene::orbitView(orbit_, 1.0f, 1.0f);
    return {view.position, orbit_.target};
}

CameraMove::CameraMove(const Pose& from, const Pose& to) : from_(from), to_(to) {
    const float distance = glm::length(to.position - from.position) + 0.5f * glm::length(to.target - from.target);
    duration_ = std::clamp(distance * kSecondsPerMetre, kMinSeconds, kMaxSeconds);
}

Pose CameraMove::pose() const {
    const float t = duration_ > 0.0f ? std::clamp(elapsed_ / duration_, 0.0f, 1.0f) : 1.0f;
    const float s = t * t * (3.0f - 2.0f * t);
    const float fovY = from_.fovY > 0.0f && to_.fovY > 0.0f ? glm::mix(from_.fovY, to_.fovY, s) : to_.fovY;
    return {glm::mix(from_.position, to_.position, s), glm::mix(from_.target, to_.target, s), fovY};
}

scene::View viewFromPose(const Pose& pose, float fovY, float aspect) {
    scene::View view;
    glm::vec3 forward = pose.target - pose.position;
    if (glm::length(forward) < 1e-6f) forward = {0, 0, -1};
    forward = glm::normalize(forward);
    // Looking straight up or down: pick another up vector so lookAt stays defined.
    const glm::vec3 up = std::abs(forward.y) > 0.999f ? glm::vec3(0, 0, -1) : glm::vec3(0, 1, 0);
    view.viewFromWorld = glm::lookAt(pose.position, pose.position + forward, up);
    view.clipFromView = scene::perspectiveReversedZ(pose.fovY > 0.0f ? pose.fovY : fovY, aspect, 0.02f);
    view.position = pose.position;
    return view;
}

}  // namespace vt::viewer
