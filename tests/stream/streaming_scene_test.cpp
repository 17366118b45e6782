// StreamingScene end to end on real corpus packs, with a simulated GPU side: non-blocking frames,
// GPU budget and LRU eviction, the CPU cache, fault injection (failures, corrupt pages, failed opens),
// two views, statistics, and a measurement on a 462k-triangle scan.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "stream/lod_cut.h"
#include "stream/serialized_source.h"
#include "stream/streaming_scene.h"
#include "stream_test_util.h"

namespace vt::test {
namespace {

using namespace std::chrono_literals;
using stream::PageState;
using stream::StreamingScene;
using Clock = std::chrono::steady_clock;

#define REQUIRE_PACK(path)                                                     \
    const std::filesystem::path path = whalePack();                            \
    if (path.empty()) FAIL() << "the test pack could not be made: " << conversionError();

double msSince(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

std::vector<uint32_t> cutClusters(const StreamingScene& scene, const pack::PackReader& reader, stream::ArtifactId id) {
    std::vector<uint32_t> out;
    for (const stream::DrawCluster& draw : scene.cut())
        if (draw.artifact == id) out.push_back(reader.pages()[draw.page].firstCluster + draw.clusterInPage);
    std::sort(out.begin(), out.end());
    return out;
}

// (d) A source whose every read takes 500 ms: no read happens on the frame thread, 100 frames take
// far less than one read, and the root page still arrives.
TEST(StreamingScene, UpdateNeverWaitsOnIo) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const scene::View view = viewOf(decoded->reader->header().bounds, 30.0f, 10.0f, 1.0f);
    StreamingScene scene;
    auto slow = std::make_unique<FaultySource>(decoded->bytes, FaultySource::Faults{.delay = 500ms});
    const FaultySource& source = *slow;
    const stream::ArtifactId id = scene.add(std::move(slow), "whale (slow)", glm::mat4(1.0f));
    FakeGpu gpu;
    const auto start = Clock::now();
    double slowest = 0.0;
    for (int frame = 0; frame < 100; ++frame) {
        const auto before = Clock::now();
        scene.update(std::span(&view, 1), {1280, 720});
        gpu.pump(scene);
        slowest = std::max(slowest, msSince(before));
    }
    const double total = msSince(start);
    std::printf("100 updates with a 500 ms source: %.2f ms in total, slowest %.3f ms\n", total, slowest);
    EXPECT_EQ(source.readsOnCreatingThread(), 0u) << "update() read from the source itself";
    // The first read starts at the first update(): an update() that waited for it would alone make the
    // 100 take about 500 ms. Half of that shows such a wait, with room for a busy machine's scheduling
    // and a sanitizer's slowdown (100 updates of an artifact still opening take well under 1 ms each).
    EXPECT_LT(total, 250.0);
    EXPECT_EQ(scene.status(id).state, stream::ArtifactState::Opening);
    EXPECT_TRUE(scene.cut().empty());

    ASSERT_TRUE(runUntil(scene, gpu, std::span(&view, 1), {1280, 720}, [&] { return !scene.cut().empty(); }, 20s));
    EXPECT_EQ(source.readsOnCreatingThread(), 0u) << "update() read from the source itself";
    EXPECT_EQ(scene.status(id).state, stream::ArtifactState::Open);
    EXPECT_EQ(scene.pageState(id, 0), PageState::Resident);
    // Header, directory and root page lie in the reader's first read: one read of 500 ms, and the
    // root page is not read again.
    EXPECT_GE(scene.status(id).timeToFirstDrawSeconds, 0.49);
    EXPECT_GE(scene.stats().timeToFirstDrawSeconds, 0.49);
    EXPECT_EQ(source.readsAt(0), 1u);
    EXPECT_EQ(source.readsAt(decoded->reader->pages()[0].offset), 0u) << "the root page was read twice";
}

// (e) A budget far below the pack: resident bytes stay within it, the root is never evicted, and
// evictions go least recently useful first.
TEST(StreamingScene, StaysWithinTheGpuBudgetEvictingLeastRecentlyUsedFirst) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    auto layout = stream::buildLayout(*decoded->reader);
    ASSERT_TRUE(layout);
    uint64_t total = 0;
    for (uint64_t bytes : layout->pageGpuBytes) total += bytes;
    const uint64_t budget = layout->pageGpuBytes[0] + (total - layout->pageGpuBytes[0]) / 4;
    StreamingScene scene({.pixelErrorThreshold = 0.5f, .gpuBudgetBytes = budget, .retryBackoffSeconds = 0.001f});
    const stream::ArtifactId id = scene.add(pack::memorySource(decoded->bytes), "whale", glm::mat4(1.0f));
    FakeGpu gpu;
    const Bounds bounds = decoded->reader->header().bounds;
    const glm::uvec2 viewport{1920, 1080};
    size_t evictions = 0, orderChecks = 0;
    uint64_t peak = 0;
    // A narrow close-up view panning along the skull and back, from both sides: what it needs changes.
    std::vector<scene::View> route;
    for (int pass = 0; pass < 4; ++pass) {
        for (int step = 0; step <= 6; ++step) {
            const float t = static_cast<float>(pass % 2 ? 6 - step : step) / 6.0f;
            const glm::vec3 target = glm::mix(bounds.min, bounds.max, glm::vec3(0.5f, 0.5f, t));
            route.push_back(scene::orbitView({target, bounds.radius() * 0.8f, pass < 2 ? 90.0f : -90.0f, 10.0f}, 0.35f, 16.0f / 9.0f));
        }
    }
    bool rootResident = false;
    for (const scene::View& view : route) {
        for (int frame = 0; frame < 40; ++frame) {
            scene.update(std::span(&view, 1), viewport);
            const std::vector<stream::PageKey> evicted = scene.takeEvictions();
            // Every page evicted this frame was last useful no later than every page kept.
            uint64_t newestEvicted = 0, previous = 0;
            for (const stream::PageKey& key : evicted) {
                ASSERT_EQ(key.artifact, id);
                ASSERT_NE(key.page, 0u) << "the root page is pinned";
                const uint64_t used = scene.pageLastUsedFrame(id, key.page);
                EXPECT_GE(used, previous) << "evictions must come least recently useful first";
                previous = used;
                newestEvicted = std::max(newestEvicted, used);
                gpu.bytes -= stream::gpuByteEstimate(gpu.pages.at({key.artifact, key.page}));
                gpu.pages.erase({key.artifact, key.page});
            }
            if (!evicted.empty()) {
                for (uint32_t p = 1; p < layout->pageGpuBytes.size(); ++p) {
                    if (scene.pageState(id, p) == PageState::Resident) {
                        EXPECT_LE(newestEvicted, scene.pageLastUsedFrame(id, p)) << "kept page " << p << " was less recently useful";
                        ++orderChecks;
                    }
                }
            }
            evictions += evicted.size();
            const stream::StreamStats stats = scene.stats();
            ASSERT_LE(stats.residentGpuBytes, budget);
            gpu.pump(scene);
            ASSERT_LE(scene.stats().residentGpuBytes, budget);
            ASSERT_EQ(gpu.bytes, scene.stats().residentGpuBytes);
            peak = std::max(peak, gpu.bytes);
            rootResident = rootResident || scene.pageState(id, 0) == PageState::Resident;
            if (rootResident) {
                ASSERT_EQ(scene.pageState(id, 0), PageState::Resident) << "the root page is pinned";
            }
            std::this_thread::sleep_for(1ms);
        }
    }
    std::printf("budget %llu of %llu bytes; peak resident %llu; %zu evictions; %zu order checks; fetched %llu bytes, cache %llu\n",
                static_cast<unsigned long long>(budget), static_cast<unsigned long long>(total),
                static_cast<unsigned long long>(peak), evictions, orderChecks,
                static_cast<unsigned long long>(scene.stats().bytesFetched),
                static_cast<unsigned long long>(scene.stats().cachedCpuBytes));
    EXPECT_GT(evictions, 0u) << "the budget should have forced evictions";
    EXPECT_GT(peak, budget / 2);
    EXPECT_TRUE(scene.takeErrors().empty());
}

// Evicted pages come back from the CPU cache without a fetch; with no cache they are fetched again.
TEST(StreamingScene, EvictedPagesReturnFromTheCpuCacheWithoutAFetch) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const scene::View view = viewOf(decoded->reader->header().bounds, 0.0f, 0.0f, 1.0f);
    for (uint64_t cacheBytes : {uint64_t{256} << 20, uint64_t{0}}) {
        SCOPED_TRACE("cpu cache " + std::to_string(cacheBytes));
        StreamingScene scene({.cpuCacheBytes = cacheBytes});
        const stream::ArtifactId id = scene.add(pack::memorySource(decoded->bytes), "whale", glm::mat4(1.0f));
        FakeGpu gpu;
        ASSERT_TRUE(runUntilSettled(scene, gpu, std::span(&view, 1), {1280, 720}));
        const stream::StreamStats loaded = scene.stats();
        ASSERT_GT(loaded.pagesResident, 1u);
        EXPECT_EQ(loaded.cachedCpuBytes > 0, cacheBytes > 0);
        // Lower the budget to nothing: all but the root go; then restore it.
        stream::StreamOptions options = scene.options();
        const uint64_t budget = options.gpuBudgetBytes;
        options.gpuBudgetBytes = 0;
        scene.setOptions(options);
        scene.update(std::span(&view, 1), {1280, 720});
        gpu.pump(scene);
        EXPECT_EQ(scene.stats().pagesResident, 1u);
        EXPECT_EQ(gpu.evicted.size(), loaded.pagesResident - 1);
        options.gpuBudgetBytes = budget;
        scene.setOptions(options);
        ASSERT_TRUE(runUntilSettled(scene, gpu, std::span(&view, 1), {1280, 720}));
        EXPECT_EQ(scene.stats().pagesResident, loaded.pagesResident);
        if (cacheBytes > 0) {
            EXPECT_EQ(scene.stats().bytesFetched, loaded.bytesFetched) << "every page should have come from the cache";
        } else {
            EXPECT_GT(scene.stats().bytesFetched, loaded.bytesFetched);
        }
        EXPECT_EQ(cutClusters(scene, *decoded->reader, id).size(), scene.stats().clustersDrawn);
    }
}

struct FaultRun {
    std::vector<std::string> errors;
    std::vector<uint32_t> cut;
};

// Streams the whale close up through `faults` until settled, then 50 more frames; all errors taken.
FaultRun runWithFaults(const DecodedPack& decoded, FaultySource::Faults faults, StreamingScene& scene, FaultySource*& source) {
    FaultRun run;
    auto owned = std::make_unique<FaultySource>(decoded.bytes, std::move(faults));
    source = owned.get();
    const stream::ArtifactId id = scene.add(std::move(owned), "whale", glm::mat4(1.0f));
    const scene::View view = viewOf(decoded.reader->header().bounds, 30.0f, 10.0f, 0.8f);
    FakeGpu gpu;
    EXPECT_TRUE(runUntilSettled(scene, gpu, std::span(&view, 1), {1920, 1080}));
    for (int frame = 0; frame < 50; ++frame) {
        scene.update(std::span(&view, 1), {1920, 1080});
        gpu.pump(scene);
        for (std::string& error : scene.takeErrors()) run.errors.push_back(std::move(error));
    }
    run.cut = cutClusters(scene, *decoded.reader, id);
    return run;
}

// (f) Pages that always fail: each fails after maxAttempts reads, is reported once, and the coarser
// level stays on screen with no holes or cracks.
TEST(StreamingScene, FailingPagesKeepTheCoarserLevelAndAreReportedOnce) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const auto pages = decoded->reader->pages();
    // Level-1 pages this view needs (level 0 below them is wanted too), from a fault-free run.
    StreamingScene clean;
    FaultySource* cleanSource = nullptr;
    runWithFaults(*decoded, {}, clean, cleanSource);
    FaultySource::Faults faults;
    std::set<uint32_t> failing;
    for (uint32_t p = 1; p < pages.size(); ++p) {
        if (pages[p].coarsestLevel == 1 && clean.pageLastUsedFrame(0, p) == clean.frameIndex() && failing.size() < 4) failing.insert(p);
    }
    ASSERT_FALSE(failing.empty());
    for (uint32_t p : failing) faults.failOffsets.insert(pages[p].offset);
    StreamingScene scene({.maxAttempts = 3, .retryBackoffSeconds = 0.001f});
    FaultySource* source = nullptr;
    const FaultRun run = runWithFaults(*decoded, faults, scene, source);

    EXPECT_EQ(run.errors.size(), failing.size()) << "each failed page reported once";
    for (uint32_t p : failing) {
        EXPECT_EQ(scene.pageState(0, p), PageState::Failed);
        EXPECT_EQ(source->readsAt(pages[p].offset), 3u) << "page " << p;
        const std::string tag = "page " + std::to_string(p) + ":";
        EXPECT_EQ(std::count_if(run.errors.begin(), run.errors.end(), [&](const std::string& e) { return e.find(tag) != std::string::npos; }), 1)
            << tag;
    }
    for (uint32_t c : run.cut) EXPECT_FALSE(failing.contains(decoded->clusters[c].page));
    CrackChecker(decoded->hierarchy).expectCoversOnce(run.cut);
    EXPECT_EQ(scene.stats().failedRequests, failing.size());
    EXPECT_EQ(scene.status(0).pagesFailed, failing.size());
}

// (f) A corrupt page (one flipped byte: checksum mismatch) is handled the same way.
TEST(StreamingScene, CorruptPageFailsWithAChecksumErrorOnce) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const auto pages = decoded->reader->pages();
    uint32_t corrupt = 0;
    for (uint32_t p = 1; p < pages.size() && corrupt == 0; ++p)
        if (pages[p].coarsestLevel == 2) corrupt = p;
    ASSERT_NE(corrupt, 0u);
    StreamingScene scene({.maxAttempts = 2, .retryBackoffSeconds = 0.001f});
    FaultySource* source = nullptr;
    const FaultRun run = runWithFaults(*decoded, {.corruptOffsets = {pages[corrupt].offset}}, scene, source);
    ASSERT_EQ(run.errors.size(), 1u);
    EXPECT_NE(run.errors[0].find("checksum"), std::string::npos) << run.errors[0];
    EXPECT_NE(run.errors[0].find("page " + std::to_string(corrupt)), std::string::npos) << run.errors[0];
    EXPECT_EQ(source->readsAt(pages[corrupt].offset), 2u);
    CrackChecker(decoded->hierarchy).expectCoversOnce(run.cut);
}

// (f) A page that fails once and then works: retried, no error.
TEST(StreamingScene, TransientFailureIsRetriedSilently) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const auto pages = decoded->reader->pages();
    FaultySource::Faults faults{.failTimes = 1};
    for (uint32_t p = 1; p < pages.size(); ++p) faults.failOffsets.insert(pages[p].offset);
    faults.failOffsets.insert(0);  // the first open read too
    StreamingScene scene({.retryBackoffSeconds = 0.001f});
    FaultySource* source = nullptr;
    const FaultRun run = runWithFaults(*decoded, faults, scene, source);
    EXPECT_TRUE(run.errors.empty());
    EXPECT_EQ(scene.stats().failedRequests, 0u);
    EXPECT_GT(scene.stats().retries, 1u);
    EXPECT_GT(scene.stats().pagesResident, 1u);
}

// (f) An artifact that cannot be opened: one error, nothing drawn, the rest of the scene unaffected.
TEST(StreamingScene, FailedOpenIsReportedOnceAndTheSceneSettles) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    StreamingScene scene({.retryBackoffSeconds = 0.001f});
    const stream::ArtifactId broken =
        scene.add(std::make_unique<FaultySource>(decoded->bytes, FaultySource::Faults{.failEverything = true}), "broken", glm::mat4(1.0f));
    const stream::ArtifactId good = scene.add(pack::memorySource(decoded->bytes), "whale", glm::mat4(1.0f));
    const scene::View view = viewOf(decoded->reader->header().bounds, 0.0f, 0.0f, 1.0f);
    FakeGpu gpu;
    ASSERT_TRUE(runUntilSettled(scene, gpu, std::span(&view, 1), {1280, 720}));
    std::vector<std::string> errors = scene.takeErrors();
    for (int frame = 0; frame < 20; ++frame) {
        scene.update(std::span(&view, 1), {1280, 720});
        for (std::string& e : scene.takeErrors()) errors.push_back(std::move(e));
    }
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("broken"), std::string::npos) << errors[0];
    EXPECT_EQ(scene.status(broken).state, stream::ArtifactState::Failed);
    EXPECT_EQ(scene.status(good).state, stream::ArtifactState::Open);
    for (const stream::DrawCluster& draw : scene.cut()) EXPECT_EQ(draw.artifact, good);
    EXPECT_FALSE(scene.cut().empty());
    EXPECT_EQ(scene.stats().artifactsOpen, 1u);
    EXPECT_EQ(scene.reader(broken), nullptr);
}

// (g) Two views: one selection for both (the larger projected error of the two), each cluster tagged
// with the views that see it, and the cut covers both frusta.
TEST(StreamingScene, TwoViewsSelectOnceAndCoverBothFrusta) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    auto layout = stream::buildLayout(*decoded->reader);
    ASSERT_TRUE(layout);
    const Bounds bounds = decoded->reader->header().bounds;
    // Two narrow close-ups of the two ends of the skull, so each sees a part and they overlap little.
    auto closeUp = [&](float along) {
        const glm::vec3 target = glm::mix(bounds.min, bounds.max, glm::vec3(0.5f, 0.5f, along));
        return scene::orbitView({target, bounds.radius() * 0.8f, 90.0f, 10.0f}, 0.35f, 1.0f);
    };
    const std::array<scene::View, 2> views{closeUp(0.15f), closeUp(0.85f)};
    const glm::uvec2 viewport{800, 800};
    StreamingScene scene;
    const glm::mat4 worldFromModel = glm::mat4(1.0f);
    const stream::ArtifactId id = scene.add(pack::memorySource(decoded->bytes), "whale", worldFromModel);
    FakeGpu gpu;
    ASSERT_TRUE(runUntilSettled(scene, gpu, views, viewport));

    std::vector<stream::ModelView> modelViews;
    for (const scene::View& view : views) modelViews.push_back(stream::toModelSpace(view, worldFromModel, viewport.y));
    const std::vector<uint8_t> all(layout->pageGpuBytes.size(), 1);
    std::vector<uint8_t> usable;
    stream::computeUsableGroups(*layout, all, usable);
    stream::GroupErrors groups;
    stream::projectGroups(*layout, modelViews, 1.0f, groups);
    std::vector<stream::SelectedCluster> expected;
    stream::selectClusters(*layout, decoded->pageClusters, modelViews, 1.0f, groups, usable, stream::Culling::Frustum, expected);

    std::vector<uint32_t> expectedIds;
    for (const auto& s : expected) expectedIds.push_back(s.cluster);
    EXPECT_EQ(cutClusters(scene, *decoded->reader, id), expectedIds) << "settled, the cut is the all-resident cut for both views";
    size_t onlyFirst = 0, onlySecond = 0, both = 0;
    for (const stream::DrawCluster& draw : scene.cut()) {
        const uint32_t c = decoded->reader->pages()[draw.page].firstCluster + draw.clusterInPage;
        uint32_t mask = 0;
        for (uint32_t v = 0; v < 2; ++v) mask |= stream::visibleMask(std::span(&modelViews[v], 1), decoded->clusters[c].bounds) << v;
        EXPECT_EQ(draw.viewMask, mask);
        onlyFirst += mask == 1;
        onlySecond += mask == 2;
        both += mask == 3;
    }
    std::printf("two views: %zu clusters only in the first, %zu only in the second, %zu in both\n", onlyFirst, onlySecond, both);
    EXPECT_GT(onlyFirst, 0u);
    EXPECT_GT(onlySecond, 0u);
    // Every cluster of the (unculled) cut that either frustum touches is drawn: nothing either eye sees is missing.
    std::vector<stream::SelectedCluster> unculled;
    stream::selectClusters(*layout, decoded->pageClusters, modelViews, 1.0f, groups, usable, stream::Culling::Off, unculled);
    size_t visible = 0;
    for (const auto& s : unculled) visible += stream::visibleMask(modelViews, decoded->clusters[s.cluster].bounds) != 0;
    EXPECT_EQ(visible, scene.cut().size());
    // The stereo pair of an XR headset: one cut, at least as fine as either eye alone.
    const std::array<scene::View, 2> eyes = scene::stereoPair(views[0], 0.064f);
    size_t stereo = 0, single[2] = {0, 0};
    for (int e = 0; e < 2; ++e) {
        const stream::ModelView mv = stream::toModelSpace(eyes[e], worldFromModel, viewport.y);
        stream::projectGroups(*layout, std::span(&mv, 1), 1.0f, groups);
        stream::selectClusters(*layout, decoded->pageClusters, std::span(&mv, 1), 1.0f, groups, usable, stream::Culling::Off, expected);
        for (const auto& s : expected) single[e] += decoded->clusters[s.cluster].triangleCount;
    }
    std::vector<stream::ModelView> eyeViews{stream::toModelSpace(eyes[0], worldFromModel, viewport.y),
                                            stream::toModelSpace(eyes[1], worldFromModel, viewport.y)};
    stream::projectGroups(*layout, eyeViews, 1.0f, groups);
    stream::selectClusters(*layout, decoded->pageClusters, eyeViews, 1.0f, groups, usable, stream::Culling::Off, expected);
    for (const auto& s : expected) stereo += decoded->clusters[s.cluster].triangleCount;
    EXPECT_GE(stereo, std::max(single[0], single[1]));
}

// Several artifacts from files and memory at different places, statistics consistent with the
// simulated GPU, and a file source shared by the I/O threads (pread).
TEST(StreamingScene, ManyArtifactsAndConsistentStatistics) {
    REQUIRE_PACK(path);
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const Bounds bounds = decoded->reader->header().bounds;
    StreamingScene scene({.maxRequestsInFlight = 4});
    const float spacing = bounds.radius() * 3.0f;
    for (int i = 0; i < 6; ++i) {
        const glm::mat4 worldFromModel = glm::translate(glm::mat4(1.0f), glm::vec3(spacing * static_cast<float>(i - 3), 0, 0)) *
                                         glm::scale(glm::mat4(1.0f), glm::vec3(i % 2 ? 1.5f : 1.0f));
        if (i % 3 == 0) {
            auto file = pack::openFile(path);
            ASSERT_TRUE(file) << file.error().message;
            scene.add(std::move(*file), "whale file " + std::to_string(i), worldFromModel);
        } else if (i % 3 == 1) {
            scene.add(stream::serializedSource(pack::memorySource(decoded->bytes)), "whale serialized " + std::to_string(i),
                      worldFromModel);
        } else {
            scene.add(pack::memorySource(decoded->bytes), "whale memory " + std::to_string(i), worldFromModel);
        }
    }
    Bounds all{bounds.min - glm::vec3(spacing * 4, 0, 0), bounds.max + glm::vec3(spacing * 4, 0, 0)};
    const scene::View view = viewOf(all, 0.0f, 20.0f, 0.8f, 16.0f / 9.0f);
    FakeGpu gpu;
    ASSERT_TRUE(runUntilSettled(scene, gpu, std::span(&view, 1), {1920, 1080}));
    const stream::StreamStats stats = scene.stats();
    std::set<stream::ArtifactId> drawn;
    uint64_t triangles = 0;
    for (const stream::DrawCluster& draw : scene.cut()) {
        drawn.insert(draw.artifact);
        triangles += draw.triangles;
        const auto& clusters = gpu.pages.at({draw.artifact, draw.page});
        ASSERT_LT(draw.clusterInPage, clusters.size());
        EXPECT_EQ(clusters[draw.clusterInPage].indices.size() / 3, draw.triangles);
        EXPECT_EQ(clusters[draw.clusterInPage].material, draw.material);
    }
    EXPECT_EQ(drawn.size(), 6u);
    EXPECT_EQ(stats.trianglesDrawn, triangles);
    EXPECT_EQ(stats.clustersDrawn, scene.cut().size());
    EXPECT_EQ(stats.residentGpuBytes, gpu.bytes);
    EXPECT_EQ(stats.pagesResident, gpu.pages.size());
    EXPECT_EQ(stats.artifactsOpen, 6u);
    EXPECT_EQ(stats.pendingRequests, 0u);
    EXPECT_EQ(stats.failedRequests, 0u);
    EXPECT_GT(stats.bytesFetched, 0u);
    EXPECT_GE(stats.timeToFirstDrawSeconds, 0.0);
    EXPECT_GE(stats.timeToSettledSeconds, stats.timeToFirstDrawSeconds);
    for (stream::ArtifactId id = 0; id < 6; ++id) {
        EXPECT_GE(scene.status(id).timeToSettledSeconds, scene.status(id).timeToFirstDrawSeconds);
        ASSERT_NE(scene.reader(id), nullptr);
    }
}

// Numbers for the report (not a benchmark: printed, loosely checked). A 462k-triangle scan, 16
// instances in a gallery row, from a file with no latency and with 20 ms per read (HTTP-like).
TEST(StreamingSceneMeasure, GalleryOfLargeScans) {
    const std::filesystem::path path = zenobiaPack();
    if (path.empty()) FAIL() << "the test pack could not be made: " << conversionError();
    auto decoded = decodePack(path);
    ASSERT_TRUE(decoded);
    const Bounds bounds = decoded->reader->header().bounds;
    const float spacing = bounds.radius() * 2.5f;
    for (int latencyMs : {0, 20}) {
        StreamingScene scene;
        for (int i = 0; i < 16; ++i) {
            const glm::mat4 worldFromModel = glm::translate(glm::mat4(1.0f), glm::vec3(spacing * static_cast<float>(i % 8), 0, spacing * static_cast<float>(i / 8)));
            scene.add(std::make_unique<FaultySource>(decoded->bytes, FaultySource::Faults{.delay = std::chrono::milliseconds(latencyMs)}),
                      "zenobia " + std::to_string(i), worldFromModel);
        }
        const Bounds row{bounds.min, bounds.max + glm::vec3(spacing * 7, 0, spacing)};
        const scene::View view = viewOf(row, 20.0f, 15.0f, 0.6f, 16.0f / 9.0f);
        FakeGpu gpu;
        std::vector<double> updateMs;
        const bool settled = runUntil(scene, gpu, std::span(&view, 1), {1920, 1080}, [&] { return scene.settled(); }, 60s);
        // Steady state: frames with nothing to load.
        for (int frame = 0; frame < 30; ++frame) {
            const auto before = Clock::now();
            scene.update(std::span(&view, 1), {1920, 1080});
            updateMs.push_back(msSince(before));
            gpu.pump(scene);
        }
        std::sort(updateMs.begin(), updateMs.end());
        const stream::StreamStats stats = scene.stats();
        std::printf("zenobia x16, %d ms/read: settled %s; first draw %.3f s, settled %.3f s; %llu triangles in %llu clusters "
                    "(of %zu x16 at level 0); resident %.1f MiB in %u pages; fetched %.1f MiB; cpu cache %.1f MiB; "
                    "update() median %.3f ms, max %.3f ms\n",
                    latencyMs, settled ? "yes" : "NO", stats.timeToFirstDrawSeconds, stats.timeToSettledSeconds,
                    static_cast<unsigned long long>(stats.trianglesDrawn), static_cast<unsigned long long>(stats.clustersDrawn),
                    decoded->hierarchy.triangleCount(0), stats.residentGpuBytes / 1048576.0, stats.pagesResident,
                    stats.bytesFetched / 1048576.0, stats.cachedCpuBytes / 1048576.0, updateMs[updateMs.size() / 2], updateMs.back());
        EXPECT_TRUE(settled);
        EXPECT_LE(stats.residentGpuBytes, scene.options().gpuBudgetBytes);
        EXPECT_LT(stats.trianglesDrawn, decoded->hierarchy.triangleCount(0) * 16);
    }
}

}  // namespace
}  // namespace vt::test
