#pragma once
// LAS 1.0-1.4 and LAZ (including COPC, which is LAZ 1.4) point clouds, point formats 0-10:
// positions, RGB, intensity, classification; the CRS (WKT), scale and offset as metadata.
//
// The header, VLRs, EVLRs and LAZ chunk table are checked by our own code (las_header.h) before
// Debian's LASzip decodes the points from memory. Errors start with the label and name the byte
// offset (header fields) or the point index and where the point data starts (decoding).

#include <cstdint>
#include <span>
#include <string_view>

#include "asset/point_cloud.h"
#include "core/result.h"

namespace vt::scan {

Result<asset::PointCloud> readLas(std::span<const uint8_t> bytes, std::string_view label);

}  // namespace vt::scan
