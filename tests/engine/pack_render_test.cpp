// The artifact pack's root page alone must show a recognisable object: convert a real scan, read
// only page 0, draw its coarsest level, and compare the silhouette with the full-resolution scan.
#include <filesystem>

#include <gtest/gtest.h>

#include "convert_scan.h"
#include "golden.h"
#include "gpu_fixture.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "tools/scan/import.h"

namespace vt::test {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
const std::filesystem::path kWhale = kCorpus / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb";
const std::filesystem::path kPack = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "whale_root_test.vpk";

class PackRoot : public GpuTest {
protected:
    static void SetUpTestSuite() {
        // Convert and import before the Vulkan device exists: both fork child processes.
        std::filesystem::create_directories(kPack.parent_path());
        auto converted = convert::convertScans({kWhale}, kPack, {});
        conversionError() = converted ? "" : converted.error().message;
        auto model = scan::importScan(kWhale);
        if (model) fullModel() = std::move(*model);
        GpuTest::SetUpTestSuite();
    }
    static std::string& conversionError() {
        static std::string error;
        return error;
    }
    static asset::Model& fullModel() {
        static asset::Model model;
        return model;
    }
};

// Foreground masks of two renders: intersection over union.
double silhouetteOverlap(const asset::Image& a, const asset::Image& b) {
    const uint8_t* backgroundA = a.rgba.data();
    const uint8_t* backgroundB = b.rgba.data();
    size_t both = 0, either = 0;
    for (size_t i = 0; i < a.rgba.size(); i += 4) {
        auto differs = [](const uint8_t* p, const uint8_t* bg) {
            return std::abs(p[0] - bg[0]) + std::abs(p[1] - bg[1]) + std::abs(p[2] - bg[2]) > 18;
        };
        const bool inA = differs(&a.rgba[i], backgroundA), inB = differs(&b.rgba[i], backgroundB);
        both += inA && inB;
        either += inA || inB;
    }
    return either ? double(both) / double(either) : 0.0;
}

TEST_F(PackRoot, RootPageAloneShowsTheObject) {
    ASSERT_TRUE(std::filesystem::exists(kWhale)) << "corpus not found at " << kCorpus;
    ASSERT_TRUE(conversionError().empty()) << conversionError();
    auto source = pack::openFile(kPack);
    ASSERT_TRUE(source) << source.error().message;
    auto reader = pack::PackReader::open(**source, kPack.string());
    ASSERT_TRUE(reader) << reader.error().message;
    ASSERT_FALSE(reader->pages().empty());
    EXPECT_LE(reader->pages()[0].compressedBytes, 64u * 1024u) << "the root page must fit one small request";

    auto clusters = reader->readPage(0);
    ASSERT_TRUE(clusters) << clusters.error().message;
    std::vector<uint32_t> root;
    size_t rootTriangles = 0;
    for (uint32_t i = 0; i < clusters->size(); ++i)
        if ((*clusters)[i].parentError >= asset::kNoParent) {
            root.push_back(i);
            rootTriangles += (*clusters)[i].indices.size() / 3;
        }
    ASSERT_FALSE(root.empty()) << "page 0 must hold the root level";
    EXPECT_LT(rootTriangles, 4096u);
    std::vector<asset::Material> materials(reader->materials().begin(), reader->materials().end());
    for (asset::Material& material : materials)  // pack textures are GPU blocks; draw the shape untextured
        material.baseColorTexture = material.metallicRoughnessTexture = material.normalTexture =
            material.occlusionTexture = material.emissiveTexture = asset::kNoTexture;
    const asset::Model rootModel = asset::clustersToModel(*clusters, root, materials);

    const asset::Image coarse = renderModel(rootModel).views[0];
    const asset::Image full = renderModel(fullModel()).views[0];
    const double overlap = silhouetteOverlap(coarse, full);
    std::printf("root: %zu triangles (input %zu), silhouette overlap with full resolution %.3f\n", rootTriangles,
                fullModel().triangleCount(), overlap);
    EXPECT_GT(overlap, 0.85) << "the root level should have the full scan's silhouette";

    // The finest cut page 0 can draw on its own: the page holds whole levels, so cutting at the largest
    // error of its finest level selects that level, with every parent also in the page.
    asset::ClusterHierarchy page;
    page.clusters = *clusters;
    uint32_t finest = UINT32_MAX;
    for (const asset::Cluster& cluster : page.clusters) finest = std::min(finest, cluster.level);
    float finestError = 0.0f;
    for (const asset::Cluster& cluster : page.clusters)
        if (cluster.level == finest) finestError = std::max(finestError, cluster.error);
    const std::vector<uint32_t> cut = asset::selectCut(page, finestError);
    const asset::Model pageModel = asset::clustersToModel(*clusters, cut, materials);
    const asset::Image best = renderModel(pageModel).views[0];
    const double bestOverlap = silhouetteOverlap(best, full);
    std::printf("root page: %zu triangles at level %u, silhouette overlap %.3f\n", pageModel.triangleCount(), finest,
                bestOverlap);
    EXPECT_GT(pageModel.triangleCount(), rootTriangles);
    EXPECT_GT(bestOverlap, 0.93) << "the root page's finest level should match the full scan closely";
    const GoldenResult golden = compareWithGolden(best, "whale_root_page");
    EXPECT_TRUE(golden.passed) << golden.message;
}

}  // namespace
}  // namespace vt::test
