#include "copc.h"

#include <cmath>
#include <set>
#include <tuple>

#include "asset/point_cloud.h"
#include "little_endian.h"

namespace vt::scan {
namespace {

constexpr uint64_t kCopcInfoBytes = 160;
constexpr uint64_t kEntryBytes = 32;
constexpr int32_t kMaxLevel = 30;  // 2^30 cells a side: far beyond any real cloud

struct Page {
    uint64_t offset;
    uint64_t size;
    uint64_t pointedFrom;  // byte offset of the entry (or info field) that named this page
};

}  // namespace

glm::dvec3 CopcHierarchy::nodeMin(const CopcNode& node) const {
    const double cell = 2.0 * info.halfSize / double(uint64_t(1) << node.level);
    return info.center - glm::dvec3(info.halfSize) + glm::dvec3(node.x, node.y, node.z) * cell;
}

glm::dvec3 CopcHierarchy::nodeMax(const CopcNode& node) const {
    const double cell = 2.0 * info.halfSize / double(uint64_t(1) << node.level);
    return nodeMin(node) + glm::dvec3(cell);
}

bool isCopc(const LasHeader& header) {
    return !header.vlrs.empty() && !header.vlrs[0].extended && header.vlrs[0].userId == "copc" &&
           header.vlrs[0].recordId == 1;
}

Result<CopcHierarchy> readCopcHierarchy(const LasHeader& header, std::span<const uint8_t> bytes, std::string_view label) {
    if (!isCopc(header)) return fail("{}: byte {}: not a COPC file (the first VLR is not 'copc' 1)", label, header.headerSize);
    if (header.versionMinor != 4 || header.pointFormat < 6 || header.pointFormat > 8 || !header.compressed)
        return fail("{}: byte 104: COPC needs LAZ 1.4 with point format 6, 7 or 8 (this is LAS 1.{} format {}{})", label,
                    header.versionMinor, header.pointFormat, header.compressed ? "" : ", uncompressed");
    const LasVlr& vlr = header.vlrs[0];
    if (vlr.dataSize != kCopcInfoBytes)
        return fail("{}: byte {}: the COPC info VLR has {} bytes, not {}", label, vlr.headerOffset + 20, vlr.dataSize,
                    kCopcInfoBytes);
    const uint8_t* p = bytes.data() + vlr.dataOffset;
    CopcHierarchy hierarchy;
    CopcInfo& info = hierarchy.info;
    info.center = {loadLittleEndian<double>(p), loadLittleEndian<double>(p + 8), loadLittleEndian<double>(p + 16)};
    info.halfSize = loadLittleEndian<double>(p + 24);
    info.spacing = loadLittleEndian<double>(p + 32);
    info.rootHierarchyOffset = loadLittleEndian<uint64_t>(p + 40);
    info.rootHierarchySize = loadLittleEndian<uint64_t>(p + 48);
    info.gpsTimeMin = loadLittleEndian<double>(p + 56);
    info.gpsTimeMax = loadLittleEndian<double>(p + 64);
    if (!asset::isFinite(info.center) || !(std::isfinite(info.halfSize) && info.halfSize > 0.0))
        return fail("{}: byte {}: the COPC cube (center, halfsize) is not finite and positive", label, vlr.dataOffset);

    std::vector<Page> pending{{info.rootHierarchyOffset, info.rootHierarchySize, vlr.dataOffset + 40}};
    std::set<uint64_t> visited;
    std::set<std::tuple<int32_t, int32_t, int32_t, int32_t>> keys;
    uint64_t entries = 0;
    while (!pending.empty()) {
        const Page page = pending.back();
        pending.pop_back();
        if (page.size == 0 || page.size % kEntryBytes != 0)
            return fail("{}: byte {}: a COPC hierarchy page of {} bytes is not a whole number of {}-byte entries", label,
                        page.pointedFrom, page.size, kEntryBytes);
        if (page.offset > bytes.size() || page.size > bytes.size() - page.offset)
            return fail("{}: byte {}: a COPC hierarchy page at byte {} ({} bytes) lies outside the file ({} bytes)",
                        label, page.pointedFrom, page.offset, page.size, bytes.size());
        if (!visited.insert(page.offset).second)
            return fail("{}: byte {}: the COPC hierarchy page at byte {} is referenced twice", label, page.pointedFrom,
                        page.offset);
        ++hierarchy.pageCount;
        entries += page.size / kEntryBytes;
        if (entries > kMaxCopcEntries)
            return fail("{}: byte {}: the COPC hierarchy has more than {} entries", label, page.offset, kMaxCopcEntries);
        for (uint64_t at = page.offset; at < page.offset + page.size; at += kEntryBytes) {
            const uint8_t* e = bytes.data() + at;
            CopcNode node;
            node.level = loadLittleEndian<int32_t>(e);
            node.x = loadLittleEndian<int32_t>(e + 4);
            node.y = loadLittleEndian<int32_t>(e + 8);
            node.z = loadLittleEndian<int32_t>(e + 12);
            const uint64_t offset = loadLittleEndian<uint64_t>(e + 16);
            const int32_t byteSize = loadLittleEndian<int32_t>(e + 24);
            const int32_t pointCount = loadLittleEndian<int32_t>(e + 28);
            if (node.level < 0 || node.level > kMaxLevel)
                return fail("{}: byte {}: COPC node level {} is not 0-{}", label, at, node.level, kMaxLevel);
            const int64_t cells = int64_t(1) << node.level;
            if (node.x < 0 || node.y < 0 || node.z < 0 || node.x >= cells || node.y >= cells || node.z >= cells)
                return fail("{}: byte {}: COPC node {}-{}-{}-{} lies outside its level's {}^3 grid", label, at, node.level,
                            node.x, node.y, node.z, cells);
            if (!keys.insert({node.level, node.x, node.y, node.z}).second)
                return fail("{}: byte {}: COPC node {}-{}-{}-{} is listed twice", label, at, node.level, node.x, node.y,
                            node.z);
            if (pointCount == -1) {  // a child hierarchy page
                if (byteSize <= 0) return fail("{}: byte {}: a COPC child page with {} bytes", label, at + 24, byteSize);
                pending.push_back({offset, uint64_t(byteSize), at + 16});
                keys.erase({node.level, node.x, node.y, node.z});  // the page lists the node itself again
                continue;
            }
            if (pointCount < -1) return fail("{}: byte {}: COPC node point count {}", label, at + 28, pointCount);
            if (pointCount == 0) continue;
            if (byteSize <= 0 || offset < header.pointDataOffset || offset > bytes.size() ||
                uint64_t(byteSize) > bytes.size() - offset)
                return fail("{}: byte {}: COPC node {}-{}-{}-{} has its {} points at bytes {}+{}, outside the point data",
                            label, at + 16, node.level, node.x, node.y, node.z, pointCount, offset, byteSize);
            node.offset = offset;
            node.byteSize = uint32_t(byteSize);
            node.pointCount = uint32_t(pointCount);
            hierarchy.pointCount += node.pointCount;
            hierarchy.maxLevel = std::max(hierarchy.maxLevel, node.level);
            hierarchy.nodes.push_back(node);
        }
    }
    if (hierarchy.pointCount != header.pointCount)
        return fail("{}: byte {}: the COPC hierarchy holds {} points, the header says {}", label, info.rootHierarchyOffset,
                    hierarchy.pointCount, header.pointCount);
    return hierarchy;
}

}  // namespace vt::scan
