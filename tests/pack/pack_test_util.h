#pragma once
// Synthetic pack contents for the pack tests: a height-field patch split into a cluster LOD hierarchy
// built by hand (so the tests do not depend on tools/lod), with materials and textures.

#include <cstdint>
#include <span>
#include <vector>

#include "pack/pack_writer.h"

namespace vt::pack::test {

// `side` level-0 clusters per side (a power of two); each level halves it, groups are 2x2 clusters,
// the top level is one cluster. Every cluster has 9x9 vertices and 128 triangles. Some clusters lack
// colours or texcoords so per-cluster attribute flags are exercised.
PackContents makeContents(uint32_t side);

std::vector<uint8_t> readFileBytes(const std::filesystem::path& path);

// A fresh empty folder under the system temp folder, removed by the destructor.
struct TempFolder {
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    std::filesystem::path path;
};

}  // namespace vt::pack::test
