// Streaming end to end on the validated device: a real scan converted to a pack, opened through the
// streaming scene, uploaded page by page by the GPU streamer and drawn with the renderer. The
// settled picture must match the full-resolution scan's, with about one triangle per covered pixel.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "asset/image_io.h"
#include "convert_scan.h"
#include "golden.h"
#include "gpu_fixture.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
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
        const stream::ArtifactId id = streamer.add(std::move(*source), kPack.string(), glm::mat4(1.0f));
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

// Shadows must not swim as streaming refines: the key light casts from the cut the eye needs, which
// changes as a visitor walks. The shadow Zenobia casts on the floor from the cut chosen for an eye
// 2.5 times farther away (a coarser cut) and from the cut for the near eye, both seen from the near
// eye, must cover the same floor pixels up to the cut's own error (a 1-pixel error far is 2.5 pixels
// near): its outline may move by no more than a pixel on average. A 16-pixel cut is printed for
// comparison (not a cut the viewer settles on).
TEST_F(StreamRender, KeyLightShadowDoesNotSwimAsLevelsStreamIn) {
    ASSERT_TRUE(error().empty()) << error();
    stream::StreamOptions options;
    options.pixelErrorThreshold = 16.0f;
    stream::StreamingScene scene(options);
    stream::GpuStreamer streamer(*context_, *renderer_, scene);
    auto source = pack::openFile(kPack);
    ASSERT_TRUE(source);
    streamer.add(std::move(*source), kPack.string(), glm::mat4(1.0f));
    const Bounds bounds = full().bounds();
    const float radius = bounds.radius();

    // A floor under her, the key light from above (the gallery's direction), the region around both.
    asset::Model floorModel;
    floorModel.source = "floor";
    floorModel.materials.resize(1);
    floorModel.materials[0].baseColorFactor = glm::vec4(0.8f, 0.8f, 0.8f, 1.0f);
    floorModel.materials[0].roughnessFactor = 0.9f;
    floorModel.meshes.resize(1);
    asset::Mesh& floor = floorModel.meshes[0];
    const float floorY = bounds.min.y, half = 2.0f * radius;
    const glm::vec3 c = bounds.center();
    for (glm::vec2 corner : {glm::vec2(-1, -1), glm::vec2(-1, 1), glm::vec2(1, 1), glm::vec2(1, -1)}) {
        floor.positions.emplace_back(c.x + corner.x * half, floorY, c.z + corner.y * half);
        floor.normals.emplace_back(0.0f, 1.0f, 0.0f);
    }
    floor.indices = {0, 1, 2, 0, 2, 3};
    const render::GpuModel floorGpu = renderer_->upload(floorModel);
    const render::DrawItem floorItem{&floorGpu, glm::mat4(1.0f)};
    scene::Lighting lighting;
    lighting.sun.direction = glm::normalize(glm::vec3(0.25f, -1.0f, -0.35f));
    lighting.sun.intensity = 2.0f;
    lighting.ambientIntensity = 0.3f;
    lighting.sun.shadowRegion = {glm::vec3(c.x - half, floorY - 0.01f * radius, c.z - half),
                                 glm::vec3(c.x + half, bounds.max.y + 0.1f * radius, c.z + half)};

    constexpr uint32_t kSize = 256;
    const float fovY = glm::radians(35.0f);
    const Bounds framed{glm::vec3(c.x - radius, floorY, c.z - radius), glm::vec3(c.x + radius, bounds.max.y, c.z + radius)};
    const std::vector<scene::View> views{scene::orbitView(scene::frameBounds(framed, fovY, 1.0f, 35.0f, 55.0f), fovY, 1.0f)};
    std::span<const render::ClusterDraw> draws;
    auto settle = [&](const std::vector<scene::View>& streamViews) {
        for (int frame = 0; frame < 20000; ++frame) {
            scene.update(streamViews, {kSize, kSize});
            draws = streamer.prepareFrame(32ull << 20);
            if (frame > 2 && scene.settled()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ADD_FAILURE() << "never settled";
    };
    // The frame with the key light's shadow and without it (the quality switch).
    auto frames = [&] {
        const render::FrameInput input{views, std::span(&floorItem, 1), draws, &lighting};
        const render::QualitySettings quality = renderer_->quality();
        std::pair<asset::Image, asset::Image> result;
        result.first = render::renderHeadless(*context_, *renderer_, input, {kSize, kSize}).views[0];
        render::QualitySettings off = quality;
        off.keyShadow = render::Quality::Off;
        renderer_->setQuality(off);
        result.second = render::renderHeadless(*context_, *renderer_, input, {kSize, kSize}).views[0];
        renderer_->setQuality(quality);
        return result;
    };
    settle(views);
    const uint64_t roughTriangles = scene.stats().trianglesDrawn;
    const auto [rough, roughOff] = frames();
    options.pixelErrorThreshold = 1.0f;
    scene.setOptions(options);
    scene::Orbit farOrbit = scene::frameBounds(framed, fovY, 1.0f, 35.0f, 55.0f);
    farOrbit.distance *= 2.5f;
    settle(std::vector<scene::View>{scene::orbitView(farOrbit, fovY, 1.0f)});
    const uint64_t coarseTriangles = scene.stats().trianglesDrawn;
    const auto [coarse, coarseOff] = frames();
    settle(views);
    const uint64_t fineTriangles = scene.stats().trianglesDrawn;
    const auto [fine, fineOff] = frames();
    EXPECT_LT(coarseTriangles * 2, fineTriangles) << "the two cuts differ";
    ASSERT_TRUE(asset::writePng(std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "zenobia_key_shadow_16px.png", rough));
    ASSERT_TRUE(asset::writePng(std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "zenobia_key_shadow_coarse.png", coarse));
    ASSERT_TRUE(asset::writePng(std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "zenobia_key_shadow_fine.png", fine));

    // Shadowed floor: darkened by the shadow by more than 24 levels, on pixels that show the same
    // surface in both cuts (their unshadowed frames agree), so the statue's own pixels do not count.
    auto level = [](const asset::Image& image, size_t i) {
        return (int(image.rgba[i * 4]) + image.rgba[i * 4 + 1] + image.rgba[i * 4 + 2]) / 3;
    };
    // Shadowed floor pixels of each frame, and how many differ from the fine frame's.
    auto compare = [&](const asset::Image& shadowed, const asset::Image& off, size_t& shadow, size_t& differ) {
        size_t fineShadow = 0;
        shadow = differ = 0;
        for (size_t i = 0; i < size_t(kSize) * kSize; ++i) {
            if (std::abs(level(off, i) - level(fineOff, i)) > 3) continue;
            const bool inThis = level(off, i) - level(shadowed, i) > 24;
            const bool inFine = level(fineOff, i) - level(fine, i) > 24;
            shadow += inThis;
            fineShadow += inFine;
            differ += inThis != inFine;
        }
        return fineShadow;
    };
    size_t coarseShadow, differ, roughShadow, roughDiffer;
    const size_t fineShadow = compare(coarse, coarseOff, coarseShadow, differ);
    compare(rough, roughOff, roughShadow, roughDiffer);
    std::printf("key light shadow on the floor: cut for the near eye %llu triangles, %zu shadowed pixels; cut for the "
                "far eye %llu triangles, %zu pixels, %zu differ; 16 px cut %llu triangles, %zu pixels, %zu differ\n",
                (unsigned long long)fineTriangles, fineShadow, (unsigned long long)coarseTriangles, coarseShadow,
                differ, (unsigned long long)roughTriangles, roughShadow, roughDiffer);
    // The fine shadow's outline: shadowed pixels with an unshadowed 4-neighbour. Differing pixels per
    // outline pixel is how far the outline moved on average, in pixels.
    auto shadowedAt = [&](uint32_t x, uint32_t y) {
        const size_t i = size_t(y) * kSize + x;
        return level(fineOff, i) - level(fine, i) > 24;
    };
    size_t outline = 0;
    for (uint32_t y = 1; y + 1 < kSize; ++y)
        for (uint32_t x = 1; x + 1 < kSize; ++x)
            outline += shadowedAt(x, y) && (!shadowedAt(x - 1, y) || !shadowedAt(x + 1, y) || !shadowedAt(x, y - 1) ||
                                            !shadowedAt(x, y + 1));
    std::printf("outline %zu pixels: the far eye's cut moves it %.2f px on average, the 16 px cut %.2f px\n", outline,
                double(differ) / double(outline), double(roughDiffer) / double(outline));
    ASSERT_GT(fineShadow, 500u) << "she casts a shadow on the floor";
    EXPECT_LE(differ, outline) << "the shadow's outline moves more than a pixel (the cut's error is 2.5)";
}

// Counts reads (each would be one request over HTTP) that start at one of `offsets` (set once the
// pack's directory is known). Safe to call from the I/O threads and the texture worker at once.
class CountingSource final : public pack::ByteSource {
public:
    CountingSource(std::unique_ptr<pack::ByteSource> inner, std::shared_ptr<std::atomic<int>> reads,
                   std::shared_ptr<const std::vector<uint64_t>> offsets)
        : inner_(std::move(inner)), reads_(std::move(reads)), offsets_(std::move(offsets)) {}
    uint64_t size() const override { return inner_->size(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        if (std::find(offsets_->begin(), offsets_->end(), offset) != offsets_->end()) ++*reads_;
        return inner_->read(offset, bytes);
    }

private:
    std::unique_ptr<pack::ByteSource> inner_;
    std::shared_ptr<std::atomic<int>> reads_;
    std::shared_ptr<const std::vector<uint64_t>> offsets_;
};

// Textures stream mip by mip: colour after one read of every texture's coarse levels, finer levels
// only as near as the screen needs, fewer again when the visitor steps back; texture memory counts in
// the scene's budget; and no frame waits for the GPU (Context::blockingWaits does not move).
TEST_F(StreamRender, TexturesStreamCoarseFirstAndFollowTheScreen) {
    const std::filesystem::path scan = kCorpus / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
    const std::filesystem::path packPath = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "saxophone_textures.vpk";
    auto converted = convert::convertScans({scan}, packPath, {});
    ASSERT_TRUE(converted) << converted.error().message;

    // Texture reads: those that start at a mip (a coalesced read starts at its first mip).
    auto mipOffsets = std::make_shared<std::vector<uint64_t>>();
    {
        auto file = pack::openFile(packPath);
        ASSERT_TRUE(file);
        auto reader = pack::PackReader::open(**file, "mips");
        ASSERT_TRUE(reader) << reader.error().message;
        for (const pack::MipInfo& mip : reader->mips()) mipOffsets->push_back(mip.offset);
    }
    stream::StreamingScene scene;
    stream::GpuStreamer streamer(*context_, *renderer_, scene);
    auto reads = std::make_shared<std::atomic<int>>(0);
    auto source = pack::openFile(packPath);
    ASSERT_TRUE(source);
    const stream::ArtifactId id = streamer.add(std::make_unique<CountingSource>(std::move(*source), reads, mipOffsets),
                                               packPath.string(), glm::mat4(1.0f));
    constexpr uint32_t kWidth = 320, kHeight = 240;
    const float fovY = glm::radians(35.0f), aspect = float(kWidth) / float(kHeight);
    const uint64_t waitsBefore = context_->blockingWaits();
    std::span<const render::ClusterDraw> draws;
    // Streams at `view` until geometry and textures settle; returns the frames it took.
    auto settle = [&](const scene::View& view) {
        const std::vector<scene::View> views{view};
        int frame = 0;
        for (; frame < 20000; ++frame) {
            scene.update(views, {kWidth, kHeight});
            draws = streamer.prepareFrame(32ull << 20);
            if (scene.settled() && !streamer.texturesPending()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        EXPECT_TRUE(scene.settled() && !streamer.texturesPending()) << "never settled";
        return frame;
    };
    // Open it with the camera far away (the object about 20 pixels tall).
    for (int frame = 0; frame < 20000 && !scene.reader(id); ++frame) {
        scene.update(std::vector<scene::View>{scene::orbitView({{0, 0, 0}, 1.0f, 0, 0}, fovY, aspect)}, {kWidth, kHeight});
        streamer.prepareFrame(32ull << 20);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_NE(scene.reader(id), nullptr);
    const Bounds bounds = scene.reader(id)->header().bounds;
    const uint32_t textureCount = uint32_t(scene.reader(id)->textures().size());
    ASSERT_EQ(textureCount, 4u);
    const uint32_t coarsest = scene.reader(id)->textures()[0].mipCount - 1;
    scene::Orbit near = scene::frameBounds(bounds, fovY, aspect, 35.0f, 20.0f);
    scene::Orbit far = near;
    far.distance *= 10.0f;

    settle(scene::orbitView(far, fovY, aspect));
    EXPECT_EQ(streamer.stats().texturesLoaded, textureCount);
    EXPECT_EQ(reads->load(), 1) << "every texture's coarse levels in one read (through the artifact's own source)";
    std::vector<uint32_t> farLevels;
    for (uint32_t t = 0; t < textureCount; ++t) {
        farLevels.push_back(streamer.textureGpuLevel(id, t));
        EXPECT_GE(farLevels.back(), 4u) << "a 20-pixel object needs no 128-texel level of texture " << t;
        EXPECT_LE(farLevels.back(), coarsest);
    }
    const uint64_t farTextureBytes = streamer.stats().textureGpuBytes;
    EXPECT_GE(scene.stats().residentGpuBytes, farTextureBytes) << "textures count in the GPU budget";

    settle(scene::orbitView(near, fovY, aspect));
    for (uint32_t t = 0; t < textureCount; ++t) {
        const uint32_t level = streamer.textureGpuLevel(id, t);
        EXPECT_LT(level, farLevels[t]) << "texture " << t << " refines near";
        // 240 pixels of object cannot use the full 2048 texels (the estimate errs sharp: the bounding
        // sphere's area stands in for the surface), nor as few as 128.
        EXPECT_GE(level, 1u) << "texture " << t;
        EXPECT_LE(level, 3u) << "texture " << t;
    }
    const uint64_t nearTextureBytes = streamer.stats().textureGpuBytes;
    EXPECT_GT(nearTextureBytes, 4 * farTextureBytes);
    scene::Lighting lighting = scene::objectLighting(bounds);
    const std::vector<scene::View> nearViews{scene::orbitView(near, fovY, aspect)};
    const asset::Image picture =
        render::renderHeadless(*context_, *renderer_, render::FrameInput{nearViews, {}, draws, &lighting}, {kWidth, kHeight})
            .views[0];
    ASSERT_TRUE(asset::writePng(std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "saxophone_streamed_textures.png", picture));
    EXPECT_EQ(context_->blockingWaits(), waitsBefore) << "frames waited for the GPU while textures streamed";

    settle(scene::orbitView(far, fovY, aspect));
    EXPECT_LT(streamer.stats().textureGpuBytes, nearTextureBytes / 4) << "stepping back gives texture memory back";
    std::printf("textures: far %llu B on the GPU, near %llu B, back far %llu B; %d reads of the texture source, %u uploads\n",
                (unsigned long long)farTextureBytes, (unsigned long long)nearTextureBytes,
                (unsigned long long)streamer.stats().textureGpuBytes, reads->load(), streamer.stats().textureUploads);
}

}  // namespace
}  // namespace vt::test
