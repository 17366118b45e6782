#include "texture_wire_util.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <xxhash.h>

#include "texture_compress.h"
#include "tools/scan/import.h"

namespace vt::pack::test {
namespace {

asset::Image crop(const asset::Image& image, uint32_t size) {
    asset::Image out{image.name, size, size, std::vector<uint8_t>(size_t{size} * size * 4)};
    const uint32_t x0 = (image.width - size) / 2, y0 = (image.height - size) / 2;
    for (uint32_t y = 0; y < size; ++y)
        std::memcpy(&out.rgba[size_t{y} * size * 4], &image.rgba[(size_t{y0 + y} * image.width + x0) * 4], size_t{size} * 4);
    return out;
}

}  // namespace

const RealTexels& realTexels() {
    static const RealTexels texels = [] {
        RealTexels result;
        const std::filesystem::path path =
            std::filesystem::path(VITRINE_CORPUS_DIR) / "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
        auto model = scan::importScan(path);
        if (!model) {
            result.error = model.error().message;
            return result;
        }
        const asset::Material& material = model->materials.at(0);
        if (material.baseColorTexture < 0 || material.normalTexture < 0) {
            result.error = "the saxophone has no base colour or normal texture";
            return result;
        }
        result.color = crop(model->images[size_t(material.baseColorTexture)], 256);
        result.normal = crop(model->images[size_t(material.normalTexture)], 256);
        return result;
    }();
    return texels;
}

std::vector<asset::Image> boxChain(const asset::Image& top) {
    std::vector<asset::Image> levels{top};
    while (levels.back().width > 1 || levels.back().height > 1) {
        const asset::Image& source = levels.back();
        asset::Image half{"", std::max(1u, source.width / 2), std::max(1u, source.height / 2), {}};
        half.rgba.resize(size_t{half.width} * half.height * 4);
        for (uint32_t y = 0; y < half.height; ++y)
            for (uint32_t x = 0; x < half.width; ++x)
                for (int c = 0; c < 4; ++c) {
                    int sum = 0;
                    for (uint32_t dy = 0; dy < 2; ++dy)
                        for (uint32_t dx = 0; dx < 2; ++dx) {
                            const uint32_t sx = std::min(source.width - 1, x * 2 + dx), sy = std::min(source.height - 1, y * 2 + dy);
                            sum += source.rgba[(size_t{sy} * source.width + sx) * 4 + c];
                        }
                    half.rgba[(size_t{y} * half.width + x) * 4 + c] = uint8_t((sum + 2) / 4);
                }
        levels.push_back(std::move(half));
    }
    return levels;
}

PackTexture encodedTexture(const std::vector<asset::Image>& levels, TextureFormat format, MipEncoding encoding) {
    PackTexture texture{format, levels[0].width, levels[0].height, {}, {}};
    for (const asset::Image& level : levels) {
        std::vector<uint8_t> blocks = compressBlocks(level.rgba, level.width, level.height, format);
        switch (encoding) {
            case MipEncoding::Raw: texture.mips.push_back(std::move(blocks)); break;
            case MipEncoding::Zstd: texture.mips.push_back(encodeZstd(blocks, 19)); break;
            case MipEncoding::Jpeg:
                texture.mips.push_back(encodeJpeg(level, {.quality = 90, .subsampleChroma = format != TextureFormat::Bc5Unorm,
                                                          .separateChannels = format == TextureFormat::Bc5Unorm}));
                break;
            case MipEncoding::Webp: texture.mips.push_back(encodeWebp(level, {.quality = 90})); break;
        }
        texture.encodings.push_back(encoding);
    }
    return texture;
}

std::vector<uint8_t> decodeBc(std::span<const uint8_t> blocks, TextureFormat format, uint32_t width, uint32_t height) {
    texture::CompressedTexture texture;
    texture.format = format;
    texture.width = width;
    texture.height = height;
    texture.mips.emplace_back(blocks.begin(), blocks.end());
    return texture::decodeMip(texture, 0).rgba;
}

void fixHeaderChecksum(std::vector<uint8_t>& pack) {
    const uint64_t checksum = XXH3_64bits(pack.data(), kHeaderBytes - 8);
    std::memcpy(pack.data() + kHeaderBytes - 8, &checksum, 8);
}

}  // namespace vt::pack::test
