#pragma once
// GPU block compression of material textures, with a full mip chain.
//
// Which block format a texture gets depends on how materials use it (glTF slot semantics):
//   base colour, emissive    -> BC1 sRGB, or BC3 sRGB when the image has non-opaque alpha
//   metallic-roughness, occl -> BC1 UNORM (channels G, B and R)
//   normal map               -> BC5 UNORM (X, Y; the shader rebuilds Z)
// Mips are box-filtered in linear light for sRGB data, so dark and bright texels average right.
// Block encoding is the pack module's (pack/texture_codec.h: stb_dxt), the same code the reader runs
// on JPEG and WebP mips; decoding is here too, for tests and CPU previews.
//
// On the wire (encodeTexture) each level is stored on its own, so mips still stream coarse to fine:
// as an image (JPEG or WebP) the reader block-compresses, or as zstd over the blocks, whichever is
// smaller for that level (small levels are zstd: an image's headers outweigh its texels there).

#include <cstdint>
#include <vector>

#include "asset/model.h"
#include "pack/pack_format.h"
#include "pack/pack_writer.h"
#include "pack/texture_codec.h"

namespace vt::texture {

enum class TextureUsage : uint8_t { Color, Data, Normal };

// The format is the pack's own (pack/pack_format.h: one table of formats, names, sRGB and sizes).
struct CompressedTexture {
    pack::TextureFormat format = pack::TextureFormat::Bc1Srgb;
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<std::vector<uint8_t>> mips;  // mip 0 first; each ceil(w/4)*ceil(h/4) blocks
};

// The GPU format for `image` used as `usage` (the table above).
pack::TextureFormat chooseFormat(const asset::Image& image, TextureUsage usage);

// The texels of every level, top (after the maxSize cap) down to 1x1.
std::vector<asset::Image> mipChain(const asset::Image& image, TextureUsage usage, uint32_t maxSize = 0);

// Chooses the format for `image` used as `usage` and compresses every mip down to 1x1.
// `maxSize` caps the top mip's larger side (0 = keep), halving until it fits.
CompressedTexture compressTexture(const asset::Image& image, TextureUsage usage, uint32_t maxSize = 0);

// How a usage's levels travel. Every codec but Raw falls back, level by level, to zstd over the blocks
// when that is smaller (or when the image codec cannot hold the level: JPEG has no alpha, WebP no
// side over 16383).
enum class WireCodec : uint8_t {
    Raw,           // the blocks as they are (format version 2's packs)
    Zstd,          // zstd over the blocks: exact
    JpegColor,     // baseline JPEG, YCbCr 4:2:0: colour photographs
    JpegChannels,  // baseline JPEG, R, G and B coded apart at full resolution: data and normal maps
    Webp,          // lossy WebP (YUV 4:2:0)
    WebpLossless,
};
struct WireChoice {
    WireCodec codec = WireCodec::Zstd;
    int quality = 90;  // JPEG 1..100, WebP 0..100 (lossless: effort)
    // Level 0 of an image that came from a JPEG of its size (asset::Image::jpeg): that JPEG rewritten
    // without loss (pack::transcodeJpeg) when it is at most this many times the bytes `codec` made of
    // the level; 0 never. 1 keeps the source whenever it is the smaller; above 1 pays for the source's
    // quality (no second generation of loss).
    float sourceJpegSlack = 1.0f;
};
// The defaults are the measured choice (docs/bench-texture-2026-12-03.md): lossy WebP for every usage,
// ~1/3 of zstd-over-BC's bytes for colour, 1/5 for data, 1/5.5 for normal maps, at 1-8 dB below the
// raw blocks' PSNR; or the scan's own JPEG at level 0 where it is smaller. Normal maps, whose error
// shading amplifies, keep their source JPEG up to 1.25x WebP's bytes (the saxophone's: 1.23x, 46.6 dB
// instead of 38.7 dB); colour and data maps take the fewer bytes (lossy is fine there).
struct WireOptions {
    WireChoice color{WireCodec::Webp, 85, 1.0f};
    WireChoice data{WireCodec::Webp, 85, 1.0f};
    WireChoice normal{WireCodec::Webp, 90, 1.25f};
    int zstdLevel = 19;  // 1..22; decoding speed does not depend on it
    const WireChoice& choiceFor(TextureUsage usage) const;
};

// The texture as the pack stores it: the chain of compressTexture, each level encoded for the wire
// (level 0 possibly the source's own JPEG, see WireChoice::sourceJpegSlack).
pack::PackTexture encodeTexture(const asset::Image& image, TextureUsage usage, uint32_t maxSize = 0,
                                const WireOptions& wire = {});
// One level: its blocks in `format`, encoded with `choice` (or zstd or raw when smaller); `encoding`
// says which.
std::vector<uint8_t> encodeLevel(const asset::Image& level, pack::TextureFormat format, WireChoice choice, int zstdLevel,
                                 pack::MipEncoding& encoding);

// Decodes one mip back to RGBA8 (for BC5: R, G = X, Y; B = reconstructed Z; A = 255).
asset::Image decodeMip(const CompressedTexture& texture, uint32_t mip);

}  // namespace vt::texture
