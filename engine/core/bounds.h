#pragma once
// Axis-aligned bounding box.

#include <glm/glm.hpp>

namespace vt {

struct Bounds {
    glm::vec3 min{0.0f};
    glm::vec3 max{0.0f};
    glm::vec3 center() const { return (min + max) * 0.5f; }
    glm::vec3 size() const { return max - min; }
    float radius() const { return glm::length(max - min) * 0.5f; }
};

}  // namespace vt
