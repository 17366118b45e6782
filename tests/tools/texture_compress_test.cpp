// Block compression of real scan textures: quality, mip chains and format choice.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "texture_compress.h"
#include "tools/scan/import.h"

namespace vt::texture {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;

double psnr(const asset::Image& a, const asset::Image& b, int channels) {
    double squared = 0.0;
    size_t count = 0;
    for (size_t i = 0; i < a.rgba.size(); i += 4)
        for (int c = 0; c < channels; ++c) {
            const double d = double(a.rgba[i + c]) - double(b.rgba[i + c]);
            squared += d * d;
            ++count;
        }
    const double mse = squared / double(count);
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

asset::Image checkerWithAlpha(uint32_t size) {
    asset::Image image{"checker", size, size, std::vector<uint8_t>(size_t(size) * size * 4)};
    for (uint32_t y = 0; y < size; ++y)
        for (uint32_t x = 0; x < size; ++x) {
            uint8_t* p = &image.rgba[(size_t(y) * size + x) * 4];
            const bool on = ((x / 8) + (y / 8)) % 2 == 0;
            p[0] = on ? 230 : 20;
            p[1] = uint8_t(x * 255 / size);
            p[2] = uint8_t(y * 255 / size);
            p[3] = x < size / 2 ? 255 : 64;
        }
    return image;
}

TEST(TextureCompress, FullMipChainWithBlockSizes) {
    const asset::Image image = checkerWithAlpha(20);  // not a power of two, not a multiple of 4
    const CompressedTexture texture = compressTexture(image, TextureUsage::Color);
    EXPECT_EQ(texture.format, BlockFormat::Bc3Srgb) << "alpha below 255 needs BC3";
    ASSERT_EQ(texture.mips.size(), 5u);  // 20, 10, 5, 2, 1
    EXPECT_EQ(texture.mips[0].size(), 5u * 5u * 16u);
    EXPECT_EQ(texture.mips[2].size(), 2u * 2u * 16u);
    EXPECT_EQ(texture.mips[4].size(), 16u);
    const asset::Image decoded = decodeMip(texture, 0);
    EXPECT_GT(psnr(image, decoded, 4), 28.0);
}

TEST(TextureCompress, OpaqueColourIsBc1AndMaxSizeCaps) {
    asset::Image image = checkerWithAlpha(64);
    for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
    const CompressedTexture texture = compressTexture(image, TextureUsage::Color, 32);
    EXPECT_EQ(texture.format, BlockFormat::Bc1Srgb);
    EXPECT_EQ(texture.width, 32u);
    EXPECT_EQ(texture.mips.size(), 6u);
    EXPECT_EQ(texture.mips[0].size(), 8u * 8u * 8u);
}

TEST(TextureCompress, RealScanTexturesKeepTheirDetail) {
    const auto path = kCorpus / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found at " << kCorpus;
    auto model = scan::importScan(path);
    ASSERT_TRUE(model) << model.error().message;
    const asset::Material& material = model->materials.at(0);
    ASSERT_GE(material.baseColorTexture, 0);
    ASSERT_GE(material.normalTexture, 0);
    // Base colour: BC1 on a 2048² photogrammetry texture, measured at 512² to keep the test quick.
    const asset::Image& base = model->images[size_t(material.baseColorTexture)];
    const CompressedTexture colour = compressTexture(base, TextureUsage::Color, 512);
    EXPECT_EQ(colour.format, BlockFormat::Bc1Srgb);
    EXPECT_EQ(colour.mips.size(), 10u);
    const CompressedTexture again = compressTexture(base, TextureUsage::Color, 512);
    EXPECT_EQ(colour.mips, again.mips) << "compression must be deterministic";
    EXPECT_EQ(decodeMip(colour, 0).width, 512u);
    // Normal map: BC5 keeps the directions within a few degrees on average.
    const asset::Image& normals = model->images[size_t(material.normalTexture)];
    const CompressedTexture normalTexture = compressTexture(normals, TextureUsage::Normal, 256);
    EXPECT_EQ(normalTexture.format, BlockFormat::Bc5Unorm);
    const asset::Image decoded = decodeMip(normalTexture, 0);
    double angleSum = 0.0;
    size_t count = 0;
    // Compare against the 2048² source at the centre of each 8x8 footprint of a 256² texel.
    for (uint32_t y = 0; y < decoded.height; y += 4)
        for (uint32_t x = 0; x < decoded.width; x += 4) {
            const uint8_t* d = &decoded.rgba[(size_t(y) * decoded.width + x) * 4];
            const uint8_t* s = &normals.rgba[(size_t(y * 8 + 4) * normals.width + x * 8 + 4) * 4];
            glm::vec3 a(d[0] / 127.5f - 1, d[1] / 127.5f - 1, d[2] / 127.5f - 1);
            glm::vec3 b(s[0] / 127.5f - 1, s[1] / 127.5f - 1, s[2] / 127.5f - 1);
            if (glm::length(a) < 0.5f || glm::length(b) < 0.5f) continue;
            angleSum += std::acos(glm::clamp(glm::dot(glm::normalize(a), glm::normalize(b)), -1.0f, 1.0f));
            ++count;
        }
    ASSERT_GT(count, 100u);
    EXPECT_LT(glm::degrees(angleSum / double(count)), 12.0) << "mean normal direction error";
}

}  // namespace
}  // namespace vt::texture
