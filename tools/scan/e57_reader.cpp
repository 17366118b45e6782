#include "e57_reader.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "e57_bitpack.h"
#include "e57_pages.h"
#include "e57_xml.h"

namespace vt::scan {
namespace {

// Which prototype column holds what; -1 when absent.
struct Columns {
    int cartesian[3] = {-1, -1, -1};
    int spherical[3] = {-1, -1, -1};  // range, azimuth, elevation
    int color[3] = {-1, -1, -1};
    int intensity = -1;
    int cartesianInvalid = -1;
    int sphericalInvalid = -1;
};

Columns findColumns(const E57Scan& scan) {
    Columns c;
    const char* cartesian[3] = {"cartesianX", "cartesianY", "cartesianZ"};
    const char* spherical[3] = {"sphericalRange", "sphericalAzimuth", "sphericalElevation"};
    const char* color[3] = {"colorRed", "colorGreen", "colorBlue"};
    for (int f = 0; f < int(scan.prototype.size()); ++f) {
        const std::string& name = scan.prototype[size_t(f)].name;
        for (int axis = 0; axis < 3; ++axis) {
            if (name == cartesian[axis]) c.cartesian[axis] = f;
            if (name == spherical[axis]) c.spherical[axis] = f;
            if (name == color[axis]) c.color[axis] = f;
        }
        if (name == "intensity") c.intensity = f;
        if (name == "cartesianInvalidState") c.cartesianInvalid = f;
        if (name == "sphericalInvalidState") c.sphericalInvalid = f;
    }
    return c;
}

// A value in [minimum, maximum] as 0..65535.
uint16_t normalized(double value, std::pair<double, double> range) {
    const double span = range.second - range.first;
    const double t = span > 0.0 ? (value - range.first) / span : 1.0;
    return uint16_t(std::lround(std::clamp(t, 0.0, 1.0) * 65535.0));
}

bool all(const int (&columns)[3]) { return columns[0] >= 0 && columns[1] >= 0 && columns[2] >= 0; }

}  // namespace

Result<asset::PointCloud> readE57(std::span<const uint8_t> bytes, std::string_view label) {
    Result<E57Pages> pages = E57Pages::open(bytes, label);
    if (!pages) return std::unexpected(pages.error());
    Result<std::vector<uint8_t>> xml = pages->read(pages->xmlOffset, pages->xmlLength, "the XML section");
    if (!xml) return std::unexpected(xml.error());
    Result<std::vector<E57Scan>> scans = parseE57Xml(*xml, pages->xmlOffset, label);
    if (!scans) return std::unexpected(scans.error());
    if (scans->empty())
        return fail("{}: XML section at byte {}: the file has no scans (data3D is empty): no points to read", label,
                    pages->xmlOffset);

    asset::PointCloud cloud;
    cloud.source = std::string(label);
    cloud.metadata.format = std::format("E57 {}.{}", pages->versionMajor, pages->versionMinor);
    bool anyColor = false, anyIntensity = false;
    // Sections are disjoint (one per scan), so the file's size bounds the points of all scans together.
    std::set<uint64_t> sections;
    for (const E57Scan& scan : *scans) {
        if (!sections.insert(scan.sectionOffset).second)
            return fail("{}: byte {}: scan '{}' reads the same points section as an earlier scan", label,
                        scan.sectionOffset, scan.name);
        if (cloud.metadata.pointsInFile + scan.recordCount > kMaxE57Records)
            return fail("{}: byte {}: the scans hold more than {} points together", label, scan.sectionOffset,
                        kMaxE57Records);
        const Columns c = findColumns(scan);
        anyColor = anyColor || all(c.color);
        anyIntensity = anyIntensity || c.intensity >= 0;
        cloud.metadata.pointsInFile += scan.recordCount;
    }
    for (const E57Scan& scan : *scans) {
        const Columns c = findColumns(scan);
        const bool cartesian = all(c.cartesian);
        if (!cartesian && !all(c.spherical))
            return fail("{}: byte {}: scan '{}' has neither cartesianX/Y/Z nor sphericalRange/Azimuth/Elevation", label,
                        scan.sectionOffset, scan.name);
        Result<E57Columns> decoded = decodeCompressedVector(*pages, scan);
        if (!decoded) return std::unexpected(decoded.error());
        const E57Columns& columns = *decoded;
        std::pair<double, double> colorRange[3];
        for (int i = 0; i < 3; ++i)
            if (c.color[i] >= 0) {
                const E57Field& field = scan.prototype[size_t(c.color[i])];
                colorRange[i] = scan.colorLimits[i].value_or(std::pair{field.rangeMinimum(), field.rangeMaximum()});
            }
        std::pair<double, double> intensityRange{0.0, 1.0};
        if (c.intensity >= 0) {
            const E57Field& field = scan.prototype[size_t(c.intensity)];
            intensityRange = scan.intensityLimits.value_or(std::pair{field.rangeMinimum(), field.rangeMaximum()});
        }
        const int invalid = cartesian ? c.cartesianInvalid : c.sphericalInvalid;
        const glm::dmat3 rotation = glm::mat3_cast(scan.rotation);

        asset::ScanPose pose{scan.name, cloud.positions.size(), 0, scan.rotation, scan.translation};
        const size_t count = size_t(scan.recordCount);
        cloud.positions.reserve(cloud.positions.size() + count);
        for (size_t i = 0; i < count; ++i) {
            if (invalid >= 0 && columns[size_t(invalid)][i] != 0.0) continue;  // 1: direction only, 2: no data
            glm::dvec3 local;
            if (cartesian) {
                local = {columns[size_t(c.cartesian[0])][i], columns[size_t(c.cartesian[1])][i],
                         columns[size_t(c.cartesian[2])][i]};
            } else {
                const double range = columns[size_t(c.spherical[0])][i];
                const double azimuth = columns[size_t(c.spherical[1])][i];
                const double elevation = columns[size_t(c.spherical[2])][i];
                local = {range * std::cos(elevation) * std::cos(azimuth), range * std::cos(elevation) * std::sin(azimuth),
                         range * std::sin(elevation)};
            }
            const glm::dvec3 point = rotation * local + scan.translation;
            if (cloud.positions.empty() && asset::isFinite(point)) cloud.origin = glm::floor(point);
            if (!asset::appendPoint(cloud, point))
                return fail("{}: byte {}: scan '{}' point {} is not finite or lies more than {} from the first point",
                            label, scan.sectionOffset, scan.name, i, asset::kMaxPointDistance);
            if (anyColor) {
                glm::u16vec3 rgb(65535);
                if (all(c.color))
                    for (int k = 0; k < 3; ++k) rgb[k] = normalized(columns[size_t(c.color[k])][i], colorRange[k]);
                cloud.colors.push_back(rgb);
            }
            if (anyIntensity)
                cloud.intensity.push_back(c.intensity >= 0 ? normalized(columns[size_t(c.intensity)][i], intensityRange)
                                                           : uint16_t(65535));
        }
        pose.pointCount = cloud.positions.size() - pose.firstPoint;
        cloud.scans.push_back(std::move(pose));
    }
    if (cloud.positions.empty())
        return fail("{}: byte {}: the file's {} scan(s) hold no valid points (first scan's points at byte {})", label,
                    pages->xmlOffset, scans->size(), scans->front().sectionOffset);
    return cloud;
}

}  // namespace vt::scan
