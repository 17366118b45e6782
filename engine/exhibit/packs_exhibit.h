#pragma once
// Artifact packs given on their own (a viewer's or headset's command line: files or URLs) become an
// exhibit: one room, one plinth each in a row, a tour that visits them in order. The one builder
// for it, shared by the desktop viewer and the XR app.

#include <string>
#include <vector>

#include "exhibit/exhibit.h"

namespace vt::exhibit {

// The exhibit JSON for a row of packs (absolute paths or URLs), in the exhibit format.
std::string exhibitJsonForPacks(const std::vector<std::string>& packs);

// The exhibit for packs named on a command line: local paths made absolute (so they resolve
// whatever the exhibit's folder), URLs kept; parsed like a file, with its diagnostics.
ParseResult exhibitForPacks(const std::vector<std::string>& inputs);

}  // namespace vt::exhibit
