#include "las_reader.h"

#include <laszip/laszip_api.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "copc.h"
#include "las_header.h"
#include "little_endian.h"
#include "memory_stream.h"

namespace vt::scan {
namespace {

constexpr uint64_t kLaszipVlrFixedBytes = 34;  // before the item list
constexpr uint32_t kVariableChunkSize = 0xFFFFFFFFu;  // COPC: every chunk says how many points it has

bool hasRgb(uint8_t format) { return format == 2 || format == 3 || format == 5 || format == 7 || format == 8 || format == 10; }

struct LazItem {
    uint16_t type;
    uint16_t size;
};

// The LASzip items (LASitem::Type) that encode a point format's records, extra bytes last.
std::vector<LazItem> expectedLazItems(const LasHeader& header) {
    enum : uint16_t { Byte = 0, Point10 = 6, GpsTime11 = 7, Rgb12 = 8, Wavepacket13 = 9, Point14 = 10, Rgb14 = 11,
                      RgbNir14 = 12, Wavepacket14 = 13, Byte14 = 14 };
    static const std::vector<LazItem> kItems[11] = {
        {{Point10, 20}},
        {{Point10, 20}, {GpsTime11, 8}},
        {{Point10, 20}, {Rgb12, 6}},
        {{Point10, 20}, {GpsTime11, 8}, {Rgb12, 6}},
        {{Point10, 20}, {GpsTime11, 8}, {Wavepacket13, 29}},
        {{Point10, 20}, {GpsTime11, 8}, {Rgb12, 6}, {Wavepacket13, 29}},
        {{Point14, 30}},
        {{Point14, 30}, {Rgb14, 6}},
        {{Point14, 30}, {RgbNir14, 8}},
        {{Point14, 30}, {Wavepacket14, 29}},
        {{Point14, 30}, {RgbNir14, 8}, {Wavepacket14, 29}},
    };
    std::vector<LazItem> items = kItems[header.pointFormat];
    const uint16_t extra = uint16_t(header.pointRecordLength - lasMinimumRecordLength(header.pointFormat));
    if (extra > 0) items.push_back({header.pointFormat >= 6 ? uint16_t(Byte14) : uint16_t(Byte), extra});
    return items;
}

// The item versions LASzip 3.5 decodes (LASzip::check_item).
bool lazVersionKnown(uint16_t type, uint16_t version) {
    switch (type) {
        case 0: case 6: case 7: case 8: return version <= 2;                    // BYTE, POINT10, GPSTIME11, RGB12
        case 9: return version <= 1;                                            // WAVEPACKET13
        case 10: case 11: case 12: case 14: return version == 0 || (version >= 2 && version <= 4);  // POINT14, RGB14, ...
        case 13: return version == 0 || version == 3 || version == 4;           // WAVEPACKET14
        default: return false;
    }
}

// The LASzip VLR and the chunk table pointer, checked before LASzip trusts them.
Result<void> checkLazLayout(const LasHeader& header, std::span<const uint8_t> bytes, std::string_view label) {
    const LasVlr& vlr = *header.findVlr("laszip encoded", 22204);
    const uint8_t* p = bytes.data() + vlr.dataOffset;
    if (vlr.dataSize < kLaszipVlrFixedBytes)
        return fail("{}: byte {}: the LASzip VLR has {} bytes, fewer than its fixed part ({})", label, vlr.dataOffset,
                    vlr.dataSize, kLaszipVlrFixedBytes);
    const uint16_t items = loadLittleEndian<uint16_t>(p + 32);
    if (vlr.dataSize != kLaszipVlrFixedBytes + 6u * items)
        return fail("{}: byte {}: the LASzip VLR lists {} items but has {} bytes", label, vlr.dataOffset + 32, items,
                    vlr.dataSize);
    // LASzip leaks its decoder when it refuses an item list: check the list matches the format here.
    const uint16_t compressor = loadLittleEndian<uint16_t>(p);
    const uint16_t coder = loadLittleEndian<uint16_t>(p + 2);
    if (compressor < 1 || compressor > 3 || coder != 0)
        return fail("{}: byte {}: LASzip compressor {} / coder {} is not one LASzip 3 decodes", label, vlr.dataOffset,
                    compressor, coder);
    const std::vector<LazItem> expected = expectedLazItems(header);
    if (items != expected.size())
        return fail("{}: byte {}: the LASzip VLR lists {} items; point format {} with {}-byte records needs {}", label,
                    vlr.dataOffset + 32, items, header.pointFormat, header.pointRecordLength, expected.size());
    for (uint16_t i = 0; i < items; ++i) {
        const uint16_t type = loadLittleEndian<uint16_t>(p + 34 + 6 * i);
        const uint16_t size = loadLittleEndian<uint16_t>(p + 36 + 6 * i);
        const uint16_t version = loadLittleEndian<uint16_t>(p + 38 + 6 * i);
        if (type != expected[i].type || size != expected[i].size || !lazVersionKnown(type, version))
            return fail("{}: byte {}: LASzip item {} is type {} of {} bytes (version {}); point format {} needs type {} "
                        "of {} bytes",
                        label, vlr.dataOffset + 34 + 6 * i, i, type, size, version, header.pointFormat,
                        expected[i].type, expected[i].size);
    }
    const uint32_t chunkSize = loadLittleEndian<uint32_t>(p + 12);
    if (chunkSize == 0) return fail("{}: byte {}: LASzip chunk size 0", label, vlr.dataOffset + 12);
    const uint64_t at = header.pointDataOffset;
    if (bytes.size() - at < 8)
        return fail("{}: byte {}: the LAZ point data has no chunk table pointer (truncated)", label, at);
    int64_t table = loadLittleEndian<int64_t>(bytes.data() + at);
    if (table == -1) {  // written by a streaming writer: the pointer is in the file's last 8 bytes
        if (bytes.size() < at + 16) return fail("{}: byte {}: the LAZ chunk table pointer is missing", label, at);
        table = loadLittleEndian<int64_t>(bytes.data() + bytes.size() - 8);
    }
    if (table < int64_t(at + 8) || uint64_t(table) > bytes.size() - 8)
        return fail("{}: byte {}: the LAZ chunk table is said to be at byte {}, outside the point data (file {} bytes; "
                    "truncated?)",
                    label, at, table, bytes.size());
    const uint32_t chunks = loadLittleEndian<uint32_t>(bytes.data() + table + 4);
    // Each chunk takes at least a byte, and a fixed chunk size bounds how many the points need.
    const uint64_t maxChunks = chunkSize == kVariableChunkSize ? header.pointCount
                                                                : (header.pointCount + chunkSize - 1) / chunkSize;
    if (chunks > uint64_t(table) - at || chunks > maxChunks + 1)
        return fail("{}: byte {}: the LAZ chunk table claims {} chunks, more than {} points in chunks of {} can fill", label,
                    table + 4, chunks, header.pointCount, chunkSize);
    return {};
}

struct LaszipDeleter {
    void operator()(void* reader) const {
        laszip_close_reader(reader);
        laszip_destroy(reader);
    }
};

std::string laszipError(void* reader) {
    laszip_CHAR* message = nullptr;
    laszip_get_error(reader, &message);
    return message ? std::string(message) : std::string("unknown LASzip error");
}

}  // namespace

Result<asset::PointCloud> readLas(std::span<const uint8_t> bytes, std::string_view label) {
    Result<LasHeader> parsed = parseLasHeader(bytes, label);
    if (!parsed) return std::unexpected(parsed.error());
    const LasHeader& header = *parsed;
    if (header.compressed)
        if (auto layout = checkLazLayout(header, bytes, label); !layout) return std::unexpected(layout.error());
    if (header.pointCount == 0) return fail("{}: byte 107: the header says the file has no points", label);
    // COPC: the hierarchy must hold up too, since a streamer will trust it instead of the chunk table.
    Result<CopcHierarchy> octree = isCopc(header) ? readCopcHierarchy(header, bytes, label) : Result<CopcHierarchy>();
    if (!octree) return std::unexpected(octree.error());

    laszip_POINTER raw = nullptr;
    if (laszip_create(&raw) != 0 || !raw) return fail("{}: LASzip could not be initialised", label);
    std::unique_ptr<void, LaszipDeleter> reader(raw);
    MemoryStream stream(bytes);
    laszip_BOOL compressed = 0;
    if (laszip_open_reader_stream(raw, stream, &compressed) != 0)
        return fail("{}: byte 0: LASzip refused the file: {}", label, laszipError(raw));
    laszip_header_struct* read = nullptr;
    laszip_get_header_pointer(raw, &read);
    const uint64_t count = read && read->number_of_point_records ? read->number_of_point_records
                           : read                                 ? read->extended_number_of_point_records
                                                                  : 0;
    if (count != header.pointCount)
        return fail("{}: LASzip counts {} points where the header says {}", label, count, header.pointCount);
    laszip_point_struct* point = nullptr;
    laszip_get_point_pointer(raw, &point);

    asset::PointCloud cloud;
    cloud.metadata.format = std::format("{} {}.{}{}", header.compressed ? "LAZ" : "LAS", header.versionMajor,
                                        header.versionMinor, isCopc(header) ? " (COPC)" : "");
    cloud.metadata.crsWkt = lasCrsWkt(header, bytes);
    cloud.metadata.hasGeoTiffKeys = header.findVlr("LASF_Projection", 34735) != nullptr;
    cloud.metadata.scale = header.scale;
    cloud.metadata.fileOffset = header.offset;
    cloud.metadata.pointFormat = header.pointFormat;
    cloud.metadata.pointsInFile = header.pointCount;
    cloud.metadata.octreeNodes = uint32_t(octree->nodes.size());
    cloud.metadata.octreeLevels = octree->nodes.empty() ? 0 : octree->maxLevel + 1;
    cloud.metadata.octreeRootSpacing = octree->info.spacing;
    const glm::dvec3 middle = (header.min + header.max) * 0.5;
    cloud.origin = asset::isFinite(middle) ? glm::floor(middle) : header.offset;

    // Uncompressed counts are exact (checked against the file size); compressed ones are only bounded.
    const uint64_t pointBytes = bytes.size() - header.pointDataOffset;
    const size_t reserve = size_t(header.compressed ? std::min<uint64_t>(header.pointCount, pointBytes * 4) : header.pointCount);
    const bool rgb = hasRgb(header.pointFormat);
    const bool extended = header.pointFormat >= 6;
    cloud.positions.reserve(reserve);
    cloud.intensity.reserve(reserve);
    cloud.classification.reserve(reserve);
    if (rgb) cloud.colors.reserve(reserve);
    uint16_t maxChannel = 0;
    for (uint64_t i = 0; i < header.pointCount; ++i) {
        if (laszip_read_point(raw) != 0)
            return fail("{}: point {} of {} (point data from byte {}): {}", label, i, header.pointCount,
                        header.pointDataOffset, laszipError(raw));
        const glm::dvec3 position = glm::dvec3(point->X, point->Y, point->Z) * header.scale + header.offset;
        if (!asset::appendPoint(cloud, position))
            return fail("{}: point {} (point data from byte {}): position ({}, {}, {}) is not finite or lies more than {} "
                        "from the header's box (scale or offset wrong?)",
                        label, i, header.pointDataOffset, position.x, position.y, position.z, asset::kMaxPointDistance);
        cloud.intensity.push_back(point->intensity);
        cloud.classification.push_back(extended ? point->extended_classification : point->classification);
        if (rgb) {
            cloud.colors.emplace_back(point->rgb[0], point->rgb[1], point->rgb[2]);
            maxChannel = std::max({maxChannel, point->rgb[0], point->rgb[1], point->rgb[2]});
        }
    }
    // Many writers store 8-bit colour in the 16-bit fields (PDAL and Potree apply the same test).
    if (rgb && maxChannel <= 255)
        for (glm::u16vec3& c : cloud.colors) c = c * uint16_t(257);
    cloud.source = std::string(label);
    return cloud;
}

}  // namespace vt::scan
