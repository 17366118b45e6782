#pragma once
// The in-memory form of a point cloud, as the point-cloud readers (LAS/LAZ/COPC, E57, vertex-only
// PLY) produce it and the converter will consume it.
//
// Positions are float, relative to `origin` (double, in the file's coordinate system): a scan of a
// kilometre-wide site keeps sub-millimetre precision, and a point takes 12 bytes, not 24. Every
// attribute array has positions.size() entries or is empty (absent). Readers guarantee: all positions
// finite; `bounds` is the exact box of origin + positions, computed in double.

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

namespace vt::asset {

// A box in the file's coordinates, in double: an airborne survey lives at 10^6 m from its CRS origin.
struct DoubleBounds {
    glm::dvec3 min{0.0};
    glm::dvec3 max{0.0};
    glm::dvec3 size() const { return max - min; }
    bool empty() const { return !(min.x <= max.x && min.y <= max.y && min.z <= max.z); }
};

// One scan of a registered set (E57 data3D): where its points are and where the scanner stood.
struct ScanPose {
    std::string name;
    uint64_t firstPoint = 0;  // index into PointCloud::positions
    uint64_t pointCount = 0;
    glm::dquat rotation{1.0, 0.0, 0.0, 0.0};  // scan to file frame (already applied to the positions)
    glm::dvec3 translation{0.0};
};

// What the file said about its coordinates, kept so a converter can carry it into the pack.
struct PointCloudMetadata {
    std::string format;   // "LAS 1.2", "LAZ 1.4 (COPC)", "E57 1.0", "PLY"
    std::string crsWkt;   // OGC WKT of the coordinate reference system; empty when the file has none
    bool hasGeoTiffKeys = false;  // LAS GeoKeyDirectory VLR present (a CRS given as GeoTIFF keys, not WKT)
    glm::dvec3 scale{1.0};        // LAS: the integer grid step per axis; 1 elsewhere
    glm::dvec3 fileOffset{0.0};   // LAS: the header's offset; 0 elsewhere
    uint32_t pointFormat = 0;     // LAS point data format (0-10); 0 elsewhere
    uint64_t pointsInFile = 0;    // what the header claims (LAS) or the sum of record counts (E57)
    // COPC: the file's own octree (checked when read), so it can be streamed without conversion.
    uint32_t octreeNodes = 0;     // nodes with points; 0 when the file has no hierarchy
    int32_t octreeLevels = 0;
    double octreeRootSpacing = 0.0;  // point spacing at the root, in file units
};

struct PointCloud {
    std::string source;  // path it was read from, for messages
    PointCloudMetadata metadata;
    glm::dvec3 origin{0.0};                 // positions are relative to this
    std::vector<glm::vec3> positions;       // origin + position = the point in the file's frame
    std::vector<glm::u16vec3> colors;       // RGB, 0..65535 is the full range (8-bit sources scaled by 257)
    std::vector<uint16_t> intensity;        // LAS: as stored; E57: its declared limits scaled to 0..65535
    std::vector<uint8_t> classification;    // ASPRS classes (LAS); empty elsewhere
    std::vector<ScanPose> scans;            // E57: one per data3D; empty for single-frame formats
    DoubleBounds bounds;

    size_t pointCount() const { return positions.size(); }
    glm::dvec3 position(size_t i) const { return origin + glm::dvec3(positions[i]); }
};

inline bool isFinite(const glm::dvec3& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

// The farthest a point may lie from the origin, in file units: beyond it the float offset would lose
// all precision (and past ~3e38 overflow). Real surveys span at most ~10^7 m.
inline constexpr double kMaxPointDistance = 1e15;

// Appends a point, given in double, relative to cloud.origin; keeps cloud.bounds. The origin must be
// set before the first point (readers use the header's bounds or the first point). Returns false,
// appending nothing, when the point is not finite or lies farther than kMaxPointDistance from the origin.
[[nodiscard]] bool appendPoint(PointCloud& cloud, const glm::dvec3& point);

// Bytes the arrays hold (for "peak memory" in summaries).
uint64_t memoryBytes(const PointCloud& cloud);

}  // namespace vt::asset
