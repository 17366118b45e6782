#include "las_header.h"

#include <cmath>
#include <cstring>

#include "little_endian.h"

namespace vt::scan {
namespace {

constexpr size_t kHeaderSize12 = 227;   // LAS 1.0-1.2
constexpr size_t kHeaderSize13 = 235;   // + start of waveform data
constexpr size_t kHeaderSize14 = 375;   // + EVLRs and 64-bit counts
constexpr size_t kVlrHeaderSize = 54;
constexpr size_t kEvlrHeaderSize = 60;

// More records than this in a header is not a LAS file (real ones have a handful).
constexpr uint32_t kMaxVlrs = 4096;

bool finitePositive(double v) { return std::isfinite(v) && v > 0.0; }

}  // namespace

const LasVlr* LasHeader::findVlr(std::string_view userId, uint16_t recordId) const {
    for (const LasVlr& vlr : vlrs)
        if (vlr.userId == userId && vlr.recordId == recordId) return &vlr;
    return nullptr;
}

uint16_t lasMinimumRecordLength(uint8_t pointFormat) {
    static constexpr uint16_t kLengths[11] = {20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67};
    return pointFormat < 11 ? kLengths[pointFormat] : 0;
}

Result<LasHeader> parseLasHeader(std::span<const uint8_t> bytes, std::string_view label) {
    const uint8_t* p = bytes.data();
    const uint64_t size = bytes.size();
    if (size < 4 || std::memcmp(p, "LASF", 4) != 0) return fail("{}: byte 0: not a LAS file (no 'LASF' signature)", label);
    if (size < kHeaderSize12)
        return fail("{}: byte {}: the LAS header needs {} bytes but the file has {} (truncated)", label, size, kHeaderSize12,
                    size);
    LasHeader header;
    header.versionMajor = p[24];
    header.versionMinor = p[25];
    if (header.versionMajor != 1 || header.versionMinor > 4)
        return fail("{}: byte 24: LAS version {}.{} is not one we read (1.0-1.4)", label, header.versionMajor,
                    header.versionMinor);
    header.headerSize = loadLittleEndian<uint16_t>(p + 94);
    const size_t needed = header.versionMinor >= 4 ? kHeaderSize14 : header.versionMinor == 3 ? kHeaderSize13 : kHeaderSize12;
    if (header.headerSize < needed)
        return fail("{}: byte 94: header size {} is smaller than LAS 1.{} requires ({})", label, header.headerSize,
                    header.versionMinor, needed);
    if (header.headerSize > size)
        return fail("{}: byte 94: header size {} is larger than the file ({} bytes; truncated)", label, header.headerSize,
                    size);
    header.pointDataOffset = loadLittleEndian<uint32_t>(p + 96);
    const uint32_t vlrCount = loadLittleEndian<uint32_t>(p + 100);
    const uint8_t formatByte = p[104];
    header.compressed = (formatByte & 0xC0) != 0;
    header.pointFormat = formatByte & 0x3F;
    header.pointRecordLength = loadLittleEndian<uint16_t>(p + 105);
    if (header.pointFormat > 10) return fail("{}: byte 104: point data format {} is not 0-10", label, header.pointFormat);
    if (header.pointRecordLength < lasMinimumRecordLength(header.pointFormat))
        return fail("{}: byte 105: point record length {} is shorter than format {} needs ({})", label,
                    header.pointRecordLength, header.pointFormat, lasMinimumRecordLength(header.pointFormat));
    header.pointCount = loadLittleEndian<uint32_t>(p + 107);
    for (int axis = 0; axis < 3; ++axis) {
        header.scale[axis] = loadLittleEndian<double>(p + 131 + 8 * axis);
        header.offset[axis] = loadLittleEndian<double>(p + 155 + 8 * axis);
        header.max[axis] = loadLittleEndian<double>(p + 179 + 16 * axis);
        header.min[axis] = loadLittleEndian<double>(p + 187 + 16 * axis);
        if (!finitePositive(header.scale[axis]))
            return fail("{}: byte {}: scale factor {} is not a positive number", label, 131 + 8 * axis, header.scale[axis]);
        if (!std::isfinite(header.offset[axis]))
            return fail("{}: byte {}: offset is not a finite number", label, 155 + 8 * axis);
    }
    uint64_t evlrStart = 0;
    uint32_t evlrCount = 0;
    if (header.versionMinor >= 4) {
        evlrStart = loadLittleEndian<uint64_t>(p + 235);
        evlrCount = loadLittleEndian<uint32_t>(p + 243);
        const uint64_t count64 = loadLittleEndian<uint64_t>(p + 247);
        if (count64 != 0) {
            if (header.pointCount != 0 && header.pointCount != count64)
                return fail("{}: byte 247: the 64-bit point count {} disagrees with the legacy count {}", label, count64,
                            header.pointCount);
            header.pointCount = count64;
        }
    }
    if (header.pointDataOffset < header.headerSize || header.pointDataOffset > size)
        return fail("{}: byte 96: point data offset {} is outside the file (header {} bytes, file {} bytes)", label,
                    header.pointDataOffset, header.headerSize, size);

    // Before anything is allocated: a count the file cannot hold is a lie.
    const uint64_t pointBytes = size - header.pointDataOffset;
    if (header.pointCount > kMaxLasPoints)
        return fail("{}: byte {}: the header claims {} points, more than a reader holds in memory ({})", label,
                    header.versionMinor >= 4 ? 247 : 107, header.pointCount, kMaxLasPoints);
    if (header.compressed && header.pointCount > pointBytes * kMaxLazPointsPerByte)
        return fail("{}: byte {}: the header claims {} points, more than {} compressed bytes can hold (at most {} a "
                    "byte; truncated or wrong count)",
                    label, header.versionMinor >= 4 ? 247 : 107, header.pointCount, pointBytes, kMaxLazPointsPerByte);
    if (!header.compressed && header.pointCount > pointBytes / header.pointRecordLength)
        return fail("{}: byte {}: the header claims {} points of {} bytes, but only {} bytes follow the header "
                    "(truncated or wrong count)",
                    label, header.versionMinor >= 4 ? 247 : 107, header.pointCount, header.pointRecordLength,
                    pointBytes);

    if (vlrCount > kMaxVlrs) return fail("{}: byte 100: {} VLRs is more than a LAS file has", label, vlrCount);
    uint64_t at = header.headerSize;
    for (uint32_t i = 0; i < vlrCount; ++i) {
        if (header.pointDataOffset - at < kVlrHeaderSize)
            return fail("{}: byte {}: VLR {} of {} does not fit before the point data at byte {}", label, at, i, vlrCount,
                        header.pointDataOffset);
        LasVlr vlr;
        vlr.userId = fixedString(p + at + 2, 16);
        vlr.recordId = loadLittleEndian<uint16_t>(p + at + 18);
        vlr.dataSize = loadLittleEndian<uint16_t>(p + at + 20);
        vlr.headerOffset = at;
        vlr.dataOffset = at + kVlrHeaderSize;
        if (vlr.dataSize > header.pointDataOffset - vlr.dataOffset)
            return fail("{}: byte {}: VLR '{}' {} claims {} bytes, past the point data at byte {}", label, at + 20,
                        vlr.userId, vlr.recordId, vlr.dataSize, header.pointDataOffset);
        at = vlr.dataOffset + vlr.dataSize;
        header.vlrs.push_back(std::move(vlr));
    }
    if (evlrCount > kMaxVlrs) return fail("{}: byte 243: {} EVLRs is more than a LAS file has", label, evlrCount);
    if (evlrCount > 0) {
        if (evlrStart < header.pointDataOffset || evlrStart > size)
            return fail("{}: byte 235: EVLRs start at byte {}, outside the file after the points", label, evlrStart);
        at = evlrStart;
        for (uint32_t i = 0; i < evlrCount; ++i) {
            if (size - at < kEvlrHeaderSize)
                return fail("{}: byte {}: EVLR {} of {} is cut off by the end of the file", label, at, i, evlrCount);
            LasVlr vlr;
            vlr.extended = true;
            vlr.userId = fixedString(p + at + 2, 16);
            vlr.recordId = loadLittleEndian<uint16_t>(p + at + 18);
            vlr.dataSize = loadLittleEndian<uint64_t>(p + at + 20);
            vlr.headerOffset = at;
            vlr.dataOffset = at + kEvlrHeaderSize;
            if (vlr.dataSize > size - vlr.dataOffset)
                return fail("{}: byte {}: EVLR '{}' {} claims {} bytes, past the end of the file ({} bytes)", label,
                            at + 20, vlr.userId, vlr.recordId, vlr.dataSize, size);
            at = vlr.dataOffset + vlr.dataSize;
            header.vlrs.push_back(std::move(vlr));
        }
    }
    if (header.compressed && !header.findVlr("laszip encoded", 22204))
        return fail("{}: byte 104: point format byte {:#x} says compressed (LAZ), but there is no LASzip VLR", label,
                    formatByte);
    return header;
}

std::string lasCrsWkt(const LasHeader& header, std::span<const uint8_t> bytes) {
    const LasVlr* vlr = header.findVlr("LASF_Projection", 2112);
    if (!vlr) return {};
    std::string wkt = fixedString(bytes.data() + vlr->dataOffset, size_t(vlr->dataSize));
    // Some writers leave a placeholder ("''"): a WKT always has a bracketed body.
    return wkt.find('[') == std::string::npos ? std::string() : wkt;
}

}  // namespace vt::scan
