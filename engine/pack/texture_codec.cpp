#include "pack/texture_codec.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <format>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <stb_dxt.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zstd.h>

#include "core/check.h"

namespace vt::pack {
namespace {

std::unexpected<MipDecodeError> mipError(uint64_t streamByte, std::string message) {
    return std::unexpected(MipDecodeError{streamByte, std::move(message)});
}

// --- JPEG (libjpeg-turbo's libjpeg API) ---------------------------------------------------------
//
// libjpeg reports errors through a callback that must not return: it longjmps back into the
// function that called setjmp. Those functions keep nothing with a destructor on their own frame.

struct JpegErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void jpegErrorExit(j_common_ptr info) {
    auto* manager = reinterpret_cast<JpegErrorManager*>(info->err);
    (*info->err->format_message)(info, manager->message);
    std::longjmp(manager->jump, 1);
}

// Level -1 is a warning about corrupt data that libjpeg would paper over (grey blocks, a fake end of
// image): the converter writes clean streams, so any such warning means the bytes were damaged.
void jpegEmitMessage(j_common_ptr info, int level) {
    if (level < 0) jpegErrorExit(info);
}

struct JpegFailure {
    uint64_t position = 0;
    char message[JMSG_LENGTH_MAX + 64] = {};
};

// Decodes into `rgba` (resized here, once the header's size has been checked). Returns false with
// `failure` filled on any problem.
bool decodeJpeg(const uint8_t* data, size_t size, uint32_t width, uint32_t height, bool headerOnly,
                std::vector<uint8_t>* rgba, JpegFailure* failure) {
    jpeg_decompress_struct info;
    JpegErrorManager manager;
    std::memset(&info, 0, sizeof info);
    info.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = jpegErrorExit;
    manager.base.emit_message = jpegEmitMessage;
    manager.message[0] = 0;
    if (setjmp(manager.jump)) {
        failure->position = info.src ? size - std::min<size_t>(size, info.src->bytes_in_buffer) : 0;
        std::snprintf(failure->message, sizeof failure->message, "the JPEG stream is corrupt: %s", manager.message);
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
    auto stop = [&](const char* what) {
        failure->position = size - std::min<size_t>(size, info.src->bytes_in_buffer);
        std::snprintf(failure->message, sizeof failure->message, "%s", what);
        jpeg_destroy_decompress(&info);
        return false;
    };
    if (jpeg_read_header(&info, TRUE) != JPEG_HEADER_OK) return stop("the JPEG stream holds no image");
    if (info.image_width != width || info.image_height != height) {
        char what[128];
        std::snprintf(what, sizeof what, "the JPEG image is %ux%u, the level is %ux%u", info.image_width, info.image_height,
                      width, height);
        return stop(what);
    }
    // Progressive streams can hold any number of scans (a decoding-time bomb); the converter writes
    // baseline, so nothing else is accepted.
    if (info.progressive_mode) return stop("the JPEG image is progressive; packs hold baseline JPEG only");
    if (info.num_components != 1 && info.num_components != 3) return stop("the JPEG image has neither 1 nor 3 components");
    if (headerOnly) {
        jpeg_destroy_decompress(&info);
        return true;
    }
    info.out_color_space = JCS_EXT_RGBA;
    info.dct_method = JDCT_ISLOW;  // exact integer IDCT: the same texels on every machine
    jpeg_start_decompress(&info);
    rgba->resize(size_t{width} * height * 4);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = rgba->data() + size_t{info.output_scanline} * width * 4;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    if (info.src->bytes_in_buffer != 0) return stop("bytes follow the end of the JPEG image");
    jpeg_destroy_decompress(&info);
    return true;
}

bool encodeJpegInto(const asset::Image& image, const JpegOptions& options, unsigned char** out, unsigned long* outSize) {
    jpeg_compress_struct info;
    JpegErrorManager manager;
    std::memset(&info, 0, sizeof info);
    info.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = jpegErrorExit;
    if (setjmp(manager.jump)) {
        jpeg_destroy_compress(&info);
        return false;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, out, outSize);
    info.image_width = image.width;
    info.image_height = image.height;
    info.input_components = 4;
    info.in_color_space = JCS_EXT_RGBA;
    jpeg_set_defaults(&info);
    if (options.separateChannels) {
        jpeg_set_colorspace(&info, JCS_RGB);  // R, G, B at full resolution, all with quantization table 0
    } else if (!options.subsampleChroma) {
        info.comp_info[0].h_samp_factor = 1;
        info.comp_info[0].v_samp_factor = 1;
    }
    jpeg_set_quality(&info, std::clamp(options.quality, 1, 100), TRUE);
    info.optimize_coding = TRUE;  // Huffman tables fitted to the image: ~5-10% smaller, still baseline
    info.dct_method = JDCT_ISLOW;
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<uint8_t*>(image.rgba.data()) + size_t{info.next_scanline} * image.width * 4;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return true;
}

// Copies the DCT coefficients of `data` into a new optimized baseline stream without metadata.
bool transcodeJpegInto(const uint8_t* data, size_t size, unsigned char** out, unsigned long* outSize, JpegFailure* failure) {
    jpeg_decompress_struct in;
    jpeg_compress_struct rewritten;
    JpegErrorManager manager;  // shared: either object's error lands in the one setjmp below
    std::memset(&in, 0, sizeof in);
    std::memset(&rewritten, 0, sizeof rewritten);
    in.err = rewritten.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = jpegErrorExit;
    manager.base.emit_message = jpegEmitMessage;  // a damaged source is not passed on
    manager.message[0] = 0;
    volatile bool writing = false;
    if (setjmp(manager.jump)) {
        std::snprintf(failure->message, sizeof failure->message, "%s", manager.message);
        if (writing) jpeg_destroy_compress(&rewritten);
        jpeg_destroy_decompress(&in);
        return false;
    }
    jpeg_create_decompress(&in);
    jpeg_mem_src(&in, data, static_cast<unsigned long>(size));
    auto refuse = [&](const char* what) {
        std::snprintf(failure->message, sizeof failure->message, "%s", what);
        jpeg_destroy_decompress(&in);
        return false;
    };
    if (jpeg_read_header(&in, TRUE) != JPEG_HEADER_OK) return refuse("no image in the JPEG stream");
    if (in.num_components != 1 && in.num_components != 3) return refuse("the JPEG image has neither 1 nor 3 components");
    if (in.data_precision != 8) return refuse("the JPEG image is not 8-bit");
    jvirt_barray_ptr* coefficients = jpeg_read_coefficients(&in);
    jpeg_create_compress(&rewritten);
    writing = true;
    jpeg_mem_dest(&rewritten, out, outSize);
    jpeg_copy_critical_parameters(&in, &rewritten);  // sequential (baseline) scans, the same colour space and tables
    rewritten.optimize_coding = TRUE;
    rewritten.arith_code = FALSE;
    jpeg_write_coefficients(&rewritten, coefficients);
    jpeg_finish_compress(&rewritten);
    jpeg_destroy_compress(&rewritten);
    writing = false;
    jpeg_finish_decompress(&in);
    jpeg_destroy_decompress(&in);
    return true;
}

// --- WebP ----------------------------------------------------------------------------------------

// Bytes fed to the incremental decoder at a time: a corrupt stream is reported within this many
// bytes of where the damage is.
constexpr size_t kWebpChunkBytes = 4096;

const char* webpStatusName(VP8StatusCode status) {
    switch (status) {
        case VP8_STATUS_OK: return "ok";
        case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
        case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
        case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
        case VP8_STATUS_SUSPENDED: return "the stream ends early";
        case VP8_STATUS_USER_ABORT: return "aborted";
        case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data";
    }
    return "unknown status";
}

MipResult<void> checkWebpHeader(std::span<const uint8_t> stored, uint32_t width, uint32_t height) {
    // The RIFF container states the file's size: exactly the stored bytes (a cut stream whose last
    // bytes the decoder happens not to need is still a damaged mip).
    if (stored.size() < 12 || std::memcmp(stored.data(), "RIFF", 4) != 0 || std::memcmp(stored.data() + 8, "WEBP", 4) != 0) {
        return mipError(0, "not a WebP (RIFF) file");
    }
    const uint64_t riffBytes = uint64_t{stored[4]} | uint64_t{stored[5]} << 8 | uint64_t{stored[6]} << 16 | uint64_t{stored[7]} << 24;
    if (riffBytes + 8 != stored.size()) {
        return mipError(4, std::format("the WebP file says it is {} bytes, the mip is {}", riffBytes + 8, stored.size()));
    }
    WebPBitstreamFeatures features;
    const VP8StatusCode status = WebPGetFeatures(stored.data(), stored.size(), &features);
    if (status != VP8_STATUS_OK) return mipError(0, std::format("the WebP header is corrupt ({})", webpStatusName(status)));
    if (features.has_animation) return mipError(0, "the WebP image is animated");
    if (uint32_t(features.width) != width || uint32_t(features.height) != height) {
        return mipError(0, std::format("the WebP image is {}x{}, the level is {}x{}", features.width, features.height, width, height));
    }
    return {};
}

MipResult<asset::Image> decodeWebp(std::span<const uint8_t> stored, uint32_t width, uint32_t height) {
    if (auto header = checkWebpHeader(stored, width, height); !header) return std::unexpected(header.error());
    asset::Image image{"", width, height, std::vector<uint8_t>(size_t{width} * height * 4)};
    // Incremental decoding into our buffer, fed a growing prefix of the stored bytes, so an error
    // can be placed in the stream.
    WebPIDecoder* decoder = WebPINewRGB(MODE_RGBA, image.rgba.data(), image.rgba.size(), int(width * 4));
    if (!decoder) return mipError(0, "the WebP decoder could not start (out of memory)");
    VP8StatusCode status = VP8_STATUS_SUSPENDED;
    size_t fed = 0;
    while (fed < stored.size() && status == VP8_STATUS_SUSPENDED) {
        fed = std::min(stored.size(), fed + kWebpChunkBytes);
        status = WebPIUpdate(decoder, stored.data(), fed);
    }
    WebPIDelete(decoder);
    if (status != VP8_STATUS_OK) {
        return mipError(fed, std::format("the WebP stream is corrupt ({}) within the {} bytes before this one", webpStatusName(status),
                                         kWebpChunkBytes));
    }
    return image;
}

// --- zstd ----------------------------------------------------------------------------------------

MipResult<void> checkZstdFrame(std::span<const uint8_t> stored, uint64_t expected) {
    const unsigned long long content = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (content == ZSTD_CONTENTSIZE_ERROR) return mipError(0, "not a zstd frame");
    if (content == ZSTD_CONTENTSIZE_UNKNOWN) return mipError(0, "the zstd frame does not state its content size");
    if (content != expected) return mipError(0, std::format("the zstd frame holds {} bytes, the level's blocks are {}", content, expected));
    return {};
}

MipResult<std::vector<uint8_t>> decodeZstd(std::span<const uint8_t> stored, uint64_t expected) {
    if (auto frame = checkZstdFrame(stored, expected); !frame) return std::unexpected(frame.error());
    std::vector<uint8_t> blocks(expected);
    ZSTD_DCtx* context = ZSTD_createDCtx();
    if (!context) return mipError(0, "the zstd decoder could not start (out of memory)");
    ZSTD_inBuffer in{stored.data(), stored.size(), 0};
    ZSTD_outBuffer out{blocks.data(), blocks.size(), 0};
    size_t result = 1;
    while (result != 0 && in.pos < in.size) {
        const size_t before = in.pos + out.pos;
        result = ZSTD_decompressStream(context, &out, &in);
        if (ZSTD_isError(result) || in.pos + out.pos == before) break;
    }
    ZSTD_freeDCtx(context);
    if (ZSTD_isError(result)) {
        // A content checksum mismatch is found at the frame's end, in its last 4 bytes.
        const bool checksum = ZSTD_getErrorCode(result) == ZSTD_error_checksum_wrong;
        return mipError(checksum ? stored.size() - 4 : in.pos,
                        std::format("the zstd frame is corrupt ({})", ZSTD_getErrorName(result)));
    }
    if (result != 0 || out.pos != blocks.size()) return mipError(in.pos, "the zstd frame ends early");
    if (in.pos != in.size) return mipError(in.pos, std::format("{} bytes follow the zstd frame", in.size - in.pos));
    return blocks;
}

}  // namespace

bool isImageEncoding(MipEncoding encoding) { return encoding == MipEncoding::Jpeg || encoding == MipEncoding::Webp; }

bool canCompressBlocks(TextureFormat format) { return format != TextureFormat::Bc7Unorm && format != TextureFormat::Bc7Srgb; }

bool canStore(MipEncoding encoding, TextureFormat format) { return !isImageEncoding(encoding) || canCompressBlocks(format); }

std::vector<uint8_t> compressBlocks(std::span<const uint8_t> rgba, uint32_t width, uint32_t height, TextureFormat format) {
    VT_ASSERT(canCompressBlocks(format), "compressBlocks makes RGBA8, BC1, BC3, BC4 and BC5");
    VT_ASSERT(rgba.size() == size_t{width} * height * 4, "compressBlocks needs width x height RGBA8 texels");
    if (format == TextureFormat::Rgba8Unorm || format == TextureFormat::Rgba8Srgb) return {rgba.begin(), rgba.end()};
    const uint32_t blocksX = (width + 3) / 4, blocksY = (height + 3) / 4;
    const size_t blockBytes = size_t(mipByteSize(format, 4, 4));
    std::vector<uint8_t> out(size_t{blocksX} * blocksY * blockBytes);
    uint8_t* dest = out.data();
    uint8_t block[64], red[16], redGreen[32];
    for (uint32_t by = 0; by < blocksY; ++by) {
        for (uint32_t bx = 0; bx < blocksX; ++bx, dest += blockBytes) {
            // Blocks over the edge repeat the last row and column (the spec leaves those texels undefined).
            for (uint32_t y = 0; y < 4; ++y)
                for (uint32_t x = 0; x < 4; ++x) {
                    const uint32_t sx = std::min(width - 1, bx * 4 + x), sy = std::min(height - 1, by * 4 + y);
                    const uint8_t* texel = &rgba[(size_t{sy} * width + sx) * 4];
                    std::memcpy(&block[(y * 4 + x) * 4], texel, 4);
                    red[y * 4 + x] = texel[0];
                    redGreen[(y * 4 + x) * 2] = texel[0];
                    redGreen[(y * 4 + x) * 2 + 1] = texel[1];
                }
            switch (format) {
                case TextureFormat::Bc1Unorm:
                case TextureFormat::Bc1Srgb: stb_compress_dxt_block(dest, block, 0, STB_DXT_HIGHQUAL); break;
                case TextureFormat::Bc3Unorm:
                case TextureFormat::Bc3Srgb: stb_compress_dxt_block(dest, block, 1, STB_DXT_HIGHQUAL); break;
                case TextureFormat::Bc4Unorm: stb_compress_bc4_block(dest, red); break;
                case TextureFormat::Bc5Unorm: stb_compress_bc5_block(dest, redGreen); break;
                default: break;  // excluded above
            }
        }
    }
    return out;
}

MipResult<asset::Image> decodeMipImage(MipEncoding encoding, std::span<const uint8_t> stored, uint32_t width, uint32_t height) {
    if (encoding == MipEncoding::Webp) return decodeWebp(stored, width, height);
    if (encoding != MipEncoding::Jpeg) return mipError(0, std::format("{} is not an image encoding", mipEncodingName(encoding)));
    asset::Image image{"", width, height, {}};
    JpegFailure failure;
    if (!decodeJpeg(stored.data(), stored.size(), width, height, /*headerOnly=*/false, &image.rgba, &failure)) {
        return mipError(failure.position, failure.message);
    }
    return image;
}

MipResult<void> checkStoredMip(MipEncoding encoding, std::span<const uint8_t> stored, TextureFormat format, uint32_t width,
                               uint32_t height) {
    const uint64_t blockBytes = mipByteSize(format, width, height);
    if (!canStore(encoding, format)) {
        return mipError(0, std::format("a {} mip cannot be made into {} (no block encoder)", mipEncodingName(encoding),
                                       textureFormatName(format)));
    }
    switch (encoding) {
        case MipEncoding::Raw:
            if (stored.size() != blockBytes) {
                return mipError(0, std::format("{} bytes, {} {}x{} needs {}", stored.size(), textureFormatName(format), width,
                                               height, blockBytes));
            }
            return {};
        case MipEncoding::Zstd: return checkZstdFrame(stored, blockBytes);
        case MipEncoding::Webp: return checkWebpHeader(stored, width, height);
        case MipEncoding::Jpeg: {
            JpegFailure failure;
            if (!decodeJpeg(stored.data(), stored.size(), width, height, /*headerOnly=*/true, nullptr, &failure)) {
                return mipError(failure.position, failure.message);
            }
            return {};
        }
    }
    return mipError(0, "unknown encoding");
}

MipResult<std::vector<uint8_t>> decodeStoredMip(MipEncoding encoding, std::span<const uint8_t> stored, TextureFormat format,
                                                uint32_t width, uint32_t height) {
    if (!isImageEncoding(encoding)) {
        if (encoding == MipEncoding::Zstd) return decodeZstd(stored, mipByteSize(format, width, height));
        if (auto check = checkStoredMip(encoding, stored, format, width, height); !check) return std::unexpected(check.error());
        return std::vector<uint8_t>(stored.begin(), stored.end());
    }
    if (!canStore(encoding, format)) return std::unexpected(checkStoredMip(encoding, stored, format, width, height).error());
    auto image = decodeMipImage(encoding, stored, width, height);
    if (!image) return std::unexpected(image.error());
    return compressBlocks(image->rgba, width, height, format);
}

std::vector<uint8_t> encodeJpeg(const asset::Image& image, const JpegOptions& options) {
    VT_ASSERT(image.rgba.size() == size_t{image.width} * image.height * 4, "encodeJpeg needs RGBA8 texels");
    unsigned char* out = nullptr;
    unsigned long outSize = 0;
    const bool encoded = encodeJpegInto(image, options, &out, &outSize);
    std::vector<uint8_t> bytes;
    if (encoded && out) bytes.assign(out, out + outSize);
    std::free(out);
    VT_CHECK(encoded && !bytes.empty(), "libjpeg could not encode the image (out of memory)");
    return bytes;
}

Result<std::vector<uint8_t>> transcodeJpeg(std::span<const uint8_t> jpeg) {
    unsigned char* out = nullptr;
    unsigned long outSize = 0;
    JpegFailure failure;
    const bool transcoded = !jpeg.empty() && transcodeJpegInto(jpeg.data(), jpeg.size(), &out, &outSize, &failure);
    std::vector<uint8_t> bytes;
    if (transcoded && out) bytes.assign(out, out + outSize);
    std::free(out);
    if (!transcoded || bytes.empty()) return fail("the JPEG cannot be stored as it is: {}", jpeg.empty() ? "empty" : failure.message);
    return bytes;
}

std::vector<uint8_t> encodeWebp(const asset::Image& image, const WebpOptions& options) {
    VT_ASSERT(image.rgba.size() == size_t{image.width} * image.height * 4, "encodeWebp needs RGBA8 texels");
    WebPConfig config;
    VT_CHECK(WebPConfigInit(&config), "libwebp version mismatch");
    config.lossless = options.lossless ? 1 : 0;
    config.quality = options.quality;
    config.method = std::clamp(options.method, 0, 6);
    config.use_sharp_yuv = options.lossless ? 0 : 1;  // sharper RGB->YUV: edges between colours keep their detail
    config.exact = 1;  // keep the RGB of transparent texels (the block encoder still sees them)
    WebPPicture picture;
    VT_CHECK(WebPPictureInit(&picture), "libwebp version mismatch");
    picture.width = int(image.width);
    picture.height = int(image.height);
    picture.use_argb = options.lossless ? 1 : 0;
    bool opaque = true;
    for (size_t i = 3; i < image.rgba.size() && opaque; i += 4) opaque = image.rgba[i] == 255;
    const int stride = int(image.width * 4);
    int imported = 0;
    if (opaque) {
        // No alpha plane: RGB texels without the fourth byte.
        std::vector<uint8_t> rgb(size_t{image.width} * image.height * 3);
        for (size_t i = 0, o = 0; i < image.rgba.size(); i += 4, o += 3) std::memcpy(&rgb[o], &image.rgba[i], 3);
        imported = WebPPictureImportRGB(&picture, rgb.data(), int(image.width * 3));
    } else {
        imported = WebPPictureImportRGBA(&picture, image.rgba.data(), stride);
    }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const int encoded = imported ? WebPEncode(&config, &picture) : 0;
    std::vector<uint8_t> bytes;
    if (encoded) bytes.assign(writer.mem, writer.mem + writer.size);
    const int errorCode = picture.error_code;
    WebPPictureFree(&picture);
    WebPMemoryWriterClear(&writer);
    VT_CHECK(encoded && !bytes.empty() && errorCode == VP8_ENC_OK, "libwebp could not encode the image");
    return bytes;
}

std::vector<uint8_t> encodeZstd(std::span<const uint8_t> blocks, int level) {
    std::vector<uint8_t> out(ZSTD_compressBound(blocks.size()));
    ZSTD_CCtx* context = ZSTD_createCCtx();
    VT_CHECK(context, "zstd could not start (out of memory)");
    ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level);
    // The frame's own checksum of its content (4 bytes): damage behind a valid mip checksum is an
    // error, not garbage blocks.
    ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
    const size_t size = ZSTD_compress2(context, out.data(), out.size(), blocks.data(), blocks.size());
    ZSTD_freeCCtx(context);
    VT_CHECK(!ZSTD_isError(size), "zstd could not compress the blocks");
    out.resize(size);
    return out;
}

}  // namespace vt::pack
