#pragma once
// Test helper: LAS/LAZ files written again by LASzip, to make small real files for sweeps and
// plain copies of a COPC file.

#include <cstdint>
#include <vector>

namespace vt::scan::test {

// The first `points` points of a LAS/LAZ file, written again by LASzip (LAZ with chunks of
// `chunkSize` points, or uncompressed LAS), with the COPC records dropped.
std::vector<uint8_t> rewriteWithLaszip(const std::vector<uint8_t>& source, uint64_t points, bool compress,
                                       uint32_t chunkSize = 50000);

}  // namespace vt::scan::test
