#include "view_spec.h"

#include <charconv>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace vt::cli {

namespace {

bool parseFloat(std::string_view text, float& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

}  // namespace

Result<ViewAngles> parseView(const std::string& text) {
    if (text == "front") return ViewAngles{0.0f, 8.0f};
    if (text == "back") return ViewAngles{180.0f, 8.0f};
    if (text == "left") return ViewAngles{-90.0f, 8.0f};
    if (text == "right") return ViewAngles{90.0f, 8.0f};
    if (text == "top") return ViewAngles{0.0f, 90.0f};
    if (text == "bottom") return ViewAngles{0.0f, -90.0f};
    if (text == "three-quarter") return ViewAngles{35.0f, 20.0f};
    const size_t comma = text.find(',');
    ViewAngles angles;
    if (comma == std::string::npos || !parseFloat(std::string_view(text).substr(0, comma), angles.yawDegrees) ||
        !parseFloat(std::string_view(text).substr(comma + 1), angles.pitchDegrees))
        return fail("--view '{}': expected front, back, left, right, top, bottom, three-quarter or YAW,PITCH in "
                    "degrees",
                    text);
    if (std::abs(angles.pitchDegrees) > 90.0f) return fail("--view '{}': pitch must be within -90..90", text);
    return angles;
}

Result<glm::uvec2> parseSize(const std::string& text) {
    const size_t x = text.find('x');
    unsigned width = 0, height = 0;
    auto parse = [](std::string_view part, unsigned& value) {
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
        return error == std::errc() && end == part.data() + part.size();
    };
    if (x == std::string::npos || !parse(std::string_view(text).substr(0, x), width) ||
        !parse(std::string_view(text).substr(x + 1), height) || width < 1 || height < 1 || width > 8192 ||
        height > 8192)
        return fail("--size '{}': expected WIDTHxHEIGHT with each side 1..8192, e.g. 1024x768", text);
    return glm::uvec2(width, height);
}

Result<glm::mat4> parseUpAxis(const std::string& text) {
    const glm::mat4 identity(1.0f);
    if (text == "y") return identity;
    if (text == "-y") return glm::rotate(identity, glm::radians(180.0f), glm::vec3(1, 0, 0));
    if (text == "z") return glm::rotate(identity, glm::radians(-90.0f), glm::vec3(1, 0, 0));
    if (text == "-z") return glm::rotate(identity, glm::radians(90.0f), glm::vec3(1, 0, 0));
    if (text == "x") return glm::rotate(identity, glm::radians(90.0f), glm::vec3(0, 0, 1));
    if (text == "-x") return glm::rotate(identity, glm::radians(-90.0f), glm::vec3(0, 0, 1));
    return fail("--up '{}': expected one of y, -y, z, -z, x, -x", text);
}

}  // namespace vt::cli
