#pragma once
// The cluster records at the start of a page payload (internal to engine/pack), stored column by
// column so zstd sees like next to like; docs/pack-format.md, "Cluster records", is the layout.
// A cluster that a finer group generated stores no error or lodBounds: they are that group's
// simplifiedError and simplifiedBounds, which the directory holds.

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "pack/pack_format.h"

namespace vt::pack::detail {

// Bytes every cluster takes, whatever it is; a cluster without a generating group adds
// kLevelZeroRecordBytes (its error and lodBounds).
constexpr uint32_t kClusterRecordBytes = 33;
constexpr uint32_t kLevelZeroRecordBytes = 20;

std::vector<uint8_t> encodeClusterRecords(std::span<const ClusterInfo> records);

// Reads `count` records from the front of `payload` and says how many bytes they took. Only the
// layout is checked here (sizes); `groups` fills error and lodBounds of generated clusters, and a
// generating group outside it is an error. The reader checks every other rule.
Result<std::vector<ClusterInfo>> decodeClusterRecords(std::span<const uint8_t> payload, uint32_t count,
                                                      std::span<const GroupInfo> groups, size_t& bytesRead);

}  // namespace vt::pack::detail
