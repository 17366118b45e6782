#include "e57_pages.h"

#include <cstring>

#include "crc32c.h"
#include "little_endian.h"

namespace vt::scan {
namespace {

constexpr uint64_t kHeaderBytes = 48;

uint32_t loadBigEndian32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

}  // namespace

Result<E57Pages> E57Pages::open(std::span<const uint8_t> bytes, std::string_view label) {
    E57Pages pages;
    pages.label = std::string(label);
    pages.file = bytes;
    if (bytes.size() < 8 || std::memcmp(bytes.data(), "ASTM-E57", 8) != 0)
        return fail("{}: byte 0: not an E57 file (no 'ASTM-E57' signature)", label);
    if (bytes.size() < kPageSize)
        return fail("{}: byte {}: an E57 file is at least one {}-byte page; this one has {} bytes (truncated)", label,
                    bytes.size(), kPageSize, bytes.size());
    const uint8_t* p = bytes.data();
    pages.versionMajor = loadLittleEndian<uint32_t>(p + 8);
    pages.versionMinor = loadLittleEndian<uint32_t>(p + 12);
    pages.physicalLength = loadLittleEndian<uint64_t>(p + 16);
    pages.xmlOffset = loadLittleEndian<uint64_t>(p + 24);
    pages.xmlLength = loadLittleEndian<uint64_t>(p + 32);
    const uint64_t pageSize = loadLittleEndian<uint64_t>(p + 40);
    if (pages.versionMajor != 1) return fail("{}: byte 8: E57 version {} is not 1", label, pages.versionMajor);
    if (pageSize != kPageSize) return fail("{}: byte 40: page size {} is not {}", label, pageSize, kPageSize);
    if (pages.physicalLength % kPageSize != 0 || pages.physicalLength == 0)
        return fail("{}: byte 16: physical length {} is not a whole number of pages", label, pages.physicalLength);
    if (pages.physicalLength > bytes.size())
        return fail("{}: byte 16: the header says the file has {} bytes, but it has {} (truncated)", label,
                    pages.physicalLength, bytes.size());
    // Every page's CRC first: nothing below reads a byte that was not checked.
    for (uint64_t page = 0; page < pages.physicalLength; page += kPageSize) {
        const uint32_t stored = loadBigEndian32(p + page + kPayloadSize);
        const uint32_t computed = crc32c(bytes.subspan(size_t(page), size_t(kPayloadSize)));
        if (stored != computed)
            return fail("{}: byte {}: page {} fails its CRC-32C check (stored {:08x}, computed {:08x}): the file is corrupt",
                        label, page, page / kPageSize, stored, computed);
    }
    if (pages.xmlOffset < kHeaderBytes || pages.xmlOffset % kPageSize >= kPayloadSize ||
        pages.xmlOffset >= pages.physicalLength)
        return fail("{}: byte 24: the XML section offset {} is not inside the file's pages", label, pages.xmlOffset);
    if (pages.xmlLength == 0) return fail("{}: byte 32: the XML section is empty", label);
    return pages;
}

uint64_t E57Pages::advance(uint64_t start, uint64_t logicalLength) {
    const uint64_t logical = (start / kPageSize) * kPayloadSize + start % kPageSize + logicalLength;
    return (logical / kPayloadSize) * kPageSize + logical % kPayloadSize;
}

Result<std::vector<uint8_t>> E57Pages::read(uint64_t start, uint64_t length, std::string_view what) const {
    if (start % kPageSize >= kPayloadSize)
        return fail("{}: byte {}: {} starts inside a page's checksum", label, start, what);
    const uint64_t payloadLeft = (physicalLength / kPageSize) * kPayloadSize;
    const uint64_t startLogical = (start / kPageSize) * kPayloadSize + start % kPageSize;
    if (start >= physicalLength || length > payloadLeft - startLogical)
        return fail("{}: byte {}: {} ({} bytes) runs past the end of the file's {} bytes", label, start, what, length,
                    physicalLength);
    std::vector<uint8_t> out;
    out.reserve(size_t(length));
    uint64_t at = start;
    while (out.size() < length) {
        const uint64_t inPage = at % kPageSize;
        const uint64_t take = std::min(kPayloadSize - inPage, length - out.size());
        out.insert(out.end(), file.begin() + ptrdiff_t(at), file.begin() + ptrdiff_t(at + take));
        at = at - inPage + kPageSize;
    }
    return out;
}

}  // namespace vt::scan
