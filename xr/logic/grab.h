#pragma once
// Grabbing an artifact to turn it in the hand: while held it follows the hand rigidly (the grip
// offset at the moment of grabbing is kept); when released it flies back to its plinth over a short
// time, rotation by slerp and position by a smooth step.

#include <optional>
#include <string>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

namespace vt::xr {

constexpr float kReturnSeconds = 0.6f;  // release -> back on the plinth

class Grab {
public:
    // Starts holding: `home` is the artifact's worldFromObject on its plinth (rigid, no scale).
    void begin(size_t artifact, const glm::mat4& worldFromHand, const glm::mat4& current, const glm::mat4& home);
    // Follows the hand while held.
    void update(const glm::mat4& worldFromHand);
    void release();
    // Advances the return flight; call once a frame.
    void advance(float dtSeconds);

    bool active() const { return artifact_.has_value(); }  // held or on its way back
    bool held() const { return held_; }
    std::optional<size_t> artifact() const { return artifact_; }
    // Where the artifact is now (worldFromObject); equals home once returned.
    const glm::mat4& worldFromObject() const { return current_; }
    const glm::mat4& home() const { return home_; }

private:
    std::optional<size_t> artifact_;
    bool held_ = false;
    glm::mat4 handFromObject_{1.0f};
    glm::mat4 home_{1.0f};
    glm::mat4 current_{1.0f};
    glm::mat4 releasedAt_{1.0f};
    float returnTime_ = 0.0f;
};

// Ray against a box given by its world matrix and object-space bounds (slab test). Returns the
// distance along the ray, or nothing.
std::optional<float> rayBox(glm::vec3 origin, glm::vec3 direction, const glm::mat4& worldFromBox, glm::vec3 boxMin,
                            glm::vec3 boxMax);

}  // namespace vt::xr
