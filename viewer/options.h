#pragma once
// The viewer's command line (README, "The desktop viewer"):
//
//   vitrine-viewer EXHIBIT.json | PACK... [--script FILE] [--screenshot PNG] [--size WxH] [--output DIR]
//                  [--headless] [--language en|zh] [--ui-scale F] [--quality PIXELS] [--no-vsync] [--validation]

#include <expected>
#include <string>
#include <vector>

#include <vulkan/vulkan.h>

#include "viewer/settings.h"

namespace vt::viewer {

struct Options {
    std::vector<std::string> inputs;  // an exhibit file, or packs (files or http(s) URLs)
    std::string script;               // --script FILE: run it instead of waiting for a person
    std::string screenshot;           // --screenshot PNG: settle, save the window, exit
    std::string output = "out/tour";  // --output DIR: where the tour's pictures go without a window
    VkExtent2D size{1280, 800};       // --size: the window, or the offscreen image
    bool headless = false;            // --headless: offscreen even where there is a display
    bool validation = false;          // --validation or VITRINE_VALIDATION=1: any message makes the exit code 3
    Settings settings;                // language empty: the exhibit's first language
};

// The options, or (after printing the usage, and the problem if there is one) the exit code: 2.
std::expected<Options, int> parseOptions(int argc, char** argv);

}  // namespace vt::viewer
