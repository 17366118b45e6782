#include "pack/cluster_records.h"

#include "pack/byte_io.h"

namespace vt::pack::detail {

std::vector<uint8_t> encodeClusterRecords(std::span<const ClusterInfo> records) {
    ByteWriter out;
    uint32_t previousGroup = 0;
    for (const ClusterInfo& r : records) out.u32(r.group - previousGroup), previousGroup = r.group;  // mostly 0 or 1
    for (const ClusterInfo& r : records) out.u32(r.generatingGroup);
    for (const ClusterInfo& r : records) out.u32(r.material);
    for (const ClusterInfo& r : records) out.u8(static_cast<uint8_t>(r.vertexCount));
    for (const ClusterInfo& r : records) out.u16(r.triangleCount);
    for (const ClusterInfo& r : records) out.u8(r.level);
    for (const ClusterInfo& r : records) out.u8(r.attributes);
    for (const ClusterInfo& r : records) out.vec4(r.bounds);
    for (const ClusterInfo& r : records) {
        if (r.generatingGroup == kNoGroup) out.vec4(r.lodBounds);
    }
    for (const ClusterInfo& r : records) {
        if (r.generatingGroup == kNoGroup) out.f32(r.error);
    }
    return std::move(out.bytes());
}

Result<std::vector<ClusterInfo>> decodeClusterRecords(std::span<const uint8_t> payload, uint32_t count,
                                                      std::span<const GroupInfo> groups, size_t& bytesRead) {
    if (uint64_t{count} * kClusterRecordBytes > payload.size()) {
        return fail("{} cluster records take at least {} bytes, the payload has {}", count, uint64_t{count} * kClusterRecordBytes,
                    payload.size());
    }
    ByteCursor cursor(payload, 0);
    std::vector<ClusterInfo> records(count);
    uint32_t group = 0, levelZero = 0;
    for (ClusterInfo& r : records) group += cursor.u32(), r.group = group;
    for (ClusterInfo& r : records) r.generatingGroup = cursor.u32(), levelZero += r.generatingGroup == kNoGroup;
    for (ClusterInfo& r : records) r.material = cursor.u32();
    for (ClusterInfo& r : records) r.vertexCount = cursor.u8();
    for (ClusterInfo& r : records) r.triangleCount = cursor.u16();
    for (ClusterInfo& r : records) r.level = cursor.u8();
    for (ClusterInfo& r : records) r.attributes = cursor.u8();
    for (ClusterInfo& r : records) r.bounds = cursor.vec4();
    if (uint64_t{levelZero} * kLevelZeroRecordBytes > cursor.remaining()) {
        return fail("{} clusters without a generating group need {} more record bytes, the payload has {}", levelZero,
                    uint64_t{levelZero} * kLevelZeroRecordBytes, cursor.remaining());
    }
    for (ClusterInfo& r : records) {
        if (r.generatingGroup == kNoGroup) r.lodBounds = cursor.vec4();
    }
    for (size_t i = 0; i < records.size(); ++i) {
        ClusterInfo& r = records[i];
        if (r.generatingGroup == kNoGroup) {
            r.error = cursor.f32();
        } else if (r.generatingGroup < groups.size()) {
            r.error = groups[r.generatingGroup].simplifiedError;
            r.lodBounds = groups[r.generatingGroup].simplifiedBounds;
        } else {
            return fail("cluster {} of the page: generating group {} >= group count {}", i, r.generatingGroup, groups.size());
        }
    }
    bytesRead = cursor.position();
    return records;
}

}  // namespace vt::pack::detail
