#pragma once
// Our own PLY reader: ascii, binary_little_endian and binary_big_endian, every PLY scalar type.
//
// Reads vertex x y z, nx ny nz, red green blue alpha (integer colours normalized, then sRGB to
// linear), s t / u v / texture_u texture_v (flipped to glTF's top-left origin); faces from
// `face` (list `vertex_indices` or `vertex_index`, polygons fan-triangulated) and `tristrips`
// (list `vertex_indices`, -1 restarts a strip). Unknown elements and properties are skipped. A
// `comment TextureFile NAME` header line (MeshLab) becomes the base colour texture.
//
// Untrusted bytes: header counts are checked against the file size before anything is allocated;
// errors give the header or data line (ascii) or the byte offset (binary). A PLY with vertices but
// no faces is rejected by parsePly as a point cloud: parsePlyPoints reads it (its vertices as points,
// positions in double, colours as stored). Runs in-process: it never reads out of bounds.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "asset/model.h"
#include "asset/point_cloud.h"
#include "core/result.h"

namespace vt::scan {

// label starts error messages; textures named in the header are looked up in baseDir.
Result<asset::Model> parsePly(std::span<const uint8_t> bytes, std::string_view label,
                              const std::filesystem::path& baseDir = {});

// Whether the header describes vertices and no faces (a point cloud); false for anything unreadable.
bool plyIsPointCloud(std::span<const uint8_t> bytes);

// The vertices of any PLY as points (faces, if any, are skipped): x y z, and red green blue when
// all three are there (integer colours normalized to 0..65535). Same checks and messages as parsePly.
Result<asset::PointCloud> parsePlyPoints(std::span<const uint8_t> bytes, std::string_view label);

}  // namespace vt::scan
