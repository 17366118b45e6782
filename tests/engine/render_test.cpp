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
    {"zenobia", "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb", 462494},
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

TEST_F(RenderCorpus, EachLightContributes) {
    // With the key light and ambient light off, only the spot light can light the statue; with
    // everything off it must be black.
    const asset::Model* m = model("venus");
    ASSERT_NE(m, nullptr);
    const scene::Lighting full = scene::objectLighting(m->bounds());
    scene::Lighting dark = full;
    dark.sun.intensity = 0.0f;
    dark.ambientIntensity = 0.0f;
    dark.spots.clear();
    scene::Lighting spotOnly = dark;
    spotOnly.spots = full.spots;
    scene::Lighting sunOnly = dark;
    sunOnly.sun = full.sun;
    scene::Lighting ambientOnly = dark;
    ambientOnly.ambientIntensity = 1.0f;
    auto brightness = [&](const scene::Lighting& lighting) {
        Shot shot;
        shot.lighting = lighting;
        return meanLuminance(renderModel(*m, shot).views[0]);
    };
    Shot darkShot;
    darkShot.lighting = dark;
    const asset::Image unlit = renderModel(*m, darkShot).views[0];
    const uint8_t black[3] = {0, 0, 0};
    EXPECT_GT(1.0 - coverage(unlit, black, 1), 0.08) << "an unlit object should be black";
    const double none = meanLuminance(unlit);
    EXPECT_GT(brightness(spotOnly), none + 5.0);
    EXPECT_GT(brightness(sunOnly), none + 5.0);
    EXPECT_GT(brightness(ambientOnly), none + 5.0);
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

namespace vt::test {
namespace {

// Many scans carry vertex colours instead of textures: they must reach the picture.
TEST_F(GpuTest, VertexColoursAreShown) {
    asset::Model model;
    model.source = "two coloured quads";
    model.materials.resize(1);
    model.materials[0].metallicFactor = 0.0f;
    asset::Mesh mesh;
    // Two quads side by side facing +Z: red on the left, blue on the right.
    for (int half = 0; half < 2; ++half) {
        const float x0 = half == 0 ? -1.0f : 0.0f, x1 = x0 + 1.0f;
        const uint32_t base = uint32_t(mesh.positions.size());
        mesh.positions.insert(mesh.positions.end(), {{x0, -1, 0}, {x1, -1, 0}, {x1, 1, 0}, {x0, 1, 0}});
        const glm::vec4 color = half == 0 ? glm::vec4(0.8f, 0.05f, 0.05f, 1) : glm::vec4(0.05f, 0.05f, 0.8f, 1);
        for (int i = 0; i < 4; ++i) {
            mesh.normals.push_back({0, 0, 1});
            mesh.colors.push_back(color);
        }
        mesh.indices.insert(mesh.indices.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
    }
    model.meshes.push_back(mesh);
    Shot shot;
    shot.width = shot.height = 64;
    shot.yawDegrees = 0.0f;
    shot.pitchDegrees = 0.0f;
    const asset::Image image = renderModel(model, shot).views[0];
    auto pixel = [&](uint32_t x, uint32_t y) { return &image.rgba[(size_t(y) * image.width + x) * 4]; };
    const uint8_t* left = pixel(20, 32);
    const uint8_t* right = pixel(44, 32);
    EXPECT_GT(left[0], left[2] + 60) << "left half should be red";
    EXPECT_GT(right[2], right[0] + 60) << "right half should be blue";
}

}  // namespace
}  // namespace vt::test
