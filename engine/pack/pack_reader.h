#pragma once
// Reads an artifact pack (docs/pack-format.md) from any ByteSource.
//
// open() reads the header and the directory and validates every count, offset and size in them, so
// the accessors below can be trusted. It reads kFirstRequestBytes, or what the source holds in memory
// (ByteSource::heldPrefixBytes) when that is less, and when the directory is longer, one more read
// of exactly the rest of it. It keeps what those reads brought of the root page, so readPage(0) reads
// only what is still missing (usually nothing): over HTTP a pack's first frame costs one request
// (two or three for packs too large for the first), and no byte is read twice. Other pages and mips
// are fetched, checksummed and decoded on demand.
// All input is untrusted: every failure is a vt::Error naming the label, the byte offset and what is
// wrong, e.g. "whale.vpk: byte 1234: page 7 extends past the end of the file (offset 99000 + size
// 4000 > 100000)". The reader never reads out of bounds and never asserts on input.
//
// The ByteSource must outlive the reader. A reader is not thread-safe (the source may not be).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "asset/cluster_lod.h"
#include "asset/model.h"
#include "core/result.h"
#include "pack/byte_source.h"
#include "pack/pack_format.h"

namespace vt::pack {

class PackReader {
public:
    static Result<PackReader> open(ByteSource& source, std::string label);

    const std::string& label() const { return label_; }
    const PackHeader& header() const { return header_; }
    const std::string& name() const { return name_; }
    const std::string& source() const { return sourceText_; }
    uint64_t dataOffset() const { return kHeaderBytes + uint64_t{header_.directoryCompressedBytes}; }

    // Directory records. Clusters are numbered in page order: page p holds clusters
    // [pages()[p].firstCluster, + clusterCount), whose records are in the page's payload
    // (readClusterInfos). Page 0 is the root page.
    std::span<const PageInfo> pages() const { return pages_; }
    std::span<const GroupInfo> groups() const { return groups_; }
    // All groups' consumer lists; consumersOf(g) is group g's (precondition: g < groups().size()).
    std::span<const uint32_t> consumers() const { return consumers_; }
    std::span<const uint32_t> consumersOf(uint32_t group) const {
        return std::span<const uint32_t>(consumers_).subspan(groups_[group].firstConsumer, groups_[group].consumerCount);
    }
    std::span<const asset::Material> materials() const { return materials_; }
    std::span<const TextureInfo> textures() const { return textures_; }
    std::span<const MipInfo> mips() const { return mips_; }  // all textures; see TextureInfo::firstMip
    // Precondition (not checked): texture < textures().size(), level < its mipCount.
    const MipInfo& mip(uint32_t texture, uint32_t level) const { return mips_[textures_[texture].firstMip + level]; }

    // Fetches, checksums, decompresses and decodes page `page`: its clusters, in page order, with
    // geometry and all metadata (parentError/parentBounds from the cluster's group). When `infos` is
    // given it receives the page's cluster records too (ClusterInfo, e.g. generatingGroup).
    Result<std::vector<asset::Cluster>> readPage(uint32_t page, std::vector<ClusterInfo>* infos = nullptr);
    // The same for bytes the caller fetched itself (e.g. one HTTP range): `compressed` must be the
    // page's compressedBytes bytes at its offset.
    Result<std::vector<asset::Cluster>> decodePage(uint32_t page, std::span<const uint8_t> compressed,
                                                   std::vector<ClusterInfo>* infos = nullptr) const;
    // Only the cluster records of a page (fetch, checksum, decompress; no geometry decoding).
    Result<std::vector<ClusterInfo>> readClusterInfos(uint32_t page);
    // Every page, as a hierarchy: clusters in directory order, groups as stored (ClusterGroup::clusters
    // rebuilt from the clusters' group fields).
    Result<asset::ClusterHierarchy> readHierarchy();

    // Fetches, checksums and decodes one mip: GPU blocks in TextureInfo::format, mipByteSize bytes,
    // whatever its MipInfo::encoding (zstd is undone; JPEG and WebP are decoded and block-compressed
    // here, on the calling thread: ~0.1-0.3 s for a 2048x2048 level, see docs/pack-format.md).
    Result<std::vector<uint8_t>> readTextureMip(uint32_t texture, uint32_t mip);
    // The same for stored bytes the caller fetched itself (`stored`: the mip's MipInfo::bytes at its
    // offset). Errors name the file byte where the decoder stopped, the texture and the mip.
    Result<std::vector<uint8_t>> decodeTextureMip(uint32_t texture, uint32_t mip, std::span<const uint8_t> stored) const;

    // Several mips (any textures, any order) in as few reads as the file layout allows: mips whose
    // stored bytes lie close together are fetched with one read spanning them (the writer puts every
    // texture's small mips in one run after the root page and orders the rest by size, so a level of
    // every texture is usually one read). The result is in `wanted`'s order, each checksummed and
    // decoded to GPU blocks (decodeTextureMip).
    // Reads through `source`, which must hold the same pack (e.g. a second source for a worker
    // thread: this only reads the directory, so one open reader can serve another thread's source).
    struct MipRef {
        uint32_t texture = 0;
        uint32_t level = 0;
    };
    Result<std::vector<std::vector<uint8_t>>> readTextureMips(ByteSource& source, std::span<const MipRef> wanted) const;

private:
    PackReader(ByteSource& source, std::string label) : source_(&source), label_(std::move(label)) {}
    Result<void> parseDirectory(std::span<const uint8_t> directory);
    Result<std::vector<uint8_t>> decompressPage(uint32_t page, std::span<const uint8_t> compressed) const;
    // The page's cluster records, checked; `recordBytes` receives how many payload bytes they took.
    Result<std::vector<ClusterInfo>> parseClusterRecords(uint32_t page, std::span<const uint8_t> payload,
                                                         size_t* recordBytes = nullptr) const;
    // A page's compressed bytes: what rootPage_ holds of it, the rest from the source.
    Result<std::vector<uint8_t>> readPageBytes(uint32_t page);

    ByteSource* source_;
    std::string label_;
    PackHeader header_;
    std::string name_, sourceText_;
    std::vector<PageInfo> pages_;
    std::vector<GroupInfo> groups_;
    std::vector<uint32_t> consumers_;
    std::vector<asset::Material> materials_;
    std::vector<TextureInfo> textures_;
    std::vector<MipInfo> mips_;
    std::vector<uint8_t> rootPage_;  // the start of page 0's compressed bytes (all of them, usually), from open
};

}  // namespace vt::pack
