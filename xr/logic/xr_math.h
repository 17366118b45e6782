#pragma once
// Views from what xrLocateViews reports: an eye pose in the tracking space (the app's reference
// space) and four FOV half-angles. The rig (where the tracking space stands in the gallery, after
// teleports, snap turns and recentring) is a rigid transform `worldFromTracking`.

#include <array>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "scene/camera.h"

namespace vt::xr {

struct Pose {
    glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
    glm::vec3 position{0.0f};

    glm::mat4 matrix() const;  // parentFromPose
    glm::vec3 forward() const { return orientation * glm::vec3(0.0f, 0.0f, -1.0f); }
};

// Radians, as XrFovf: left and down are negative for a centred view.
struct Fov {
    float angleLeft = -0.8f;
    float angleRight = 0.8f;
    float angleUp = 0.8f;
    float angleDown = -0.8f;
};

constexpr float kNearPlane = 0.05f;  // metres: close enough to look into a vitrine from a hand span

// One eye's view: viewFromWorld = inverse(worldFromTracking * trackingFromEye); the projection is
// scene::perspectiveReversedZ from the four angles (reversed Z, infinite far plane).
scene::View eyeView(const glm::mat4& worldFromTracking, const Pose& eyeInTracking, const Fov& fov,
                    float zNear = kNearPlane);

// Pose of a point `ahead` metres along a ray (e.g. a pointer's hit distance).
glm::vec3 pointAlong(const Pose& pose, float distance);

}  // namespace vt::xr
