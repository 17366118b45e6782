#include <gtest/gtest.h>

#include <format>

#include "import.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

TEST(GltfImport, ReadsATetrahedronInWorldSpace) {
    test::TempDir dir;
    const Result<asset::Model> model = importScan(dir.write("tet.glb", test::tetrahedronGlb()));
    ASSERT_TRUE(model) << model.error().message;
    ASSERT_EQ(model->meshes.size(), 1u);
    const asset::Mesh& mesh = model->meshes[0];
    EXPECT_EQ(mesh.name, "tet");
    EXPECT_EQ(model->triangleCount(), 4u);
    EXPECT_EQ(mesh.positions[0], glm::vec3(1, 2, 3));  // node translation baked in
    EXPECT_EQ(mesh.positions[3], glm::vec3(1, 2, 4));
    const asset::Material& m = model->materials.at(mesh.material);
    EXPECT_EQ(m.name, "stone");
    EXPECT_EQ(m.baseColorFactor, glm::vec4(0.5f, 0.25f, 1.0f, 0.75f));
    EXPECT_FLOAT_EQ(m.metallicFactor, 0.125f);
    EXPECT_FLOAT_EQ(m.roughnessFactor, 0.625f);
    EXPECT_EQ(m.emissiveFactor, glm::vec3(0.1f, 0.2f, 0.3f));
    EXPECT_EQ(m.alphaMode, asset::AlphaMode::Mask);
    EXPECT_FLOAT_EQ(m.alphaCutoff, 0.25f);
    EXPECT_TRUE(m.doubleSided);
    // Generated normals point away from the centroid (the file's winding is outward).
    const glm::vec3 centroid = model->bounds().center();
    for (size_t v = 0; v < mesh.positions.size(); ++v) {
        EXPECT_NEAR(glm::length(mesh.normals[v]), 1.0f, 1e-5f);
        EXPECT_GT(glm::dot(mesh.normals[v], mesh.positions[v] - centroid), 0.0f) << v;
    }
}

// Outward winding: each triangle's geometric normal points away from the centroid.
void expectOutwardWinding(const asset::Model& model) {
    const asset::Mesh& mesh = model.meshes.at(0);
    glm::vec3 centroid(0.0f);
    for (const glm::vec3& p : mesh.positions) centroid += p / float(mesh.positions.size());
    for (size_t t = 0; t < mesh.indices.size(); t += 3) {
        const glm::vec3 a = mesh.positions[mesh.indices[t]], b = mesh.positions[mesh.indices[t + 1]],
                        c = mesh.positions[mesh.indices[t + 2]];
        EXPECT_GT(glm::dot(glm::cross(b - a, c - a), (a + b + c) / 3.0f - centroid), 0.0f) << "triangle " << t / 3;
    }
}

TEST(GltfImport, MirroringTransformFlipsWinding) {
    test::TempDir dir;
    const Result<asset::Model> plain = importScan(dir.write("a.glb", test::tetrahedronGlb()));
    const Result<asset::Model> mirrored = importScan(dir.write("b.glb", test::tetrahedronGlb(R"(,"scale":[-1,1,1])")));
    ASSERT_TRUE(plain) << plain.error().message;
    ASSERT_TRUE(mirrored) << mirrored.error().message;
    expectOutwardWinding(*plain);
    expectOutwardWinding(*mirrored);
    EXPECT_EQ(mirrored->meshes[0].positions[1], glm::vec3(0, 2, 3));  // x = -1 * 1 + 1
}

TEST(GltfImport, StripsFansColorsAndNormalsWithoutNodes) {
    // Four vertices of a unit square as a strip and as a fan, ubyte normalized COLOR_0 (vec3),
    // explicit normals; no scenes, so meshes are used directly.
    std::vector<uint8_t> bin;
    const float positions[4][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
    for (const auto& p : positions)
        for (float f : p) test::append(bin, f);
    for (int i = 0; i < 4; ++i) test::append(bin, glm::vec3(0, 0, 2));  // not unit: renormalized
    const uint8_t colors[4][4] = {{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {51, 51, 51, 0}};
    for (const auto& c : colors) bin.insert(bin.end(), c, c + 4);  // stride 4, vec3
    const std::string json = std::format(
        R"({{"asset":{{"version":"2.0"}},"meshes":[{{"primitives":[)"
        R"({{"attributes":{{"POSITION":0,"NORMAL":1,"COLOR_0":2}},"mode":5}},)"
        R"({{"attributes":{{"POSITION":0}},"mode":6}},{{"attributes":{{"POSITION":0}},"mode":1}}]}}],)"
        R"("buffers":[{{"byteLength":{}}}],"bufferViews":[{{"buffer":0,"byteOffset":0,"byteLength":48}},)"
        R"({{"buffer":0,"byteOffset":48,"byteLength":48}},{{"buffer":0,"byteOffset":96,"byteLength":16,"byteStride":4}}],)"
        R"("accessors":[{{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}},)"
        R"({{"bufferView":1,"componentType":5126,"count":4,"type":"VEC3"}},)"
        R"({{"bufferView":2,"componentType":5121,"normalized":true,"count":4,"type":"VEC3"}}]}})",
        bin.size());
    test::TempDir dir;
    const Result<asset::Model> model = importScan(dir.write("s.glb", test::makeGlb(json, bin)));
    ASSERT_TRUE(model) << model.error().message;
    ASSERT_EQ(model->meshes.size(), 2u);  // the line primitive is skipped
    const asset::Mesh& strip = model->meshes[0];
    EXPECT_EQ(strip.indices, (std::vector<uint32_t>{0, 1, 2, 2, 1, 3}));
    EXPECT_EQ(strip.normals[0], glm::vec3(0, 0, 1));
    ASSERT_EQ(strip.colors.size(), 4u);
    EXPECT_EQ(strip.colors[1], glm::vec4(0, 1, 0, 1));  // glTF colours are already linear
    EXPECT_NEAR(strip.colors[3].r, 0.2f, 1e-6f);
    EXPECT_EQ(model->meshes[1].indices, (std::vector<uint32_t>{0, 1, 2, 0, 2, 3}));
    EXPECT_EQ(model->materials.size(), 1u);  // the default one
}

TEST(GltfImport, LinesOnlyIsAnEmptyMesh) {
    std::vector<uint8_t> bin;
    for (float f : {0.f, 0.f, 0.f, 1.f, 0.f, 0.f}) test::append(bin, f);
    const std::string json =
        R"({"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":0},"mode":1}]}],)"
        R"("buffers":[{"byteLength":24}],"bufferViews":[{"buffer":0,"byteLength":24}],)"
        R"("accessors":[{"bufferView":0,"componentType":5126,"count":2,"type":"VEC3","min":[0,0,0],"max":[1,0,0]}]})";
    test::TempDir dir;
    const auto file = dir.write("lines.glb", test::makeGlb(json, bin));
    const Result<asset::Model> model = importScan(file);
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().message, file.string() + ": empty mesh: the file has only points or lines (1 primitives), no triangles");
}

}  // namespace
}  // namespace vt::scan
