#pragma once
// Real texels and encoded textures for the texture wire tests (pack_tests).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "asset/model.h"
#include "pack/pack_writer.h"
#include "pack/texture_codec.h"

namespace vt::pack::test {

// 256x256 crops from the middle of the corpus saxophone's base colour and normal map (real
// photogrammetry texels), imported once per process. On failure the images are empty and `error` says why.
struct RealTexels {
    asset::Image color, normal;
    std::string error;
};
const RealTexels& realTexels();

// `top` halved (2x2 box average) down to 1x1.
std::vector<asset::Image> boxChain(const asset::Image& top);

// A texture of `format` with one mip per level, each stored with `encoding` (JPEG and WebP at quality
// 90; BC5's JPEG codes R, G and B apart).
PackTexture encodedTexture(const std::vector<asset::Image>& levels, TextureFormat format, MipEncoding encoding);

// BC1/BC3/BC5 blocks back to RGBA8 (tools/pack/texture_compress's decoder).
std::vector<uint8_t> decodeBc(std::span<const uint8_t> blocks, TextureFormat format, uint32_t width, uint32_t height);

// Rewrites the header checksum after a test edited header bytes.
void fixHeaderChecksum(std::vector<uint8_t>& pack);

}  // namespace vt::pack::test
