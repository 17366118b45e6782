// A source already quantized on a coarser grid (Draco, KHR_mesh_quantization) keeps its grid in the
// pack: found exactly, refused for anything that is not such a grid, and on the real Draco saxophone.

#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "pack/pack_reader.h"
#include "pack/pack_verify.h"
#include "pack/pack_writer.h"
#include "pack/source_grid.h"
#include "pack_test_util.h"
#include "tools/lod/cluster_lod_builder.h"
#include "tools/scan/import.h"

namespace vt::pack {
namespace {

// Positions origin + k * step (k random in 0..levels-1, per axis), computed in float as a Draco
// decoder does, spread over a few clusters.
std::vector<asset::Cluster> gridClusters(glm::vec3 origin, float step, int levels, int count, uint32_t seed) {
    std::mt19937 random(seed);
    std::vector<asset::Cluster> clusters(4);
    for (int i = 0; i < count; ++i) {
        glm::vec3 p;
        for (int axis = 0; axis < 3; ++axis) p[axis] = origin[axis] + static_cast<float>(random() % levels) * step;
        clusters[i % 4].positions.push_back(p);
    }
    // The extremes, so the box spans the whole grid.
    clusters[0].positions.push_back(origin);
    clusters[0].positions.push_back(origin + glm::vec3(static_cast<float>(levels - 1) * step));
    return clusters;
}

TEST(SourceGrid, AnElevenBitGridIsFound) {
    const glm::vec3 origin{-0.25f, 0.0125f, 3.5f};
    const float step = 0.66f / 2047.0f;
    const auto clusters = gridClusters(origin, step, 2048, 20000, 1);
    const auto found = detail::sourceGridStep(clusters, origin, 2047.0f * step, 16383);
    ASSERT_TRUE(found);
    EXPECT_NEAR(*found / step, 1.0, 1e-6);
}

TEST(SourceGrid, NoGridFinerGridsAndJitterAreRefused) {
    const glm::vec3 origin{0.0f};
    const float step = 1.0f / 2047.0f;
    // A 14-bit source is no coarser than the writer's own 14-bit grid: nothing to gain.
    const float fine = 1.0f / 16383.0f;
    EXPECT_FALSE(detail::sourceGridStep(gridClusters(origin, fine, 16384, 40000, 2), origin, 1.0f, 16383));
    // One coordinate 0.3719 of a step off the grid: not a grid. (A third of a step would be: the
    // grid of step / 3, which holds every other value too.)
    auto clusters = gridClusters(origin, step, 2048, 20000, 3);
    clusters[2].positions[5].y += step * 0.3719f;
    EXPECT_FALSE(detail::sourceGridStep(clusters, origin, 1.0f, 16383));
    // A raw scan (float positions) lies on no grid.
    std::mt19937 random(4);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    std::vector<asset::Cluster> raw(1);
    for (int i = 0; i < 5000; ++i) raw[0].positions.push_back({uniform(random), uniform(random), uniform(random)});
    raw[0].positions.push_back(glm::vec3(0.0f));
    EXPECT_FALSE(detail::sourceGridStep(raw, glm::vec3(0.0f), 1.0f, 16383));
}

// The Smithsonian saxophone's Draco GLB stores positions on an 11-bit grid: the pack keeps exactly it,
// so every decoded position is an input position (no rounding on top of Draco's).
TEST(SourceGrid, TheDracoSaxophoneKeepsItsElevenBits) {
    const auto path = std::filesystem::path(VITRINE_CORPUS_DIR) / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
    if (!std::filesystem::exists(path)) FAIL() << "corpus file not available: " << path;
    auto model = scan::importScan(path);
    ASSERT_TRUE(model) << model.error().message;
    auto hierarchy = lod::buildClusterLod(*model);
    ASSERT_TRUE(hierarchy) << hierarchy.error().message;
    PackContents contents;
    contents.name = "saxophone";
    contents.materials = {asset::Material{}};
    for (asset::Cluster& cluster : hierarchy->clusters) cluster.material = 0, cluster.texcoords.clear();
    contents.hierarchy = std::move(*hierarchy);
    auto bytes = encodePack(contents);
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto source = memorySource(*bytes);
    auto reader = PackReader::open(*source, "saxophone.vpk");
    ASSERT_TRUE(reader) << reader.error().message;
    const PackHeader& h = reader->header();
    const glm::vec3 extent = h.bounds.max - h.bounds.min;
    EXPECT_EQ(std::lround(std::max({extent.x, extent.y, extent.z}) / h.positionStep), 2047);

    auto decoded = reader->readHierarchy();
    ASSERT_TRUE(decoded) << decoded.error().message;
    double worst = 0.0;
    for (const asset::Cluster& cluster : decoded->clusters) {
        for (const glm::vec3& p : cluster.positions) {
            for (int axis = 0; axis < 3; ++axis) {
                const double k = (static_cast<double>(p[axis]) - h.positionOrigin[axis]) / h.positionStep;
                worst = std::max(worst, std::abs(k - std::round(k)));
            }
        }
    }
    std::printf("saxophone: position step %.9g (%ld steps), worst distance from the grid %.2g steps\n", h.positionStep,
                std::lround(std::max({extent.x, extent.y, extent.z}) / h.positionStep), worst);
    EXPECT_LT(worst, 1e-3);
    EXPECT_TRUE(verifyPack(*reader).ok());
}

}  // namespace
}  // namespace vt::pack
