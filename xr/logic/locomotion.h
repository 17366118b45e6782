#pragma once
// Locomotion and comfort for a standing or seated visitor: teleport along an arc with a validity
// test, snap turn, recentring, eye-height calibration, and the vignette strength while the rig moves.
//
// The rig maps the runtime's tracking space into the gallery: worldFromTracking =
// translate(origin) * rotateY(yaw) * translate(0, heightOffset, 0). Teleports and turns move the rig,
// never the head: the visitor's own motion always shows 1:1.

#include <functional>
#include <vector>

#include <glm/glm.hpp>

#include "xr/logic/xr_math.h"

namespace vt::xr {

struct ComfortSettings {
    float snapTurnDegrees = 30.0f;  // per flick of the stick
    bool seated = false;            // seated: the eye height is raised to the exhibit's standing eye height
    float standingEyeHeight = 1.6f; // metres (the exhibit's eyeHeight)
    bool vignette = true;
    float vignetteStrength = 0.7f;  // 0..1, darkening at the edge of the view while moving
};

class Rig {
public:
    glm::mat4 worldFromTracking() const;
    glm::vec3 origin() const { return origin_; }
    float yawRadians() const { return yaw_; }
    float heightOffset() const { return heightOffset_; }

    // Places the head (its pose in tracking space) at `worldHead` (x, z; y follows the floor and
    // the eye-height settings) looking along `worldYawRadians` (0: towards -Z).
    void placeHead(const Pose& headInTracking, glm::vec2 worldHeadXZ, float worldYawRadians);
    // Snap turn about the head: the head stays where it is in the gallery.
    void snapTurn(const Pose& headInTracking, float radians);
    // Teleport: the head's floor point moves to `target` (the floor point in the world).
    void teleport(const Pose& headInTracking, glm::vec3 target);
    // Eye-height calibration: from now on the head at its current tracked height shows at `eyeHeight`
    // above the floor (seated visitors, or a runtime whose LOCAL space has its origin at the eyes).
    void calibrateEyeHeight(const Pose& headInTracking, float eyeHeight);
    void setHeightOffset(float metres) { heightOffset_ = metres; }

    // How much the rig moved since the last call (for the vignette), metres and radians.
    float takeMotion();

private:
    glm::vec3 origin_{0.0f};
    float yaw_ = 0.0f;
    float heightOffset_ = 0.0f;
    float motion_ = 0.0f;
};

// Teleport arc: a parabola from the controller's aim under gravity, sampled into segments, stopped at
// the first hit of the floor (y = floorY) or of a `blocked` segment test (walls, plinths).
struct TeleportArc {
    std::vector<glm::vec3> points;  // the drawn arc, first = the controller
    bool hit = false;               // reached the floor
    glm::vec3 target{0.0f};         // where it reached the floor
    bool valid = false;             // hit, and the floor there is walkable for the visitor
};

struct ArcOptions {
    float speed = 7.0f;        // m/s launch speed
    float gravity = 9.81f;     // m/s^2
    float step = 0.03f;        // s per segment
    uint32_t maxSegments = 80; // about 2.4 s of flight
    float floorY = 0.0f;
    float visitorRadius = 0.25f;  // metres a visitor needs around the target
};

// walkable(p, radius): the floor point p can hold a visitor (inside a room, clear of plinths and
// walls). blocked(a, b): the segment a-b hits something solid (may be null: nothing blocks).
TeleportArc teleportArc(const Pose& aimInWorld, const ArcOptions& options,
                        const std::function<bool(glm::vec3, float)>& walkable,
                        const std::function<bool(glm::vec3, glm::vec3)>& blocked = nullptr);

// Snap turn from a thumbstick x value with hysteresis: returns -1, 0 or +1 (turn left / none /
// right) once per flick; the stick must come back under `release` before the next turn.
class SnapTurnDetector {
public:
    int update(float stickX, float press = 0.7f, float release = 0.3f);

private:
    bool armed_ = true;
};

// Vignette strength 0..1 from the rig's motion this frame: rises at once, fades over `fadeSeconds`.
class Vignette {
public:
    float update(float motion, float dtSeconds, float maxStrength, float fadeSeconds = 0.25f);
    float strength() const { return strength_; }

private:
    float strength_ = 0.0f;
};

}  // namespace vt::xr
