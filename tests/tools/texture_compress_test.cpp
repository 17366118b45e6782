// Block compression of real scan textures: quality, mip chains and format choice.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <string>

#include <unistd.h>

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
    EXPECT_EQ(texture.format, pack::TextureFormat::Bc3Srgb) << "alpha below 255 needs BC3";
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
    EXPECT_EQ(texture.format, pack::TextureFormat::Bc1Srgb);
    EXPECT_EQ(texture.width, 32u);
    EXPECT_EQ(texture.mips.size(), 6u);
    EXPECT_EQ(texture.mips[0].size(), 8u * 8u * 8u);
}

TEST(TextureCompress, RealScanTexturesKeepTheirDetail) {
    const auto path = kCorpus / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
    if (!std::filesystem::exists(path)) FAIL() << "corpus not found at " << kCorpus;
    auto model = scan::importScan(path);
    ASSERT_TRUE(model) << model.error().message;
    const asset::Material& material = model->materials.at(0);
    ASSERT_GE(material.baseColorTexture, 0);
    ASSERT_GE(material.normalTexture, 0);
    // Base colour: BC1 on a 2048² photogrammetry texture, measured at 512² to keep the test quick.
    const asset::Image& base = model->images[size_t(material.baseColorTexture)];
    const CompressedTexture colour = compressTexture(base, TextureUsage::Color, 512);
    EXPECT_EQ(colour.format, pack::TextureFormat::Bc1Srgb);
    EXPECT_EQ(colour.mips.size(), 10u);
    const CompressedTexture again = compressTexture(base, TextureUsage::Color, 512);
    EXPECT_EQ(colour.mips, again.mips) << "compression must be deterministic";
    EXPECT_EQ(decodeMip(colour, 0).width, 512u);
    // Normal map: BC5 keeps the directions within a few degrees on average.
    const asset::Image& normals = model->images[size_t(material.normalTexture)];
    const CompressedTexture normalTexture = compressTexture(normals, TextureUsage::Normal, 256);
    EXPECT_EQ(normalTexture.format, pack::TextureFormat::Bc5Unorm);
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

// A DDS file of mip 0 with a legacy FourCC (DXT1, DXT5, ATI2), which every DDS reader knows.
std::vector<uint8_t> ddsOf(const CompressedTexture& texture) {
    const char* fourCC = texture.format == pack::TextureFormat::Bc5Unorm ? "ATI2"
                         : (texture.format == pack::TextureFormat::Bc3Srgb || texture.format == pack::TextureFormat::Bc3Unorm) ? "DXT5"
                                                                                                                : "DXT1";
    uint32_t header[32] = {};
    header[0] = 0x20534444;  // "DDS "
    header[1] = 124;         // header size
    header[2] = 0x1 | 0x2 | 0x4 | 0x1000 | 0x80000;  // caps, height, width, pixel format, linear size
    header[3] = texture.height;
    header[4] = texture.width;
    header[5] = uint32_t(texture.mips.at(0).size());
    header[7] = 1;           // one mip level
    header[19] = 32;         // pixel format size
    header[20] = 0x4;        // DDPF_FOURCC
    std::memcpy(&header[21], fourCC, 4);
    header[27] = 0x1000;     // DDSCAPS_TEXTURE
    std::vector<uint8_t> bytes(sizeof header);
    std::memcpy(bytes.data(), header, sizeof header);
    bytes.insert(bytes.end(), texture.mips[0].begin(), texture.mips[0].end());
    return bytes;
}

// Mip 0 decoded by Pillow (tests/tools/dds_decode.py), not by our decodeMip.
asset::Image decodeIndependently(const CompressedTexture& texture, const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vitrine-dds-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path dds = dir / (name + ".dds"), raw = dir / (name + ".rgba");
    const std::vector<uint8_t> bytes = ddsOf(texture);
    std::ofstream(dds, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    const std::string command = std::string("python3 '") + VITRINE_DDS_DECODER + "' '" + dds.string() + "' '" + raw.string() + "'";
    asset::Image image{name, texture.width, texture.height, {}};
    const int status = std::system(command.c_str());
    std::ifstream in(raw, std::ios::binary);
    image.rgba.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::filesystem::remove_all(dir);
    EXPECT_EQ(status, 0) << command;
    EXPECT_EQ(image.rgba.size(), size_t(texture.width) * texture.height * 4) << "Pillow's decode of " << name;
    return image;
}

asset::Image crop(const asset::Image& image, uint32_t x0, uint32_t y0, uint32_t size) {
    asset::Image out{image.name, size, size, std::vector<uint8_t>(size_t(size) * size * 4)};
    for (uint32_t y = 0; y < size; ++y)
        std::memcpy(&out.rgba[size_t(y) * size * 4], &image.rgba[(size_t(y0 + y) * image.width + x0) * 4], size_t(size) * 4);
    return out;
}

// Quality measured through a decoder that is not ours: a bug shared by our encoder and our decoder
// (a swapped endpoint order, a wrong palette rule) would pass the tests above but fail here.
TEST(TextureCompress, AnIndependentDecoderSeesTheQuality) {
    // BC3 with alpha, at full size (no resampling, so the source is the reference).
    const asset::Image checker = checkerWithAlpha(64);
    const CompressedTexture bc3 = compressTexture(checker, TextureUsage::Color);
    ASSERT_EQ(bc3.format, pack::TextureFormat::Bc3Srgb);
    const asset::Image bc3Decoded = decodeIndependently(bc3, "checker_bc3");
    if (HasFailure()) return;
    EXPECT_GT(psnr(checker, bc3Decoded, 4), 28.0) << "BC3 colour and alpha, decoded by Pillow";
    EXPECT_GT(psnr(decodeMip(bc3, 0), bc3Decoded, 4), 45.0) << "our decoder and Pillow's disagree on BC3";

    const auto path = kCorpus / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
    if (!std::filesystem::exists(path)) FAIL() << "corpus not found at " << kCorpus;
    auto model = scan::importScan(path);
    ASSERT_TRUE(model) << model.error().message;
    const asset::Material& material = model->materials.at(0);
    // BC1 on a 512² crop of the 2048² photogrammetry colour texture (a real photo, full resolution).
    const asset::Image& base = model->images.at(size_t(material.baseColorTexture));
    const asset::Image photo = crop(base, base.width / 2 - 256, base.height / 2 - 256, 512);
    const CompressedTexture bc1 = compressTexture(photo, TextureUsage::Color);
    ASSERT_EQ(bc1.format, pack::TextureFormat::Bc1Srgb);
    const asset::Image bc1Decoded = decodeIndependently(bc1, "saxophone_bc1");
    if (HasFailure()) return;
    const double bc1Psnr = psnr(photo, bc1Decoded, 3);
    std::printf("[texture] saxophone colour 512² crop: BC1 PSNR %.2f dB (decoded by Pillow)\n", bc1Psnr);
    EXPECT_GT(bc1Psnr, 30.0) << "BC1 colour quality on a real scan texture, decoded by Pillow";
    EXPECT_GT(psnr(decodeMip(bc1, 0), bc1Decoded, 3), 45.0) << "our decoder and Pillow's disagree on BC1";
    // The check can fail: the same blocks with their two endpoints swapped (a classic encoder bug,
    // which a decoder with the mirror bug would hide) fall far below the bound.
    CompressedTexture swapped = bc1;
    for (size_t block = 0; block + 8 <= swapped.mips[0].size(); block += 8)
        std::swap_ranges(&swapped.mips[0][block], &swapped.mips[0][block + 2], &swapped.mips[0][block + 2]);
    EXPECT_LT(psnr(photo, decodeIndependently(swapped, "saxophone_bc1_swapped"), 3), 25.0);

    // BC5 on a 256² crop of the normal map: X and Y as Pillow decodes them.
    const asset::Image& normals = model->images.at(size_t(material.normalTexture));
    const asset::Image normalCrop = crop(normals, normals.width / 2 - 128, normals.height / 2 - 128, 256);
    const CompressedTexture bc5 = compressTexture(normalCrop, TextureUsage::Normal);
    ASSERT_EQ(bc5.format, pack::TextureFormat::Bc5Unorm);
    const asset::Image bc5Decoded = decodeIndependently(bc5, "saxophone_bc5");
    if (HasFailure()) return;
    const double bc5Psnr = psnr(normalCrop, bc5Decoded, 2);
    std::printf("[texture] saxophone normals 256² crop: BC5 X/Y PSNR %.2f dB (decoded by Pillow)\n", bc5Psnr);
    EXPECT_GT(bc5Psnr, 34.0) << "BC5 normal X/Y quality, decoded by Pillow";
}

}  // namespace
}  // namespace vt::texture
