// The converter's wire encoding of real scan textures (tools/pack/texture_compress.h encodeTexture):
// the reader's blocks are the converter's blocks of texels decoded by an independent decoder (Pillow),
// and a scan's own JPEG travels without a second generation of loss.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "pack/texture_codec.h"
#include "texture_compress.h"
#include "tools/scan/import.h"

namespace vt::texture {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;

double psnr(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int channels) {
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

const asset::Model& saxophone() {
    static const asset::Model model = [] {
        auto imported = scan::importScan(kCorpus / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb");
        return imported ? std::move(*imported) : asset::Model{};
    }();
    return model;
}

// A stored image decoded by Pillow (tests/tools/dds_decode.py opens any format Pillow knows).
std::vector<uint8_t> decodeWithPillow(std::span<const uint8_t> stored, const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vitrine-wire-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path file = dir / name, raw = dir / (name + ".rgba");
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(stored.data()), std::streamsize(stored.size()));
    const std::string command = std::string("python3 '") + VITRINE_DDS_DECODER + "' '" + file.string() + "' '" + raw.string() + "' >/dev/null";
    const int status = std::system(command.c_str());
    std::ifstream in(raw, std::ios::binary);
    std::vector<uint8_t> rgba((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove_all(dir);
    EXPECT_EQ(status, 0) << command;
    return rgba;
}

// The reader (decodeStoredMip, what PackReader::readTextureMips runs) gives exactly the blocks the
// converter's encoder makes from the texels an independent decoder sees in the same stored image.
TEST(TextureWire, ReaderBlocksAreTheConvertersBlocksOfIndependentlyDecodedTexels) {
    const asset::Model& model = saxophone();
    ASSERT_FALSE(model.materials.empty()) << "corpus not found at " << kCorpus;
    const asset::Material& material = model.materials[0];
    struct Case {
        int32_t image;
        TextureUsage usage;
        uint32_t maxSize;  // 512: WebP (a scaled image has no source JPEG); 0: the source JPEG where kept
    };
    for (const Case& c : {Case{material.baseColorTexture, TextureUsage::Color, 512}, Case{material.normalTexture, TextureUsage::Normal, 512},
                          Case{material.occlusionTexture, TextureUsage::Data, 0}}) {
        const asset::Image& image = model.images.at(size_t(c.image));
        const pack::PackTexture texture = encodeTexture(image, c.usage, c.maxSize);
        const pack::MipEncoding encoding = texture.encodings[0];
        SCOPED_TRACE(image.name + " as " + std::string(pack::mipEncodingName(encoding)));
        ASSERT_TRUE(pack::isImageEncoding(encoding));
        auto blocks = pack::decodeStoredMip(encoding, texture.mips[0], texture.format, texture.width, texture.height);
        ASSERT_TRUE(blocks) << blocks.error().message;
        auto ours = pack::decodeMipImage(encoding, texture.mips[0], texture.width, texture.height);
        ASSERT_TRUE(ours);
        const std::vector<uint8_t> pillow =
            decodeWithPillow(texture.mips[0], encoding == pack::MipEncoding::Jpeg ? "level0.jpg" : "level0.webp");
        ASSERT_EQ(pillow.size(), ours->rgba.size());
        // Pillow uses the same libjpeg-turbo and libwebp with their default (exact) settings: the same texels.
        EXPECT_EQ(pillow, ours->rgba) << "PSNR " << psnr(pillow, ours->rgba, 3) << " dB";
        EXPECT_EQ(*blocks, pack::compressBlocks(pillow, texture.width, texture.height, texture.format));
    }
}

// The occlusion map's JPEG (515 KB, greyscale) is smaller than what WebP makes of its texels: kept,
// rewritten without loss, it decodes to the importer's texels up to the two decoders' rounding.
TEST(TextureWire, SourceJpegIsKeptWithoutASecondGenerationOfLoss) {
    const asset::Model& model = saxophone();
    ASSERT_FALSE(model.materials.empty()) << "corpus not found at " << kCorpus;
    const asset::Image& image = model.images.at(size_t(model.materials[0].occlusionTexture));
    ASSERT_FALSE(image.jpeg.empty()) << "the importer keeps a JPEG's bytes";
    const pack::PackTexture texture = encodeTexture(image, TextureUsage::Data);
    ASSERT_EQ(texture.encodings[0], pack::MipEncoding::Jpeg);
    EXPECT_LE(texture.mips[0].size(), image.jpeg.size()) << "optimized Huffman tables, no metadata";
    EXPECT_EQ(texture.encodings[1], pack::MipEncoding::Webp) << "the smaller levels are the converter's own";
    auto texels = pack::decodeMipImage(pack::MipEncoding::Jpeg, texture.mips[0], image.width, image.height);
    ASSERT_TRUE(texels) << texels.error().message;
    // stb_image (the importer) and libjpeg-turbo differ only in IDCT and chroma upsampling rounding.
    EXPECT_GT(psnr(texels->rgba, image.rgba, 3), 45.0);

    // Never kept when the options say so, or when it would not decode as a stored mip.
    WireOptions noSource;
    noSource.data.sourceJpegSlack = 0.0f;
    EXPECT_EQ(encodeTexture(image, TextureUsage::Data, 0, noSource).encodings[0], pack::MipEncoding::Webp);
    asset::Image damaged = image;
    damaged.jpeg.resize(damaged.jpeg.size() / 2);
    EXPECT_FALSE(pack::transcodeJpeg(damaged.jpeg));
    EXPECT_EQ(encodeTexture(damaged, TextureUsage::Data).encodings[0], pack::MipEncoding::Webp);
}

}  // namespace
}  // namespace vt::texture
