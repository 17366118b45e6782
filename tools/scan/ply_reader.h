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
// no faces is rejected as a point cloud. Runs in-process: it never reads out of bounds.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

// label starts error messages; textures named in the header are looked up in baseDir.
Result<asset::Model> parsePly(std::span<const uint8_t> bytes, std::string_view label,
                              const std::filesystem::path& baseDir = {});

}  // namespace vt::scan
