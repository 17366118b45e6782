// Texture wire benchmark: how each candidate stores a real scan's textures, and what it costs the
// client. For every texture of the given scans (as the converter uses it: colour, data or normal map)
// and every candidate, one row:
//
//   bytes      level 0 alone, and the whole mip chain as the pack would store it (each level on its
//              own; a level falls back to zstd over the blocks when that is smaller, as the converter does)
//   decode     ms to turn level 0's stored bytes into texels (image codecs) or blocks (zstd), one thread
//   compress   ms to block-compress the decoded texels to the texture's format (stb_dxt, high quality)
//   PSNR       of level 0's final blocks (decoded) against the source texels, and against today's blocks
//              (BC straight from the source: what format version 2 stored); colour and data maps over
//              R, G, B, normal maps over X, Y
//
// Times are the minimum of --runs runs (the machine is shared). The baseline, today's raw blocks, is
// the first row of every texture; the last table sums the chains per candidate over all textures,
// as a ratio to the raw blocks.
//
// usage: texture_bench [--runs N] [SCAN...]   (default: assets/saxophone.glb and the corpus' whale cranium)

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <format>
#include <map>
#include <optional>
#include <string>
#include <vector>

#ifdef VITRINE_HAVE_AVIF
#include <avif/avif.h>
#endif

#include "pack/texture_codec.h"
#include "texture_compress.h"
#include "tools/scan/import.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using vt::texture::TextureUsage;
using vt::texture::WireChoice;
using vt::texture::WireCodec;

double msSince(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

double psnr(const vt::asset::Image& a, const vt::asset::Image& b, int channels) {
    double squared = 0.0;
    size_t count = 0;
    for (size_t i = 0; i < a.rgba.size(); i += 4)
        for (int c = 0; c < channels; ++c) {
            const double d = double(a.rgba[i + c]) - double(b.rgba[i + c]);
            squared += d * d;
            ++count;
        }
    const double mse = squared / double(std::max<size_t>(count, 1));
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

vt::asset::Image decodeBlocks(const std::vector<uint8_t>& blocks, vt::pack::TextureFormat format, uint32_t w, uint32_t h) {
    vt::texture::CompressedTexture texture;
    texture.format = format;
    texture.width = w;
    texture.height = h;
    texture.mips.push_back(blocks);
    return vt::texture::decodeMip(texture, 0);
}

const char* usageName(TextureUsage usage) {
    switch (usage) {
        case TextureUsage::Color: return "colour";
        case TextureUsage::Data: return "data";
        case TextureUsage::Normal: return "normal";
    }
    return "?";
}

struct Candidate {
    std::string name;
    WireChoice choice;
    bool avif = false;
    int avifQuality = 0;
    std::optional<vt::texture::WireOptions> whole;  // the converter's encodeTexture with these options
};

std::vector<Candidate> candidatesFor(TextureUsage usage) {
    std::vector<Candidate> list{{"BC raw (v2)", {WireCodec::Raw, 0}}, {"zstd-19 over BC", {WireCodec::Zstd, 0}}};
    auto add = [&](std::string name, WireCodec codec, int quality) { list.push_back({std::move(name), {codec, quality}}); };
    if (usage == TextureUsage::Color) {
        add("JPEG 4:2:0 q85", WireCodec::JpegColor, 85);
        add("JPEG 4:2:0 q90", WireCodec::JpegColor, 90);
        add("WebP q80", WireCodec::Webp, 80);
        add("WebP q85", WireCodec::Webp, 85);
        add("WebP q90", WireCodec::Webp, 90);
    } else if (usage == TextureUsage::Data) {
        add("JPEG 4:2:0 q90", WireCodec::JpegColor, 90);
        add("JPEG RGB q85", WireCodec::JpegChannels, 85);
        add("JPEG RGB q90", WireCodec::JpegChannels, 90);
        add("WebP q85", WireCodec::Webp, 85);
        add("WebP q90", WireCodec::Webp, 90);
    } else {
        add("JPEG RGB q90", WireCodec::JpegChannels, 90);
        add("JPEG RGB q95", WireCodec::JpegChannels, 95);
        add("WebP q90", WireCodec::Webp, 90);
        add("WebP q95", WireCodec::Webp, 95);
        add("WebP lossless", WireCodec::WebpLossless, 60);
    }
    // The scan's own JPEG as level 0 (rewritten without loss), the rest as the converter's default;
    // and the converter's default itself (which keeps the source within WireChoice::sourceJpegSlack).
    vt::texture::WireOptions source;
    source.color.sourceJpegSlack = source.data.sourceJpegSlack = source.normal.sourceJpegSlack = 1e9f;
    list.push_back({"source JPEG + default", {}, false, 0, source});
    list.push_back({"converter default", {}, false, 0, vt::texture::WireOptions{}});
#ifdef VITRINE_HAVE_AVIF
    for (int quality : usage == TextureUsage::Normal ? std::vector<int>{80, 90} : std::vector<int>{70, 80})
        list.push_back({std::format("AVIF {} q{}", usage == TextureUsage::Color ? "4:2:0" : "GBR 4:4:4", quality), {}, true, quality});
#endif
    return list;
}

#ifdef VITRINE_HAVE_AVIF
// Colour maps 4:2:0 YUV; data and normal maps 4:4:4 with the identity matrix (R, G, B coded apart).
std::vector<uint8_t> encodeAvif(const vt::asset::Image& image, TextureUsage usage, int quality) {
    const bool separate = usage != TextureUsage::Color;
    avifImage* yuv = avifImageCreate(image.width, image.height, 8, separate ? AVIF_PIXEL_FORMAT_YUV444 : AVIF_PIXEL_FORMAT_YUV420);
    if (separate) yuv->matrixCoefficients = AVIF_MATRIX_COEFFICIENTS_IDENTITY;
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, yuv);
    rgb.format = AVIF_RGB_FORMAT_RGBA;
    rgb.pixels = const_cast<uint8_t*>(image.rgba.data());
    rgb.rowBytes = image.width * 4;
    std::vector<uint8_t> bytes;
    if (avifImageRGBToYUV(yuv, &rgb) == AVIF_RESULT_OK) {
        avifEncoder* encoder = avifEncoderCreate();
        encoder->quality = quality;
        encoder->speed = 6;
        encoder->maxThreads = 1;
        avifRWData out = AVIF_DATA_EMPTY;
        if (avifEncoderWrite(encoder, yuv, &out) == AVIF_RESULT_OK) bytes.assign(out.data, out.data + out.size);
        avifRWDataFree(&out);
        avifEncoderDestroy(encoder);
    }
    avifImageDestroy(yuv);
    return bytes;
}

std::optional<vt::asset::Image> decodeAvif(const std::vector<uint8_t>& bytes) {
    avifDecoder* decoder = avifDecoderCreate();
    decoder->maxThreads = 1;
    avifImage* yuv = avifImageCreateEmpty();
    std::optional<vt::asset::Image> result;
    if (avifDecoderReadMemory(decoder, yuv, bytes.data(), bytes.size()) == AVIF_RESULT_OK) {
        vt::asset::Image image{"", yuv->width, yuv->height, std::vector<uint8_t>(size_t{yuv->width} * yuv->height * 4)};
        avifRGBImage rgb;
        avifRGBImageSetDefaults(&rgb, yuv);
        rgb.format = AVIF_RGB_FORMAT_RGBA;
        rgb.pixels = image.rgba.data();
        rgb.rowBytes = image.width * 4;
        if (avifImageYUVToRGB(yuv, &rgb) == AVIF_RESULT_OK) result = std::move(image);
    }
    avifImageDestroy(yuv);
    avifDecoderDestroy(decoder);
    return result;
}
#endif

struct Row {
    uint64_t level0Bytes = 0, chainBytes = 0;
    double decodeMs = 0, compressMs = 0, psnrSource = 0, psnrToday = 0;
    bool ok = true;
};

struct Totals {
    uint64_t chainBytes = 0, rawBytes = 0;
};

}  // namespace

int main(int argc, char** argv) {
    int runs = 3;
    std::vector<fs::path> scans;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            scans.emplace_back(arg);
        }
    }
    if (scans.empty()) {
        scans.push_back(fs::path(VITRINE_SOURCE_DIR) / "assets/saxophone.glb");
        scans.push_back(fs::path(VITRINE_CORPUS_DIR) / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb");
    }
#ifdef VITRINE_HAVE_AVIF
    std::printf("AVIF: libavif %s (encoder speed 6, one thread)\n", avifVersion());
#else
    std::printf("AVIF: not measured (libavif-dev absent; scripts/setup-bench.sh installs it)\n");
#endif
    std::map<std::string, Totals> totals;  // "usage: candidate"
    for (const fs::path& scan : scans) {
        auto model = vt::scan::importScan(scan);
        if (!model) {
            std::fprintf(stderr, "%s\n", model.error().message.c_str());
            return 1;
        }
        std::vector<std::pair<int32_t, TextureUsage>> textures;
        auto use = [&](int32_t slot, TextureUsage usage) {
            if (slot < 0 || size_t(slot) >= model->images.size()) return;
            if (std::find(textures.begin(), textures.end(), std::make_pair(slot, usage)) == textures.end()) textures.push_back({slot, usage});
        };
        for (const vt::asset::Material& m : model->materials) {
            use(m.baseColorTexture, TextureUsage::Color);
            use(m.emissiveTexture, TextureUsage::Color);
            use(m.metallicRoughnessTexture, TextureUsage::Data);
            use(m.occlusionTexture, TextureUsage::Data);
            use(m.normalTexture, TextureUsage::Normal);
        }
        for (const auto& [index, usage] : textures) {
            const vt::asset::Image& source = model->images[size_t(index)];
            const vt::pack::TextureFormat format = vt::texture::chooseFormat(source, usage);
            const std::vector<vt::asset::Image> chain = vt::texture::mipChain(source, usage);
            const vt::asset::Image& top = chain[0];
            const int channels = usage == TextureUsage::Normal ? 2 : 3;
            const std::vector<uint8_t> todayBlocks = vt::pack::compressBlocks(top.rgba, top.width, top.height, format);
            const vt::asset::Image today = decodeBlocks(todayBlocks, format, top.width, top.height);
            std::printf("\n%s: image %d (%s) as %s map, %s %ux%u, %zu levels\n", scan.filename().c_str(), index, source.name.c_str(),
                        usageName(usage), std::string(vt::pack::textureFormatName(format)).c_str(), top.width, top.height, chain.size());
            std::printf("  %-29s %11s %11s %9s %11s %9s %10s %9s\n", "candidate", "level 0 B", "chain B", "decode ms", "compress ms",
                        "total ms", "PSNR src", "PSNR v2");
            for (const Candidate& candidate : candidatesFor(usage)) {
                Row row;
                std::vector<uint8_t> stored;
                vt::pack::MipEncoding encoding = vt::pack::MipEncoding::Raw;
#ifdef VITRINE_HAVE_AVIF
                if (candidate.avif) {
                    for (size_t level = 0; level < chain.size(); ++level) {
                        std::vector<uint8_t> bytes = level == 0 || std::max(chain[level].width, chain[level].height) >= 64
                                                         ? encodeAvif(chain[level], usage, candidate.avifQuality)
                                                         : std::vector<uint8_t>{};
                        std::vector<uint8_t> zstd = vt::pack::encodeZstd(
                            vt::pack::compressBlocks(chain[level].rgba, chain[level].width, chain[level].height, format), 19);
                        if (level == 0) stored = bytes;
                        row.chainBytes += bytes.empty() ? zstd.size() : std::min(bytes.size(), zstd.size());
                    }
                    row.level0Bytes = stored.size();
                    std::optional<vt::asset::Image> texels;
                    row.decodeMs = row.compressMs = 1e30;
                    for (int r = 0; r < runs; ++r) {
                        auto start = Clock::now();
                        texels = decodeAvif(stored);
                        row.decodeMs = std::min(row.decodeMs, msSince(start));
                    }
                    if (!texels || texels->width != top.width || texels->height != top.height) {
                        std::printf("  %-29s FAILED (libavif)\n", candidate.name.c_str());
                        continue;
                    }
                    std::vector<uint8_t> blocks;
                    for (int r = 0; r < runs; ++r) {
                        auto start = Clock::now();
                        blocks = vt::pack::compressBlocks(texels->rgba, top.width, top.height, format);
                        row.compressMs = std::min(row.compressMs, msSince(start));
                    }
                    const vt::asset::Image decoded = decodeBlocks(blocks, format, top.width, top.height);
                    row.psnrSource = psnr(top, decoded, channels);
                    row.psnrToday = psnr(today, decoded, channels);
                } else
#endif
                {
                    if (candidate.whole) {
                        if (source.jpeg.empty() && candidate.whole->color.sourceJpegSlack > 1e6f) continue;  // no source JPEG
                        vt::pack::PackTexture texture = vt::texture::encodeTexture(source, usage, 0, *candidate.whole);
                        for (const auto& mip : texture.mips) row.chainBytes += mip.size();
                        stored = std::move(texture.mips[0]);
                        encoding = texture.encodings[0];
                    } else {
                        for (size_t level = 0; level < chain.size(); ++level) {
                            vt::pack::MipEncoding levelEncoding = vt::pack::MipEncoding::Raw;
                            std::vector<uint8_t> bytes = vt::texture::encodeLevel(chain[level], format, candidate.choice, 19, levelEncoding);
                            row.chainBytes += bytes.size();
                            if (level == 0) stored = std::move(bytes), encoding = levelEncoding;
                        }
                    }
                    row.level0Bytes = stored.size();
                    // Decode (zstd: to blocks; images: to texels), then block-compress the texels.
                    row.decodeMs = row.compressMs = 1e30;
                    std::vector<uint8_t> blocks;
                    for (int r = 0; r < runs; ++r) {
                        auto start = Clock::now();
                        if (vt::pack::isImageEncoding(encoding)) {
                            auto texels = vt::pack::decodeMipImage(encoding, stored, top.width, top.height);
                            row.decodeMs = std::min(row.decodeMs, msSince(start));
                            if (!texels) {
                                row.ok = false;
                                break;
                            }
                            start = Clock::now();
                            blocks = vt::pack::compressBlocks(texels->rgba, top.width, top.height, format);
                            row.compressMs = std::min(row.compressMs, msSince(start));
                        } else {
                            auto decoded = vt::pack::decodeStoredMip(encoding, stored, format, top.width, top.height);
                            row.decodeMs = std::min(row.decodeMs, msSince(start));
                            row.compressMs = 0;
                            if (!decoded) {
                                row.ok = false;
                                break;
                            }
                            blocks = std::move(*decoded);
                        }
                    }
                    if (!row.ok) {
                        std::printf("  %-29s FAILED to decode\n", candidate.name.c_str());
                        continue;
                    }
                    const vt::asset::Image decoded = decodeBlocks(blocks, format, top.width, top.height);
                    row.psnrSource = psnr(top, decoded, channels);
                    row.psnrToday = psnr(today, decoded, channels);
                }
                const std::string name = candidate.whole ? std::format("{} ({})", candidate.name, vt::pack::mipEncodingName(encoding))
                                                         : candidate.name;
                std::printf("  %-29s %11llu %11llu %9.1f %11.1f %9.1f %10.2f %9.2f\n", name.c_str(),
                            (unsigned long long)row.level0Bytes, (unsigned long long)row.chainBytes, row.decodeMs, row.compressMs,
                            row.decodeMs + row.compressMs, row.psnrSource, std::min(row.psnrToday, 99.0));
                uint64_t rawBytes = 0;
                for (size_t level = 0; level < chain.size(); ++level)
                    rawBytes += vt::pack::mipByteSize(format, chain[level].width, chain[level].height);
                for (const std::string& key : {std::format("{:<7} {}", usageName(usage), candidate.name),
                                               std::format("{:<7} {}", "all", candidate.name)}) {
                    if (key.starts_with("all") && !candidate.whole &&
                        (candidate.avif || (candidate.choice.codec != WireCodec::Raw && candidate.choice.codec != WireCodec::Zstd)))
                        continue;  // per-usage codecs differ; the whole-texture rows and the block rows add up
                    totals[key].chainBytes += row.chainBytes;
                    totals[key].rawBytes += rawBytes;
                }
            }
            std::fflush(stdout);
        }
    }
    std::printf("\nAll textures, whole chains, per usage and candidate\n");
    std::printf("  %-32s %12s %12s %8s\n", "usage / candidate", "chain B", "BC raw B", "ratio");
    for (const auto& [name, total] : totals) {
        std::printf("  %-32s %12llu %12llu %8.3f\n", name.c_str(), (unsigned long long)total.chainBytes,
                    (unsigned long long)total.rawBytes, double(total.chainBytes) / double(std::max<uint64_t>(total.rawBytes, 1)));
    }
    return 0;
}
