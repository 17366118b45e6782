#include <gtest/gtest.h>

#include "model_wire.h"

namespace vt::scan {
namespace {

asset::Model sampleModel() {
    asset::Model model;
    model.source = "sample.glb";
    asset::Mesh mesh;
    mesh.name = "m";
    mesh.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    mesh.normals = {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}};
    mesh.texcoords = {{0, 0}, {1, 0}, {0, 1}};
    mesh.colors = {glm::vec4(1), glm::vec4(0.5f), glm::vec4(0)};
    mesh.indices = {0, 1, 2};
    mesh.material = 0;
    model.meshes.push_back(mesh);
    model.materials.push_back({.name = "mat", .alphaMode = asset::AlphaMode::Blend, .doubleSided = true, .baseColorTexture = 0});
    model.images.push_back({"tex.png", 2, 1, {1, 2, 3, 4, 5, 6, 7, 8}});
    return model;
}

TEST(ModelWire, RoundTrips) {
    const std::vector<uint8_t> bytes = encodeModelResult(sampleModel());
    const auto decoded = decodeModelResult(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_TRUE(*decoded);
    const asset::Model& model = **decoded;
    EXPECT_EQ(model.source, "sample.glb");
    EXPECT_EQ(model.meshes.at(0).colors[1], glm::vec4(0.5f));
    EXPECT_EQ(model.meshes.at(0).texcoords[2], glm::vec2(0, 1));
    EXPECT_EQ(model.materials.at(0).alphaMode, asset::AlphaMode::Blend);
    EXPECT_TRUE(model.materials.at(0).doubleSided);
    EXPECT_EQ(model.images.at(0).rgba[7], 8);
}

TEST(ModelWire, CarriesErrors) {
    const auto decoded = decodeModelResult(encodeModelResult(fail("x.obj: broken")));
    ASSERT_TRUE(decoded);
    ASSERT_FALSE(*decoded);
    EXPECT_EQ(decoded->error().message, "x.obj: broken");
}

TEST(ModelWire, RejectsEveryTruncationAndSurvivesCorruption) {
    const std::vector<uint8_t> bytes = encodeModelResult(sampleModel());
    for (size_t length = 0; length < bytes.size(); ++length)
        EXPECT_FALSE(decodeModelResult(std::span(bytes.data(), length))) << "length " << length;
    for (size_t i = 0; i < bytes.size(); ++i) {
        for (uint8_t value : {uint8_t(0), uint8_t(0xFF), uint8_t(bytes[i] ^ 0x80)}) {
            std::vector<uint8_t> corrupt = bytes;
            corrupt[i] = value;
            (void)decodeModelResult(corrupt);  // a value or an error; never a crash or a huge allocation
        }
    }
}

}  // namespace
}  // namespace vt::scan
