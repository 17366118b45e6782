#pragma once
// Whole-pack checks and a human-readable summary (for `vitrine pack verify` / `vitrine pack inspect`).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "pack/pack_reader.h"

namespace vt::pack {

struct VerifyReport {
    std::vector<std::string> faults;  // one line each, "label: byte N: what is wrong"; empty when sound
    uint32_t pagesDecoded = 0;
    uint32_t mipsChecked = 0;
    bool ok() const { return faults.empty(); }
};

// Reads every page and mip and checks every checksum and invariant: pages decode, indices are in
// range, errors are monotonic (parentError >= error), parentBounds enclose lodBounds, groups sit whole
// in one page, pages run coarse to fine, byte ranges do not overlap, the coarsest level is in the root
// page. Lists every fault it finds rather than stopping at the first. An error (not a report) when
// the file cannot be opened or its header/directory is unreadable, since nothing else can be checked.
Result<VerifyReport> verifyPack(const std::filesystem::path& path);
VerifyReport verifyPack(PackReader& reader);

// Multi-line summary: header, metadata, per-level clusters/triangles/pages/bytes and error range,
// textures with formats and mips, root page size. Reads every page's cluster records (decompressing
// pages, not decoding geometry) for the per-level cluster counts.
std::string describePack(PackReader& reader);

}  // namespace vt::pack
