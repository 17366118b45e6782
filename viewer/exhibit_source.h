#pragma once
// What the viewer opens: an exhibit file, or one or more artifact packs (files or URLs) that it
// places in a simple room of their own, one plinth each, with a tour that visits them in order.

#include <string>
#include <vector>

#include "exhibit/exhibit.h"

namespace vt::viewer {

struct OpenedExhibit {
    exhibit::Exhibit exhibit;
    std::string path;                   // exhibit file (packs resolve against its folder)
    std::vector<std::string> problems;  // formatted diagnostics, "file:line:col: error: /pointer: message"
    bool usable = false;                // false: nothing to show (the problems say why)
};

OpenedExhibit openInputs(const std::vector<std::string>& inputs);

// The exhibit JSON for a row of packs (absolute paths or URLs), in the exhibit format.
std::string exhibitJsonForPacks(const std::vector<std::string>& packs);

}  // namespace vt::viewer
