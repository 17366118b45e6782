#include "xr/simulator.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>

#include <glm/gtc/matrix_transform.hpp>

#include "asset/image_io.h"
#include "xr/swapchains.h"

namespace vt::xr {

namespace {

constexpr double kHeadPeriodFrames = 240.0;   // one sway of the scripted head, frames
constexpr uint64_t kMaxWaitFrames = 900;      // frames a capture waits for a settled scene before capturing anyway
constexpr uint64_t kTourStepFrames = 20;      // between the scripted tour controls

Pose compose(const Pose& parent, const Pose& child) {
    return {parent.orientation * child.orientation, parent.position + parent.orientation * child.position};
}

// The right hand held low in front of the head, pointing where the head looks: the scripts move it from there.
std::array<HandState, 2> restingHands(const Pose& head, const glm::vec3& offsetInHead, bool offsetTurnsWithHead) {
    std::array<HandState, 2> hands{};
    HandState& right = hands[1];
    right.active = right.aimValid = right.gripValid = true;
    right.aim.position = head.position + (offsetTurnsWithHead ? head.orientation * offsetInHead : offsetInHead);
    right.aim.orientation = head.orientation;
    right.grip = right.aim;
    return hands;
}

glm::quat lookFrom(const glm::vec3& from, const glm::vec3& to) {
    return glm::quatLookAtRH(glm::normalize(to - from), glm::vec3(0.0f, 1.0f, 0.0f));
}

}  // namespace

AliveOr<HeadAndEyes> ScriptedHeadAndHands::locate(XrTime time, bool holdStill) {
    if (!scriptedHead_) return tracked_->locate(time, holdStill);
    // The runtime's eyes relative to the head, carried by the scripted head.
    auto located = tracked_->locateEyesInHead(time);
    if (!located || !located->tracked) return located;
    located->head = scriptedHead();
    for (Pose& eye : located->eyes) eye = compose(located->head, eye);
    if (!holdStill) ++headFrame_;
    return located;
}

AliveOr<std::array<HandState, 2>> ScriptedHeadAndHands::hands(XrTime time, bool focused, const Pose& head,
                                                              const Rig& rig) {
    // The runtime's input is still read: a lost session shows there.
    auto hands = tracked_->hands(time, focused, head, rig);
    if (!hands || script_ == InputScript::None || !focused) return hands;
    return script_ == InputScript::Tour ? tourHands(head, rig) : interactHands(head, rig);
}

Pose ScriptedHeadAndHands::scriptedHead() const {
    // A slow look left and right with a small sideways sway, at standing eye height.
    const double phase = 2.0 * 3.14159265358979 * double(headFrame_) / kHeadPeriodFrames;
    const float yaw = glm::radians(12.0f) * float(std::sin(phase));
    Pose head;
    head.orientation = glm::angleAxis(yaw, glm::vec3(0.0f, 1.0f, 0.0f));
    head.position = {0.08f * float(std::sin(phase * 0.5)), standingEyeHeight_, 0.0f};
    return head;
}

std::array<HandState, 2> ScriptedHeadAndHands::interactHands(const Pose& head, const Rig& rig) {
    // A fixed sequence by frame: teleport ahead, snap turn right, grab the nearest artifact, lift and
    // turn it, let go (it flies back), point at it and select (its label opens). Poses in tracking space.
    const uint64_t f = inputFrame_++;
    std::array<HandState, 2> hands = restingHands(head, {0.2f, -0.3f, -0.3f}, true);
    HandState& right = hands[1];
    const glm::mat4 worldFromTracking = rig.worldFromTracking();
    const glm::mat4 trackingFromWorld = glm::inverse(worldFromTracking);
    const glm::vec3 headWorld = glm::vec3(worldFromTracking * glm::vec4(head.position, 1.0f));
    std::optional<size_t> nearest;
    float nearestDistance = std::numeric_limits<float>::max();
    const auto artifacts = scene_.artifacts();
    for (size_t i = 0; i < artifacts.size(); ++i) {
        const float d = glm::length(artifacts[i].worldBounds.center() - headWorld);
        if (artifacts[i].open && d < nearestDistance) {
            nearestDistance = d;
            nearest = i;
        }
    }
    if (f >= 20 && f < 40) {  // aim a teleport 1-2 m ahead
        right.aim.orientation = head.orientation * glm::angleAxis(glm::radians(-40.0f), glm::vec3(1.0f, 0.0f, 0.0f));
        right.stick.y = 1.0f;
    }
    if (f == 60) right.stick.x = 1.0f;  // snap turn right
    // Where the grab starts: the object's centre then (its bounds move with it once it is held).
    if (f == 80 && nearest) grabCentre_ = artifacts[*nearest].worldBounds.center();
    if (f >= 80 && f < 140 && nearest) {
        const float t = float(f - 80) / 60.0f;
        const glm::mat4 handWorld = glm::translate(glm::mat4(1.0f), grabCentre_ + glm::vec3(0.0f, 0.15f * t, 0.0f)) *
                                    glm::rotate(glm::mat4(1.0f), glm::radians(90.0f) * t, glm::vec3(0.0f, 1.0f, 0.0f));
        const glm::mat4 grip = trackingFromWorld * handWorld;
        right.grip.position = glm::vec3(grip[3]);
        right.grip.orientation = glm::quat_cast(glm::mat3(grip));
        right.squeeze = f < 130 ? 1.0f : 0.0f;
    }
    if (f == 160) hands[0].recentre = true;  // left hand: recentre / eye height
    if (f >= 170 && f < 175 && nearest) {    // point at it and select
        const glm::vec3 target = glm::vec3(trackingFromWorld * glm::vec4(artifacts[*nearest].worldBounds.center(), 1.0f));
        right.aim.position = head.position + glm::vec3(0.0f, -0.2f, 0.0f);
        right.aim.orientation = lookFrom(right.aim.position, target);
        right.select = f == 170;
    }
    return hands;
}

std::array<HandState, 2> ScriptedHeadAndHands::tourHands(const Pose& head, const Rig& rig) {
    // The tour's controls in a fixed order, one step every kTourStepFrames (at most 2 s of narration at
    // the frame clock's 0.1 s a frame: no stop's narration ends in between), each a one-frame press of
    // the right hand. A step that points at the tour panel waits until the panel is shown.
    enum class Step { PreviousButton, PauseButton, PanelPrevious, PanelPause, PanelNext, SelectNothing };
    static constexpr Step kSteps[] = {
        Step::PreviousButton,  // at stop 1: stays there
        Step::PanelNext,       // stop 2
        Step::PanelPrevious,   // stop 1
        Step::SelectNothing,   // stop 2
        Step::PreviousButton,  // stop 1
        Step::PauseButton,     // paused
        Step::PanelPause,      // resumed
        Step::PauseButton,     // paused
        Step::PauseButton,     // resumed
    };
    const uint64_t f = inputFrame_++;
    std::array<HandState, 2> hands = restingHands(head, {0.0f, -0.2f, 0.0f}, false);
    HandState& right = hands[1];
    if (tourStep_ >= std::size(kSteps) || f < tourDue_) return hands;
    const Step step = kSteps[tourStep_];
    switch (step) {
        case Step::PreviousButton: right.tourPrevious = true; break;
        case Step::PauseButton: right.tourPause = true; break;
        case Step::SelectNothing:  // straight up: no artifact, hotspot or panel there
            right.aim.orientation = glm::angleAxis(glm::radians(80.0f), glm::vec3(1.0f, 0.0f, 0.0f));
            right.select = true;
            break;
        case Step::PanelPrevious:
        case Step::PanelPause:
        case Step::PanelNext: {
            const std::optional<glm::mat4> panel = panels_ ? panels_->tourPanelPose() : std::nullopt;
            if (!panel) return hands;  // not shown yet: try again next frame
            // The middle of the third that is the control, halfway down the panel.
            const float u = step == Step::PanelPrevious ? 1.0f / 6.0f : step == Step::PanelPause ? 0.5f : 5.0f / 6.0f;
            const glm::vec3 world = glm::vec3(*panel * glm::vec4((u - 0.5f) * panels_->sizeMetres().x, 0.0f, 0.0f, 1.0f));
            const glm::vec3 target = glm::vec3(glm::inverse(rig.worldFromTracking()) * glm::vec4(world, 1.0f));
            right.aim.orientation = lookFrom(right.aim.position, target);
            right.select = true;
            break;
        }
    }
    ++tourStep_;
    tourDue_ = f + kTourStepFrames;
    return hands;
}

bool EyeCapture::holding(uint64_t framesSubmitted) const {
    return !readback_.recorded() && !finished_ && framesSubmitted >= frame_;
}

void EyeCapture::record(VkCommandBuffer commands, const render::RenderTarget& target, uint64_t framesSubmitted) {
    if (!holding(framesSubmitted)) return;
    if (!scene_.settled() && framesSubmitted < frame_ + kMaxWaitFrames) return;
    // Both eyes, opaque (AR clears alpha; the PNGs stay opaque); the image stays as the runtime takes it.
    readback_.recordColor(commands, {.image = target.image,
                                     .format = kEyeColorFormat,
                                     .extent = target.extent,
                                     .layerCount = kViewCount,
                                     .layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                     .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                     .alpha = gpu::ReadbackAlpha::Opaque});
    capturedFrame_ = framesSubmitted;
}

void EyeCapture::submitted(uint64_t timelineValue) {
    if (!readback_.recorded() || submitted_) return;
    readback_.submitted(timelineValue);
    submitted_ = true;
}

void EyeCapture::afterFrame(bool final) {
    if (!submitted_ || finished_) return;
    if (final) write(readback_.wait());
    else if (auto eyes = readback_.take()) write(*eyes);
}

void EyeCapture::write(const gpu::ReadbackResult& eyes) {
    finished_ = true;
    std::filesystem::create_directories(dir_);
    std::string written;
    for (uint32_t i = 0; i < kViewCount; ++i) {
        asset::Image image;
        image.name = i == 0 ? "left" : "right";
        image.width = eyes.layers[i].width;
        image.height = eyes.layers[i].height;
        image.rgba = eyes.layers[i].rgba;
        const std::filesystem::path file = std::filesystem::path(dir_) / (image.name + ".png");
        if (auto ok = asset::writePng(file, image); !ok) {
            std::printf("xr: capture failed: %s\n", ok.error().message.c_str());
            failed_ = true;
            return;
        }
        written += " " + file.string();
    }
    std::printf("xr: captured frame %llu (settled %s) ->%s\n", (unsigned long long)capturedFrame_,
                scene_.settled() ? "yes" : "no", written.c_str());
    std::fflush(stdout);
}

}  // namespace vt::xr
