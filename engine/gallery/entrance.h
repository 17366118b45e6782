#pragma once
// Where a visitor enters an exhibit: the one place the desktop viewer and the headset both take their
// starting pose from.

#include "exhibit/exhibit.h"

namespace vt::gallery {

constexpr float kEntranceClearance = 0.5f;     // metres from walls and stands (a visitor walks at 0.25)
constexpr float kFloorObjectClearance = 1.0f;  // metres from the base centre of an object without a stand
constexpr float kViewingDistance = 2.0f;       // metres: how far from the artifact it faces the entrance prefers to be

// The exhibit's own "start" when it gives one. Otherwise a free standing spot in the first room, at
// eye height, looking at the first artifact that stands in that room (else the first artifact; with
// none, towards -z). The spot is:
// - free: at least kEntranceClearance from every wall and stand, and kFloorObjectClearance from the
//   base of an object standing on the floor without a stand (its footprint is unknown until its
//   pack opens), so no start is inside an object, whatever stands at the room's centre;
// - with nothing (no other stand, no wall) between it and that artifact;
// - as near the room's centre as that allows, preferring spots at least kViewingDistance from that
//   artifact (one right beside it would show nothing but the object).
// When no spot is all of these, the clearance shrinks to a visitor's own radius (0.25 m), then the
// clear view is given up; a room with no free spot at all gives its centre. No rooms: the origin.
// The same exhibit always gives the same pose.
exhibit::CameraPose entrance(const exhibit::Exhibit& exhibit);

}  // namespace vt::gallery
