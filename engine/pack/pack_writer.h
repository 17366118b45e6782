#pragma once
// Writes an artifact pack: one file per scanned object, laid out for HTTP range requests
// (docs/pack-format.md). Coarse data first: header, directory, root page, small texture mips,
// geometry pages from coarse to fine, then the large texture mips.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <glm/gtc/quaternion.hpp>

#include "asset/cluster_lod.h"
#include "asset/model.h"
#include "core/result.h"
#include "pack/pack_format.h"

namespace vt::pack {

// A texture's mips as the pack stores them (as given: the writer never re-encodes them). Mip i is
// GPU blocks of `format` (encodings empty or Raw: exactly mipByteSize() bytes) or encoded as
// encodings[i] says (pack/texture_codec.h makes them; tools/pack/texture_compress.h chooses).
struct PackTexture {
    TextureFormat format = TextureFormat::Rgba8Srgb;
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<std::vector<uint8_t>> mips;  // mip 0 = width x height
    std::vector<MipEncoding> encodings;      // empty (all raw) or one per mip
};

struct PackContents {
    std::string name;    // display name, <= kMaxStringBytes bytes of UTF-8
    std::string source;  // provenance (file, collection, record id), <= kMaxStringBytes bytes
    float millimetresPerUnit = 1000.0f;
    glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};  // w, x, y, z: model -> Y-up metres world
    asset::ClusterHierarchy hierarchy;
    std::vector<asset::Material> materials;  // texture fields index `textures`
    std::vector<PackTexture> textures;
};

struct WriteOptions {
    // Aim for geometry pages of about this many bytes before zstd (a page never splits a group, so
    // one large group can exceed it).
    uint32_t pageTargetBytes = 32 * 1024;
    // The root page takes the coarsest level, then whole finer levels while it stays within this many
    // compressed bytes; at most kMaxRootPageBytes. Writing fails if the coarsest level alone is larger.
    // 32 KiB: the first frame waits for the directory and this page, so a smaller root page draws
    // sooner over slow links (Zenobia: 47 KB before the first frame instead of 69 KB) at the cost of
    // starting one level coarser; the next level arrives as an ordinary page moments later.
    uint32_t rootPageBytes = 32 * 1024;
    // Position grid: 2^positionBits - 1 steps across the largest extent of the artifact's box, 8..16
    // (stored as uint16 either way; the codecs compress unused low bits away). 14 (gltfpack's default)
    // puts a 50 cm skull on a 30 um grid (error <= 15 um), below what museum scans resolve; each
    // extra bit costs ~0.5 B per input triangle on the whale. A source whose positions already lie on a
    // coarser grid (a Draco or quantized glTF) keeps that grid instead (source_grid.h).
    uint32_t positionBits = 14;
    // Texcoord grid: 2^texcoordBits - 1 steps across the UV range per component, 8..16; 0 = automatic:
    // the fewest bits that keep the error within 1/8 texel of the largest texture (13 bits for one
    // 2048 texture over [0, 1]), at least 10; 16 when the pack has no textures.
    uint32_t texcoordBits = 0;
    // Octahedral normal bits per component, 8 (max error ~0.6 degrees) or 16.
    uint32_t normalBits = 8;
    // zstd level for pages and the directory; 1..22.
    int zstdLevel = 19;
    // Reorder each cluster's vertices and triangles for the codecs (vertex cache order, vertices in
    // first-use order): smaller files, same surface. Off keeps vertex and index order as given.
    bool optimizeOrder = true;
    // Mips of at most this many bytes go right after the root page; larger mips go at the end.
    uint32_t earlyMipBytes = 16 * 1024;
};

struct WriteStats {
    uint64_t totalBytes = 0;
    uint64_t directoryBytes = 0;  // header + compressed directory
    uint64_t geometryBytes = 0;   // all pages, root included, compressed
    uint64_t textureBytes = 0;
    uint64_t rootPageBytes = 0;   // compressed
    uint64_t largestPageBytes = 0;
    uint32_t pageCount = 0;
    uint32_t clusterCount = 0;
    uint32_t rootLevels = 0;      // how many of the coarsest levels the root page holds
    uint64_t triangleCount = 0;   // over all levels
    uint64_t vertexCount = 0;
};

// Validates `contents` (every count, index and size; see the limits in pack_format.h), encodes it and
// writes it to `path` atomically: a temporary file in the same folder, fsync, rename over `path`, so
// `path` holds either its old contents or the complete new pack. The temporary file is removed on any
// failure. Deterministic: the same contents and options give byte-identical files.
Result<WriteStats> writePack(const std::filesystem::path& path, const PackContents& contents,
                             const WriteOptions& options = {});

// The same bytes writePack would write, in memory (tests, uploads).
Result<std::vector<uint8_t>> encodePack(const PackContents& contents, const WriteOptions& options = {},
                                        WriteStats* stats = nullptr);

}  // namespace vt::pack
