#include "scene/camera.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::scene {

glm::mat4 perspectiveReversedZ(float fovY, float aspect, float zNear) {
    const float tanHalf = std::tan(fovY * 0.5f);
    return perspectiveReversedZ(-std::atan(tanHalf * aspect), std::atan(tanHalf * aspect), std::atan(tanHalf),
                                -std::atan(tanHalf), zNear);
}

glm::mat4 perspectiveReversedZ(float angleLeft, float angleRight, float angleUp, float angleDown, float zNear) {
    const float left = std::tan(angleLeft), right = std::tan(angleRight);
    const float up = std::tan(angleUp), down = std::tan(angleDown);
    const float width = right - left, height = up - down;
    // Column-major. x_ndc = (2x/(-z) - (r+l)) / (r-l); Vulkan y points down, so up maps to -1.
    glm::mat4 m(0.0f);
    m[0][0] = 2.0f / width;
    m[2][0] = (right + left) / width;
    m[1][1] = -2.0f / height;
    m[2][1] = -(up + down) / height;
    // Reversed infinite depth: z_ndc = zNear / (-z), so the near plane is 1 and infinity is 0.
    m[2][2] = 0.0f;
    m[3][2] = zNear;
    m[2][3] = -1.0f;
    return m;
}

Orbit frameBounds(const Bounds& bounds, float fovY, float aspect, float yawDegrees, float pitchDegrees,
                  float fill) {
    // Fit the box itself, not its bounding sphere: tall or flat objects (a saxophone, a tablet)
    // would otherwise be framed far too small. For each corner, in the camera's basis, find the
    // distance at which it projects within `fill` of the half field of view on both axes.
    Orbit orbit{bounds.center(), 0.0f, yawDegrees, pitchDegrees};
    const View probe = orbitView(Orbit{orbit.target, 1.0f, yawDegrees, pitchDegrees}, fovY, aspect);
    const glm::mat3 viewFromWorld3(probe.viewFromWorld);
    const float tanY = std::tan(fovY * 0.5f) * fill, tanX = tanY * aspect;
    float distance = 1e-6f;
    for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p{corner & 1 ? bounds.max.x : bounds.min.x, corner & 2 ? bounds.max.y : bounds.min.y,
                          corner & 4 ? bounds.max.z : bounds.min.z};
        // Camera-relative offset of the corner from the target; view space looks down -z.
        const glm::vec3 q = viewFromWorld3 * (p - orbit.target);
        distance = std::max({distance, q.z + std::abs(q.x) / tanX, q.z + std::abs(q.y) / tanY});
    }
    // Stay outside the box so the near plane never cuts the object.
    orbit.distance = std::max(distance, bounds.radius() * 1.05f);
    return orbit;
}

View orbitView(const Orbit& orbit, float fovY, float aspect) {
    const float yaw = glm::radians(orbit.yawDegrees), pitch = glm::radians(orbit.pitchDegrees);
    const glm::vec3 offset{std::sin(yaw) * std::cos(pitch), std::sin(pitch), std::cos(yaw) * std::cos(pitch)};
    View view;
    view.position = orbit.target + offset * orbit.distance;
    // Looking straight down or up needs another up vector.
    const glm::vec3 up = std::abs(offset.y) > 0.999f ? glm::vec3(0, 0, -1) : glm::vec3(0, 1, 0);
    view.viewFromWorld = glm::lookAt(view.position, orbit.target, up);
    view.clipFromView = perspectiveReversedZ(fovY, aspect, std::max(orbit.distance * 1e-3f, 1e-4f));
    return view;
}

std::array<View, 2> stereoPair(const View& center, float ipd) {
    std::array<View, 2> eyes{center, center};
    const glm::mat4 worldFromView = glm::inverse(center.viewFromWorld);
    const glm::vec3 right = glm::vec3(worldFromView[0]);
    for (int eye = 0; eye < 2; ++eye) {
        const float side = eye == 0 ? -0.5f : 0.5f;
        // Moving the eye right by d shifts everything in view space left by d.
        eyes[eye].viewFromWorld = glm::translate(glm::mat4(1.0f), glm::vec3(-side * ipd, 0, 0)) * center.viewFromWorld;
        eyes[eye].position = center.position + right * (side * ipd);
    }
    return eyes;
}

}  // namespace vt::scene
