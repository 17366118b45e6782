#include <csignal>
#include <cstdlib>
#include <format>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "child_sanitizer.h"
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
    // SIGABRT, which no sanitizer intercepts: stands in for a third-party parser that dies by a signal.
    const Result<asset::Model> result = runIsolated({"crash.fbx", "the Assimp importer", 10s}, []() -> Result<asset::Model> {
        std::abort();
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "crash.fbx: the Assimp importer crashed (signal 6) reading this file");
}

#if defined(__SANITIZE_ADDRESS__)
// The negative test of the sanitizer leg: an out-of-bounds read planted in the child's decode path
// must not come back as an import error (it used to: "exited with status 1") but end the caller
// with the report, so that whatever test reached it fails.
TEST(IsolatedProcessDeathTest, AReportFromOurCodeInTheChildEndsTheCaller) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            (void)runIsolated({"planted.glb", "the glTF importer (tinygltf)", 30s}, []() -> Result<asset::Model> {
                std::vector<uint8_t> bytes(16, 1);
                volatile const uint8_t* data = bytes.data();
                const uint8_t beyond = data[bytes.size() + 3];  // planted heap overread
                return beyond == 7 ? fail("unreachable") : Result<asset::Model>(triangleModel());
            });
        },
        "planted.glb: sanitizer report from our code in the child process of the glTF importer(.|\n)*heap-buffer-overflow");
}
#endif

TEST(ChildSanitizer, ParsesSuppressionsAndRequiresAReason) {
    std::vector<std::string> errors;
    const std::vector<SanitizerSuppression> list = parseSanitizerSuppressions(
        "# comment\n\nlibassimp.so  Assimp 5.4.3: SEGV in its IQM reader on a bad mesh offset # trailing\nlibdraco.so\n", &errors);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].pattern, "libassimp.so");
    EXPECT_EQ(list[0].reason, "Assimp 5.4.3: SEGV in its IQM reader on a bad mesh offset");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_TRUE(errors[0].starts_with("line 4: 'libdraco.so' has no reason")) << errors[0];
}

// Abridged from real ASan reports: the deciding frame skips the interceptor and libc/libstdc++.
constexpr std::string_view kReportInAssimp =
    "==123==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000031\n"
    "READ of size 8 at 0x602000000031 thread T0\n"
    "    #0 0x7f01 in __interceptor_memcpy ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:827\n"
    "    #1 0x7f02 in std::vector<int>::_M_range_insert (/lib/x86_64-linux-gnu/libstdc++.so.6+0xd1234)\n"
    "    #2 0x7f03 in Assimp::IQMImporter::InternReadFile (/lib/x86_64-linux-gnu/libassimp.so.5+0x3a1b2c)\n"
    "    #3 0x5601 in vt::scan::importWithAssimp /work/main/tools/scan/assimp_importer.cpp:210\n";
constexpr std::string_view kReportInOurCode =
    "==124==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000031\n"
    "    #0 0x5602 in vt::scan::readAccessor /work/main/tools/scan/gltf_importer.cpp:120\n"
    "    #1 0x7f03 in Assimp::Importer::ReadFile (/lib/x86_64-linux-gnu/libassimp.so.5+0x3a1b2c)\n";
constexpr std::string_view kUbsanWithoutStack =
    "/work/main/tools/scan/ply_reader.cpp:88:12: runtime error: signed integer overflow: 2147483647 + 1\n";

TEST(ChildSanitizer, TheFirstFrameOutsideTheRuntimesDecides) {
    EXPECT_NE(decidingFrame(kReportInAssimp).find("Assimp::IQMImporter::InternReadFile"), std::string::npos);
    EXPECT_NE(decidingFrame(kReportInOurCode).find("vt::scan::readAccessor"), std::string::npos);
    EXPECT_NE(decidingFrame(kUbsanWithoutStack).find("ply_reader.cpp:88:12"), std::string::npos);
    EXPECT_EQ(decidingFrame("no frames at all\n"), "");

    const std::vector<SanitizerSuppression> list{{"libassimp.so", "Assimp 5.4.3: a known bug"}};
    ASSERT_NE(matchSuppression(kReportInAssimp, list), nullptr);
    EXPECT_EQ(matchSuppression(kReportInAssimp, list)->reason, "Assimp 5.4.3: a known bug");
    // Our frame comes first, so the listed library further down the stack does not excuse it.
    EXPECT_EQ(matchSuppression(kReportInOurCode, list), nullptr);
    EXPECT_EQ(matchSuppression(kUbsanWithoutStack, list), nullptr);
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
