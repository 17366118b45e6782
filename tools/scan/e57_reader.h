#pragma once
// E57 point clouds (ASTM E2807), read by our own code: Debian 13 packages no E57 library
// (libE57Format and PDAL are not in the archive), so the page layout and CRC-32C checks
// (e57_pages), the XML section (e57_xml, with pugixml) and the bitpack codec of compressed vectors
// (e57_bitpack) are implemented here.
//
// Every scan (data3D) is read: cartesian or spherical coordinates (integers, scaled integers or
// floats), transformed by the scan's pose into the file's frame; colour and intensity normalized
// by their declared limits; points marked invalid are dropped. Images are not read.
// Errors start with the label and name the byte offset; a file without points is an error.

#include <cstdint>
#include <span>
#include <string_view>

#include "asset/point_cloud.h"
#include "core/result.h"

namespace vt::scan {

Result<asset::PointCloud> readE57(std::span<const uint8_t> bytes, std::string_view label);

}  // namespace vt::scan
