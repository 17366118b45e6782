// The streaming scene over HTTP: a real nginx, and a server that fails on purpose. The frame loop
// must keep the coarser levels on screen, report each failure once, stop retrying after a bound,
// and never stall.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <format>
#include <fstream>
#include <memory>
#include <thread>

#include <unistd.h>

#include <gtest/gtest.h>

#include "convert_scan.h"
#include "fault_server.h"
#include "file_lock.h"
#include "net/http_source.h"
#include "nginx_server.h"
#include "pack/byte_source.h"
#include "stream/streaming_scene.h"

namespace vt::net::test {
namespace {

using Clock = std::chrono::steady_clock;

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
const std::filesystem::path kWhale = kCorpus / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb";
const std::filesystem::path kServed = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "net-stream" / "www";
const std::filesystem::path kPack = kServed / "whale.vpk";

std::vector<uint8_t> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A camera `distanceScale` times the framing distance from the whale.
scene::View viewAt(const Bounds& bounds, float distanceScale) {
    scene::Orbit orbit = scene::frameBounds(bounds, glm::radians(40.0f), 1.0f, 30.0f, 15.0f);
    orbit.distance *= distanceScale;
    return scene::orbitView(orbit, glm::radians(40.0f), 1.0f);
}

// Forwards every read to `inner` and counts those made on the thread that created it, the frame
// thread: the scene must fetch on its I/O threads only, so an update() never waits on the network.
class FrameThreadWatch final : public pack::ByteSource {
public:
    FrameThreadWatch(std::unique_ptr<pack::ByteSource> inner, std::shared_ptr<std::atomic<int>> readsOnFrameThread)
        : inner_(std::move(inner)), readsOnFrameThread_(std::move(readsOnFrameThread)) {}
    uint64_t size() const override { return inner_->size(); }
    uint64_t heldPrefixBytes() const override { return inner_->heldPrefixBytes(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        if (std::this_thread::get_id() == frameThread_) ++*readsOnFrameThread_;
        return inner_->read(offset, bytes);
    }

private:
    std::unique_ptr<pack::ByteSource> inner_;
    std::shared_ptr<std::atomic<int>> readsOnFrameThread_;
    const std::thread::id frameThread_ = std::this_thread::get_id();
};

// An update() that waited on the network would wait out a whole request: over a stalled connection
// the 1 s low-speed limit these tests set. Half of that, far above the longest a busy 2-core machine
// under a sanitizer keeps a runnable thread waiting for a core, shows such a wait; reads made on the
// frame thread at all are counted exactly by FrameThreadWatch.
constexpr double kLongestUpdateSeconds = 0.5;

// One frame with a GPU side that uploads instantly.
void frame(stream::StreamingScene& scene, const scene::View& view) {
    scene.update(std::span(&view, 1), {1024, 1024});
    for (stream::ReadyPage& page : scene.takeReadyPages(~0ull)) scene.markResident(page.artifact, page.page);
    (void)scene.takeEvictions();
}

// Runs frames until settled (or the deadline); returns the longest update() in seconds.
double settle(stream::StreamingScene& scene, const scene::View& view, double deadlineSeconds) {
    double longest = 0.0;
    const auto start = Clock::now();
    while (std::chrono::duration<double>(Clock::now() - start).count() < deadlineSeconds) {
        const auto before = Clock::now();
        frame(scene, view);
        longest = std::max(longest, std::chrono::duration<double>(Clock::now() - before).count());
        if (scene.settled()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return longest;
}

class StreamOverHttp : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // Convert before any thread exists: the converter forks importer children.
        std::filesystem::create_directories(kServed);
        // One test process converts at a time (ctest runs them in parallel): one converting while
        // another already serves the pack would replace the file under that one's nginx.
        const ::vt::test::FileLock lock(kServed.parent_path() / "whale.vpk.lock");
        // A pack left by an earlier build may be of an older format: convert again when it does not open.
        auto openPack = []() -> Result<Bounds> {
            auto source = pack::openFile(kPack);
            if (!source) return std::unexpected(source.error());
            auto reader = pack::PackReader::open(**source, "whale");
            if (!reader) return std::unexpected(reader.error());
            return reader->header().bounds;
        };
        auto opened = openPack();
        if (!opened) {
            auto converted = convert::convertScans({kWhale}, kPack, {});
            ASSERT_TRUE(converted) << converted.error().message;
            opened = openPack();
        }
        ASSERT_TRUE(opened) << opened.error().message;
        bounds() = *opened;
    }
    static Bounds& bounds() {
        static Bounds value;
        return value;
    }
};

TEST_F(StreamOverHttp, NginxStreamSettlesOnTheSameCutAsTheFile) {
    const std::filesystem::path work = kServed.parent_path() / std::format("nginx-{}", ::getpid());
    auto nginx = NginxServer::start(kServed, work);
    ASSERT_TRUE(nginx) << nginx.error().message;
    const scene::View near = viewAt(bounds(), 0.8f);

    stream::StreamingScene fromFile;
    auto file = pack::openFile(kPack);
    ASSERT_TRUE(file);
    fromFile.add(std::move(*file), "file", glm::mat4(1.0f));
    settle(fromFile, near, 30.0);
    ASSERT_TRUE(fromFile.settled());

    stream::StreamingScene fromHttp;
    auto http = openSource((*nginx)->url("whale.vpk"));
    ASSERT_TRUE(http) << http.error().message;
    const auto readsOnFrameThread = std::make_shared<std::atomic<int>>(0);
    fromHttp.add(std::make_unique<FrameThreadWatch>(std::move(*http), readsOnFrameThread), "http", glm::mat4(1.0f));
    const double longest = settle(fromHttp, near, 30.0);
    ASSERT_TRUE(fromHttp.settled());
    EXPECT_TRUE(fromHttp.takeErrors().empty());
    EXPECT_EQ(readsOnFrameThread->load(), 0) << "an update() read from the network";
    EXPECT_LT(longest, kLongestUpdateSeconds) << "an update() waited on the network";
    std::printf("longest update(): %.1f ms\n", longest * 1000.0);

    ASSERT_EQ(fromHttp.cut().size(), fromFile.cut().size());
    for (size_t i = 0; i < fromFile.cut().size(); ++i) {
        EXPECT_EQ(fromHttp.cut()[i].page, fromFile.cut()[i].page);
        EXPECT_EQ(fromHttp.cut()[i].clusterInPage, fromFile.cut()[i].clusterInPage);
    }
    EXPECT_GT(fromHttp.stats().trianglesDrawn, 1000u);
    std::filesystem::remove_all(work);
}

// After the root arrives, every further page request fails in a given way: the coarse level stays,
// each failed page is reported once, retries stop, and frames keep running.
class FaultyStream : public StreamOverHttp, public ::testing::WithParamInterface<Fault> {};

TEST_P(FaultyStream, CoarserLevelsStayAndEachFailureIsReportedOnce) {
    FaultServer server(readFile(kPack));
    HttpOptions http;
    http.maxAttempts = 2;
    http.initialBackoff = std::chrono::milliseconds(10);
    http.maxBackoff = std::chrono::milliseconds(20);
    http.lowSpeedTime = std::chrono::seconds(1);
    http.connectTimeout = std::chrono::milliseconds(1000);
    stream::StreamOptions options;
    options.maxAttempts = 2;
    options.retryBackoffSeconds = 0.01f;
    if (GetParam() == Fault::Stall) {
        // Each stalled request costs the 1 s low-speed timeout: one attempt each, more in parallel,
        // so the test stays short while still proving that stalls end.
        http.maxAttempts = 1;
        http.maxConnections = 8;
        options.maxAttempts = 1;
        options.ioThreads = 8;
    }
    auto source = HttpSource::open(server.url(), http);
    ASSERT_TRUE(source) << source.error().message;
    stream::StreamingScene scene(options);
    const auto readsOnFrameThread = std::make_shared<std::atomic<int>>(0);
    const stream::ArtifactId id = scene.add(std::make_unique<FrameThreadWatch>(std::move(*source), readsOnFrameThread),
                                            "whale over a failing server", glm::mat4(1.0f));

    // Far away: the root page alone is enough.
    const scene::View far = viewAt(bounds(), 40.0f);
    settle(scene, far, 20.0);
    ASSERT_TRUE(scene.settled());
    ASSERT_EQ(scene.status(id).state, stream::ArtifactState::Open);
    const size_t coarseClusters = scene.cut().size();
    ASSERT_GT(coarseClusters, 0u);

    // Close up: finer pages are wanted, and every request for them fails.
    server.setFault(GetParam());
    const scene::View near = viewAt(bounds(), 0.8f);
    const double longest = settle(scene, near, 60.0);
    EXPECT_TRUE(scene.settled()) << "retries did not stop";
    EXPECT_EQ(readsOnFrameThread->load(), 0) << "an update() read from the network";
    EXPECT_LT(longest, kLongestUpdateSeconds) << "an update() waited on the network";
    std::printf("longest update(): %.1f ms\n", longest * 1000.0);
    const std::vector<std::string> errors = scene.takeErrors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors.size(), scene.stats().failedRequests);
    EXPECT_NE(errors.front().find("whale over a failing server"), std::string::npos) << errors.front();
    EXPECT_GT(scene.cut().size(), 0u) << "the coarse levels must stay on screen";
    EXPECT_GT(scene.stats().trianglesDrawn, 0u);
    // Once reported, never again: more frames bring no new errors and no new requests.
    const int requestsBefore = server.requests();
    for (int i = 0; i < 100; ++i) frame(scene, near);
    EXPECT_TRUE(scene.takeErrors().empty());
    EXPECT_EQ(server.requests(), requestsBefore);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultyStream,
                         ::testing::Values(Fault::ServerError, Fault::NotFound, Fault::CloseMidBody,
                                           Fault::WrongContentRange, Fault::Stall),
                         [](const auto& param) {
                             switch (param.param) {
                                 case Fault::ServerError: return std::string("ServerError");
                                 case Fault::NotFound: return std::string("NotFound");
                                 case Fault::CloseMidBody: return std::string("CloseMidBody");
                                 case Fault::WrongContentRange: return std::string("WrongContentRange");
                                 case Fault::Stall: return std::string("Stall");
                                 default: return std::string("Other");
                             }
                         });

}  // namespace
}  // namespace vt::net::test
