#pragma once
// COPC (Cloud Optimized Point Cloud, copc.io 1.0): the info VLR and the octree hierarchy of a
// LAZ 1.4 file, so a COPC file can later be streamed node by node with range requests, without
// conversion. The points themselves are read by readLas (a COPC file is a valid LAZ file).
//
// Untrusted bytes: hierarchy pages are checked to lie inside the file, to be whole 32-byte entries,
// and to be visited once (no cycles); node keys must lie inside their level's grid, point chunks
// inside the point data, and the node counts must add up to the header's. Errors name the byte offset.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "core/result.h"
#include "las_header.h"

namespace vt::scan {

struct CopcInfo {
    glm::dvec3 center{0.0};
    double halfSize = 0.0;   // the root cube is center +- halfSize on every axis
    double spacing = 0.0;    // point spacing at the root level, in file units
    uint64_t rootHierarchyOffset = 0;
    uint64_t rootHierarchySize = 0;
    double gpsTimeMin = 0.0;
    double gpsTimeMax = 0.0;
};

// One octree node with points: its key (level, x, y, z on the level's 2^level grid) and where its
// LAZ chunk lies in the file.
struct CopcNode {
    int32_t level = 0;
    int32_t x = 0, y = 0, z = 0;
    uint64_t offset = 0;     // byte offset of the node's compressed chunk
    uint32_t byteSize = 0;
    uint32_t pointCount = 0;
};

struct CopcHierarchy {
    CopcInfo info;
    std::vector<CopcNode> nodes;  // every node with points, in the order the pages list them
    uint32_t pageCount = 0;
    int32_t maxLevel = 0;
    uint64_t pointCount = 0;  // sum over nodes

    // A node's cube in file coordinates.
    glm::dvec3 nodeMin(const CopcNode& node) const;
    glm::dvec3 nodeMax(const CopcNode& node) const;
};

// The most hierarchy entries we follow (a billion-point COPC file has ~10^5 nodes).
inline constexpr uint64_t kMaxCopcEntries = uint64_t(1) << 24;

// Whether the header is a COPC file's (its first VLR is "copc" 1).
bool isCopc(const LasHeader& header);

Result<CopcHierarchy> readCopcHierarchy(const LasHeader& header, std::span<const uint8_t> bytes, std::string_view label);

}  // namespace vt::scan
