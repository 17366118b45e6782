#pragma once
// Where pack bytes come from: a file today, HTTP range requests later. The reader asks only for
// ranges it has validated against size(), but a source must still refuse out-of-range reads itself.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace vt::pack {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Total size in bytes, fixed for the source's lifetime.
    virtual uint64_t size() const = 0;
    // Exactly `bytes` bytes starting at `offset`, or an error (out of range, I/O failure).
    virtual Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) = 0;
    // How many bytes at the start of the file read() answers from memory, without I/O (a network
    // source keeps its first response); 0 when none. Fixed for the source's lifetime. A reader sizes
    // its first read by it, so that read costs nothing and the next asks for exactly what is missing.
    virtual uint64_t heldPrefixBytes() const { return 0; }
};

// A file opened for reading. The error names the path and the reason.
Result<std::unique_ptr<ByteSource>> openFile(const std::filesystem::path& path);

// Bytes held in memory (tests, fully downloaded packs). Copies `bytes`.
std::unique_ptr<ByteSource> memorySource(std::span<const uint8_t> bytes);

}  // namespace vt::pack
