#include "xr/logic/locomotion.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::xr {

namespace {

// Yaw of a forward vector around +Y, 0 when it points to -Z, positive turning left (counter-clockwise
// seen from above), like glm::rotate about +Y.
float yawOf(glm::vec3 forward) { return std::atan2(-forward.x, -forward.z); }

}  // namespace

glm::mat4 Rig::worldFromTracking() const {
    glm::mat4 m = glm::translate(glm::mat4(1.0f), origin_);
    m = glm::rotate(m, yaw_, glm::vec3(0.0f, 1.0f, 0.0f));
    return glm::translate(m, glm::vec3(0.0f, heightOffset_, 0.0f));
}

void Rig::placeHead(const Pose& headInTracking, glm::vec2 worldHeadXZ, float worldYawRadians) {
    const glm::vec3 before = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    // The head's yaw in tracking space; the rig turns so that it becomes worldYawRadians.
    const float headYaw = yawOf(headInTracking.forward());
    yaw_ = worldYawRadians - headYaw;
    origin_ = glm::vec3(0.0f);
    const glm::vec3 head = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    origin_ = glm::vec3(worldHeadXZ.x - head.x, 0.0f, worldHeadXZ.y - head.z);
    const glm::vec3 after = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    motion_ += glm::length(after - before);
}

void Rig::snapTurn(const Pose& headInTracking, float radians) {
    const glm::vec3 head = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    yaw_ += radians;
    const glm::vec3 moved = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    origin_ += glm::vec3(head.x - moved.x, 0.0f, head.z - moved.z);
    motion_ += std::abs(radians);
}

void Rig::teleport(const Pose& headInTracking, glm::vec3 target) {
    const glm::vec3 head = glm::vec3(worldFromTracking() * glm::vec4(headInTracking.position, 1.0f));
    const glm::vec3 delta(target.x - head.x, 0.0f, target.z - head.z);
    origin_ += delta;
    origin_.y = target.y;  // the floor point's height (another floor level)
    motion_ += glm::length(delta);
}

void Rig::calibrateEyeHeight(const Pose& headInTracking, float eyeHeight) {
    heightOffset_ = eyeHeight - headInTracking.position.y;
}

float Rig::takeMotion() { return std::exchange(motion_, 0.0f); }

TeleportArc teleportArc(const Pose& aim, const ArcOptions& options,
                        const std::function<bool(glm::vec3, float)>& walkable,
                        const std::function<bool(glm::vec3, glm::vec3)>& blocked) {
    TeleportArc arc;
    glm::vec3 p = aim.position;
    glm::vec3 v = aim.forward() * options.speed;
    arc.points.push_back(p);
    for (uint32_t i = 0; i < options.maxSegments; ++i) {
        const glm::vec3 next = p + v * options.step + glm::vec3(0.0f, -0.5f * options.gravity, 0.0f) * options.step * options.step;
        v.y -= options.gravity * options.step;
        if (next.y <= options.floorY && p.y > options.floorY) {
            const float t = (p.y - options.floorY) / (p.y - next.y);
            const glm::vec3 hit = glm::mix(p, next, t);
            if (blocked && blocked(p, hit)) {
                arc.points.push_back(hit);
                return arc;
            }
            arc.points.push_back(hit);
            arc.hit = true;
            arc.target = hit;
            arc.valid = walkable ? walkable(hit, options.visitorRadius) : true;
            return arc;
        }
        if (blocked && blocked(p, next)) {
            arc.points.push_back(next);
            return arc;
        }
        arc.points.push_back(next);
        p = next;
    }
    return arc;
}

int SnapTurnDetector::update(float stickX, float press, float release) {
    if (armed_ && std::abs(stickX) >= press) {
        armed_ = false;
        return stickX > 0.0f ? 1 : -1;
    }
    if (!armed_ && std::abs(stickX) <= release) armed_ = true;
    return 0;
}

float Vignette::update(float motion, float dtSeconds, float maxStrength, float fadeSeconds) {
    if (motion > 1e-4f) {
        strength_ = maxStrength;
    } else if (fadeSeconds > 0.0f) {
        strength_ = std::max(0.0f, strength_ - maxStrength * dtSeconds / fadeSeconds);
    } else {
        strength_ = 0.0f;
    }
    return strength_;
}

}  // namespace vt::xr
