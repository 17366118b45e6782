#pragma once
// Read a point-cloud file of any supported format into an asset::PointCloud: LAS/LAZ 1.0-1.4 and
// COPC (las_reader, copc), E57 (e57_reader, ours), and PLY with vertices and no faces (ply_reader).
// The format is detected by content first (LASF, ASTM-E57, a PLY header without faces) and by
// extension second. All readers are bounds-checked and run in-process.
//
// On failure the error is one line that starts with the path and names the byte offset.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "asset/point_cloud.h"
#include "core/result.h"

namespace vt::scan {

enum class PointCloudFormat : uint8_t { None, Las, E57, Ply };

// head: the file's first bytes (a PLY needs its whole header to tell points from a mesh).
PointCloudFormat detectPointCloud(const std::filesystem::path& path, std::span<const uint8_t> head);

// Reads the start of the file to decide (cheap); false when it cannot be read.
bool isPointCloudFile(const std::filesystem::path& path);

Result<asset::PointCloud> readPointCloud(const std::filesystem::path& path);

// Several lines for people: format, points, bounds, size, attributes, CRS, scans.
std::string describePointCloud(const asset::PointCloud& cloud);

}  // namespace vt::scan
