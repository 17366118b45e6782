#pragma once
// Views and projections.
//
// Conventions: world is right-handed, +Y up. View space looks down -Z. Clip space is Vulkan's
// (y down, depth 0..1) with REVERSED depth: the near plane maps to 1 and infinity to 0, which spreads
// float precision evenly over distance (museum galleries mix centimetre detail with long halls).

#include <array>

#include <glm/glm.hpp>

#include "core/bounds.h"

namespace vt::scene {

struct View {
    glm::mat4 viewFromWorld{1.0f};
    glm::mat4 clipFromView{1.0f};
    glm::vec3 position{0.0f};  // eye position in world space

    glm::mat4 clipFromWorld() const { return clipFromView * viewFromWorld; }
};

// Infinite far plane, reversed Z, Vulkan clip space. fovY in radians.
glm::mat4 perspectiveReversedZ(float fovY, float aspect, float zNear);

// Asymmetric frustum from the four half-angles OpenXR reports (radians; left and down negative).
glm::mat4 perspectiveReversedZ(float angleLeft, float angleRight, float angleUp, float angleDown, float zNear);

// Camera orbiting a target, angles in degrees: yaw 0 looks at the object's front (from +Z toward -Z),
// positive yaw moves the camera to the right around the object, positive pitch raises it.
struct Orbit {
    glm::vec3 target{0.0f};
    float distance = 1.0f;
    float yawDegrees = 0.0f;
    float pitchDegrees = 0.0f;
};

// The orbit that frames `bounds`, seen from the given angles, so the box's projection fills at most
// `fill` (0..1) of the field of view on both axes.
Orbit frameBounds(const Bounds& bounds, float fovY, float aspect, float yawDegrees, float pitchDegrees,
                  float fill = 0.9f);

View orbitView(const Orbit& orbit, float fovY, float aspect);

// Two eyes separated by `ipd` metres along the view's right axis, both looking the same way
// (parallel axes, as headsets do). Index 0 is the left eye.
std::array<View, 2> stereoPair(const View& center, float ipd);

}  // namespace vt::scene
