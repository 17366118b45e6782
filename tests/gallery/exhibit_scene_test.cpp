// The sample exhibit, live on the validated device: streamed from its packs until settled and drawn
// from the start pose and a tour stop (goldens), and an exhibit with a missing pack and an
// unreachable URL, whose two problems are reported once each while the rest opens and renders.
#include <chrono>
#include <filesystem>
#include <thread>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "asset/image_io.h"
#include "exhibit/exhibit.h"
#include "gallery/entrance.h"
#include "gallery/exhibit_scene.h"
#include "golden.h"
#include "gpu_fixture.h"
#include "nginx_server.h"

namespace vt::test {
namespace {

constexpr uint32_t kWidth = 320, kHeight = 240;
constexpr double kSettleSeconds = 240.0;  // lavapipe on 2 busy cores; settling takes a few seconds

const std::string kExhibitPath = VITRINE_SAMPLE_EXHIBIT;

scene::View poseView(const exhibit::CameraPose& pose) {
    scene::View view;
    view.viewFromWorld = glm::lookAt(pose.position, pose.target, glm::vec3(0, 1, 0));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(60.0f), float(kWidth) / float(kHeight), 0.05f);
    view.position = pose.position;
    return view;
}

class GalleryRender : public GpuTest {
protected:
    static exhibit::Exhibit loadSample() {
        exhibit::ParseResult result = exhibit::loadExhibit(kExhibitPath);
        EXPECT_TRUE(result.usable) << kExhibitPath;
        for (const exhibit::Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.format();
        return std::move(result.exhibit);
    }

    struct Settled {
        asset::Image image;
        size_t frames = 0;
        double seconds = 0.0;
        size_t clusters = 0;
        size_t spotLights = 0;
        std::vector<std::string> errors;
    };
    // Streams `scene` for `pose` until it settles, collecting errors, and renders the settled frame.
    static Settled settle(gallery::ExhibitScene& scene, const exhibit::CameraPose& pose) {
        const auto start = std::chrono::steady_clock::now();
        const std::vector<scene::View> views{poseView(pose)};
        Settled result;
        render::FrameInput input;
        // Rooms, vitrines, pages, materials and texture levels all arrive while the frames run: none
        // of it may make a frame wait for the GPU.
        const uint64_t waitsBefore = context_->blockingWaits();
        for (;; ++result.frames) {
            input = scene.prepareFrame(views, {kWidth, kHeight});
            for (std::string& error : scene.takeErrors()) result.errors.push_back(std::move(error));
            result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (scene.settled() || result.seconds > kSettleSeconds) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        EXPECT_TRUE(scene.settled()) << "not settled after " << result.seconds << " s";
        EXPECT_EQ(context_->blockingWaits(), waitsBefore) << "a frame waited for the GPU while the gallery streamed in";
        result.clusters = input.clusters.size();
        result.spotLights = input.lighting->spots.size();
        result.image = render::renderHeadless(*context_, *renderer_, input, {kWidth, kHeight}).views[0];
        std::printf("settled after %zu frames, %.2f s: %zu clusters, %llu triangles streamed, %zu spot lights\n",
                    result.frames, result.seconds, result.clusters,
                    (unsigned long long)scene.stats().trianglesDrawn, input.lighting->spots.size());
        return result;
    }

    static std::unique_ptr<gallery::ExhibitScene> create(exhibit::Exhibit exhibit) {
        auto scene = gallery::ExhibitScene::create(*context_, *renderer_, std::move(exhibit), kExhibitPath);
        EXPECT_TRUE(scene) << (scene ? "" : scene.error().message);
        return scene ? std::move(*scene) : nullptr;
    }
};

TEST_F(GalleryRender, StartPose) {
    auto scene = create(loadSample());
    ASSERT_TRUE(scene);
    const Settled settled = settle(*scene, gallery::entrance(scene->exhibit()));
    EXPECT_TRUE(settled.errors.empty()) << settled.errors.front();
    for (const gallery::ArtifactInfo& info : scene->artifacts()) {
        EXPECT_TRUE(info.open) << info.artifact->id;
        EXPECT_FALSE(info.failed) << info.artifact->id;
        // Standing on its stand, inside the room.
        EXPECT_NEAR(info.worldBounds.min.y, info.artifact->baseY(), 0.01f) << info.artifact->id;
        EXPECT_LT(info.worldBounds.max.y, 4.0f) << info.artifact->id;
    }
    EXPECT_GT(settled.clusters, 10u);
    // Once the packs are open, each vitrine's glass clears its object by a few centimetres.
    const asset::Model& gallery = scene->galleryModel();
    for (const gallery::ArtifactInfo& info : scene->artifacts()) {
        if (info.artifact->stand.kind != exhibit::StandKind::Vitrine) continue;
        float glassTop = 0.0f;
        for (const asset::Mesh& mesh : gallery.meshes) {
            if (gallery.materials[mesh.material].alphaMode != asset::AlphaMode::Blend) continue;
            for (const glm::vec3& p : mesh.positions)
                if (glm::distance(glm::vec2(p.x, p.z), info.artifact->positionXZ) < 0.6f) glassTop = std::max(glassTop, p.y);
        }
        EXPECT_GT(glassTop, info.worldBounds.max.y + 0.02f) << info.artifact->id;
        EXPECT_LT(glassTop, info.worldBounds.max.y + 0.2f) << info.artifact->id;
    }
    EXPECT_EQ(settled.spotLights, scene->exhibit().lights.size() + scene->artifacts().size());
    const GoldenResult golden = compareWithGolden(settled.image, "gallery_start");
    EXPECT_TRUE(golden.passed) << golden.message;
    // Picking: the first artifact under a point in its bounds, and along a ray through its centre.
    const gallery::ArtifactInfo& first = scene->artifacts()[0];
    EXPECT_EQ(scene->artifactAt(first.worldBounds.center()), std::optional<size_t>(0));
    const glm::vec3 eye = gallery::entrance(scene->exhibit()).position;
    EXPECT_EQ(scene->rayPick(eye, first.worldBounds.center() - eye), std::optional<size_t>(0));
    EXPECT_FALSE(scene->rayPick(eye, glm::vec3(0, 1, 0)));
    // Every annotation of the sample sits on its object: inside its world bounds (5 cm slack).
    for (size_t a = 0; a < scene->artifacts().size(); ++a) {
        const gallery::ArtifactInfo& info = scene->artifacts()[a];
        for (size_t n = 0; n < info.artifact->annotations.size(); ++n) {
            const glm::vec3 p = scene->annotationWorldPosition(a, n);
            EXPECT_TRUE(glm::all(glm::greaterThanEqual(p, info.worldBounds.min - 0.05f)) &&
                        glm::all(glm::lessThanEqual(p, info.worldBounds.max + 0.05f)))
                << info.artifact->id << "/" << info.artifact->annotations[n].id << " at " << p.x << " " << p.y << " "
                << p.z;
            EXPECT_EQ(scene->artifactAt(p, 0.05f), std::optional<size_t>(a)) << info.artifact->annotations[n].id;
        }
    }
    // Moving an artifact (an XR hand holding it): its bounds, annotations and streamed draws follow.
    size_t moved = 0;  // the saxophone, in view from the start
    while (moved + 1 < scene->artifacts().size() && scene->artifacts()[moved].artifact->id != "saxophone") ++moved;
    const gallery::ArtifactInfo before = scene->artifacts()[moved];
    const glm::mat4 lifted = glm::translate(glm::mat4(1.0f), glm::vec3(0, 0.5f, 0)) * before.worldFromObject;
    scene->setWorldFromObject(moved, lifted);
    const std::vector<scene::View> views{poseView(gallery::entrance(scene->exhibit()))};
    const render::FrameInput input = scene->prepareFrame(views, {kWidth, kHeight});
    const gallery::ArtifactInfo& after = scene->artifacts()[moved];
    EXPECT_NEAR(after.worldBounds.min.y, before.worldBounds.min.y + 0.5f, 1e-4f);
    EXPECT_NEAR(after.worldFromModel[3].y, before.worldFromModel[3].y + 0.5f, 1e-4f);
    EXPECT_TRUE(std::any_of(input.clusters.begin(), input.clusters.end(),
                            [&](const render::ClusterDraw& d) { return d.worldFromModel == after.worldFromModel; }));
    EXPECT_FALSE(std::any_of(input.clusters.begin(), input.clusters.end(),
                             [&](const render::ClusterDraw& d) { return d.worldFromModel == before.worldFromModel; }));
    scene->resetPlacement(moved);
    EXPECT_EQ(scene->artifacts()[moved].worldFromModel, before.worldFromModel);
}

// The key light's shadow covers the room the eye stands in, up to just below its ceiling (which must
// not shadow the room), moves to the next room with the eye, and a still settled gallery renders no
// shadow map of either kind.
TEST_F(GalleryRender, KeyLightShadowCoversTheEyesRoomAndStaysCached) {
    auto scene = create(loadSample());
    ASSERT_TRUE(scene);
    const exhibit::CameraPose start = gallery::entrance(scene->exhibit());
    settle(*scene, start);
    const std::vector<scene::View> views{poseView(start)};
    const render::FrameInput input = scene->prepareFrame(views, {kWidth, kHeight});
    const Bounds region = input.lighting->sun.shadowRegion;
    const exhibit::Room& room = scene->exhibit().rooms[*scene->collision().roomAt({start.position.x, start.position.z})];
    EXPECT_LT(region.max.y, room.height) << "the ceiling is outside";
    EXPECT_GT(region.max.y, room.height - 0.1f);
    EXPECT_LT(region.min.y, 0.0f) << "the floor is inside";
    for (const glm::vec2 corner : room.floor) {
        EXPECT_LE(region.min.x, corner.x);
        EXPECT_GE(region.max.x, corner.x);
        EXPECT_LE(region.min.z, corner.y);
        EXPECT_GE(region.max.z, corner.y);
    }
    EXPECT_LT(region.size().x, 7.5f) << "one room, not the gallery";
    render::FrameStats stats = render::renderHeadless(*context_, *renderer_, input, {kWidth, kHeight}).stats;
    stats = render::renderHeadless(*context_, *renderer_, scene->prepareFrame(views, {kWidth, kHeight}),
                                   {kWidth, kHeight}).stats;
    EXPECT_EQ(stats.keyShadowRenders, 0u) << "a still gallery keeps its key light map";
    EXPECT_EQ(stats.shadowMapRenders, 0u) << "and its spot maps";

    // In the sculpture room the region is that room.
    exhibit::CameraPose next = start;
    next.position = glm::vec3(10.5f, 1.6f, 3.0f);
    next.target = glm::vec3(10.5f, 1.0f, 0.0f);
    const std::vector<scene::View> nextViews{poseView(next)};
    const Bounds nextRegion = scene->prepareFrame(nextViews, {kWidth, kHeight}).lighting->sun.shadowRegion;
    EXPECT_LT(nextRegion.min.x, 7.0f);
    EXPECT_GT(nextRegion.min.x, 6.5f);
    EXPECT_GT(nextRegion.max.x, 14.0f);
}

// Two eyes (XR): one multiview frame streams for both and draws the gallery in each, seen from
// slightly different places.
TEST_F(GalleryRender, StereoEyes) {
    auto scene = create(loadSample());
    ASSERT_TRUE(scene);
    const auto eyes = scene::stereoPair(poseView(gallery::entrance(scene->exhibit())), 0.064f);
    const std::vector<scene::View> views{eyes[0], eyes[1]};
    render::FrameInput input;
    for (int frame = 0; frame < 20000; ++frame) {
        input = scene->prepareFrame(views, {kWidth, kHeight});
        if (scene->settled()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(scene->settled());
    EXPECT_TRUE(scene->takeErrors().empty());
    const render::HeadlessFrame frame = render::renderHeadless(*context_, *renderer_, input, {kWidth, kHeight});
    ASSERT_EQ(frame.views.size(), 2u);
    const uint8_t black[3] = {0, 0, 0};
    EXPECT_GT(coverage(frame.views[0], black), 0.95);
    EXPECT_GT(coverage(frame.views[1], black), 0.95);
    EXPECT_NE(frame.views[0].rgba, frame.views[1].rgba);
    EXPECT_NEAR(meanLuminance(frame.views[0]), meanLuminance(frame.views[1]), 6.0);
}

TEST_F(GalleryRender, TourStop) {
    auto scene = create(loadSample());
    ASSERT_TRUE(scene);
    const auto& stops = scene->exhibit().tour.stops;
    ASSERT_GE(stops.size(), 4u);
    const Settled settled = settle(*scene, stops[3].camera);
    EXPECT_TRUE(settled.errors.empty()) << settled.errors.front();
    const GoldenResult golden = compareWithGolden(settled.image, "gallery_tour_venus");
    EXPECT_TRUE(golden.passed) << golden.message;
}

// The same exhibit with the saxophone's pack on a web server (a real nginx on 127.0.0.1): it opens in
// the background and the settled picture is the local one.
TEST_F(GalleryRender, PackOverHttpRendersLikeTheLocalFile) {
    if (!std::filesystem::exists(net::test::kNginxBinary)) GTEST_FAIL() << "nginx missing: " << net::test::kNginxBinary;
    const std::filesystem::path packs = std::filesystem::path(kExhibitPath).parent_path() / "packs";
    const std::filesystem::path work = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "gallery_nginx";
    auto server = net::test::NginxServer::start(packs, work);
    ASSERT_TRUE(server) << server.error().message;
    exhibit::Exhibit exhibit = loadSample();
    size_t sax = 0;
    while (sax < exhibit.artifacts.size() && exhibit.artifacts[sax].id != "saxophone") ++sax;
    ASSERT_LT(sax, exhibit.artifacts.size());
    exhibit.artifacts[sax].pack = (*server)->url("saxophone.vpk");
    auto scene = create(std::move(exhibit));
    ASSERT_TRUE(scene);
    const Settled settled = settle(*scene, gallery::entrance(scene->exhibit()));
    EXPECT_TRUE(settled.errors.empty()) << settled.errors.front();
    EXPECT_TRUE(scene->artifacts()[sax].open);
    const GoldenResult golden = compareWithGolden(settled.image, "gallery_start", {}, GoldenUpdate::Never);
    EXPECT_TRUE(golden.passed) << golden.message;
}

// Not a check: writes every tour stop of the sample to the test output folder, for a curator (or a
// golden update) to look at. Run with --gtest_also_run_disabled_tests.
TEST_F(GalleryRender, DISABLED_WriteTourStops) {
    auto scene = create(loadSample());
    ASSERT_TRUE(scene);
    const auto& stops = scene->exhibit().tour.stops;
    for (size_t i = 0; i < stops.size(); ++i) {
        const Settled settled = settle(*scene, stops[i].camera);
        const std::filesystem::path out =
            std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / std::format("gallery_stop_{}.png", i);
        std::filesystem::create_directories(out.parent_path());
        EXPECT_TRUE(asset::writePng(out, settled.image).has_value());
        std::printf("%s\n", out.c_str());
    }
}

TEST_F(GalleryRender, MissingPackAndUnreachableUrlAreReportedOnceAndTheRestRenders) {
    exhibit::Exhibit exhibit = loadSample();
    ASSERT_GE(exhibit.artifacts.size(), 3u);
    exhibit.artifacts[0].pack = "packs/no_such_pack.vpk";
    exhibit.artifacts[1].pack = "http://127.0.0.1:1/x.vpk";
    const std::string missingId = exhibit.artifacts[0].id, unreachableId = exhibit.artifacts[1].id;
    auto scene = create(std::move(exhibit));
    ASSERT_TRUE(scene);
    Settled settled = settle(*scene, gallery::entrance(scene->exhibit()));
    // More frames report nothing new.
    const std::vector<scene::View> views{poseView(gallery::entrance(scene->exhibit()))};
    for (int i = 0; i < 5; ++i) {
        scene->prepareFrame(views, {kWidth, kHeight});
        for (std::string& error : scene->takeErrors()) settled.errors.push_back(std::move(error));
    }
    ASSERT_EQ(settled.errors.size(), 2u);
    auto reported = [&](const std::string& id, const std::string& where) {
        return std::count_if(settled.errors.begin(), settled.errors.end(), [&](const std::string& e) {
            return e.find("'" + id + "'") != std::string::npos && e.find(where) != std::string::npos;
        });
    };
    EXPECT_EQ(reported(missingId, "no_such_pack.vpk"), 1) << settled.errors[0] << "\n" << settled.errors[1];
    EXPECT_EQ(reported(unreachableId, "http://127.0.0.1:1/x.vpk"), 1) << settled.errors[0] << "\n" << settled.errors[1];
    const auto artifacts = scene->artifacts();
    EXPECT_TRUE(artifacts[0].failed);
    EXPECT_TRUE(artifacts[1].failed);
    for (size_t i = 2; i < artifacts.size(); ++i) EXPECT_TRUE(artifacts[i].open) << artifacts[i].artifact->id;
    EXPECT_GT(settled.clusters, 10u) << "the saxophone and the rest still draw";
    EXPECT_EQ(settled.spotLights, scene->exhibit().lights.size() + artifacts.size() - 2) << "no light on an empty stand";
    const uint8_t black[3] = {0, 0, 0};
    EXPECT_GT(coverage(settled.image, black), 0.9) << "the gallery itself still draws";
}

}  // namespace
}  // namespace vt::test
