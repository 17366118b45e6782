#pragma once
// Parses the command line's camera and size options.

#include <string>

#include <glm/glm.hpp>

#include "core/result.h"

namespace vt::cli {

struct ViewAngles {
    float yawDegrees = 0.0f;
    float pitchDegrees = 0.0f;
};

// "front", "back", "left", "right", "top", "bottom", "three-quarter", or "YAW,PITCH" in degrees.
Result<ViewAngles> parseView(const std::string& text);

// "WIDTHxHEIGHT", each 1..8192.
Result<glm::uvec2> parseSize(const std::string& text);

// The model's up axis: "y" (glTF's), "z" (many scanners and CAD tools), "-y", "-z", "x", "-x";
// returns the rotation that makes it +Y.
Result<glm::mat4> parseUpAxis(const std::string& text);

}  // namespace vt::cli
