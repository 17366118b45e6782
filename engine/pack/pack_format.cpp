#include "pack/pack_format.h"

#include <algorithm>

namespace vt::pack {

std::optional<MipEncoding> mipEncodingFromCode(uint32_t code) {
    if (code > static_cast<uint32_t>(MipEncoding::Webp)) return std::nullopt;
    return static_cast<MipEncoding>(code);
}

std::string_view mipEncodingName(MipEncoding encoding) {
    switch (encoding) {
        case MipEncoding::Raw: return "raw";
        case MipEncoding::Zstd: return "zstd";
        case MipEncoding::Jpeg: return "JPEG";
        case MipEncoding::Webp: return "WebP";
    }
    return "unknown";
}

std::optional<TextureFormat> textureFormatFromCode(uint32_t code) {
    if (code < static_cast<uint32_t>(TextureFormat::Rgba8Unorm) || code > static_cast<uint32_t>(TextureFormat::Bc7Srgb)) {
        return std::nullopt;
    }
    return static_cast<TextureFormat>(code);
}

std::string_view textureFormatName(TextureFormat format) {
    switch (format) {
        case TextureFormat::Rgba8Unorm: return "RGBA8_UNORM";
        case TextureFormat::Rgba8Srgb: return "RGBA8_SRGB";
        case TextureFormat::Bc1Unorm: return "BC1_UNORM";
        case TextureFormat::Bc1Srgb: return "BC1_SRGB";
        case TextureFormat::Bc3Unorm: return "BC3_UNORM";
        case TextureFormat::Bc3Srgb: return "BC3_SRGB";
        case TextureFormat::Bc4Unorm: return "BC4_UNORM";
        case TextureFormat::Bc5Unorm: return "BC5_UNORM";
        case TextureFormat::Bc7Unorm: return "BC7_UNORM";
        case TextureFormat::Bc7Srgb: return "BC7_SRGB";
    }
    return "unknown";
}

bool isSrgb(TextureFormat format) {
    return format == TextureFormat::Rgba8Srgb || format == TextureFormat::Bc1Srgb || format == TextureFormat::Bc3Srgb ||
           format == TextureFormat::Bc7Srgb;
}

uint64_t mipByteSize(TextureFormat format, uint32_t width, uint32_t height) {
    const uint64_t blocks = uint64_t{(width + 3) / 4} * ((height + 3) / 4);
    switch (format) {
        case TextureFormat::Rgba8Unorm:
        case TextureFormat::Rgba8Srgb: return uint64_t{width} * height * 4;
        case TextureFormat::Bc1Unorm:
        case TextureFormat::Bc1Srgb:
        case TextureFormat::Bc4Unorm: return blocks * 8;
        case TextureFormat::Bc3Unorm:
        case TextureFormat::Bc3Srgb:
        case TextureFormat::Bc5Unorm:
        case TextureFormat::Bc7Unorm:
        case TextureFormat::Bc7Srgb: return blocks * 16;
    }
    return 0;
}

uint32_t fullMipCount(uint32_t width, uint32_t height) {
    uint32_t size = std::max(width, height), count = 1;
    while (size > 1) size >>= 1, ++count;
    return count;
}

}  // namespace vt::pack
