#include "e57_bitpack.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "little_endian.h"

namespace vt::scan {
namespace {

constexpr uint64_t kSectionHeaderBytes = 32;
constexpr uint8_t kCompressedVectorSection = 1;
constexpr uint8_t kIndexPacket = 0;
constexpr uint8_t kDataPacket = 1;
constexpr uint8_t kEmptyPacket = 2;
constexpr uint64_t kDataPacketHeaderBytes = 6;
// Records whose every field is constant take no bits, so the section cannot bound them: cap them.
constexpr uint64_t kMaxConstantRecords = uint64_t(1) << 20;

// Reads `bits` (0-64) bits, least significant first, from a stream; the caller checked the size.
uint64_t readBits(const std::vector<uint8_t>& stream, uint64_t& bitPosition, uint32_t bits) {
    uint64_t value = 0;
    uint32_t got = 0;
    while (got < bits) {
        const uint8_t byte = stream[size_t(bitPosition >> 3)];
        const uint32_t shift = uint32_t(bitPosition & 7);
        const uint32_t take = std::min(8 - shift, bits - got);
        value |= uint64_t((byte >> shift) & ((1u << take) - 1)) << got;
        got += take;
        bitPosition += take;
    }
    return value;
}

}  // namespace

Result<E57Columns> decodeCompressedVector(const E57Pages& pages, const E57Scan& scan) {
    const std::string_view label = pages.label;
    const uint64_t start = scan.sectionOffset;
    const size_t fieldCount = scan.prototype.size();
    if (fieldCount == 0) return fail("{}: byte {}: a compressed vector with no prototype fields", label, start);
    Result<std::vector<uint8_t>> header = pages.read(start, kSectionHeaderBytes, "the compressed vector section header");
    if (!header) return std::unexpected(header.error());
    const uint8_t* h = header->data();
    if (h[0] != kCompressedVectorSection)
        return fail("{}: byte {}: section id {} is not a compressed vector section ({})", label, start, h[0],
                    kCompressedVectorSection);
    const uint64_t sectionLength = loadLittleEndian<uint64_t>(h + 8);
    const uint64_t dataOffset = loadLittleEndian<uint64_t>(h + 16);
    if (sectionLength < kSectionHeaderBytes)
        return fail("{}: byte {}: section length {} is shorter than its header", label, start + 8, sectionLength);

    // The section lies inside the file (read() checks), so its length bounds what follows.
    Result<std::vector<uint8_t>> section = pages.read(start, sectionLength, "the compressed vector section");
    if (!section) return std::unexpected(section.error());

    // Before allocating the columns: each record needs its bits in the section (records of constant fields
    // take none, so those are bounded by kMaxE57Records alone).
    uint64_t bitsPerRecord = 0;
    for (const E57Field& field : scan.prototype) bitsPerRecord += field.bitsPerRecord();
    if (scan.recordCount > kMaxE57Records)
        return fail("{}: byte {}: {} records is more than a reader holds in memory ({})", label, start, scan.recordCount,
                    kMaxE57Records);
    if (bitsPerRecord == 0 && scan.recordCount > kMaxConstantRecords)
        return fail("{}: byte {}: {} records whose fields are all constant (0 bits each)", label, start, scan.recordCount);
    if (bitsPerRecord > 0 && scan.recordCount > sectionLength * 8 / bitsPerRecord)
        return fail("{}: byte {}: {} records of {} bits cannot fit in a section of {} bytes", label, start,
                    scan.recordCount, bitsPerRecord, sectionLength);

    const uint64_t sectionLogical = (start / E57Pages::kPageSize) * E57Pages::kPayloadSize + start % E57Pages::kPageSize;
    const uint64_t dataLogical =
        (dataOffset / E57Pages::kPageSize) * E57Pages::kPayloadSize + dataOffset % E57Pages::kPageSize;
    if (scan.recordCount == 0) return E57Columns(fieldCount);
    if (dataOffset % E57Pages::kPageSize >= E57Pages::kPayloadSize || dataLogical < sectionLogical + kSectionHeaderBytes ||
        dataLogical >= sectionLogical + sectionLength)
        return fail("{}: byte {}: the data packets are said to start at byte {}, outside the section", label, start + 16,
                    dataOffset);

    // Each field's bytes, concatenated over the packets: the bitpack stream runs on across them.
    std::vector<uint64_t> neededBytes(fieldCount);
    for (size_t f = 0; f < fieldCount; ++f)
        neededBytes[f] = (scan.recordCount * scan.prototype[f].bitsPerRecord() + 7) / 8;
    std::vector<std::vector<uint8_t>> streams(fieldCount);
    const auto satisfied = [&] {
        for (size_t f = 0; f < fieldCount; ++f)
            if (streams[f].size() < neededBytes[f]) return false;
        return true;
    };
    const std::vector<uint8_t>& s = *section;
    uint64_t at = dataLogical - sectionLogical;  // within the section buffer
    const auto physical = [&](uint64_t within) { return E57Pages::advance(start, within); };
    while (!satisfied()) {
        if (s.size() - at < 4)
            return fail("{}: byte {}: the section ends before all {} records were read", label, physical(at),
                        scan.recordCount);
        const uint8_t type = s[at];
        const uint64_t packetLength = uint64_t(loadLittleEndian<uint16_t>(&s[at + 2])) + 1;
        if (packetLength > s.size() - at)
            return fail("{}: byte {}: a packet of {} bytes runs past the end of its section", label, physical(at),
                        packetLength);
        if (type == kIndexPacket || type == kEmptyPacket) {
            at += packetLength;
            continue;
        }
        if (type != kDataPacket) return fail("{}: byte {}: unknown packet type {}", label, physical(at), type);
        if (packetLength < kDataPacketHeaderBytes)
            return fail("{}: byte {}: a data packet of {} bytes is shorter than its header", label, physical(at),
                        packetLength);
        const uint16_t streamCount = loadLittleEndian<uint16_t>(&s[at + 4]);
        if (streamCount != fieldCount)
            return fail("{}: byte {}: a data packet carries {} bytestreams, the prototype has {} fields", label,
                        physical(at + 4), streamCount, fieldCount);
        uint64_t cursor = at + kDataPacketHeaderBytes + 2 * uint64_t(streamCount);
        if (cursor > at + packetLength)
            return fail("{}: byte {}: the bytestream lengths run past the packet", label, physical(at));
        for (size_t f = 0; f < fieldCount; ++f) {
            const uint64_t length = loadLittleEndian<uint16_t>(&s[at + kDataPacketHeaderBytes + 2 * f]);
            if (length > at + packetLength - cursor)
                return fail("{}: byte {}: bytestream {} ({}) of {} bytes runs past its packet", label,
                            physical(at + kDataPacketHeaderBytes + 2 * f), f, scan.prototype[f].name, length);
            // Never keep more than the records need: a lying packet cannot grow memory past the section.
            const uint64_t keep = std::min(length, neededBytes[f] - std::min(neededBytes[f], uint64_t(streams[f].size())));
            streams[f].insert(streams[f].end(), s.begin() + ptrdiff_t(cursor), s.begin() + ptrdiff_t(cursor + keep));
            cursor += length;
        }
        at += packetLength;
    }

    E57Columns columns(fieldCount);
    for (size_t f = 0; f < fieldCount; ++f) {
        const E57Field& field = scan.prototype[f];
        std::vector<double>& column = columns[f];
        column.resize(size_t(scan.recordCount));
        const std::vector<uint8_t>& stream = streams[f];
        if (field.kind == E57FieldKind::Float) {
            for (size_t i = 0; i < column.size(); ++i)
                column[i] = field.singlePrecision ? double(loadLittleEndian<float>(&stream[i * 4]))
                                                  : loadLittleEndian<double>(&stream[i * 8]);
            continue;
        }
        const uint32_t bits = field.bitsPerRecord();
        uint64_t bit = 0;
        for (size_t i = 0; i < column.size(); ++i) {
            const uint64_t raw = readBits(stream, bit, bits);
            const int64_t value = int64_t(uint64_t(field.minimum) + raw);  // wraps exactly like the encoder
            if (value > field.maximum)
                return fail("{}: byte {}: record {} of '{}' decodes to {}, above its maximum {}", label, start, i,
                            field.name, value, field.maximum);
            column[i] = field.kind == E57FieldKind::ScaledInteger ? double(value) * field.scale + field.offset : double(value);
        }
    }
    return columns;
}

}  // namespace vt::scan
