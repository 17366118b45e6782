// Real museum scans from ../shared/corpus (see its SOURCES.md): right triangle counts, sane bounds,
// unit normals, decoded textures. Skipped when the corpus is absent.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "import.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

struct Expected {
    const char* path;
    size_t triangles;
};

// Loads, checks the invariants of asset/model.h, prints the load time.
asset::Model loadChecked(const std::filesystem::path& file) {
    const auto start = std::chrono::steady_clock::now();
    Result<asset::Model> model = importScan(file);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(model) << model.error().message;
    if (!model) return {};
    std::printf("%-28s %9zu tris %8zu verts %2zu images  %.2f s\n", file.filename().c_str(), model->triangleCount(),
                model->vertexCount(), model->images.size(), seconds);
    const asset::Bounds bounds = model->bounds();
    EXPECT_GT(bounds.radius(), 0.0f);
    EXPECT_TRUE(std::isfinite(bounds.radius()));
    EXPECT_FALSE(model->materials.empty());
    size_t badNormals = 0;
    for (const asset::Mesh& mesh : model->meshes) {
        EXPECT_EQ(mesh.normals.size(), mesh.positions.size());
        EXPECT_LT(mesh.material, model->materials.size());
        size_t outOfRange = 0;
        for (uint32_t index : mesh.indices) outOfRange += index >= mesh.positions.size();
        EXPECT_EQ(outOfRange, 0u);
        for (const glm::vec3& n : mesh.normals) badNormals += std::abs(glm::length(n) - 1.0f) > 1e-4f;
    }
    EXPECT_EQ(badNormals, 0u);
    return std::move(*model);
}

class CorpusScan : public ::testing::TestWithParam<Expected> {};

TEST_P(CorpusScan, LoadsWithTheRightTriangleCount) {
    VT_REQUIRE_CORPUS_FILE(file, GetParam().path);
    const asset::Model model = loadChecked(file);
    EXPECT_EQ(model.triangleCount(), GetParam().triangles);
}

INSTANTIATE_TEST_SUITE_P(
    Meshes, CorpusScan,
    ::testing::Values(Expected{"meshes/iiif3d-assets/assets/whale/whale_cranium.glb", 100000},
                      Expected{"meshes/iiif3d-assets/assets/whale/whale_mandible_draco.glb", 100000},
                      Expected{"meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb", 100000},
                      Expected{"meshes/iiif3d-assets/assets/venus/venus.glb", 24058},
                      Expected{"meshes/iiif3d-assets/assets/astronaut/astronaut.glb", 1604},
                      Expected{"meshes/threedscans-polygonjs/models/resources/threedscans.com/beethoven.glb", 76706},
                      Expected{"meshes/threedscans-polygonjs/models/resources/threedscans.com/eagle.glb", 217768},
                      Expected{"meshes/threedscans-polygonjs/models/resources/threedscans.com/einstein.glb", 71078},
                      Expected{"meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb", 462494},
                      Expected{"meshes/odedstein-meshes/objects/demosthenes/demosthenes-low-res.obj", 16719},
                      Expected{"meshes/odedstein-meshes/objects/lionstatue/lionstatue.obj", 63338},
                      Expected{"meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply", 69451},
                      Expected{"meshes/stanford-bunny/bunny/reconstruction/bun_zipper_res2.ply", 16301},
                      Expected{"meshes/stanford-bunny/bunny/reconstruction/bun_zipper_res3.ply", 3851},
                      Expected{"meshes/stanford-bunny/bunny/reconstruction/bun_zipper_res4.ply", 948}),
    [](const auto& param) {
        std::string name = std::filesystem::path(param.param.path).stem().string();
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

TEST(CorpusScan, StanfordBunnyObj) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/common-3d-test-models/stanford-bunny.obj");
    const asset::Model model = loadChecked(file);
    EXPECT_GT(model.triangleCount(), 69000u);  // "~70k" in SOURCES.md
    EXPECT_LT(model.triangleCount(), 70500u);
}

TEST(CorpusScan, WhaleCraniumHasNormalAndOcclusionMapsButNoBaseColour) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/iiif3d-assets/assets/whale/whale_cranium.glb");
    const asset::Model model = loadChecked(file);
    ASSERT_FALSE(model.meshes.empty());
    const asset::Material& m = model.materials.at(model.meshes[0].material);
    EXPECT_EQ(m.baseColorTexture, asset::kNoTexture);
    ASSERT_NE(m.normalTexture, asset::kNoTexture);
    ASSERT_NE(m.occlusionTexture, asset::kNoTexture);
    for (int32_t texture : {m.normalTexture, m.occlusionTexture}) {
        const asset::Image& image = model.images.at(size_t(texture));
        EXPECT_EQ(image.width, 2048u);
        EXPECT_EQ(image.height, 2048u);
        EXPECT_EQ(image.rgba.size(), 2048u * 2048u * 4u);
    }
    EXPECT_FALSE(model.meshes[0].texcoords.empty());
}

TEST(CorpusScan, SaxophoneHasTheFullPbrSet) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb");
    const asset::Model model = loadChecked(file);
    ASSERT_FALSE(model.meshes.empty());
    const asset::Material& m = model.materials.at(model.meshes[0].material);
    for (int32_t texture : {m.baseColorTexture, m.metallicRoughnessTexture, m.normalTexture, m.occlusionTexture}) {
        ASSERT_NE(texture, asset::kNoTexture);
        EXPECT_EQ(model.images.at(size_t(texture)).width, 2048u);
        EXPECT_EQ(model.images.at(size_t(texture)).height, 2048u);
    }
    EXPECT_EQ(model.meshes[0].texcoords.size(), model.meshes[0].positions.size());
}

TEST(CorpusScan, VenusIsTextured) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/iiif3d-assets/assets/venus/venus.glb");
    const asset::Model model = loadChecked(file);
    ASSERT_FALSE(model.images.empty());
    for (const asset::Image& image : model.images) {
        EXPECT_EQ(image.width, 2048u);
        EXPECT_EQ(image.height, 2048u);
    }
}

TEST(CorpusScan, BunnyPlyBoundsMatchTheScan) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply");
    const asset::Model model = loadChecked(file);
    EXPECT_EQ(model.vertexCount(), 35947u);
    const asset::Bounds b = model.bounds();
    // The zippered bunny is about 0.16 m wide, 0.15 m tall, 0.12 m deep.
    EXPECT_NEAR(b.max.x - b.min.x, 0.155f, 0.01f);
    EXPECT_NEAR(b.max.y - b.min.y, 0.153f, 0.01f);
    EXPECT_NEAR(b.max.z - b.min.z, 0.12f, 0.01f);
}

}  // namespace
}  // namespace vt::scan
