#include "xr/logic/xr_math.h"

#include <glm/gtc/matrix_transform.hpp>

namespace vt::xr {

glm::mat4 Pose::matrix() const { return glm::translate(glm::mat4(1.0f), position) * glm::mat4_cast(orientation); }

scene::View eyeView(const glm::mat4& worldFromTracking, const Pose& eyeInTracking, const Fov& fov, float zNear) {
    const glm::mat4 worldFromEye = worldFromTracking * eyeInTracking.matrix();
    scene::View view;
    view.viewFromWorld = glm::inverse(worldFromEye);
    view.clipFromView = scene::perspectiveReversedZ(fov.angleLeft, fov.angleRight, fov.angleUp, fov.angleDown, zNear);
    view.position = glm::vec3(worldFromEye[3]);
    return view;
}

glm::vec3 pointAlong(const Pose& pose, float distance) { return pose.position + pose.forward() * distance; }

}  // namespace vt::xr
