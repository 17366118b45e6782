#pragma once
// What the viewer opens: an exhibit file, or one or more artifact packs (files or URLs) that it
// places in a simple room of their own, one plinth each, with a tour that visits them in order
// (exhibit/packs_exhibit.h, shared with the headset).

#include <string>
#include <vector>

#include "exhibit/exhibit.h"

namespace vt::viewer {

struct OpenedExhibit {
    exhibit::Exhibit exhibit;
    std::string path;                   // exhibit file (packs resolve against its folder)
    std::vector<std::string> problems;  // formatted diagnostics, "file:line:col: error: /pointer: message"
    bool usable = false;                // false: nothing to show (the problems say why)
    std::string text;                   // the exhibit file's text (empty for packs)
};

OpenedExhibit openInputs(const std::vector<std::string>& inputs);

// A problem found later (a pack that does not open) prefixed with the location of the artifact's
// "pack" value in the exhibit file: "exhibit.json:12:15: error: /artifacts/1/pack: " + problem.
// `problem` names the artifact as "artifact 'ID': ..." (gallery::ExhibitScene's errors do); others
// come back as they are.
std::string locateArtifactProblem(const OpenedExhibit& opened, const std::string& problem);

}  // namespace vt::viewer
