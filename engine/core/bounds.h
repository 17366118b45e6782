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

// The axis-aligned box around `bounds` after `transform` (exact for the box's corners).
inline Bounds transformBounds(const Bounds& bounds, const glm::mat4& transform) {
    Bounds result{glm::vec3(1e30f), glm::vec3(-1e30f)};
    for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p{corner & 1 ? bounds.max.x : bounds.min.x, corner & 2 ? bounds.max.y : bounds.min.y,
                          corner & 4 ? bounds.max.z : bounds.min.z};
        const glm::vec3 q = glm::vec3(transform * glm::vec4(p, 1.0f));
        result.min = glm::min(result.min, q);
        result.max = glm::max(result.max, q);
    }
    return result;
}

}  // namespace vt
