// Every truncation and many single-byte corruptions of small valid files: each import returns a
// model or an error, never crashes or hangs. Our own code must not crash even in the child.
#include <gtest/gtest.h>

#include <format>

#include "import.h"
#include "ply_reader.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

using namespace std::chrono_literals;

std::vector<uint8_t> smallBinaryPly() {
    std::string header = "ply\nformat binary_little_endian 1.0\ncomment tiny\nelement vertex 4\nproperty float x\n"
                         "property float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\n"
                         "element face 2\nproperty list uchar int vertex_indices\nelement extra 1\nproperty list uchar "
                         "short junk\nend_header\n";
    std::vector<uint8_t> bytes(header.begin(), header.end());
    const float positions[4][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
    for (const auto& p : positions) {
        for (float f : p) test::append(bytes, f);
        bytes.insert(bytes.end(), {200, 100, 50});
    }
    for (const auto& face : {std::array<int32_t, 3>{0, 1, 2}, std::array<int32_t, 3>{0, 2, 3}}) {
        bytes.push_back(3);
        for (int32_t i : face) test::append(bytes, i);
    }
    bytes.push_back(2);
    test::append(bytes, int16_t(-1));
    test::append(bytes, int16_t(7));
    return bytes;
}

const std::string kSmallAsciiPly = "ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
                                   "property float z\nproperty float s\nproperty float t\nelement face 1\n"
                                   "property list uchar int vertex_indices\nend_header\n"
                                   "0 0 0 0 0\n1 0 0 1 0\n1 1 0 1 1\n0 1 0 0 1\n4 0 1 2 3\n";

// Corruptions that exercise different paths: zero, all ones, sign bit, a digit, whitespace, a minus.
constexpr uint8_t kCorruptions[] = {0x00, 0xFF, 0x80, '9', ' ', '-', '\n'};

void mutatePlyInProcess(const std::vector<uint8_t>& valid) {
    ASSERT_TRUE(parsePly(valid, "valid.ply")) << parsePly(valid, "valid.ply").error().message;
    size_t errors = 0;
    for (size_t length = 0; length < valid.size(); ++length) {
        const Result<asset::Model> result = parsePly(std::span(valid.data(), length), "cut.ply");
        if (!result) {
            ++errors;
            EXPECT_TRUE(result.error().message.starts_with("cut.ply: ")) << result.error().message;
        }
    }
    EXPECT_GT(errors, valid.size() * 9 / 10);  // almost every prefix is missing data
    for (size_t i = 0; i < valid.size(); ++i)
        for (uint8_t value : kCorruptions) {
            std::vector<uint8_t> corrupt = valid;
            corrupt[i] = value;
            (void)parsePly(corrupt, "corrupt.ply");
        }
}

TEST(Mutation, BinaryPlyTruncationsAndCorruptions) { mutatePlyInProcess(smallBinaryPly()); }

TEST(Mutation, AsciiPlyTruncationsAndCorruptions) {
    mutatePlyInProcess(std::vector<uint8_t>(kSmallAsciiPly.begin(), kSmallAsciiPly.end()));
}

// Through importScan (file, detection, child process, normalize). A crash message would mean our
// own converter or the parser crashed on a one-byte change of a valid file: count and report it.
TEST(Mutation, GlbTruncationsAndCorruptions) {
    const std::vector<uint8_t> valid = test::tetrahedronGlb();
    test::TempDir dir;
    const ImportOptions options{.parserTimeout = 10s};
    ASSERT_TRUE(importScan(dir.write("valid.glb", valid), options));
    size_t loaded = 0, rejected = 0, crashed = 0;
    const auto run = [&](const std::vector<uint8_t>& bytes) {
        const auto file = dir.write("m.glb", bytes);
        const Result<asset::Model> result = importScan(file, options);
        if (result) {
            ++loaded;
            EXPECT_GE(result->triangleCount(), 1u);
            return;
        }
        ++rejected;
        EXPECT_TRUE(result.error().message.starts_with(file.string() + ": ")) << result.error().message;
        if (result.error().message.find("crashed") != std::string::npos) {
            ++crashed;
            ADD_FAILURE() << result.error().message;
        }
    };
    for (size_t length = 1; length < valid.size(); ++length)
        run(std::vector<uint8_t>(valid.begin(), valid.begin() + std::ptrdiff_t(length)));
    for (size_t i = 0; i < valid.size(); ++i)
        for (uint8_t value : {uint8_t(0x00), uint8_t(0xFF), uint8_t('9')}) {
            if (valid[i] == value) continue;
            std::vector<uint8_t> corrupt = valid;
            corrupt[i] = value;
            run(corrupt);
        }
    std::printf("GLB mutations: %zu loaded, %zu rejected, %zu crashed\n", loaded, rejected, crashed);
    EXPECT_EQ(crashed, 0u);
}

}  // namespace
}  // namespace vt::scan
