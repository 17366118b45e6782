#include "scene/lighting.h"

#include <algorithm>

namespace vt::scene {

Lighting objectLighting(const Bounds& bounds) {
    Lighting lighting;
    const float radius = std::max(bounds.radius(), 1e-4f);
    const glm::vec3 center = bounds.center();
    lighting.sun.direction = glm::normalize(glm::vec3(0.45f, -0.7f, -0.55f));
    lighting.sun.intensity = 1.8f;
    SpotLight spot;
    spot.position = center + glm::vec3(-1.5f, 2.5f, 2.0f) * radius;
    spot.direction = glm::normalize(center - spot.position);
    const float distance = glm::length(center - spot.position);
    // Intensity in units of the key light at the object: the inverse-square falloff is undone here.
    spot.intensity = 1.6f * distance * distance;
    spot.range = distance * 3.0f;
    spot.color = glm::vec3(1.0f, 0.93f, 0.82f);  // warm, like a 3000 K gallery spot
    spot.innerConeRadians = 0.35f;
    spot.outerConeRadians = 0.6f;
    lighting.spots.push_back(spot);
    return lighting;
}

}  // namespace vt::scene
