#pragma once
// The physical layout of an E57 file (ASTM E2807 section 9): a 48-byte header, then pages of
// 1024 bytes, each 1020 bytes of payload and a big-endian CRC-32C of them. Offsets in the file's
// structures are physical (they count the CRCs); lengths are logical (payload bytes only).
//
// open() checks the header and the CRC of every page before anything else reads the file, so a
// flipped bit anywhere is an error naming the page's byte offset.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vt::scan {

class E57Pages {
public:
    static constexpr uint64_t kPageSize = 1024;
    static constexpr uint64_t kPayloadSize = 1020;

    static Result<E57Pages> open(std::span<const uint8_t> bytes, std::string_view label);

    // `length` logical bytes from physical offset `start`, skipping the CRCs; `what` names the
    // structure in messages ("the XML section").
    Result<std::vector<uint8_t>> read(uint64_t start, uint64_t length, std::string_view what) const;

    // Physical offset of the byte `logicalLength` payload bytes after physical offset `start`.
    static uint64_t advance(uint64_t start, uint64_t logicalLength);

    uint32_t versionMajor = 0;
    uint32_t versionMinor = 0;
    uint64_t physicalLength = 0;
    uint64_t xmlOffset = 0;  // physical
    uint64_t xmlLength = 0;  // logical
    std::string label;

private:
    std::span<const uint8_t> file;
};

}  // namespace vt::scan
