#pragma once
// The XML section of an E57 file (pugixml): the scans (data3D), their poses, and the prototype of
// each scan's compressed vector of points. Only what a point-cloud reader needs; images2D and
// extensions are skipped.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "core/result.h"

namespace vt::scan {

enum class E57FieldKind : uint8_t { Integer, ScaledInteger, Float };

// One column of a compressed vector's prototype.
struct E57Field {
    std::string name;  // "cartesianX", "colorRed", "intensity", ...
    E57FieldKind kind = E57FieldKind::Float;
    int64_t minimum = 0;  // Integer and ScaledInteger: raw values lie in [minimum, maximum]
    int64_t maximum = 0;
    double scale = 1.0;   // ScaledInteger: value = raw * scale + offset
    double offset = 0.0;
    bool singlePrecision = false;  // Float
    double floatMinimum = 0.0;     // Float: the declared range (for normalizing colour and intensity)
    double floatMaximum = 0.0;
    uint32_t bitsPerRecord() const;  // bits one value takes in the bitpack stream
    double rangeMinimum() const;     // the declared range as values (after scale and offset)
    double rangeMaximum() const;
};

struct E57Scan {
    std::string name;
    glm::dquat rotation{1.0, 0.0, 0.0, 0.0};
    glm::dvec3 translation{0.0};
    uint64_t sectionOffset = 0;  // physical offset of the compressed vector's binary section
    uint64_t recordCount = 0;
    std::vector<E57Field> prototype;
    std::optional<std::pair<double, double>> colorLimits[3];  // red, green, blue: the full range
    std::optional<std::pair<double, double>> intensityLimits;
};

// xml: the section's logical bytes; xmlOffset: its physical offset, for messages.
Result<std::vector<E57Scan>> parseE57Xml(std::span<const uint8_t> xml, uint64_t xmlOffset, std::string_view label);

}  // namespace vt::scan
