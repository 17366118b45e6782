#pragma once
// Our own validating parser of a LAS/LAZ file's public header, VLRs and EVLRs (ASPRS LAS 1.0-1.4),
// run before LASzip sees the file: every field LASzip would trust is checked here first.
//
// Untrusted bytes: sizes and offsets are checked against the file, point counts against what the
// file can hold (uncompressed: exactly; compressed: kMaxLazPointsPerByte and kMaxLasPoints) before anything is allocated.
// Errors start with the label and name the byte offset of the field at fault.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "core/result.h"

namespace vt::scan {

// The most points one reader call keeps in memory (~60 GiB as a PointCloud): a header that claims
// more is refused before anything is allocated. Larger clouds will be converted in streaming passes.
inline constexpr uint64_t kMaxLasPoints = uint64_t(4) << 30;

// The most points a LAZ file may claim per byte of compressed point data. Real LAZ takes 1-10 bytes
// a point; a claim beyond this would only make the decoder run on for hours over garbage.
inline constexpr uint64_t kMaxLazPointsPerByte = 100;

struct LasVlr {
    std::string userId;       // e.g. "LASF_Projection", "laszip encoded", "copc"
    uint16_t recordId = 0;
    bool extended = false;    // an EVLR (after the points) rather than a VLR
    uint64_t headerOffset = 0;  // byte offset of the record's header in the file
    uint64_t dataOffset = 0;    // byte offset of its payload
    uint64_t dataSize = 0;
};

struct LasHeader {
    uint8_t versionMajor = 1;
    uint8_t versionMinor = 2;
    uint16_t headerSize = 0;
    uint32_t pointDataOffset = 0;
    uint8_t pointFormat = 0;       // 0-10, without LASzip's compression bits
    bool compressed = false;       // LAZ: bit 7 (or 6) of the format byte and a LASzip VLR
    uint16_t pointRecordLength = 0;
    uint64_t pointCount = 0;       // the 1.4 64-bit count when present and non-zero, else the legacy one
    glm::dvec3 scale{1.0};
    glm::dvec3 offset{0.0};
    glm::dvec3 min{0.0};
    glm::dvec3 max{0.0};
    std::vector<LasVlr> vlrs;      // VLRs then EVLRs, in file order

    const LasVlr* findVlr(std::string_view userId, uint16_t recordId) const;
};

// The smallest record each point data format 0-10 needs, in bytes.
uint16_t lasMinimumRecordLength(uint8_t pointFormat);

Result<LasHeader> parseLasHeader(std::span<const uint8_t> bytes, std::string_view label);

// The CRS as OGC WKT (LASF_Projection record 2112), or empty.
std::string lasCrsWkt(const LasHeader& header, std::span<const uint8_t> bytes);

}  // namespace vt::scan
