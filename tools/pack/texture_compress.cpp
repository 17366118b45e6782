#include "texture_compress.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/check.h"
#include "pack/texture_codec.h"

namespace vt::texture {

namespace {

// sRGB <-> linear through a table for decode and the exact curve for encode.
const std::array<float, 256>& srgbToLinearTable() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const float c = float(i) / 255.0f;
            t[i] = c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
        }
        return t;
    }();
    return table;
}

uint8_t linearToSrgb(float linear) {
    const float c = linear <= 0.0031308f ? linear * 12.92f : 1.055f * std::pow(linear, 1.0f / 2.4f) - 0.055f;
    return uint8_t(std::clamp(std::lround(c * 255.0f), 0l, 255l));
}

// Halves an RGBA8 image (odd sizes round down, never below 1). sRGB colour channels are averaged in
// linear light; alpha and data channels as they are.
asset::Image downsample(const asset::Image& source, bool srgb) {
    asset::Image result;
    result.width = std::max(1u, source.width / 2);
    result.height = std::max(1u, source.height / 2);
    result.rgba.resize(size_t(result.width) * result.height * 4);
    const auto& toLinear = srgbToLinearTable();
    for (uint32_t y = 0; y < result.height; ++y) {
        for (uint32_t x = 0; x < result.width; ++x) {
            float sum[4] = {0, 0, 0, 0};
            int count = 0;
            for (uint32_t dy = 0; dy < 2; ++dy)
                for (uint32_t dx = 0; dx < 2; ++dx) {
                    const uint32_t sx = std::min(source.width - 1, x * 2 + dx);
                    const uint32_t sy = std::min(source.height - 1, y * 2 + dy);
                    const uint8_t* p = &source.rgba[(size_t(sy) * source.width + sx) * 4];
                    for (int c = 0; c < 4; ++c) sum[c] += (srgb && c < 3) ? toLinear[p[c]] : float(p[c]);
                    ++count;
                }
            uint8_t* out = &result.rgba[(size_t(y) * result.width + x) * 4];
            for (int c = 0; c < 4; ++c) {
                const float mean = sum[c] / float(count);
                out[c] = (srgb && c < 3) ? linearToSrgb(mean) : uint8_t(std::clamp(std::lround(mean), 0l, 255l));
            }
        }
    }
    return result;
}

// Normal maps: renormalize after averaging so shorter vectors do not darken distant shading.
void renormalize(asset::Image& image) {
    for (size_t i = 0; i < image.rgba.size(); i += 4) {
        float v[3];
        for (int c = 0; c < 3; ++c) v[c] = image.rgba[i + c] / 127.5f - 1.0f;
        const float length = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (length < 1e-4f) continue;
        for (int c = 0; c < 3; ++c)
            image.rgba[i + c] = uint8_t(std::clamp(std::lround((v[c] / length + 1.0f) * 127.5f), 0l, 255l));
    }
}

// Bytes of one 4x4 block: the pack's own size table (one 4x4 mip).
size_t bytesPerBlock(pack::TextureFormat format) { return size_t(pack::mipByteSize(format, 4, 4)); }

void decodeColorBlock(const uint8_t* block, uint8_t out[16][4], bool bc1Alpha) {
    const uint16_t c0 = uint16_t(block[0] | block[1] << 8), c1 = uint16_t(block[2] | block[3] << 8);
    uint8_t palette[4][4];
    auto expand = [](uint16_t c, uint8_t* p) {
        p[0] = uint8_t(((c >> 11) & 31) * 255 / 31);
        p[1] = uint8_t(((c >> 5) & 63) * 255 / 63);
        p[2] = uint8_t((c & 31) * 255 / 31);
        p[3] = 255;
    };
    expand(c0, palette[0]);
    expand(c1, palette[1]);
    const bool fourColor = !bc1Alpha || c0 > c1;
    for (int c = 0; c < 3; ++c) {
        if (fourColor) {
            palette[2][c] = uint8_t((2 * palette[0][c] + palette[1][c]) / 3);
            palette[3][c] = uint8_t((palette[0][c] + 2 * palette[1][c]) / 3);
        } else {
            palette[2][c] = uint8_t((palette[0][c] + palette[1][c]) / 2);
            palette[3][c] = 0;
        }
    }
    palette[2][3] = 255;
    palette[3][3] = fourColor ? 255 : 0;
    const uint32_t bits = uint32_t(block[4]) | uint32_t(block[5]) << 8 | uint32_t(block[6]) << 16 | uint32_t(block[7]) << 24;
    for (int i = 0; i < 16; ++i) std::memcpy(out[i], palette[(bits >> (2 * i)) & 3], 4);
}

void decodeAlphaBlock(const uint8_t* block, uint8_t out[16]) {
    const int a0 = block[0], a1 = block[1];
    int palette[8] = {a0, a1};
    if (a0 > a1)
        for (int i = 1; i < 7; ++i) palette[i + 1] = ((7 - i) * a0 + i * a1) / 7;
    else {
        for (int i = 1; i < 5; ++i) palette[i + 1] = ((5 - i) * a0 + i * a1) / 5;
        palette[6] = 0;
        palette[7] = 255;
    }
    uint64_t bits = 0;
    for (int i = 0; i < 6; ++i) bits |= uint64_t(block[2 + i]) << (8 * i);
    for (int i = 0; i < 16; ++i) out[i] = uint8_t(palette[(bits >> (3 * i)) & 7]);
}

}  // namespace

pack::TextureFormat chooseFormat(const asset::Image& image, TextureUsage usage) {
    switch (usage) {
        case TextureUsage::Color: {
            bool opaque = true;
            for (size_t i = 3; i < image.rgba.size() && opaque; i += 4) opaque = image.rgba[i] == 255;
            return opaque ? pack::TextureFormat::Bc1Srgb : pack::TextureFormat::Bc3Srgb;
        }
        case TextureUsage::Data: return pack::TextureFormat::Bc1Unorm;
        case TextureUsage::Normal: return pack::TextureFormat::Bc5Unorm;
    }
    return pack::TextureFormat::Bc1Srgb;
}

std::vector<asset::Image> mipChain(const asset::Image& image, TextureUsage usage, uint32_t maxSize) {
    const bool srgb = pack::isSrgb(chooseFormat(image, usage));
    std::vector<asset::Image> levels;
    asset::Image level = image;
    while (maxSize > 0 && std::max(level.width, level.height) > maxSize) level = downsample(level, srgb);
    while (true) {
        const bool last = level.width == 1 && level.height == 1;
        asset::Image next = last ? asset::Image{} : downsample(level, srgb);
        if (!last && usage == TextureUsage::Normal) renormalize(next);
        levels.push_back(std::move(level));
        if (last) break;
        level = std::move(next);
    }
    return levels;
}

CompressedTexture compressTexture(const asset::Image& image, TextureUsage usage, uint32_t maxSize) {
    CompressedTexture result;
    result.format = chooseFormat(image, usage);
    for (const asset::Image& level : mipChain(image, usage, maxSize)) {
        if (result.mips.empty()) result.width = level.width, result.height = level.height;
        result.mips.push_back(pack::compressBlocks(level.rgba, level.width, level.height, result.format));
    }
    return result;
}

const WireChoice& WireOptions::choiceFor(TextureUsage usage) const {
    switch (usage) {
        case TextureUsage::Color: return color;
        case TextureUsage::Data: return data;
        case TextureUsage::Normal: return normal;
    }
    return color;
}

std::vector<uint8_t> encodeLevel(const asset::Image& level, pack::TextureFormat format, WireChoice choice, int zstdLevel,
                                 pack::MipEncoding& encoding) {
    // Above this many block bytes lossy WebP is a fraction of zstd over the blocks on every measured
    // texture (docs/bench-texture-2026-12-03.md: level 0 at 0.05-0.31 of the raw blocks, zstd at
    // 0.17-0.83), so large levels skip block compression and zstd 19 (most of the conversion time).
    constexpr uint64_t kWebpOnlyBlockBytes = 64 * 1024;
    const bool alpha = format == pack::TextureFormat::Bc3Srgb || format == pack::TextureFormat::Bc3Unorm;
    const bool webpFits = std::max(level.width, level.height) <= 16383;
    if (choice.codec == WireCodec::Webp && webpFits && pack::mipByteSize(format, level.width, level.height) > kWebpOnlyBlockBytes) {
        encoding = pack::MipEncoding::Webp;
        return pack::encodeWebp(level, {.quality = float(choice.quality)});
    }
    std::vector<uint8_t> blocks = pack::compressBlocks(level.rgba, level.width, level.height, format);
    encoding = pack::MipEncoding::Raw;
    if (choice.codec == WireCodec::Raw) return blocks;
    // zstd when it saves anything (it always does on real textures; a tiny mip may not shrink).
    std::vector<uint8_t> best = pack::encodeZstd(blocks, zstdLevel);
    if (best.size() < blocks.size()) {
        encoding = pack::MipEncoding::Zstd;
    } else {
        best = std::move(blocks);
    }
    // JPEG has no alpha, and WebP no images over 16383 texels a side: those levels stay blocks.
    std::vector<uint8_t> image;
    pack::MipEncoding imageEncoding = pack::MipEncoding::Jpeg;
    switch (choice.codec) {
        case WireCodec::Raw:
        case WireCodec::Zstd: return best;
        case WireCodec::JpegColor:
        case WireCodec::JpegChannels:
            if (alpha) return best;
            image = pack::encodeJpeg(level, {.quality = choice.quality,
                                             .subsampleChroma = choice.codec == WireCodec::JpegColor,
                                             .separateChannels = choice.codec == WireCodec::JpegChannels});
            break;
        case WireCodec::Webp:
        case WireCodec::WebpLossless:
            if (!webpFits) return best;
            image = pack::encodeWebp(level, {.quality = float(choice.quality), .lossless = choice.codec == WireCodec::WebpLossless});
            imageEncoding = pack::MipEncoding::Webp;
            break;
    }
    // The small levels: an image's headers outweigh its texels there, and zstd over the blocks is exact.
    if (image.size() < best.size()) {
        encoding = imageEncoding;
        return image;
    }
    return best;
}

pack::PackTexture encodeTexture(const asset::Image& image, TextureUsage usage, uint32_t maxSize, const WireOptions& wire) {
    pack::PackTexture result;
    result.format = chooseFormat(image, usage);
    for (const asset::Image& level : mipChain(image, usage, maxSize)) {
        if (result.mips.empty()) result.width = level.width, result.height = level.height;
        pack::MipEncoding encoding = pack::MipEncoding::Raw;
        result.mips.push_back(encodeLevel(level, result.format, wire.choiceFor(usage), wire.zstdLevel, encoding));
        result.encodings.push_back(encoding);
    }
    // Level 0 of a JPEG source at its own size: the source's stream, rewritten without loss, unless it
    // is much larger than the level as encoded above. (A JPEG has no alpha, so the format is BC1 or BC5.)
    const bool sourceSize = result.width == image.width && result.height == image.height;
    const float slack = wire.choiceFor(usage).sourceJpegSlack;
    if (slack > 0.0f && sourceSize && !image.jpeg.empty() && result.encodings[0] != pack::MipEncoding::Raw &&
        pack::canStore(pack::MipEncoding::Jpeg, result.format)) {
        auto source = pack::transcodeJpeg(image.jpeg);
        if (source && double(source->size()) <= double(slack) * double(result.mips[0].size()) &&
            pack::checkStoredMip(pack::MipEncoding::Jpeg, *source, result.format, result.width, result.height)) {
            result.mips[0] = std::move(*source);
            result.encodings[0] = pack::MipEncoding::Jpeg;
        }
    }
    return result;
}

asset::Image decodeMip(const CompressedTexture& texture, uint32_t mip) {
    asset::Image image;
    image.width = std::max(1u, texture.width >> mip);
    image.height = std::max(1u, texture.height >> mip);
    image.rgba.assign(size_t(image.width) * image.height * 4, 255);
    if (mip >= texture.mips.size() || texture.mips[mip].size() != pack::mipByteSize(texture.format, image.width, image.height))
        return image;
    const uint32_t blocksX = (image.width + 3) / 4, blocksY = (image.height + 3) / 4;
    const uint8_t* src = texture.mips[mip].data();
    for (uint32_t by = 0; by < blocksY; ++by) {
        for (uint32_t bx = 0; bx < blocksX; ++bx, src += bytesPerBlock(texture.format)) {
            uint8_t texels[16][4];
            switch (texture.format) {
                case pack::TextureFormat::Bc1Srgb:
                case pack::TextureFormat::Bc1Unorm: decodeColorBlock(src, texels, true); break;
                case pack::TextureFormat::Bc3Srgb:
                case pack::TextureFormat::Bc3Unorm: {
                    uint8_t alpha[16];
                    decodeAlphaBlock(src, alpha);
                    decodeColorBlock(src + 8, texels, false);
                    for (int i = 0; i < 16; ++i) texels[i][3] = alpha[i];
                    break;
                }
                case pack::TextureFormat::Bc5Unorm: {
                    uint8_t x[16], y[16];
                    decodeAlphaBlock(src, x);
                    decodeAlphaBlock(src + 8, y);
                    for (int i = 0; i < 16; ++i) {
                        const float nx = x[i] / 127.5f - 1.0f, ny = y[i] / 127.5f - 1.0f;
                        const float nz = std::sqrt(std::max(0.0f, 1.0f - nx * nx - ny * ny));
                        texels[i][0] = x[i];
                        texels[i][1] = y[i];
                        texels[i][2] = uint8_t(std::lround((nz + 1.0f) * 127.5f));
                        texels[i][3] = 255;
                    }
                    break;
                }
                default: return image;  // not a format compressTexture makes (RGBA8, BC4, BC7): left white
            }
            for (uint32_t y = 0; y < 4; ++y)
                for (uint32_t x = 0; x < 4; ++x) {
                    const uint32_t px = bx * 4 + x, py = by * 4 + y;
                    if (px < image.width && py < image.height)
                        std::memcpy(&image.rgba[(size_t(py) * image.width + px) * 4], texels[y * 4 + x], 4);
                }
        }
    }
    return image;
}

}  // namespace vt::texture
