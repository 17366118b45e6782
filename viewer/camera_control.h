#pragma once
// Camera controllers of the desktop viewer, free of windows and GPUs so they test on the CPU:
// walking (eye height, mouse look, collision through a callback), inspecting (orbit, zoom, pan
// around one object) and the guided tour's smooth moves between stops.

#include <functional>

#include <glm/glm.hpp>

#include "core/bounds.h"
#include "scene/camera.h"

namespace vt::viewer {

struct Pose {
    glm::vec3 position{0.0f, 1.6f, 0.0f};
    glm::vec3 target{0.0f, 1.6f, -1.0f};
    float fovY = 0.0f;  // vertical field of view, radians, for a framed tour view; 0: the caller's own
};

// Mouse look: degrees per pixel of mouse motion, and whether moving the mouse up looks down.
struct LookSettings {
    float degreesPerPixel = 0.15f;
    bool invertY = false;
};

// A visitor walking on the floor at eye height. Yaw 0 looks along -Z; positive yaw turns right.
class WalkCamera {
public:
    // Moves a disc on the floor plane (x, z) from -> to and returns where it may go (walls, stands).
    using ResolveMove = std::function<glm::vec2(glm::vec2 from, glm::vec2 to, float radius)>;

    static constexpr float kWalkSpeed = 1.4f;       // metres per second, a gallery stroll
    static constexpr float kRunFactor = 2.5f;        // with Shift
    static constexpr float kRadius = 0.25f;          // metres kept from walls and plinths
    static constexpr float kMaxPitchDegrees = 85.0f;

    void setEyeHeight(float metres) { eyeHeight_ = metres; position_.y = metres; }
    float eyeHeight() const { return eyeHeight_; }
    // Stands at pose.position (x, z; y becomes the eye height) looking at pose.target.
    void setPose(const Pose& pose);

    // mouseDelta: pixels since the last frame (x right, y down).
    void look(glm::vec2 mouseDelta, const LookSettings& settings);
    // move: x = strafe right, y = forward, each -1..1; moves on the floor plane whatever the pitch.
    void move(glm::vec2 move, float seconds, bool run, const ResolveMove& resolve);

    glm::vec3 position() const { return position_; }
    float yawDegrees() const { return yaw_; }
    float pitchDegrees() const { return pitch_; }
    glm::vec3 forward() const;
    Pose pose() const { return {position_, position_ + forward()}; }

private:
    glm::vec3 position_{0.0f, 1.6f, 0.0f};
    float eyeHeight_ = 1.6f;
    float yaw_ = 0.0f;
    float pitch_ = 0.0f;
};

// Orbit, zoom and pan around one object (scene::Orbit's conventions).
class InspectCamera {
public:
    // Frames `bounds` from the given angles and remembers them as the home view.
    void frame(const Bounds& bounds, float fovY, float aspect, float yawDegrees = 30.0f, float pitchDegrees = 15.0f);
    // Mouse drag in pixels: horizontal turns around the object, vertical tilts.
    void rotate(glm::vec2 mouseDelta, const LookSettings& settings);
    // Mouse wheel steps: positive comes closer (10% per step), between 1/20 and 4 times the framing distance.
    void zoom(float steps);
    // Mouse drag in pixels with the right button or Shift: slides the target in the view plane.
    void pan(glm::vec2 mouseDelta, float viewportHeightPixels, float fovY);
    void setAngles(float yawDegrees, float pitchDegrees);

    const scene::Orbit& orbit() const { return orbit_; }
    Pose pose() const;
    // shiftX: moves the picture sideways by this fraction of the viewport's half width (a lens shift,
    // so the object stays off-centre, e.g. beside a panel, whichever way the camera turns).
    scene::View view(float fovY, float aspect, float shiftX = 0.0f) const;

private:
    scene::Orbit orbit_;
    float homeDistance_ = 1.0f;
};

// A smooth move from one pose to another (eased in and out), for the tour.
class CameraMove {
public:
    // Duration grows with the distance to cover: kSecondsPerMetre, within [kMinSeconds, kMaxSeconds].
    static constexpr float kSecondsPerMetre = 0.6f;
    static constexpr float kMinSeconds = 0.8f;
    static constexpr float kMaxSeconds = 4.0f;

    CameraMove() = default;
    CameraMove(const Pose& from, const Pose& to);
    void advance(float seconds) { elapsed_ += seconds; }
    bool done() const { return elapsed_ >= duration_; }
    float duration() const { return duration_; }
    // The pose after `elapsed_`: position, target and field of view follow smoothstep(t) (the field
    // of view only when both ends have one; else it is the destination's).
    Pose pose() const;

private:
    Pose from_, to_;
    float duration_ = 0.0f;
    float elapsed_ = 0.0f;
};

// The view from a pose: its own vertical field of view (radians), or `fovY` when it has none.
scene::View viewFromPose(const Pose& pose, float fovY, float aspect);

}  // namespace vt::viewer
