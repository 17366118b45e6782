#pragma once
// Lights of a museum scene: a directional key light, spot lights on objects, and image-based
// ambient light from an environment.

#include <vector>

#include <glm/glm.hpp>

#include "core/bounds.h"
#include "scene/environment.h"

namespace vt::scene {

struct DirectionalLight {
    glm::vec3 direction{-0.4f, -0.8f, -0.45f};  // direction the light travels, world space
    glm::vec3 color{1.0f, 0.97f, 0.92f};        // linear RGB
    float intensity = 2.5f;                     // illuminance scale, relative to exposure 1
    // The world box its shadow map covers (render/shadows.h): receivers inside it are shadowed by
    // casters inside it; casters above its top cast nothing (a ceiling must not shadow the room).
    // Empty (the default, min == max): the light casts no shadow.
    Bounds shadowRegion{};
    bool castsShadow = true;  // with a shadow region
};

struct SpotLight {
    glm::vec3 position{0.0f};
    glm::vec3 direction{0.0f, -1.0f, 0.0f};
    glm::vec3 color{1.0f};
    float intensity = 10.0f;          // luminous intensity scale; falls off with inverse square distance
    float range = 10.0f;              // metres (model units) where the light smoothly reaches zero
    float innerConeRadians = 0.3f;    // full intensity inside
    float outerConeRadians = 0.5f;    // zero outside
    bool castsShadow = true;          // the renderer shadows the first few lights that ask (render/shadows.h)
};

enum class ToneMapper { PbrNeutral, AcesFilmic };

struct Lighting {
    DirectionalLight sun;
    std::vector<SpotLight> spots;  // the renderer draws up to kMaxSpotLights of them
    Environment environment = Environment::gallery();
    float ambientIntensity = 1.0f;
    float exposure = 1.0f;
    ToneMapper toneMapper = ToneMapper::PbrNeutral;
};

}  // namespace vt::scene

namespace vt::scene {

// Museum lighting for one object: a soft key light from the upper front left, one spot light from
// above front right aimed at the object's centre, and the gallery environment for ambient light.
// Distances scale with the object's size, so a coin and a statue are lit alike.
Lighting objectLighting(const Bounds& bounds);

}  // namespace vt::scene
