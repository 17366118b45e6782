// Streaming end to end on the validated device: a real scan converted to a pack, opened through the
// streaming scene, uploaded page by page by the GPU streamer and drawn with the renderer. The
// settled picture must match the full-resolution scan's, with about one triangle per covered pixel.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "convert_scan.h"
#include "golden.h"
#include "gpu_fixture.h"
#include "pack/byte_source.h"
#include "stream/streaming_scene.h"
#include "stream_gpu/gpu_streamer.h"
#include "tools/scan/import.h"

namespace vt::test {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
const std::filesystem::path kZenobia =
    kCorpus / "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb";
const std::filesystem::path kPack = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "zenobia_stream_test.vpk";

class StreamRender : public GpuTest {
protected:
    static void SetUpTestSuite() {
        std::filesystem::create_directories(kPack.parent_path());
        auto converted = convert::convertScans({kZenobia}, kPack, {});
        error() = converted ? "" : converted.error().message;
        auto model = scan::importScan(kZenobia);
        if (model) full() = std::move(*model);
        GpuTest::SetUpTestSuite();
    }
    static std::string& error() {
        static std::string text;
        return text;
    }
    static asset::Model& full() {
        static asset::Model model;
        return model;
    }

    struct Streamed {
        asset::Image image;
        stream::StreamStats stats;
        size_t frames = 0;
    };
    // Streams the pack at `shot`'s view until settled and renders it.
    Streamed stream(const Shot& shot, float threshold) {
        stream::StreamOptions options;
        options.pixelErrorThreshold = threshold;
        stream::StreamingScene scene(options);
        stream::GpuStreamer streamer(*context_, *renderer_, scene);
        auto source = pack::openFile(kPack);
        EXPECT_TRUE(source);
        if (!source) return {};
        const stream::ArtifactId id = streamer.add(std::move(*source), kPack.string(), glm::mat4(1.0f), nullptr);
        const float fovY = glm::radians(35.0f), aspect = float(shot.width) / float(shot.height);
        const Bounds bounds = full().bounds();
        const scene::View view = scene::orbitView(
            scene::frameBounds(bounds, fovY, aspect, shot.yawDegrees, shot.pitchDegrees), fovY, aspect);
        std::vector<scene::View> views{view};
        Streamed result;
        std::span<const render::ClusterDraw> draws;
        for (; result.frames < 20000; ++result.frames) {
            scene.update(views, {shot.width, shot.height});
            draws = streamer.prepareFrame(32ull << 20);
            if (scene.settled()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        EXPECT_TRUE(scene.settled()) << "never settled";
        EXPECT_TRUE(scene.takeErrors().empty());
        EXPECT_EQ(scene.status(id).state, stream::ArtifactState::Open);
        scene::Lighting lighting = scene::objectLighting(bounds);
        const render::FrameInput input{views, {}, draws, &lighting};
        result.image = render::renderHeadless(*context_, *renderer_, input, {shot.width, shot.height}).views[0];
        result.stats = scene.stats();
        return result;
    }
};

TEST_F(StreamRender, SettledPictureMatchesTheFullScan) {
    ASSERT_TRUE(error().empty()) << error();
    Shot shot;
    const Streamed streamed = stream(shot, 1.0f);
    const asset::Image reference = renderModel(full(), shot).views[0];
    const uint8_t* background = reference.rgba.data();
    const double covered = coverage(reference, background);
    const double coveredPixels = covered * shot.width * shot.height;
    std::printf("streamed: %llu triangles drawn (input %zu) for %.0f covered pixels, %zu frames, first draw %.3f s, "
                "settled %.3f s, %llu bytes fetched\n",
                (unsigned long long)streamed.stats.trianglesDrawn, full().triangleCount(), coveredPixels,
                streamed.frames, streamed.stats.timeToFirstDrawSeconds, streamed.stats.timeToSettledSeconds,
                (unsigned long long)streamed.stats.bytesFetched);
    EXPECT_LE(double(streamed.stats.trianglesDrawn), 1.5 * coveredPixels) << "about one triangle per covered pixel";
    EXPECT_LT(streamed.stats.trianglesDrawn, full().triangleCount() / 4);
    // At a 1-pixel error the streamed cut is visually the full scan: the same silhouette and shading,
    // within the golden tolerance (measured on lavapipe: worst window 2.3 of 4, 0.4% of pixels over 24).
    const GoldenResult versusFull = compareWithGolden(streamed.image, "zenobia", {}, GoldenUpdate::Never);
    EXPECT_TRUE(versusFull.passed) << "streamed picture vs the full-resolution golden: " << versusFull.message;
}

TEST_F(StreamRender, CoarserThresholdDrawsFewerTriangles) {
    ASSERT_TRUE(error().empty()) << error();
    Shot shot;
    const Streamed fine = stream(shot, 1.0f);
    const Streamed coarse = stream(shot, 8.0f);
    EXPECT_LT(coarse.stats.trianglesDrawn * 2, fine.stats.trianglesDrawn);
    EXPECT_LT(coarse.stats.bytesFetched, fine.stats.bytesFetched);
    EXPECT_GT(coverage(coarse.image, coarse.image.rgba.data()), 0.08) << "the coarse cut still shows the statue";
}

}  // namespace
}  // namespace vt::test
