// Bad input: every case returns an error that names the file and the problem, and nothing crashes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "scan_test_util.h"
#include "unprivileged.h"

namespace vt::scan {
namespace {

void expectError(const Result<asset::Model>& result, const std::filesystem::path& file, std::string_view fragment) {
    ASSERT_FALSE(result) << file << " loaded, expected an error containing: " << fragment;
    const std::string& message = result.error().message;
    EXPECT_TRUE(message.starts_with(file.string() + ":")) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
}

TEST(BadInput, MissingFile) {
    test::TempDir dir;
    expectError(importScan(dir.path() / "nothere.glb"), dir.path() / "nothere.glb", "file not found");
}

TEST(BadInput, Directory) {
    test::TempDir dir;
    expectError(importScan(dir.path()), dir.path(), "is a directory");
}

TEST(BadInput, EmptyFile) {
    test::TempDir dir;
    const auto file = dir.write("empty.obj", std::string_view());
    expectError(importScan(file), file, "file is empty");
}

TEST(BadInput, Unreadable) {
    test::TempDir dir;
    const auto file = dir.write("locked.ply", std::string_view("ply\n"));
    ::chmod(dir.path().c_str(), 0755);  // searchable by the unprivileged user; the file itself is not readable
    ::chmod(file.c_str(), 0);
    // As root every file is readable: check as an unprivileged user.
    const std::string failure = vt::test::runUnprivileged([&]() -> std::string {
        const Result<asset::Model> result = importScan(file);
        if (result) return "an unreadable file loaded";
        if (!result.error().message.starts_with(file.string() + ": cannot be opened for reading"))
            return "unexpected error: " + result.error().message;
        return "";
    });
    EXPECT_EQ(failure, "");
}

TEST(BadInput, UnknownFormatListsSupportedFormats) {
    test::TempDir dir;
    const auto file = dir.write("notes.xyz123", std::string_view("hello, these are not vertices\n"));
    expectError(importScan(file), file, "unknown file format");
    expectError(importScan(file), file, "supported formats: glTF 2.0");
}

TEST(BadInput, TruncatedGlb) {
    test::TempDir dir;
    std::vector<uint8_t> glb = test::tetrahedronGlb();
    glb.resize(glb.size() - 30);
    const auto file = dir.write("cut.glb", glb);
    expectError(importScan(file), file, "not a valid glTF 2.0 file");
}

TEST(BadInput, TruncatedPly) {
    test::TempDir dir;
    const auto file = dir.write("cut.ply", std::string_view("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                                            "property float y\nproperty float z\nelement face 1\n"
                                                            "property list uchar int vertex_indices\nend_header\n0 0 0\n1 0"));
    expectError(importScan(file), file, "line 3: element 'vertex' claims 3 entries");
}

TEST(BadInput, CorruptGlbJson) {
    test::TempDir dir;
    std::vector<uint8_t> glb = test::tetrahedronGlb();
    glb[30] = '#';
    const auto file = dir.write("corrupt.glb", glb);
    expectError(importScan(file), file, "not a valid glTF 2.0 file");
}

TEST(BadInput, CorruptPlyNumber) {
    test::TempDir dir;
    const auto file = dir.write("corrupt.ply", std::string_view("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                                                "property float y\nproperty float z\nelement face 1\n"
                                                                "property list uchar int vertex_indices\nend_header\n"
                                                                "0 0 0\n1 0 0\n0 1x 0\n3 0 1 2\n"));
    expectError(importScan(file), file, "line 12: vertex 2 property 'y': '1x' is not a number");
}

TEST(BadInput, NanPositionInGlb) {
    test::TempDir dir;
    const auto file = dir.write("nan.glb", test::tetrahedronGlb("", std::numeric_limits<float>::quiet_NaN()));
    expectError(importScan(file), file, "mesh 0 'tet': vertex 0 has a non-finite position");
}

TEST(BadInput, InfinitePositionInPly) {
    test::TempDir dir;
    const auto file = dir.write("inf.ply", std::string_view("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                                            "property float y\nproperty float z\nelement face 1\n"
                                                            "property list uchar int vertex_indices\nend_header\n"
                                                            "0 0 0\n1 0 inf\n0 1 0\n3 0 1 2\n"));
    expectError(importScan(file), file, "vertex 1 has a non-finite position (1, 0, inf)");
}

TEST(BadInput, IndexOutOfRangeInGlb) {
    test::TempDir dir;
    const auto file = dir.write("index.glb", test::tetrahedronGlb("", 0.0f, 9));
    expectError(importScan(file), file,
                "mesh 0 'tet' primitive 0 indices: accessor 1 element 11 is vertex index 9, but there are only 4 vertices");
}

TEST(BadInput, IndexOutOfRangeInObj) {
    test::TempDir dir;
    const auto file = dir.write("index.obj", std::string_view("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 2 40\n"));
    const Result<asset::Model> model = importScan(file);
    ASSERT_FALSE(model);
    EXPECT_TRUE(model.error().message.starts_with(file.string() + ":")) << model.error().message;
}

TEST(BadInput, MissingTextureFileInGltf) {
    test::TempDir dir;
    std::vector<uint8_t> glb = test::tetrahedronGlb();
    // Reuse the tetrahedron's buffer as an external file and add a texture that is not there.
    const std::string json =
        R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1,"material":0}]}],)"
        R"("materials":[{"pbrMetallicRoughness":{"baseColorTexture":{"index":0}}}],)"
        R"("textures":[{"source":0}],"images":[{"uri":"albedo%20map.png"}],)"
        R"("buffers":[{"uri":"tet.bin","byteLength":72}],)"
        R"("bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":48},{"buffer":0,"byteOffset":48,"byteLength":24}],)"
        R"("accessors":[{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3","min":[0,0,0],"max":[1,1,1]},)"
        R"({"bufferView":1,"componentType":5123,"count":12,"type":"SCALAR"}]})";
    // The BIN chunk starts after the 12-byte header, the JSON chunk and the BIN chunk header.
    uint32_t jsonLength = 0;
    std::memcpy(&jsonLength, glb.data() + 12, 4);
    dir.write("tet.bin", std::vector<uint8_t>(glb.begin() + 20 + jsonLength + 8, glb.begin() + 20 + jsonLength + 8 + 72));
    const auto file = dir.write("textured.gltf", json);
    expectError(importScan(file), file, "material 0 '': image 0 'albedo%20map.png' not found");
    expectError(importScan(file), file, "albedo map.png");
}

TEST(BadInput, MissingBufferFileInGltf) {
    test::TempDir dir;
    const std::string json =
        R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],)"
        R"("buffers":[{"uri":"geometry.bin","byteLength":36}],"bufferViews":[{"buffer":0,"byteLength":36}],)"
        R"("accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}]})";
    const auto file = dir.write("nobuffer.gltf", json);
    expectError(importScan(file), file, "geometry.bin");
}

TEST(BadInput, MissingTextureFileInObj) {
    test::TempDir dir;
    dir.write("m.mtl", std::string_view("newmtl stone\nKd 1 1 1\nmap_Kd stone_albedo.jpg\n"));
    const auto file = dir.write("m.obj", std::string_view("mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvt 1 0\n"
                                                          "vt 0 1\nusemtl stone\nf 1/1 2/2 3/3\n"));
    expectError(importScan(file), file, "texture file 'stone_albedo.jpg' not found");
}

TEST(BadInput, EmptyMesh) {
    test::TempDir dir;
    const auto ply = dir.write("degenerate.ply", std::string_view("ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                                                  "property float y\nproperty float z\nelement face 2\n"
                                                                  "property list uchar int vertex_indices\nend_header\n"
                                                                  "0 0 0\n1 0 0\n0 1 0\n3 0 0 1\n2 1 2\n"));
    expectError(importScan(ply), ply, "empty mesh");
    const auto obj = dir.write("points.obj", std::string_view("v 0 0 0\nv 1 0 0\nv 0 1 0\np 1 2 3\n"));
    const Result<asset::Model> model = importScan(obj);
    ASSERT_FALSE(model);
    EXPECT_TRUE(model.error().message.starts_with(obj.string() + ":")) << model.error().message;
}

TEST(BadInput, PointCloudPlyFromCorpus) {
    VT_REQUIRE_CORPUS_FILE(file, "meshes/stanford-bunny/bunny/data/bun000.ply");
    expectError(importScan(file), file, "no faces: this PLY is a point cloud (40256 vertices)");
}

}  // namespace
}  // namespace vt::scan
