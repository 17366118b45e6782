#pragma once
// `vitrine exhibit generate`: the objects a catalog query finds, laid out in walkable rooms in the
// exhibit format the viewer reads (engine/exhibit, docs/exhibit-format.md), and a IIIF Presentation
// 3 manifest of the same exhibit for open data.
//
// Layout: rooms in a row along +x, joined by doorways. Each object stands at life size on its own
// plinth, sized from the pack's physical bounds (bounds x millimetres per unit, after its
// orientation), tall enough that the object's centre is near eye level (kViewingHeight), with its
// own spot light and a label from its record. Plinths line the long walls facing a central aisle of
// at least kAisle; the room is as long as its objects need. The tour visits every object in the
// layout's order:
//   chronological - by earliest year (undated last), rooms named by their years;
//   grid          - by title, two rows per room;
//   linear        - in search rank order, one row per room along the north wall.

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "exhibit/exhibit.h"
#include "tools/catalog/catalog.h"

namespace vt::collection {

constexpr float kAisle = 1.8f;          // metres between facing plinths; visitors need >= 1.5
constexpr float kWallClearance = 0.6f;  // metres between a plinth's back and its wall
constexpr float kPlinthGap = 1.0f;      // metres between neighbouring plinths in a row
constexpr float kViewingHeight = 1.25f; // metres: where an object's centre should be
constexpr float kMaxObjectSize = 6.0f;  // metres: larger objects are scaled down to this (noted)

enum class Layout { Chronological, Grid, Linear };
Result<Layout> parseLayout(const std::string& text);

struct ExhibitOptions {
    std::string query;                  // catalog search; empty = every object
    Layout layout = Layout::Chronological;
    std::filesystem::path store;        // the pack store the catalog's packs live in
    std::filesystem::path exhibitPath;  // where the exhibit will be written; packs are relative to it
    std::string title;                  // default: the query
    size_t maxObjects = 200;
    size_t perRoom = 8;
};

struct GeneratedExhibit {
    exhibit::Exhibit exhibit;
    std::vector<std::string> notes;  // objects left out or scaled, and why
};

Result<GeneratedExhibit> generateExhibit(catalog::Catalog& catalog, const ExhibitOptions& options);

// A source camera's vertical field of view once its camera stands `placedDistance` from its target
// instead of `authoredDistance` (moved closer to stay inside the room): widened so the object fills
// the same share of the picture, then held to what the exhibit format takes (10-120 degrees).
float framedFieldOfView(float authoredDegrees, float authoredDistance, float placedDistance);

// The exhibit as a IIIF Presentation 3 manifest: one Canvas per artifact (its record as metadata,
// its pack as a painting annotation of type Model), one Range per room. Relative pack paths are
// resolved against `baseUrl` (where the exhibit will be published).
std::string iiifManifest(const exhibit::Exhibit& exhibit, const std::string& baseUrl);

}  // namespace vt::collection
