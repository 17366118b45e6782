#pragma once
// GPU block compression of material textures, with a full mip chain.
//
// Which block format a texture gets depends on how materials use it (glTF slot semantics):
//   base colour, emissive    -> BC1 sRGB, or BC3 sRGB when the image has non-opaque alpha
//   metallic-roughness, occl -> BC1 UNORM (channels G, B and R)
//   normal map               -> BC5 UNORM (X, Y; the shader rebuilds Z)
// Mips are box-filtered in linear light for sRGB data, so dark and bright texels average right.
// Encoding uses stb_dxt (Debian's libstb); decoding is here too, for tests and CPU previews.

#include <cstdint>
#include <vector>

#include "asset/model.h"
#include "pack/pack_format.h"

namespace vt::texture {

enum class TextureUsage : uint8_t { Color, Data, Normal };

// The format is the pack's own (pack/pack_format.h: one table of formats, names, sRGB and sizes).
struct CompressedTexture {
    pack::TextureFormat format = pack::TextureFormat::Bc1Srgb;
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<std::vector<uint8_t>> mips;  // mip 0 first; each ceil(w/4)*ceil(h/4) blocks
};

// Chooses the format for `image` used as `usage` and compresses every mip down to 1x1.
// `maxSize` caps the top mip's larger side (0 = keep), halving until it fits.
CompressedTexture compressTexture(const asset::Image& image, TextureUsage usage, uint32_t maxSize = 0);

// Decodes one mip back to RGBA8 (for BC5: R, G = X, Y; B = reconstructed Z; A = 255).
asset::Image decodeMip(const CompressedTexture& texture, uint32_t mip);

}  // namespace vt::texture
