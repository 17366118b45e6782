#include <csignal>
#include <format>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "isolated_process.h"

namespace vt::scan {
namespace {

using namespace std::chrono_literals;

asset::Model triangleModel(size_t extraVertices = 0) {
    asset::Model model;
    asset::Mesh mesh;
    mesh.name = "tri";
    mesh.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    mesh.positions.resize(3 + extraVertices, glm::vec3(0.5f));
    mesh.indices = {0, 1, 2};
    model.meshes.push_back(mesh);
    model.materials.push_back({.name = "m", .roughnessFactor = 0.25f});
    return model;
}

TEST(IsolatedProcess, ReturnsTheChildsModel) {
    const Result<asset::Model> result = runIsolated({"a.obj", "the test importer", 10s}, [] { return triangleModel(); });
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->meshes.size(), 1u);
    EXPECT_EQ(result->meshes[0].name, "tri");
    EXPECT_EQ(result->meshes[0].positions[1], glm::vec3(1, 0, 0));
    EXPECT_EQ(result->meshes[0].indices, (std::vector<uint32_t>{0, 1, 2}));
    EXPECT_EQ(result->materials.at(0).roughnessFactor, 0.25f);
}

TEST(IsolatedProcess, StreamsAModelLargerThanThePipe) {
    // 2M vertices = 24 MB of positions: far more than a pipe buffer, so the parent must drain while the child writes.
    const Result<asset::Model> result =
        runIsolated({"big.obj", "the test importer", 60s}, [] { return triangleModel(2'000'000); });
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->meshes.at(0).positions.size(), 2'000'003u);
}

TEST(IsolatedProcess, ReturnsTheChildsError) {
    const Result<asset::Model> result =
        runIsolated({"a.obj", "the test importer", 10s}, []() -> Result<asset::Model> { return fail("a.obj: line 3: bad"); });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "a.obj: line 3: bad");
}

TEST(IsolatedProcess, ReportsACrash) {
    const Result<asset::Model> result = runIsolated({"crash.fbx", "the Assimp importer", 10s}, []() -> Result<asset::Model> {
        std::raise(SIGSEGV);
        return triangleModel();
    });
    ASSERT_FALSE(result);
#ifdef __SANITIZE_ADDRESS__
    // AddressSanitizer catches the signal in the child, reports it and exits with status 1.
    EXPECT_TRUE(result.error().message == "crash.fbx: the Assimp importer crashed (signal 11) reading this file" ||
                result.error().message == "crash.fbx: the Assimp importer exited with status 1 reading this file")
        << result.error().message;
#else
    EXPECT_EQ(result.error().message, "crash.fbx: the Assimp importer crashed (signal 11) reading this file");
#endif
}

TEST(IsolatedProcess, KillsAHangAtTheDeadline) {
    const auto start = std::chrono::steady_clock::now();
    const Result<asset::Model> result = runIsolated({"hang.3ds", "the Assimp importer", 300ms}, []() -> Result<asset::Model> {
        for (;;) std::this_thread::sleep_for(1s);
    });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().message.starts_with("hang.3ds: the Assimp importer did not finish within the 0.3 s timeout"))
        << result.error().message;
    EXPECT_LT(elapsed, 5s);
}

// A converter killed with SIGKILL cannot stop its importer itself: the importer must die with it
// rather than parse on (here it would sleep for a minute).
TEST(IsolatedProcess, TheImporterDiesWithAKilledConverter) {
    int importerPid[2];
    ASSERT_EQ(::pipe(importerPid), 0);
    const pid_t converter = ::fork();
    ASSERT_GE(converter, 0);
    if (converter == 0) {
        (void)runIsolated({"slow.obj", "the test importer", 120s}, [&]() -> Result<asset::Model> {
            const pid_t self = ::getpid();
            if (::write(importerPid[1], &self, sizeof self) != sizeof self) ::_exit(1);
            std::this_thread::sleep_for(60s);
            return triangleModel();
        });
        ::_exit(0);
    }
    ::close(importerPid[1]);
    pid_t importer = 0;
    ASSERT_EQ(::read(importerPid[0], &importer, sizeof importer), ssize_t(sizeof importer));
    ::close(importerPid[0]);
    ASSERT_EQ(::kill(converter, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(converter, &status, 0), converter);
    // Gone, or a zombie waiting for whoever adopted it: either way no longer running.
    const auto running = [&] {
        std::ifstream stat(std::format("/proc/{}/stat", importer));
        std::string pid, name, state;
        return stat >> pid >> name >> state && state != "Z" && state != "X";
    };
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(running()) << "importer " << importer << " still runs after its converter was killed";
}

TEST(IsolatedProcess, ReportsAnException) {
    const Result<asset::Model> result = runIsolated({"x.dae", "the Assimp importer", 10s}, []() -> Result<asset::Model> {
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "x.dae: the Assimp importer threw an exception: boom");
}

TEST(IsolatedProcess, ReportsAnAbnormalExit) {
    const Result<asset::Model> result =
        runIsolated({"x.dae", "the Assimp importer", 10s}, []() -> Result<asset::Model> { std::_Exit(7); });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "x.dae: the Assimp importer exited with status 7 reading this file");
}

}  // namespace
}  // namespace vt::scan
