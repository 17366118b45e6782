#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <format>
#include <set>
#include <string>

#include "color.h"
#include "import.h"
#include "ply_reader.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

enum class Encoding { Ascii, Little, Big };

// Appends values in one of the three PLY encodings.
class PlyWriter {
public:
    explicit PlyWriter(Encoding e) : encoding(e) {}
    void text(std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }
    template <class T>
    void value(T v) {
        if (encoding == Encoding::Ascii) {
            if constexpr (sizeof(T) == 1) text(std::format("{} ", int(v)));
            else text(std::format("{} ", v));
            return;
        }
        if constexpr (sizeof(T) > 1) {
            using U = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;
            if (encoding == Encoding::Big) v = std::bit_cast<T>(std::byteswap(std::bit_cast<U>(v)));
        }
        test::append(out, v);
    }
    void endLine() {
        if (encoding == Encoding::Ascii) text("\n");
    }
    std::vector<uint8_t> out;
    Encoding encoding;
};

const char* formatName(Encoding e) {
    return e == Encoding::Ascii ? "ascii" : e == Encoding::Little ? "binary_little_endian" : "binary_big_endian";
}

// A square pyramid: a quad base and four triangles, with every kind of property we read and some we skip.
std::vector<uint8_t> pyramidPly(Encoding encoding) {
    PlyWriter w(encoding);
    const bool big = encoding == Encoding::Big;
    w.text(std::format("ply\nformat {} 1.0\ncomment written by scan_tests\nobj_info scanner none\n", formatName(encoding)));
    w.text("element vertex 5\nproperty float x\nproperty float y\nproperty float z\nproperty double confidence\n"
           "property float nx\nproperty float ny\nproperty float nz\n"
           "property uchar red\nproperty uchar green\nproperty uchar blue\nproperty uchar alpha\n"
           "property float s\nproperty float t\n");
    const std::string_view list = big ? "ushort uint vertex_index" : "uchar int vertex_indices";
    w.text(std::format("element face 5\nproperty uchar flags\nproperty list {}\nproperty list uchar float texcoord\n", list));
    w.text("element material 2\nproperty list ushort short ids\nproperty char kind\nend_header\n");
    const float positions[5][3] = {{-1, 0, -1}, {1, 0, -1}, {1, 0, 1}, {-1, 0, 1}, {0, 2, 0}};
    for (int v = 0; v < 5; ++v) {
        for (float f : positions[v]) w.value(f);
        w.value(double(v) * 0.5);
        w.value(0.0f), w.value(v == 4 ? 1.0f : -1.0f), w.value(0.0f);
        w.value(uint8_t(255)), w.value(uint8_t(128)), w.value(uint8_t(v * 10)), w.value(uint8_t(128));
        w.value(float(v) * 0.125f), w.value(0.25f);
        w.endLine();
    }
    const std::vector<std::vector<int>> faces = {{0, 1, 2, 3}, {0, 4, 1}, {1, 4, 2}, {2, 4, 3}, {3, 4, 0}};
    for (const auto& face : faces) {
        w.value(uint8_t(7));
        if (big) w.value(uint16_t(face.size()));
        else w.value(uint8_t(face.size()));
        for (int i : face) {
            if (big) w.value(uint32_t(i));
            else w.value(int32_t(i));
        }
        w.value(uint8_t(2)), w.value(0.5f), w.value(0.5f);
        w.endLine();
    }
    for (int m = 0; m < 2; ++m) {
        w.value(uint16_t(3)), w.value(int16_t(-1)), w.value(int16_t(2)), w.value(int16_t(3));
        w.value(int8_t(-5));
        w.endLine();
    }
    return w.out;
}

class PlyRoundTrip : public ::testing::TestWithParam<Encoding> {};

TEST_P(PlyRoundTrip, ReadsEveryPropertyAndSkipsTheRest) {
    const std::vector<uint8_t> bytes = pyramidPly(GetParam());
    const Result<asset::Model> model = parsePly(bytes, "pyramid.ply");
    ASSERT_TRUE(model) << model.error().message;
    ASSERT_EQ(model->meshes.size(), 1u);
    const asset::Mesh& mesh = model->meshes[0];
    ASSERT_EQ(mesh.positions.size(), 5u);
    EXPECT_EQ(mesh.positions[4], glm::vec3(0, 2, 0));
    EXPECT_EQ(mesh.positions[1], glm::vec3(1, 0, -1));
    EXPECT_EQ(mesh.indices, (std::vector<uint32_t>{0, 1, 2, 0, 2, 3, 0, 4, 1, 1, 4, 2, 2, 4, 3, 3, 4, 0}));
    ASSERT_EQ(mesh.normals.size(), 5u);
    EXPECT_EQ(mesh.normals[4], glm::vec3(0, 1, 0));
    ASSERT_EQ(mesh.colors.size(), 5u);
    EXPECT_FLOAT_EQ(mesh.colors[2].r, 1.0f);
    EXPECT_NEAR(mesh.colors[2].g, 0.2158605f, 1e-6f);  // sRGB 128 -> linear
    EXPECT_NEAR(mesh.colors[2].b, srgbToLinear(20.0f / 255.0f), 1e-7f);
    EXPECT_NEAR(mesh.colors[2].a, 128.0f / 255.0f, 1e-7f);  // alpha stays linear
    ASSERT_EQ(mesh.texcoords.size(), 5u);
    EXPECT_EQ(mesh.texcoords[3], glm::vec2(0.375f, 0.75f));  // t flipped to a top-left origin
}

INSTANTIATE_TEST_SUITE_P(Encodings, PlyRoundTrip, ::testing::Values(Encoding::Ascii, Encoding::Little, Encoding::Big),
                         [](const auto& param) { return std::string(param.param == Encoding::Ascii    ? "Ascii"
                                                                    : param.param == Encoding::Little ? "BinaryLittleEndian"
                                                                                                      : "BinaryBigEndian"); });

TEST(PlyReader, ImportScanReadsAPlyFile) {
    test::TempDir dir;
    const Result<asset::Model> model = importScan(dir.write("pyramid.ply", pyramidPly(Encoding::Little)));
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ(model->triangleCount(), 6u);
    EXPECT_EQ(model->materials.size(), 1u);
    for (const glm::vec3& n : model->meshes[0].normals) EXPECT_NEAR(glm::length(n), 1.0f, 1e-5f);
}

// A triangle as a rotation-independent key that keeps the winding.
std::array<uint32_t, 3> canonical(uint32_t a, uint32_t b, uint32_t c) {
    if (b < a && b < c) return {b, c, a};
    if (c < a && c < b) return {c, a, b};
    return {a, b, c};
}

TEST(PlyReader, TriangleStripsWithRestartsGiveTheGridTriangles) {
    // A W x H vertex grid in z = 0, one strip per row of cells, strips separated by -1 and the last
    // row joined to the previous by a degenerate joint (repeated vertex) instead.
    constexpr uint32_t kW = 7, kH = 5;
    const auto id = [](uint32_t r, uint32_t c) { return int32_t(r * kW + c); };
    std::vector<int32_t> strip;
    for (uint32_t r = 0; r + 1 < kH; ++r) {
        if (r > 0) strip.push_back(-1);
        for (uint32_t c = 0; c < kW; ++c) {
            strip.push_back(id(r, c));
            strip.push_back(id(r + 1, c));
        }
    }
    std::string text = std::format("ply\nformat ascii 1.0\nelement vertex {}\nproperty float x\nproperty float y\n"
                                   "property float z\nelement tristrips 1\nproperty list int int vertex_indices\nend_header\n",
                                   kW * kH);
    for (uint32_t r = 0; r < kH; ++r)
        for (uint32_t c = 0; c < kW; ++c) text += std::format("{} {} 0\n", c, r);
    text += std::to_string(strip.size());
    for (int32_t i : strip) text += " " + std::to_string(i);
    text += "\n";

    const Result<asset::Model> model =
        parsePly(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), "grid.ply");
    ASSERT_TRUE(model) << model.error().message;
    const asset::Mesh& mesh = model->meshes.at(0);
    // Expected: each cell (a = (r,c), b = (r+1,c), c' = (r+1,c+1), d = (r,c+1)) as triangles (a,b,d) and (d,b,c').
    std::multiset<std::array<uint32_t, 3>> expected, actual;
    for (uint32_t r = 0; r + 1 < kH; ++r)
        for (uint32_t c = 0; c + 1 < kW; ++c) {
            const uint32_t a = uint32_t(id(r, c)), b = uint32_t(id(r + 1, c)), cc = uint32_t(id(r + 1, c + 1)),
                           d = uint32_t(id(r, c + 1));
            expected.insert(canonical(a, b, d));
            expected.insert(canonical(d, b, cc));
        }
    for (size_t t = 0; t < mesh.indices.size(); t += 3)
        actual.insert(canonical(mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]));
    EXPECT_EQ(actual.size(), size_t(2 * (kW - 1) * (kH - 1)));
    EXPECT_EQ(actual, expected);
    // Consistent winding: every triangle faces the same way (-z for this layout).
    for (size_t t = 0; t < mesh.indices.size(); t += 3) {
        const glm::vec3 n = glm::cross(mesh.positions[mesh.indices[t + 1]] - mesh.positions[mesh.indices[t]],
                                       mesh.positions[mesh.indices[t + 2]] - mesh.positions[mesh.indices[t]]);
        EXPECT_LT(n.z, 0.0f) << "triangle " << t / 3;
    }
}

TEST(PlyReader, StripDegenerateJointsAreSkipped) {
    const std::string text = "ply\nformat ascii 1.0\nelement vertex 6\nproperty float x\nproperty float y\nproperty float z\n"
                             "element tristrips 1\nproperty list uchar int vertex_indices\nend_header\n"
                             "0 0 0\n1 0 0\n0 1 0\n5 5 0\n6 5 0\n5 6 0\n"
                             "8 0 1 2 2 3 3 4 5\n";
    const Result<asset::Model> model = parsePly(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), "j.ply");
    ASSERT_TRUE(model) << model.error().message;
    // Triangles: (0,1,2) and, after the joint, (3,4,5) with the parity of its position (even -> as is).
    EXPECT_EQ(model->meshes[0].indices, (std::vector<uint32_t>{0, 1, 2, 4, 3, 5}));
}

Result<asset::Model> parseText(std::string_view text, std::string_view label = "t.ply") {
    return parsePly(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), label);
}

TEST(PlyReader, PointCloudIsAClearError) {
    const Result<asset::Model> model =
        parseText("ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n"
                  "end_header\n0 0 0\n1 1 1\n");
    ASSERT_FALSE(model);
    EXPECT_TRUE(model.error().message.starts_with("t.ply: no faces: this PLY is a point cloud (2 vertices)"))
        << model.error().message;
}

TEST(PlyReader, AsciiIndexOutOfRangeNamesTheLine) {
    const Result<asset::Model> model =
        parseText("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                  "element face 2\nproperty list uchar int vertex_indices\nend_header\n"
                  "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 9000 2\n");
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().message, "t.ply: line 14: face 1 has vertex index 9000, but there are only 3 vertices");
}

TEST(PlyReader, BinaryErrorsNameTheByteOffset) {
    std::vector<uint8_t> bytes = pyramidPly(Encoding::Little);
    // Replace the second face's first index (after the flags byte and count byte) with 77.
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const size_t data = text.find("end_header\n") + 11;
    const size_t vertexBytes = 5 * (3 * 4 + 8 + 3 * 4 + 4 + 2 * 4);
    const size_t firstFace = 1 + 1 + 4 * 4 + 1 + 2 * 4;
    const size_t at = data + vertexBytes + firstFace + 2;
    bytes[at] = 77;
    const Result<asset::Model> model = parsePly(bytes, "b.ply");
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().message,
              std::format("b.ply: byte {}: face 1 has vertex index 77, but there are only 5 vertices", at + 4));
}

TEST(PlyReader, LyingHeaderCountIsRejectedBeforeAllocating) {
    const Result<asset::Model> model =
        parseText("ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\n"
                  "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0123");
    ASSERT_FALSE(model);
    EXPECT_TRUE(model.error().message.starts_with("t.ply: line 3: element 'vertex' claims 4000000000 entries"))
        << model.error().message;
}

TEST(PlyReader, HugeBinaryListCountIsRejected) {
    std::string text = "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
                       "property float z\nelement face 1\nproperty list uint int vertex_indices\nend_header\n";
    text.append(36, '\0');
    text += "\xff\xff\xff\x7f";
    text.append(12, '\0');
    const Result<asset::Model> model = parseText(text);
    ASSERT_FALSE(model);
    EXPECT_NE(model.error().message.find("which the file cannot hold"), std::string::npos) << model.error().message;
}

TEST(PlyReader, UnknownHeaderKeywordNamesTheLine) {
    const Result<asset::Model> model = parseText("ply\nformat ascii 1.0\nremark hello\nelement vertex 0\nend_header\n");
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().message, "t.ply: line 3: unknown header keyword 'remark'");
}

TEST(PlyReader, TruncatedAsciiDataNamesTheProblem) {
    const Result<asset::Model> model =
        parseText("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                  "element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1\n");
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().message, "t.ply: line 14: face 0 property 'vertex_indices': unexpected end of file");
}

TEST(PlyReader, Nfdi4CultureSamples) {
    const std::filesystem::path dir = test::corpusDir() / "adversarial/nfdi4culture-preservation-samples/ply";
    if (test::corpusDir().empty() || !std::filesystem::exists(dir)) FAIL() << "the shared corpus is missing at " << dir;
    const auto sample = [&](const std::string& name) { return dir / name / (name + ".ply"); };
    // Blender's cube: 14 vertices (UV seams), 6 quads.
    for (const char* name : {"cube-ply-1.0_ascii-unmodified-unknown", "cube-ply-1.0_binary-unmodified-unknown"}) {
        const Result<asset::Model> model = importScan(sample(name));
        ASSERT_TRUE(model) << model.error().message;
        EXPECT_EQ(model->triangleCount(), 12u) << name;
        EXPECT_EQ(model->vertexCount(), 14u) << name;
        EXPECT_EQ(model->meshes[0].texcoords.size(), 14u) << name;
        EXPECT_EQ(model->bounds().min, glm::vec3(-1.0f)) << name;
        EXPECT_EQ(model->bounds().max, glm::vec3(1.0f)) << name;
    }
    for (const char* name : {"cube-ply-1.0_ascii-comment_renamed_to_remark-invalid",
                             "cube-ply-1.0_binary-comment_renamed_to_remark-invalid"}) {
        const Result<asset::Model> model = importScan(sample(name));
        ASSERT_FALSE(model) << name;
        EXPECT_EQ(model.error().message, sample(name).string() + ": line 3: unknown header keyword 'remark'");
    }
    for (const char* name : {"minimal-ply-1.0_ascii-unmodified-unknown", "minimal-ply-1.0_binary-unmodified-unknown"}) {
        const Result<asset::Model> model = importScan(sample(name));
        ASSERT_FALSE(model) << name;
        EXPECT_EQ(model.error().message, sample(name).string() + ": empty mesh: no vertices and no faces");
    }
}

}  // namespace
}  // namespace vt::scan
