#include "exhibit/placement.h"

#include <glm/gtc/matrix_transform.hpp>

namespace vt::exhibit {

glm::mat4 worldFromObject(const Artifact& artifact) {
    const glm::vec3 r = glm::radians(artifact.rotationDegrees);
    glm::mat4 m = glm::translate(glm::mat4(1.0f), {artifact.positionXZ.x, artifact.baseY(), artifact.positionXZ.y});
    m = glm::rotate(m, r.z, {0, 0, 1});
    m = glm::rotate(m, r.y, {0, 1, 0});
    return glm::rotate(m, r.x, {1, 0, 0});
}

glm::mat4 objectFromModel(const Artifact& artifact, const ModelFrame& frame) {
    const float metresPerUnit = frame.millimetresPerUnit * 0.001f * artifact.scale;
    const glm::mat4 oriented = glm::mat4_cast(glm::normalize(frame.orientation));
    const Bounds box = transformBounds(frame.bounds, oriented);
    const glm::vec3 base{(box.min.x + box.max.x) * 0.5f, box.min.y, (box.min.z + box.max.z) * 0.5f};
    return glm::scale(glm::mat4(1.0f), glm::vec3(metresPerUnit)) * glm::translate(glm::mat4(1.0f), -base) * oriented;
}

Bounds objectBounds(const Artifact& artifact, const ModelFrame& frame) {
    return transformBounds(frame.bounds, objectFromModel(artifact, frame));
}

}  // namespace vt::exhibit
