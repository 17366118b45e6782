#pragma once
// Where a placed artifact's model goes in the gallery, from its pack's physical scale and
// orientation: the object stands life size (times its scale) with the centre of its base on the
// placement point.

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "core/bounds.h"
#include "exhibit/exhibit.h"

namespace vt::exhibit {

// What a pack says about its model's physical frame (pack::PackHeader carries all three).
struct ModelFrame {
    float millimetresPerUnit = 1000.0f;
    glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};  // model -> Y-up world axes
    Bounds bounds;                                   // model units
};

// The artifact's frame (origin at the centre of its base, Y up, turned by its rotation) in the world.
glm::mat4 worldFromObject(const Artifact& artifact);

// Model units -> the object frame: oriented Y-up, scaled to metres times the artifact's scale,
// centred on its base.
glm::mat4 objectFromModel(const Artifact& artifact, const ModelFrame& frame);

inline glm::mat4 worldFromModel(const Artifact& artifact, const ModelFrame& frame) {
    return worldFromObject(artifact) * objectFromModel(artifact, frame);
}

// The artifact's bounds in its object frame, metres.
Bounds objectBounds(const Artifact& artifact, const ModelFrame& frame);

}  // namespace vt::exhibit
