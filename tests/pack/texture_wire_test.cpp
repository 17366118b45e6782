// Textures on the wire (format version 3 and later): every mip encoding through the writer and the reader on real
// scan texels, the reader's blocks against block-compressing the same decoded texels, and the size
// checks made before anything is allocated. Corrupt streams behind valid checksums are in
// pack_corruption_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "pack/pack_reader.h"
#include "pack/pack_verify.h"
#include "pack/pack_writer.h"
#include "pack/texture_codec.h"
#include "pack_test_util.h"
#include "texture_wire_util.h"
#include "tools/scan/import.h"

namespace vt::pack {
namespace {

double psnr(std::span<const uint8_t> a, std::span<const uint8_t> b, int channels) {
    double squared = 0.0;
    size_t count = 0;
    for (size_t i = 0; i + 3 < a.size() && i + 3 < b.size(); i += 4)
        for (int c = 0; c < channels; ++c) {
            const double d = double(a[i + c]) - double(b[i + c]);
            squared += d * d;
            ++count;
        }
    const double mse = squared / double(std::max<size_t>(count, 1));
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

TEST(TextureWire, EveryEncodingRoundTripsThroughWriterAndReader) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    for (const MipEncoding encoding : {MipEncoding::Raw, MipEncoding::Zstd, MipEncoding::Jpeg, MipEncoding::Webp}) {
        SCOPED_TRACE(std::string(mipEncodingName(encoding)));
        PackContents contents = test::makeContents(2);
        const std::vector<asset::Image> colourLevels = test::boxChain(real.color), normalLevels = test::boxChain(real.normal);
        contents.textures = {test::encodedTexture(colourLevels, TextureFormat::Bc1Srgb, encoding),
                             test::encodedTexture(normalLevels, TextureFormat::Bc5Unorm, encoding)};
        auto bytes = encodePack(contents);
        ASSERT_TRUE(bytes) << bytes.error().message;
        auto source = memorySource(*bytes);
        auto reader = PackReader::open(*source, "wire.vpk");
        ASSERT_TRUE(reader) << reader.error().message;
        const VerifyReport report = verifyPack(*reader);
        EXPECT_TRUE(report.ok()) << (report.faults.empty() ? "" : report.faults.front());

        std::vector<PackReader::MipRef> all;
        for (uint32_t t = 0; t < 2; ++t) {
            const std::vector<asset::Image>& levels = t == 0 ? colourLevels : normalLevels;
            const TextureInfo& info = reader->textures()[t];
            ASSERT_EQ(info.mipCount, levels.size());
            for (uint32_t m = 0; m < info.mipCount; ++m) {
                all.push_back({t, m});
                const MipInfo& mip = reader->mip(t, m);
                EXPECT_EQ(mip.encoding, encoding);
                EXPECT_EQ(mip.bytes, contents.textures[t].mips[m].size());
                auto blocks = reader->readTextureMip(t, m);
                ASSERT_TRUE(blocks) << blocks.error().message;
                ASSERT_EQ(blocks->size(), mipByteSize(info.format, levels[m].width, levels[m].height));
                const std::vector<uint8_t> direct = compressBlocks(levels[m].rgba, levels[m].width, levels[m].height, info.format);
                if (!isImageEncoding(encoding)) {
                    EXPECT_EQ(*blocks, direct) << "texture " << t << " mip " << m << ": lossless encodings give the blocks back";
                    continue;
                }
                // An image mip: exactly the blocks of its decoded texels (the converter's encoder) ...
                auto texels = decodeMipImage(encoding, contents.textures[t].mips[m], levels[m].width, levels[m].height);
                ASSERT_TRUE(texels) << texels.error().message;
                EXPECT_EQ(*blocks, compressBlocks(texels->rgba, levels[m].width, levels[m].height, info.format))
                    << "texture " << t << " mip " << m;
                // ... and close to the blocks straight from the source texels (q90 on real texels).
                if (m == 0) {
                    const int channels = t == 0 ? 3 : 2;
                    const double quality = psnr(test::decodeBc(*blocks, info.format, levels[m].width, levels[m].height),
                                                test::decodeBc(direct, info.format, levels[m].width, levels[m].height), channels);
                    EXPECT_GT(quality, 30.0) << "texture " << t;
                }
            }
        }
        // The streamer's path: several mips in one call, each decoded to blocks.
        auto many = reader->readTextureMips(*source, all);
        ASSERT_TRUE(many) << many.error().message;
        for (size_t i = 0; i < all.size(); ++i) {
            auto single = reader->readTextureMip(all[i].texture, all[i].level);
            ASSERT_TRUE(single);
            EXPECT_EQ((*many)[i], *single);
        }
    }
}

TEST(TextureWire, ImageEncodingsAreSmallerOnRealTexels) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    const std::vector<uint8_t> blocks = compressBlocks(real.color.rgba, real.color.width, real.color.height, TextureFormat::Bc1Srgb);
    const size_t zstd = encodeZstd(blocks, 19).size();
    const size_t jpeg = encodeJpeg(real.color, {.quality = 90}).size();
    const size_t webp = encodeWebp(real.color, {.quality = 85}).size();
    EXPECT_LT(zstd, blocks.size());
    EXPECT_LT(jpeg, blocks.size() / 2);
    EXPECT_LT(webp, jpeg);
}

TEST(TextureWire, DecodedSizeIsCheckedBeforeAllocating) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    const std::vector<uint8_t> jpeg = encodeJpeg(real.color, {.quality = 80});
    const std::vector<uint8_t> webp = encodeWebp(real.color, {.quality = 80});
    for (const auto& [encoding, stored] : {std::pair{MipEncoding::Jpeg, jpeg}, std::pair{MipEncoding::Webp, webp}}) {
        auto wrong = decodeStoredMip(encoding, stored, TextureFormat::Bc1Srgb, real.color.width / 2, real.color.height);
        ASSERT_FALSE(wrong);
        EXPECT_NE(wrong.error().message.find(std::format("image is {}x{}, the level is {}x{}", real.color.width,
                                                         real.color.height, real.color.width / 2, real.color.height)),
                  std::string::npos)
            << wrong.error().message;
    }
    // A zstd frame whose content is not the level's block count.
    const std::vector<uint8_t> blocks = compressBlocks(real.color.rgba, real.color.width, real.color.height, TextureFormat::Bc1Srgb);
    auto wrong = decodeStoredMip(MipEncoding::Zstd, encodeZstd(blocks, 3), TextureFormat::Bc5Unorm, real.color.width, real.color.height);
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("the zstd frame holds"), std::string::npos) << wrong.error().message;
    // BC7 has no block encoder: an image mip of a BC7 texture is refused.
    EXPECT_FALSE(decodeStoredMip(MipEncoding::Jpeg, jpeg, TextureFormat::Bc7Srgb, real.color.width, real.color.height));
    EXPECT_FALSE(canStore(MipEncoding::Webp, TextureFormat::Bc7Unorm));
    EXPECT_TRUE(canStore(MipEncoding::Zstd, TextureFormat::Bc7Unorm));
}

TEST(TextureWire, WriterRefusesMipsThatDoNotMatchTheirLevel) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    PackContents contents = test::makeContents(2);
    contents.textures = {test::encodedTexture(test::boxChain(real.color), TextureFormat::Bc1Srgb, MipEncoding::Jpeg)};
    contents.materials[1].normalTexture = contents.materials[1].metallicRoughnessTexture = contents.materials[1].occlusionTexture = -1;
    contents.materials[0].normalTexture = -1;
    ASSERT_TRUE(encodePack(contents));
    std::swap(contents.textures[0].mips[0], contents.textures[0].mips[1]);
    auto refused = encodePack(contents);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("texture 0 mip 0 (JPEG): the JPEG image is"), std::string::npos) << refused.error().message;
}

TEST(TextureWire, OlderPacksAreRefusedNamingTheirVersion) {
    auto bytes = encodePack(test::makeContents(2));
    ASSERT_TRUE(bytes);
    std::vector<uint8_t> old = *bytes;
    old[4] = 3;  // format version 3: geometry in meshoptimizer's codecs
    test::fixHeaderChecksum(old);
    auto source = memorySource(old);
    auto reader = PackReader::open(*source, "old.vpk");
    ASSERT_FALSE(reader);
    EXPECT_NE(reader.error().message.find("old.vpk: byte 4: pack format version 3 is older than this reader's version 4"),
              std::string::npos)
        << reader.error().message;
    EXPECT_NE(reader.error().message.find("vitrine import-scan"), std::string::npos) << reader.error().message;
}

}  // namespace
}  // namespace vt::pack
