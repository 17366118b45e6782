#pragma once
// An E57 compressed vector's binary section (ASTM E2807 section 9.8): the section header, data
// packets carrying one bytestream per prototype field, and the bitpack codec that packs each
// field's values: integers and scaled integers in ceil(log2(max - min + 1)) bits, LSB first,
// floats as IEEE 754 little-endian. Index and empty packets are skipped.
//
// Untrusted bytes: the record count is checked against what the section can hold before the
// columns are allocated; packet lengths, stream counts and stream sizes are checked against the
// packet and the section. Errors name the physical byte offset.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "e57_pages.h"
#include "e57_xml.h"

namespace vt::scan {

// The most records one compressed vector may hold in memory (a full TLS scan is ~10^8).
inline constexpr uint64_t kMaxE57Records = uint64_t(1) << 31;

// Decoded columns, one per prototype field, each recordCount values (scale and offset applied).
using E57Columns = std::vector<std::vector<double>>;

Result<E57Columns> decodeCompressedVector(const E57Pages& pages, const E57Scan& scan);

}  // namespace vt::scan
