#include "xr/logic/grab.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::xr {

void Grab::begin(size_t artifact, const glm::mat4& worldFromHand, const glm::mat4& current, const glm::mat4& home) {
    artifact_ = artifact;
    held_ = true;
    home_ = home;
    current_ = current;
    handFromObject_ = glm::inverse(worldFromHand) * current;
}

void Grab::update(const glm::mat4& worldFromHand) {
    if (held_) current_ = worldFromHand * handFromObject_;
}

void Grab::release() {
    if (!held_) return;
    held_ = false;
    releasedAt_ = current_;
    returnTime_ = 0.0f;
}

void Grab::advance(float dtSeconds) {
    if (!artifact_ || held_) return;
    returnTime_ += dtSeconds;
    const float t = std::clamp(returnTime_ / kReturnSeconds, 0.0f, 1.0f);
    const float s = t * t * (3.0f - 2.0f * t);
    const glm::quat from = glm::quat_cast(glm::mat3(releasedAt_));
    const glm::quat to = glm::quat_cast(glm::mat3(home_));
    const glm::vec3 position = glm::mix(glm::vec3(releasedAt_[3]), glm::vec3(home_[3]), s);
    current_ = glm::translate(glm::mat4(1.0f), position) * glm::mat4_cast(glm::slerp(from, to, s));
    if (t >= 1.0f) {
        current_ = home_;
        artifact_.reset();
    }
}

std::optional<float> rayBox(glm::vec3 origin, glm::vec3 direction, const glm::mat4& worldFromBox, glm::vec3 boxMin,
                            glm::vec3 boxMax) {
    const glm::mat4 boxFromWorld = glm::inverse(worldFromBox);
    const glm::vec3 o = glm::vec3(boxFromWorld * glm::vec4(origin, 1.0f));
    const glm::vec3 d = glm::vec3(boxFromWorld * glm::vec4(direction, 0.0f));
    float tMin = 0.0f, tMax = std::numeric_limits<float>::max();
    for (int axis = 0; axis < 3; ++axis) {
        if (std::abs(d[axis]) < 1e-12f) {
            if (o[axis] < boxMin[axis] || o[axis] > boxMax[axis]) return std::nullopt;
            continue;
        }
        float t0 = (boxMin[axis] - o[axis]) / d[axis];
        float t1 = (boxMax[axis] - o[axis]) / d[axis];
        if (t0 > t1) std::swap(t0, t1);
        tMin = std::max(tMin, t0);
        tMax = std::min(tMax, t1);
        if (tMin > tMax) return std::nullopt;
    }
    // d is in box units; the parameter t is the same along the world ray (affine map).
    return tMin;
}

}  // namespace vt::xr
