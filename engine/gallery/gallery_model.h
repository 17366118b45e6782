#pragma once
// The gallery's own geometry, built from an exhibit on the CPU: floors, walls with their door
// openings cut out, ceilings, plinths and vitrine glass. Plain coloured PBR materials, no textures.
//
// Conventions (those of exhibit.h): metres, Y up, floor at y = 0. Every surface faces the visitor:
// floors up, ceilings down, walls into their room, plinth sides outwards. Walls have no thickness;
// a wall shared by two rooms is drawn once per room, each copy facing its own room, so both rooms
// must name the doorway (Opening) for it to be open from both sides.

#include <optional>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "asset/model.h"
#include "core/bounds.h"
#include "exhibit/exhibit.h"

namespace vt::gallery {

// Vitrine glass cases need the height of what they hold. objectHeights[i] is artifact i's height in
// metres once its pack header is known; missing or <= 0: kDefaultObjectHeight.
constexpr float kDefaultObjectHeight = 0.6f;  // metres

// The gallery as a model: one mesh per surface kind and colour. Glass uses AlphaMode::Blend and is
// double sided; everything else is opaque and single sided.
asset::Model buildGalleryModel(const exhibit::Exhibit& exhibit, std::span<const float> objectHeights = {});

// A stand's footprint on the floor: the four corners (x, z) of its rotated rectangle, counter-clockwise
// seen from above. Empty for StandKind::None.
std::vector<glm::vec2> standFootprint(const exhibit::Artifact& artifact);

// The glass case of a vitrine artifact: a box standing on the plinth, turned with it about Y;
// nullopt for other stands. Its height covers the object (objectHeight metres) plus a margin.
struct GlassCase {
    glm::vec2 centerXZ{0.0f};
    float yawDegrees = 0.0f;
    glm::vec3 size{0.0f};  // x, y, z metres
    float bottomY = 0.0f;
};
std::optional<GlassCase> glassCase(const exhibit::Artifact& artifact, float objectHeight);

// Triangulates a simple polygon (either winding) by ear clipping: index triples into `polygon`, each
// with the polygon's own winding. Empty if degenerate.
std::vector<uint32_t> triangulate(std::span<const glm::vec2> polygon);

// Twice the signed area of a polygon in (x, z): > 0 when counter-clockwise in the (x, z) plane
// (x right, z up on paper), which is clockwise seen from +Y.
float signedArea2(std::span<const glm::vec2> polygon);

}  // namespace vt::gallery
