#pragma once
// The artifact pack format, as the reader exposes it: constants, limits and the parsed directory
// records. The byte layout is specified in docs/pack-format.md; this header is its in-memory form.
//
// The directory holds page and group records: everything a runtime needs to decide which pages to
// fetch (each group's page, simplified error and sphere, and the coarser groups its simplification
// feeds). Cluster records travel inside their page's payload, so decoding a page yields its clusters
// with full metadata and the directory stays small (one round trip plus the root page to a first frame).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <glm/glm.hpp>

#include "asset/cluster_lod.h"
#include "core/bounds.h"

namespace vt::pack {

// File identification: "VTPK", then the format version. Readers reject other versions.
constexpr std::array<uint8_t, 4> kMagic{'V', 'T', 'P', 'K'};
constexpr uint32_t kVersion = 4;
constexpr uint32_t kHeaderBytes = 192;  // fixed size of the header; the directory follows it

// A client's first read, bytes: one range request of this many bytes holds the header, the
// directory and the root page of all but very large packs; when header.directoryCompressedBytes says
// the directory is longer, a second request gets exactly its rest and a third the root page.
constexpr uint32_t kFirstRequestBytes = 64 * 1024;

// Limits the reader enforces before it allocates or decodes anything (untrusted input).
constexpr uint32_t kMaxDirectoryBytes = 64u << 20;      // uncompressed directory
constexpr uint32_t kMaxPageBytes = 8u << 20;            // uncompressed page payload
constexpr uint32_t kMaxRootPageBytes = 64u * 1024;      // compressed root page (page 0)
constexpr uint32_t kMaxStringBytes = 4096;              // name, source, material names
constexpr uint32_t kFormatMaxClusterVertices = 255;     // local indices are bytes
constexpr uint32_t kFormatMaxClusterTriangles = 1024;  // what a pack may hold; the builder makes <= asset::kMaxClusterTriangles (128)
constexpr uint32_t kMaxLevels = 64;
constexpr uint32_t kMaxTextureSize = 16384;             // texels per side
constexpr uint32_t kMaxTextureMips = 15;                // log2(16384) + 1
constexpr uint32_t kPagePayloadHeaderBytes = 36;        // nine geometry stream sizes, see docs
constexpr uint32_t kMaxGroupConsumers = 65535;          // u16 count per group record
constexpr uint32_t kNoGroup = 0xffffffffu;              // ClusterInfo::generatingGroup of level-0 clusters

// Cluster attribute flags (ClusterInfo::attributes). Positions are always present.
constexpr uint8_t kHasNormals = 1;
constexpr uint8_t kHasTexcoords = 2;
constexpr uint8_t kHasColors = 4;
constexpr uint8_t kKnownAttributes = kHasNormals | kHasTexcoords | kHasColors;

// GPU texture formats the pack stores (already-compressed blocks or plain RGBA8).
enum class TextureFormat : uint32_t {
    Rgba8Unorm = 1,
    Rgba8Srgb = 2,
    Bc1Unorm = 3,
    Bc1Srgb = 4,
    Bc3Unorm = 5,
    Bc3Srgb = 6,
    Bc4Unorm = 7,
    Bc5Unorm = 8,
    Bc7Unorm = 9,
    Bc7Srgb = 10,
};

// How a mip's bytes are stored in the pack (MipInfo::encoding). The reader turns every encoding into
// GPU blocks of the texture's format (pack/texture_codec.h).
enum class MipEncoding : uint8_t {
    Raw = 0,   // the GPU blocks as they are: mipByteSize(format, w, h) bytes
    Zstd = 1,  // one zstd frame whose content is the GPU blocks (content size stored in the frame)
    Jpeg = 2,  // a baseline JPEG (1 or 3 components) of the level's texels, alpha 255; block-compressed by the reader
    Webp = 3,  // a WebP image (lossy or lossless, alpha optional) of the level's texels; likewise
};

// nullopt for codes this version does not know.
std::optional<MipEncoding> mipEncodingFromCode(uint32_t code);
std::string_view mipEncodingName(MipEncoding encoding);

// nullopt for codes this version does not know.
std::optional<TextureFormat> textureFormatFromCode(uint32_t code);
std::string_view textureFormatName(TextureFormat format);
bool isSrgb(TextureFormat format);
// Bytes of one mip of the given size: 4x4 blocks for BC formats (8 bytes for BC1/BC4, 16 for the
// rest), 4 bytes per texel for RGBA8.
uint64_t mipByteSize(TextureFormat format, uint32_t width, uint32_t height);
// Number of mips of a full chain down to 1x1.
uint32_t fullMipCount(uint32_t width, uint32_t height);

// The fixed header, parsed.
struct PackHeader {
    uint32_t version = kVersion;
    uint64_t fileBytes = 0;
    uint32_t directoryCompressedBytes = 0;
    uint32_t directoryBytes = 0;  // uncompressed
    uint64_t directoryChecksum = 0;
    uint32_t pageCount = 0;
    uint32_t clusterCount = 0;
    uint32_t groupCount = 0;
    uint32_t materialCount = 0;
    uint32_t textureCount = 0;
    uint32_t mipCount = 0;  // over all textures
    uint32_t levelCount = 0;
    uint32_t normalBits = 8;  // octahedral bits per component: 8 or 16

    // Quantization. Decoded position = positionOrigin + q * positionStep (q: uint16 per axis);
    // |decoded - original| <= positionErrorBound per axis (half a step), plus float rounding.
    glm::vec3 positionOrigin{0.0f};
    float positionStep = 1.0f;
    float positionErrorBound = 0.5f;
    // Decoded texcoord = texcoordOrigin + q * texcoordStep (q: uint16 per component); error <= step/2.
    glm::vec2 texcoordOrigin{0.0f};
    glm::vec2 texcoordStep{1.0f};

    float millimetresPerUnit = 1000.0f;
    glm::vec4 orientation{0.0f, 0.0f, 0.0f, 1.0f};  // quaternion x, y, z, w: model -> Y-up metres world
    Bounds bounds;                                  // of level 0, model units
    uint64_t inputTriangles = 0;
    uint64_t headerChecksum = 0;
};

// One page: a zstd frame holding whole groups of one or (the root page) several levels.
struct PageInfo {
    uint64_t offset = 0;            // from the start of the file
    uint32_t compressedBytes = 0;   // bytes in the file
    uint32_t uncompressedBytes = 0;
    uint64_t checksum = 0;          // XXH3_64bits of the compressed bytes
    uint32_t firstCluster = 0;      // the page holds clusters [firstCluster, firstCluster + clusterCount)
    uint32_t clusterCount = 0;
    uint32_t vertexCount = 0;       // over its clusters (the GPU cost is known before fetching)
    uint32_t triangleCount = 0;
    uint8_t finestLevel = 0;        // levels of the clusters it holds
    uint8_t coarsestLevel = 0;
};

// A group: the clusters of one level simplified together, and so replaced together.
struct GroupInfo {
    asset::Sphere simplifiedBounds{0.0f};  // == parentBounds of its clusters
    float simplifiedError = 0.0f;          // == parentError of its clusters; asset::kNoParent at the root
    uint32_t level = 0;
    uint32_t page = 0;                     // the one page holding all its clusters
    // Consumers: the groups holding the clusters this group's simplification generated (all of a
    // higher level), PackReader::consumers()[firstConsumer, + consumerCount).
    uint32_t firstConsumer = 0;
    uint32_t consumerCount = 0;
};

// Cluster metadata: everything LOD selection and culling need, without the geometry. Stored at the
// start of its page's payload (PackReader::readClusterInfos / readPage).
struct ClusterInfo {
    asset::Sphere bounds{0.0f};
    asset::Sphere lodBounds{0.0f};
    float error = 0.0f;
    uint32_t page = 0;   // not stored: the page whose payload holds the record
    uint32_t group = 0;  // parentBounds/parentError are the group's simplifiedBounds/simplifiedError
    // The finer group whose simplification produced this cluster (its simplifiedError/simplifiedBounds
    // equal error/lodBounds); kNoGroup at level 0. This cluster's group is among its consumers.
    uint32_t generatingGroup = kNoGroup;
    uint32_t material = 0;
    uint16_t vertexCount = 0;
    uint16_t triangleCount = 0;
    uint8_t level = 0;
    uint8_t attributes = 0;  // kHasNormals | kHasTexcoords | kHasColors
};

struct TextureInfo {
    TextureFormat format = TextureFormat::Rgba8Unorm;
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t mipCount = 0;
    uint32_t firstMip = 0;  // index into the mip table; mips [firstMip, firstMip + mipCount), mip 0 first
};

struct MipInfo {
    uint64_t offset = 0;
    uint32_t bytes = 0;     // stored bytes
    MipEncoding encoding = MipEncoding::Raw;
    uint64_t checksum = 0;  // XXH3_64bits of the stored bytes
};

}  // namespace vt::pack
