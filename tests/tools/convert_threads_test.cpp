// The converter's threads (cluster-LOD workers, parallel texture compression, the pack writer's
// page compression) give the same pack for any thread count. Also run under ThreadSanitizer
// (scripts/test-tsan.sh), where it is the converter's race check.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "tools/pack/convert_scan.h"

namespace vt::convert {
namespace {

namespace fs = std::filesystem;

std::vector<char> bytesOf(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(ConvertThreads, ATexturedScanGivesTheSamePackForAnyThreadCount) {
    const fs::path scan = fs::path(VITRINE_CORPUS_DIR) / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb";
    if (!fs::exists(scan)) FAIL() << "corpus scan missing: " << scan;
    const fs::path dir = fs::temp_directory_path() / ("vitrine-convert-threads-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    ConvertOptions options;
    options.maxTextureSize = 256;  // keeps the run short under ThreadSanitizer; still several mips per texture
    options.lod.threads = 1;
    auto one = convertScans({scan}, dir / "one.vpk", options);
    ASSERT_TRUE(one) << one.error().message;
    options.lod.threads = 4;
    auto four = convertScans({scan}, dir / "four.vpk", options);
    ASSERT_TRUE(four) << four.error().message;
    EXPECT_GE(one->textures.size(), 1u) << "the scan must be textured to exercise parallel texture compression";
    const std::vector<char> a = bytesOf(dir / "one.vpk"), b = bytesOf(dir / "four.vpk");
    EXPECT_GT(a.size(), 10000u);
    EXPECT_TRUE(a == b) << "packs differ: " << a.size() << " vs " << b.size() << " bytes";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace vt::convert
