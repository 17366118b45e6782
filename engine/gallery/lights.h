#pragma once
// The gallery's spot lights: one per artifact (from its ArtifactLight and its size), plus the
// exhibit's extra lights, and the choice of which of them the renderer draws in a frame (it draws at
// most VT_MAX_SPOT_LIGHTS).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/bounds.h"
#include "exhibit/exhibit.h"
#include "scene/camera.h"
#include "scene/lighting.h"

namespace vt::gallery {

// The most spot lights the renderer draws in one frame.
uint32_t maxSpotLightsPerFrame();

// An exhibit light as the renderer's spot light (cone: full inside coneDegrees, fading to zero over
// 10 more degrees).
scene::SpotLight toSpotLight(const exhibit::SpotLight& light);

// The artifact's own spot light, aimed at the centre of `objectWorldBounds` (its placed object),
// positioned as its ArtifactLight says or, by default, above and in front of the object at a distance
// scaled to its size, below `ceilingY`. nullopt when the light is disabled.
std::optional<scene::SpotLight> artifactSpotLight(const exhibit::Artifact& artifact, const Bounds& objectWorldBounds,
                                                  float ceilingY);

// Where a spot light's cone lands: the point it aims at (its range, or where it meets the floor y = 0
// first) and the radius of its cone there. Used to judge whether the light matters to a view.
struct LitSpot {
    glm::vec3 center{0.0f};
    float radius = 0.0f;
};
LitSpot litSpot(const scene::SpotLight& light);

// Picks up to `maxCount` of `spots` for these views. A light's score is the distance from the
// nearest eye to its lit spot, plus 10 times how far (metres) that spot lies outside the view; the
// lowest scores win. Returns indices into `spots` in increasing order (so a light keeps its relative
// slot from frame to frame).
std::vector<uint32_t> selectSpotLights(std::span<const scene::SpotLight> spots, std::span<const scene::View> views,
                                       uint32_t maxCount);

// The same choice with a fade per chosen light (0..1, multiply its intensity): when lights are left
// out, those whose score is within a metre of the first one left out fade towards it, so walking and
// turning never switch a light on or off at once. 1 for all when nothing is left out.
struct SelectedSpot {
    uint32_t index = 0;
    float fade = 1.0f;
};
std::vector<SelectedSpot> chooseSpotLights(std::span<const scene::SpotLight> spots, std::span<const scene::View> views,
                                           uint32_t maxCount);

}  // namespace vt::gallery
