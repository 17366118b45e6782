// Real scans through the whole converter path: import (tools/scan), cluster LOD (tools/lod), pack,
// read back, verify. Reports bytes per input triangle. A missing corpus scan fails.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "pack/pack_reader.h"
#include "pack/pack_verify.h"
#include "pack/pack_writer.h"
#include "pack_test_util.h"
#include "tools/lod/cluster_lod_builder.h"
#include "tools/scan/import.h"

namespace vt::pack {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;

// The geometry budget, header + directory + all pages, per input triangle.
constexpr double kMaxGeometryBytesPerInputTriangle = 14.4;

void packScan(const char* relative, const char* label) {
    const std::filesystem::path path = kCorpus / relative;
    if (!std::filesystem::exists(path)) FAIL() << "corpus file not available: " << path;
    auto model = scan::importScan(path);
    ASSERT_TRUE(model) << model.error().message;
    const auto start = std::chrono::steady_clock::now();
    auto hierarchy = lod::buildClusterLod(*model);
    ASSERT_TRUE(hierarchy) << hierarchy.error().message;
    const auto built = std::chrono::steady_clock::now();

    PackContents contents;
    contents.name = label;
    contents.source = relative;
    contents.materials = model->materials;
    // Images as uncompressed RGBA8 mip 0 (BC compression is another tool's job); they exercise the
    // texture path and are reported apart from geometry.
    for (const asset::Image& image : model->images) {
        contents.textures.push_back(PackTexture{TextureFormat::Rgba8Srgb, image.width, image.height, {image.rgba}});
    }
    contents.hierarchy = std::move(*hierarchy);

    test::TempFolder folder;
    const auto file = folder.path / (std::string(label) + ".vpk");
    auto stats = writePack(file, contents);
    ASSERT_TRUE(stats) << stats.error().message;
    const auto written = std::chrono::steady_clock::now();

    const double input = static_cast<double>(contents.hierarchy.inputTriangles);
    const double geometry = static_cast<double>(stats->geometryBytes + stats->directoryBytes);
    std::printf("%s: %.0f input triangles, %llu over %u levels, %u clusters, %u pages (largest %llu B)\n", label, input,
                static_cast<unsigned long long>(stats->triangleCount), contents.hierarchy.levelCount, stats->clusterCount,
                stats->pageCount, static_cast<unsigned long long>(stats->largestPageBytes));
    std::printf("%s: geometry %.2f B/input triangle (pages %.2f + header/directory %.2f), %.2f B per stored triangle; "
                "root page %llu B holding %u levels; textures %llu B; file %llu B; lod %.1f s, pack %.1f s\n",
                label, geometry / input, static_cast<double>(stats->geometryBytes) / input,
                static_cast<double>(stats->directoryBytes) / input,
                static_cast<double>(stats->geometryBytes + stats->directoryBytes) / static_cast<double>(stats->triangleCount),
                static_cast<unsigned long long>(stats->rootPageBytes), stats->rootLevels,
                static_cast<unsigned long long>(stats->textureBytes), static_cast<unsigned long long>(stats->totalBytes),
                std::chrono::duration<double>(built - start).count(), std::chrono::duration<double>(written - built).count());
    EXPECT_LE(geometry / input, kMaxGeometryBytesPerInputTriangle);
    EXPECT_LE(stats->rootPageBytes, kMaxRootPageBytes);

    auto report = verifyPack(file);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << report->faults.size() << " faults, first: " << report->faults.front();

    auto source = openFile(file);
    ASSERT_TRUE(source);
    auto reader = PackReader::open(**source, file.filename().string());
    ASSERT_TRUE(reader) << reader.error().message;
    std::printf("%s", describePack(*reader).c_str());
    auto decoded = reader->readHierarchy();
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->triangleCount(), contents.hierarchy.triangleCount());
    // Same LOD metadata, so the same cuts at every threshold.
    const float radius = contents.hierarchy.bounds.radius();
    for (const float fraction : {0.0f, 1e-4f, 1e-3f, 1e-2f, 0.1f, 10.0f}) {
        size_t original = 0, roundTrip = 0;
        for (const uint32_t c : asset::selectCut(contents.hierarchy, fraction * radius)) original += contents.hierarchy.clusters[c].indices.size();
        for (const uint32_t c : asset::selectCut(*decoded, fraction * radius)) roundTrip += decoded->clusters[c].indices.size();
        EXPECT_EQ(original, roundTrip) << "cut at " << fraction << " x radius";
    }
    // Positions stay within the quantization bound of the input's box.
    const PackHeader& h = reader->header();
    glm::vec3 lo{1e30f}, hi{-1e30f};
    for (const asset::Cluster& cluster : contents.hierarchy.clusters) {
        for (const glm::vec3& p : cluster.positions) lo = glm::min(lo, p), hi = glm::max(hi, p);
    }
    for (const asset::Cluster& cluster : decoded->clusters) {
        for (const glm::vec3& p : cluster.positions) {
            ASSERT_TRUE(glm::all(glm::greaterThanEqual(p, lo - h.positionErrorBound * 1.01f)) &&
                        glm::all(glm::lessThanEqual(p, hi + h.positionErrorBound * 1.01f)));
        }
    }
}

TEST(PackCorpus, WhaleCranium) { packScan("meshes/iiif3d-assets/assets/whale/whale_cranium.glb", "whale_cranium"); }
TEST(PackCorpus, StanfordBunny) { packScan("meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply", "bunny"); }

}  // namespace
}  // namespace vt::pack
