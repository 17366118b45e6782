#pragma once
// The small models the interaction draws (xr::Interaction uploads each once): the dots of the teleport
// arc and the pointing rays, the teleport target marker, and the comfort vignette. Built on the CPU
// as asset::Model; emissive, so they read in a dark gallery.

#include <vector>

#include <glm/glm.hpp>

#include "asset/model.h"

namespace vt::xr {

// A flat disc through `ring` (points around the origin in the XZ plane) at `height`, facing up.
asset::Model markerModel(const std::vector<glm::vec3>& ring, float height, glm::vec3 color);
// `segments` points on a circle of `radius` in the XZ plane, for markerModel.
std::vector<glm::vec3> circle(float radius, int segments);
// An octahedron of `radius` metres: small and cheap, enough for a dot.
asset::Model dotModel(float radius, glm::vec3 color);
// The comfort vignette: a black ring around the view, transparent inside `innerDegrees` (half angle),
// opaque from 15 degrees further out, 0.3 m ahead of the head (-Z). Drawn with the head's pose, after
// everything else (blended), so it darkens the edges of both eyes.
asset::Model vignetteModel(float innerDegrees);

}  // namespace vt::xr
