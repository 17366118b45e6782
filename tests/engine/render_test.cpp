// Golden-image tests of real museum scans from the shared corpus, rendered on the validated device.
#include <filesystem>
#include <map>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "golden.h"
#include "gpu_fixture.h"
#include "tools/scan/import.h"

namespace vt::test {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;

struct CorpusScan {
    const char* name;
    const char* path;  // relative to the corpus
    size_t triangles;
};

const CorpusScan kScans[] = {
    {"whale_cranium", "meshes/iiif3d-assets/assets/whale/whale_cranium.glb", 100000},
    {"saxophone", "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb", 100000},
    {"venus", "meshes/iiif3d-assets/assets/venus/venus.glb", 24058},
    {"zenobia", "meshes/threedscans-polygonjs/public/models/threedscans/zenobia_in_chains.glb", 462494},
    {"bunny", "meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply", 69451},
};

class RenderCorpus : public GpuTest {
protected:
    // Import everything before the Vulkan device exists: the importer forks for third-party parsers.
    static void SetUpTestSuite() {
        if (!std::filesystem::exists(kCorpus)) return;
        for (const CorpusScan& scan : kScans) {
            std::filesystem::path path = kCorpus / scan.path;
            if (!std::filesystem::exists(path)) {
                // The corpus layout nests some scans deeper; find the file by name.
                for (const auto& entry : std::filesystem::recursive_directory_iterator(kCorpus / "meshes"))
                    if (entry.path().filename() == std::filesystem::path(scan.path).filename()) path = entry.path();
            }
            auto model = scan::importScan(path);
            if (model) models()[scan.name] = std::move(*model);
            else importErrors()[scan.name] = model.error().message;
        }
        GpuTest::SetUpTestSuite();
    }
    static std::map<std::string, asset::Model>& models() {
        static std::map<std::string, asset::Model> loaded;
        return loaded;
    }
    static std::map<std::string, std::string>& importErrors() {
        static std::map<std::string, std::string> errors;
        return errors;
    }
    const asset::Model* model(const std::string& name) {
        if (!std::filesystem::exists(kCorpus)) {
            ADD_FAILURE() << "corpus not found at " << kCorpus << " (set -DVITRINE_CORPUS_DIR)";
            return nullptr;
        }
        if (importErrors().contains(name)) {
            ADD_FAILURE() << importErrors()[name];
            return nullptr;
        }
        return &models().at(name);
    }
    static const uint8_t* background(const asset::Image& image) { return image.rgba.data(); }  // top-left corner
};

class RenderCorpusGolden : public RenderCorpus, public ::testing::WithParamInterface<CorpusScan> {};

TEST_P(RenderCorpusGolden, MatchesGolden) {
    const CorpusScan& scan = GetParam();
    const asset::Model* m = model(scan.name);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->triangleCount(), scan.triangles);
    const render::HeadlessFrame frame = renderModel(*m);
    ASSERT_EQ(frame.views.size(), 1u);
    EXPECT_EQ(frame.stats.trianglesSubmitted, scan.triangles);
    const asset::Image& image = frame.views[0];
    // Framed: the object fills a good part of the picture but not all of it.
    const double covered = coverage(image, background(image));
    EXPECT_GT(covered, 0.08) << scan.name << " covers too little of the image";
    EXPECT_LT(covered, 0.85) << scan.name << " covers too much of the image";
    const GoldenResult golden = compareWithGolden(image, scan.name);
    EXPECT_TRUE(golden.passed) << golden.message;
}

INSTANTIATE_TEST_SUITE_P(Corpus, RenderCorpusGolden, ::testing::ValuesIn(kScans),
                         [](const auto& param) { return std::string(param.param.name); });

TEST_F(RenderCorpus, StereoIsOneMultiviewPassWithParallax) {
    const asset::Model* m = model("saxophone");
    ASSERT_NE(m, nullptr);
    Shot shot;
    shot.width = 192;
    shot.height = 192;
    shot.stereo = true;
    const render::HeadlessFrame frame = renderModel(*m, shot);
    ASSERT_EQ(frame.views.size(), 2u);
    // One pass: every draw is issued once for both views.
    EXPECT_EQ(frame.stats.trianglesSubmitted, m->triangleCount());
    const asset::Image& left = frame.views[0];
    const asset::Image& right = frame.views[1];
    // A near object appears further right to the left eye than to the right eye.
    const double leftX = foregroundCentroidX(left, background(left));
    const double rightX = foregroundCentroidX(right, background(right));
    EXPECT_GT(leftX - rightX, 2.0) << "left centroid " << leftX << ", right centroid " << rightX;
    const GoldenResult golden = compareWithGolden(render::sideBySide(left, right), "saxophone_stereo");
    EXPECT_TRUE(golden.passed) << golden.message;
}

TEST_F(RenderCorpus, TexturesChangeThePicture) {
    const asset::Model* m = model("saxophone");
    ASSERT_NE(m, nullptr);
    ASSERT_GE(m->images.size(), 4u) << "the saxophone has base colour, metal-rough, normal and occlusion maps";
    asset::Model untextured = *m;
    for (asset::Material& material : untextured.materials)
        material.baseColorTexture = material.metallicRoughnessTexture = material.normalTexture =
            material.occlusionTexture = material.emissiveTexture = asset::kNoTexture;
    const asset::Image textured = renderModel(*m).views[0];
    const asset::Image plain = renderModel(untextured).views[0];
    size_t different = 0;
    for (size_t i = 0; i < textured.rgba.size(); i += 4)
        if (std::abs(int(textured.rgba[i]) - int(plain.rgba[i])) > 20) ++different;
    EXPECT_GT(double(different) / double(textured.rgba.size() / 4), 0.03);
}

TEST_F(RenderCorpus, SpotLightAddsLight) {
    const asset::Model* m = model("venus");
    ASSERT_NE(m, nullptr);
    Shot withSpot, withoutSpot;
    withoutSpot.spotLights = false;
    const double lit = meanLuminance(renderModel(*m, withSpot).views[0]);
    const double unlit = meanLuminance(renderModel(*m, withoutSpot).views[0]);
    EXPECT_GT(lit, unlit + 2.0);
}

TEST_F(RenderCorpus, MirroredPlacementStillShowsFrontFaces) {
    // A mirroring transform flips the winding; the renderer must flip the front face with it, or
    // back-face culling would show the inside of the scan.
    const asset::Model* m = model("bunny");
    ASSERT_NE(m, nullptr);
    Shot normal, mirrored;
    mirrored.worldFromModel = glm::scale(glm::mat4(1.0f), glm::vec3(-1, 1, 1));
    mirrored.yawDegrees = -normal.yawDegrees;
    const asset::Image a = renderModel(*m, normal).views[0];
    const asset::Image b = renderModel(*m, mirrored).views[0];
    EXPECT_NEAR(coverage(a, background(a)), coverage(b, background(b)), 0.02);
    EXPECT_NEAR(meanLuminance(a), meanLuminance(b), 6.0);
}

}  // namespace
}  // namespace vt::test
