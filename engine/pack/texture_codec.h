#pragma once
// Texture mips on the wire (docs/pack-format.md, "Textures"): how a mip's stored bytes become the GPU
// blocks of its texture's format, and the encoders the converter uses to make them.
//
// A mip is stored raw (the GPU blocks), as one zstd frame of the GPU blocks, or as a baseline JPEG or
// a WebP image of the level's texels that the reader block-compresses to the texture's format with
// compressBlocks (stb_dxt, high quality): the same encoder the converter uses, so the blocks are
// exactly those the converter would have made from the same decoded texels. Decoding runs on
// whichever thread reads the mip (the streamer's worker thread); every function here is thread-safe.
//
// Stored bytes are untrusted. The image's size (from its header) and a zstd frame's content size are
// checked against the level's size before anything is allocated; a corrupt stream is an error naming
// the stream byte where the decoder stopped (counted from the mip's first stored byte), never a crash.

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "asset/model.h"
#include "core/result.h"
#include "pack/pack_format.h"

namespace vt::pack {

bool isImageEncoding(MipEncoding encoding);  // JPEG or WebP: texels the reader block-compresses

// The formats compressBlocks makes: RGBA8 (as is), BC1, BC3, BC4 (from red), BC5 (from red, green).
// BC7 has no encoder here, so a BC7 texture's mips must be stored raw or zstd.
bool canCompressBlocks(TextureFormat format);
// Whether a mip of `format` may be stored with `encoding` (raw and zstd: any format).
bool canStore(MipEncoding encoding, TextureFormat format);

// RGBA8 texels (width x height, rows top to bottom, 4 bytes each) to the GPU blocks of `format`,
// mipByteSize(format, width, height) bytes. Blocks over the edge repeat the last row and column.
// Precondition (asserted): canCompressBlocks(format) and rgba.size() == width * height * 4.
std::vector<uint8_t> compressBlocks(std::span<const uint8_t> rgba, uint32_t width, uint32_t height, TextureFormat format);

struct MipDecodeError {
    uint64_t streamByte = 0;  // where the decoder stopped, from the mip's first stored byte
    std::string message;      // what is wrong, without the file name or the mip (the caller adds them)
};
template <class T>
using MipResult = std::expected<T, MipDecodeError>;

// A stored mip of a width x height level to its GPU blocks in `format` (mipByteSize bytes).
MipResult<std::vector<uint8_t>> decodeStoredMip(MipEncoding encoding, std::span<const uint8_t> stored,
                                                TextureFormat format, uint32_t width, uint32_t height);
// Only the texels of an image-encoded mip (JPEG or WebP), RGBA8, width x height.
MipResult<asset::Image> decodeMipImage(MipEncoding encoding, std::span<const uint8_t> stored, uint32_t width, uint32_t height);
// The cheap part of decodeStoredMip, for the writer: the header's size (image) or the frame's content
// size (zstd) or the byte count (raw) agrees with the level, and the encoding suits the format.
MipResult<void> checkStoredMip(MipEncoding encoding, std::span<const uint8_t> stored, TextureFormat format,
                               uint32_t width, uint32_t height);

// Encoders (the converter's side). Deterministic: the same input gives the same bytes.
struct JpegOptions {
    int quality = 90;                  // libjpeg quality, 1..100
    bool subsampleChroma = true;       // 4:2:0 YCbCr (colour photographs); false: 4:4:4
    // Code R, G and B as they are, each with the luminance quantization table, instead of YCbCr:
    // for maps whose channels are unrelated data (normal X and Y, occlusion/roughness/metalness).
    bool separateChannels = false;
};
std::vector<uint8_t> encodeJpeg(const asset::Image& image, const JpegOptions& options);  // alpha is dropped
// An existing JPEG (a scan's own texture) rewritten without loss, its DCT coefficients copied, as the
// optimized baseline stream a Jpeg mip must be, without metadata: no second generation of loss, and
// usually a few percent smaller. An error for what a Jpeg mip cannot hold (CMYK, 12-bit) or a
// damaged stream (any libjpeg warning).
Result<std::vector<uint8_t>> transcodeJpeg(std::span<const uint8_t> jpeg);
struct WebpOptions {
    float quality = 90.0f;  // lossy quality 0..100, or lossless effort when lossless
    bool lossless = false;
    int method = 4;         // encoder effort 0 (fast) .. 6 (smallest)
};
std::vector<uint8_t> encodeWebp(const asset::Image& image, const WebpOptions& options);  // keeps alpha when not all 255
std::vector<uint8_t> encodeZstd(std::span<const uint8_t> blocks, int level);  // with the frame content checksum

}  // namespace vt::pack
