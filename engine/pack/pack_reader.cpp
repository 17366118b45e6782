#include "pack/pack_reader.h"

#include <algorithm>
#include <cmath>
#include <format>

#include <xxhash.h>
#include <zstd.h>

#include "pack/byte_io.h"
#include "pack/cluster_records.h"
#include "pack/geometry_codec.h"
#include "pack/texture_codec.h"

namespace vt::pack {
namespace {

using detail::ByteCursor;

// Record sizes in the directory (docs/pack-format.md); used to bound counts before allocating.
constexpr uint64_t kMaterialRecordMin = 2 + 12 * 4 + 4 + 5 * 4;
constexpr uint64_t kTextureRecordBytes = 20;
constexpr uint64_t kMipRecordBytes = 24;
constexpr uint64_t kPageRecordBytes = 44;
constexpr uint64_t kGroupRecordBytes = 28;

bool finite(glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

// offset + size <= limit, without overflow.
bool fits(uint64_t offset, uint64_t size, uint64_t limit) { return offset <= limit && size <= limit - offset; }

}  // namespace

Result<PackReader> PackReader::open(ByteSource& source, std::string label) {
    PackReader reader(source, std::move(label));
    const std::string& name = reader.label_;
    const uint64_t fileBytes = source.size();
    if (fileBytes < kHeaderBytes) {
        return fail("{}: byte 0: the file is {} bytes, shorter than the {}-byte pack header", name, fileBytes, kHeaderBytes);
    }
    // The first read: kFirstRequestBytes (header, directory and root page of all but very large
    // packs), or less when the source holds less in memory (free), so the next read asks for exactly
    // what is missing.
    uint64_t firstBytes = std::min<uint64_t>(fileBytes, kFirstRequestBytes);
    if (const uint64_t held = source.heldPrefixBytes(); held >= kHeaderBytes) firstBytes = std::min(firstBytes, held);
    auto first = source.read(0, firstBytes);
    if (!first) return fail("{}: byte 0: {}", name, first.error().message);
    std::vector<uint8_t>& opening = *first;  // bytes [0, opening.size()) of the file

    ByteCursor cursor(*first, 0);
    const auto magic = cursor.raw(4);
    if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
        return fail("{}: byte 0: not a Vitrine pack (expected the magic \"VTPK\")", name);
    }
    PackHeader& h = reader.header_;
    h.version = cursor.u32();
    if (h.version < kVersion) {
        return fail("{}: byte 4: pack format version {} is older than this reader's version {} (version 4 codes geometry "
                    "with its own predictive coder); convert the scan again with `vitrine import-scan`", name, h.version, kVersion);
    }
    if (h.version != kVersion) {
        return fail("{}: byte 4: pack format version {} is newer than this reader's version {}; update Vitrine", name, h.version, kVersion);
    }
    const uint32_t headerBytes = cursor.u32();
    if (headerBytes != kHeaderBytes) return fail("{}: byte 8: header size {} is not {}", name, headerBytes, kHeaderBytes);
    {
        ByteCursor check(*first, 0);
        check.raw(kHeaderBytes - 8);
        h.headerChecksum = check.u64();
        const uint64_t computed = XXH3_64bits(first->data(), kHeaderBytes - 8);
        if (computed != h.headerChecksum) {
            return fail("{}: byte {}: header checksum mismatch (stored {:016x}, computed {:016x}): the header is corrupt",
                        name, kHeaderBytes - 8, h.headerChecksum, computed);
        }
    }
    if (const uint32_t flags = cursor.u32(); flags != 0) return fail("{}: byte 12: unknown flags {:#x}", name, flags);
    h.fileBytes = cursor.u64();
    if (h.fileBytes != fileBytes) {
        return fail("{}: byte 16: the header says the file is {} bytes but it is {} (truncated or damaged in transfer)", name,
                    h.fileBytes, fileBytes);
    }
    h.directoryCompressedBytes = cursor.u32();
    h.directoryBytes = cursor.u32();
    h.directoryChecksum = cursor.u64();
    h.pageCount = cursor.u32();
    h.clusterCount = cursor.u32();
    h.groupCount = cursor.u32();
    h.materialCount = cursor.u32();
    h.textureCount = cursor.u32();
    h.mipCount = cursor.u32();
    h.levelCount = cursor.u32();
    h.normalBits = cursor.u32();
    h.positionOrigin = cursor.vec3();
    h.positionStep = cursor.f32();
    h.positionErrorBound = cursor.f32();
    h.texcoordOrigin = cursor.vec2();
    h.texcoordStep = cursor.vec2();
    h.millimetresPerUnit = cursor.f32();
    h.orientation = cursor.vec4();
    h.bounds.min = cursor.vec3();
    h.bounds.max = cursor.vec3();
    h.inputTriangles = cursor.u64();
    for (uint64_t at = cursor.offset(); at < kHeaderBytes - 8; ++at) {
        if (cursor.u8() != 0) return fail("{}: byte {}: reserved header byte is not zero", name, at);
    }

    if (h.directoryCompressedBytes == 0 || !fits(kHeaderBytes, h.directoryCompressedBytes, fileBytes)) {
        return fail("{}: byte 24: the directory extends past the end of the file (offset {} + size {} > {})", name,
                    kHeaderBytes, h.directoryCompressedBytes, fileBytes);
    }
    if (h.directoryBytes > kMaxDirectoryBytes) {
        return fail("{}: byte 28: directory size {} is over the {}-byte limit", name, h.directoryBytes, kMaxDirectoryBytes);
    }
    const uint64_t minimumDirectory = 4 + h.materialCount * kMaterialRecordMin + h.textureCount * kTextureRecordBytes +
                                      h.mipCount * kMipRecordBytes + h.pageCount * kPageRecordBytes +
                                      h.groupCount * kGroupRecordBytes;
    if (minimumDirectory > h.directoryBytes) {
        return fail("{}: byte 40: the record counts need at least {} directory bytes but the directory has {}", name,
                    minimumDirectory, h.directoryBytes);
    }
    if (h.pageCount == 0 || h.clusterCount == 0) return fail("{}: byte 40: the pack has no pages or no clusters", name);
    if (h.levelCount == 0 || h.levelCount > kMaxLevels) return fail("{}: byte 64: level count {} is outside 1..{}", name, h.levelCount, kMaxLevels);
    if (h.normalBits != 8 && h.normalBits != 16) return fail("{}: byte 68: normal bits {} is not 8 or 16", name, h.normalBits);
    if (!finite(h.positionOrigin) || !(h.positionStep > 0.0f) || !std::isfinite(h.positionStep) ||
        !(h.positionErrorBound >= 0.0f) || !std::isfinite(h.texcoordOrigin.x) || !std::isfinite(h.texcoordOrigin.y) ||
        !(h.texcoordStep.x > 0.0f) || !(h.texcoordStep.y > 0.0f) || !std::isfinite(h.texcoordStep.x) ||
        !std::isfinite(h.texcoordStep.y)) {
        return fail("{}: byte 72: quantization parameters are not finite positive numbers", name);
    }
    if (!(h.millimetresPerUnit > 0.0f) || !std::isfinite(h.millimetresPerUnit)) {
        return fail("{}: byte 108: millimetres per unit {} is not a positive number", name, h.millimetresPerUnit);
    }

    // The directory: usually already in the first read; otherwise one more read for exactly the rest.
    // (The root page behind it comes with readPage(0): where it ends is known only from the directory.)
    const uint64_t directoryEnd = kHeaderBytes + uint64_t{h.directoryCompressedBytes};
    if (directoryEnd > opening.size()) {
        auto rest = source.read(opening.size(), directoryEnd - opening.size());
        if (!rest) return fail("{}: byte {}: {}", name, opening.size(), rest.error().message);
        opening.insert(opening.end(), rest->begin(), rest->end());
    }
    const auto compressed = std::span<const uint8_t>(opening).subspan(kHeaderBytes, h.directoryCompressedBytes);
    const uint64_t computed = XXH3_64bits(compressed.data(), compressed.size());
    if (computed != h.directoryChecksum) {
        return fail("{}: byte {}: directory checksum mismatch (stored {:016x}, computed {:016x}): the directory is corrupt",
                    name, kHeaderBytes, h.directoryChecksum, computed);
    }
    std::vector<uint8_t> directory(h.directoryBytes);
    const size_t got = ZSTD_decompress(directory.data(), directory.size(), compressed.data(), compressed.size());
    if (ZSTD_isError(got) || got != directory.size()) {
        return fail("{}: byte {}: the directory does not decompress to its {} bytes ({})", name, kHeaderBytes,
                    h.directoryBytes, ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size");
    }
    if (auto parsed = reader.parseDirectory(directory); !parsed) return std::unexpected(parsed.error());

    // Keep what these reads brought of the root page, so readPage(0) reads at most the rest.
    const PageInfo& root = reader.pages_[0];
    if (root.offset < opening.size()) {
        const uint64_t end = std::min<uint64_t>(opening.size(), root.offset + root.compressedBytes);
        reader.rootPage_.assign(opening.begin() + static_cast<std::ptrdiff_t>(root.offset),
                                opening.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return reader;
}

Result<void> PackReader::parseDirectory(std::span<const uint8_t> directory) {
    const PackHeader& h = header_;
    const std::string& name = label_;
    const uint64_t dataBytes = h.fileBytes - dataOffset();
    ByteCursor cursor(directory, 0);
    auto truncated = [&]() { return fail("{}: directory byte {}: the directory ends inside a record", name, cursor.failedAt()); };

    name_ = cursor.string(kMaxStringBytes);
    sourceText_ = cursor.string(kMaxStringBytes);
    if (!cursor.ok()) return fail("{}: directory byte {}: name or source string is longer than {} bytes or truncated", name, cursor.failedAt(), kMaxStringBytes);

    materials_.resize(h.materialCount);
    for (uint32_t m = 0; m < h.materialCount; ++m) {
        const uint64_t at = cursor.offset();
        asset::Material& material = materials_[m];
        material.name = cursor.string(kMaxStringBytes);
        material.baseColorFactor = cursor.vec4();
        material.emissiveFactor = cursor.vec3();
        material.metallicFactor = cursor.f32();
        material.roughnessFactor = cursor.f32();
        material.normalScale = cursor.f32();
        material.occlusionStrength = cursor.f32();
        material.alphaCutoff = cursor.f32();
        const uint8_t alphaMode = cursor.u8();
        const uint8_t doubleSided = cursor.u8();
        const uint16_t reserved = cursor.u16();
        int32_t* slots[] = {&material.baseColorTexture, &material.metallicRoughnessTexture, &material.normalTexture,
                            &material.occlusionTexture, &material.emissiveTexture};
        for (int32_t* slot : slots) *slot = cursor.i32();
        if (!cursor.ok()) return truncated();
        if (alphaMode > static_cast<uint8_t>(asset::AlphaMode::Blend) || doubleSided > 1 || reserved != 0) {
            return fail("{}: directory byte {}: material {}: invalid alpha mode {} or flags", name, at, m, alphaMode);
        }
        material.alphaMode = static_cast<asset::AlphaMode>(alphaMode);
        material.doubleSided = doubleSided != 0;
        for (const int32_t* slot : slots) {
            if (*slot != asset::kNoTexture && (*slot < 0 || static_cast<uint32_t>(*slot) >= h.textureCount)) {
                return fail("{}: directory byte {}: material {} uses texture {} but the pack has {} textures", name, at, m,
                            *slot, h.textureCount);
            }
        }
    }

    textures_.resize(h.textureCount);
    uint64_t mipTotal = 0;
    for (uint32_t t = 0; t < h.textureCount; ++t) {
        const uint64_t at = cursor.offset();
        const uint32_t code = cursor.u32();
        TextureInfo& texture = textures_[t];
        texture.width = cursor.u32();
        texture.height = cursor.u32();
        texture.mipCount = cursor.u32();
        texture.firstMip = cursor.u32();
        if (!cursor.ok()) return truncated();
        const auto format = textureFormatFromCode(code);
        if (!format) return fail("{}: directory byte {}: texture {} has unknown format code {}", name, at, t, code);
        texture.format = *format;
        if (texture.width == 0 || texture.height == 0 || texture.width > kMaxTextureSize || texture.height > kMaxTextureSize) {
            return fail("{}: directory byte {}: texture {} size {}x{} is outside 1..{}", name, at, t, texture.width,
                        texture.height, kMaxTextureSize);
        }
        if (texture.mipCount == 0 || texture.mipCount > fullMipCount(texture.width, texture.height)) {
            return fail("{}: directory byte {}: texture {} has {} mips, a {}x{} texture has 1..{}", name, at, t,
                        texture.mipCount, texture.width, texture.height, fullMipCount(texture.width, texture.height));
        }
        if (texture.firstMip != mipTotal) {
            return fail("{}: directory byte {}: texture {} starts at mip record {}, expected {}", name, at, t, texture.firstMip, mipTotal);
        }
        mipTotal += texture.mipCount;
    }
    if (mipTotal != h.mipCount) return fail("{}: directory byte {}: textures have {} mips but the header says {}", name, cursor.offset(), mipTotal, h.mipCount);

    mips_.resize(h.mipCount);
    for (uint32_t t = 0; t < h.textureCount; ++t) {
        const TextureInfo& texture = textures_[t];
        for (uint32_t level = 0; level < texture.mipCount; ++level) {
            const uint64_t at = cursor.offset();
            MipInfo& mip = mips_[texture.firstMip + level];
            const uint64_t relative = cursor.u64();
            mip.bytes = cursor.u32();
            const uint8_t encodingCode = cursor.u8();
            const uint8_t reserved8 = cursor.u8();
            const uint16_t reserved16 = cursor.u16();
            mip.checksum = cursor.u64();
            if (!cursor.ok()) return truncated();
            if (reserved8 != 0 || reserved16 != 0) {
                return fail("{}: directory byte {}: texture {} mip {}: reserved field is not zero", name, at, t, level);
            }
            const auto encoding = mipEncodingFromCode(encodingCode);
            if (!encoding) return fail("{}: directory byte {}: texture {} mip {}: unknown encoding {}", name, at + 12, t, level, encodingCode);
            mip.encoding = *encoding;
            if (!canStore(mip.encoding, texture.format)) {
                return fail("{}: directory byte {}: texture {} mip {}: a {} mip cannot be block-compressed to {}", name, at + 12, t,
                            level, mipEncodingName(mip.encoding), textureFormatName(texture.format));
            }
            const uint32_t w = std::max(1u, texture.width >> level), hgt = std::max(1u, texture.height >> level);
            const uint64_t expected = mipByteSize(texture.format, w, hgt);
            if (mip.encoding == MipEncoding::Raw && mip.bytes != expected) {
                return fail("{}: directory byte {}: texture {} mip {} is {} bytes, but {} {}x{} is {}", name, at, t, level,
                            mip.bytes, textureFormatName(texture.format), w, hgt, expected);
            }
            if (mip.bytes == 0) return fail("{}: directory byte {}: texture {} mip {} ({}) is empty", name, at, t, level, mipEncodingName(mip.encoding));
            if (!fits(relative, mip.bytes, dataBytes)) {
                return fail("{}: directory byte {}: texture {} mip {} extends past the end of the file (offset {} + size {} > {})",
                            name, at, t, level, dataOffset() + std::min(relative, dataBytes + 1), mip.bytes, h.fileBytes);
            }
            mip.offset = dataOffset() + relative;
        }
    }

    pages_.resize(h.pageCount);
    uint64_t clusterTotal = 0;
    for (uint32_t p = 0; p < h.pageCount; ++p) {
        const uint64_t at = cursor.offset();
        PageInfo& page = pages_[p];
        const uint64_t relative = cursor.u64();
        page.compressedBytes = cursor.u32();
        page.uncompressedBytes = cursor.u32();
        page.checksum = cursor.u64();
        page.firstCluster = cursor.u32();
        page.clusterCount = cursor.u32();
        page.vertexCount = cursor.u32();
        page.triangleCount = cursor.u32();
        page.finestLevel = cursor.u8();
        page.coarsestLevel = cursor.u8();
        const uint16_t reserved = cursor.u16();
        if (!cursor.ok()) return truncated();
        if (reserved != 0) return fail("{}: directory byte {}: page {}: reserved field is not zero", name, at, p);
        if (!fits(relative, page.compressedBytes, dataBytes)) {
            // Report absolute offsets: that is what a curator sees with a hex editor.
            return fail("{}: directory byte {}: page {} extends past the end of the file (offset {} + size {} > {})", name,
                        at, p, dataOffset() + std::min(relative, dataBytes + 1), page.compressedBytes, h.fileBytes);
        }
        page.offset = dataOffset() + relative;
        if (page.compressedBytes == 0 || page.uncompressedBytes < kPagePayloadHeaderBytes + detail::kClusterRecordBytes ||
            page.uncompressedBytes > kMaxPageBytes) {
            return fail("{}: directory byte {}: page {} sizes (compressed {}, uncompressed {}) are outside {}..{}", name, at, p,
                        page.compressedBytes, page.uncompressedBytes, kPagePayloadHeaderBytes + detail::kClusterRecordBytes, kMaxPageBytes);
        }
        if (p == 0 && page.compressedBytes > kMaxRootPageBytes) {
            return fail("{}: directory byte {}: the root page is {} bytes, over the {}-byte limit", name, at, page.compressedBytes, kMaxRootPageBytes);
        }
        if (page.firstCluster != clusterTotal || page.clusterCount == 0 || page.clusterCount > h.clusterCount - clusterTotal) {
            return fail("{}: directory byte {}: page {} holds clusters {}+{}, expected to start at {} and stay within {}", name,
                        at, p, page.firstCluster, page.clusterCount, clusterTotal, h.clusterCount);
        }
        if (page.finestLevel > page.coarsestLevel || page.coarsestLevel >= h.levelCount) {
            return fail("{}: directory byte {}: page {} levels {}..{} are invalid (level count {})", name, at, p,
                        page.finestLevel, page.coarsestLevel, h.levelCount);
        }
        clusterTotal += page.clusterCount;
    }
    if (clusterTotal != h.clusterCount) {
        return fail("{}: directory byte {}: pages hold {} clusters but the header says {}", name, cursor.offset(), clusterTotal, h.clusterCount);
    }

    groups_.resize(h.groupCount);
    uint64_t consumerTotal = 0;
    for (uint32_t g = 0; g < h.groupCount; ++g) {
        const uint64_t at = cursor.offset();
        GroupInfo& group = groups_[g];
        group.simplifiedBounds = cursor.vec4();
        group.simplifiedError = cursor.f32();
        group.page = cursor.u32();
        group.level = cursor.u8();
        const uint8_t reserved = cursor.u8();
        group.consumerCount = cursor.u16();
        group.firstConsumer = static_cast<uint32_t>(consumerTotal);
        consumerTotal += group.consumerCount;
        if (!cursor.ok()) return truncated();
        if (reserved != 0) return fail("{}: directory byte {}: group {}: reserved field is not zero", name, at, g);
        if (group.level >= h.levelCount) return fail("{}: directory byte {}: group {} level {} >= level count {}", name, at, g, group.level, h.levelCount);
        if (group.page >= h.pageCount) return fail("{}: directory byte {}: group {} page {} >= page count {}", name, at, g, group.page, h.pageCount);
    }
    if (consumerTotal * 4 != cursor.remaining()) {
        return fail("{}: directory byte {}: the groups list {} consumers ({} bytes) but {} bytes remain", name, cursor.offset(),
                    consumerTotal, consumerTotal * 4, cursor.remaining());
    }
    consumers_.resize(consumerTotal);
    for (uint32_t g = 0; g < h.groupCount; ++g) {
        const GroupInfo& group = groups_[g];
        for (uint32_t i = group.firstConsumer; i < group.firstConsumer + group.consumerCount; ++i) {
            const uint64_t at = cursor.offset();
            const uint32_t consumer = cursor.u32();
            if (consumer >= h.groupCount || groups_[consumer].level <= group.level) {
                return fail("{}: directory byte {}: group {} (level {}) lists consumer {}, not a coarser group", name, at, g,
                            group.level, consumer);
            }
            consumers_[i] = consumer;
        }
    }
    return {};
}

Result<std::vector<uint8_t>> PackReader::decompressPage(uint32_t page, std::span<const uint8_t> compressed) const {
    if (page >= pages_.size()) return fail("{}: page {} does not exist (the pack has {})", label_, page, pages_.size());
    const PageInfo& info = pages_[page];
    if (compressed.size() != info.compressedBytes) {
        return fail("{}: byte {}: page {} is {} bytes, got {}", label_, info.offset, page, info.compressedBytes, compressed.size());
    }
    const uint64_t computed = XXH3_64bits(compressed.data(), compressed.size());
    if (computed != info.checksum) {
        return fail("{}: byte {}: page {} checksum mismatch (stored {:016x}, computed {:016x}): the page is corrupt", label_,
                    info.offset, page, info.checksum, computed);
    }
    std::vector<uint8_t> payload(info.uncompressedBytes);
    const size_t got = ZSTD_decompress(payload.data(), payload.size(), compressed.data(), compressed.size());
    if (ZSTD_isError(got) || got != payload.size()) {
        return fail("{}: byte {}: page {} does not decompress to its {} bytes ({})", label_, info.offset, page,
                    info.uncompressedBytes, ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size");
    }
    return payload;
}

Result<std::vector<ClusterInfo>> PackReader::parseClusterRecords(uint32_t page, std::span<const uint8_t> payload,
                                                                size_t* recordBytes) const {
    const PageInfo& info = pages_[page];
    const PackHeader& h = header_;
    size_t bytesRead = 0;
    auto records = detail::decodeClusterRecords(payload, info.clusterCount, groups_, bytesRead);
    if (!records) return fail("{}: byte {}: page {}: {}", label_, info.offset, page, records.error().message);
    if (recordBytes) *recordBytes = bytesRead;
    std::vector<ClusterInfo>& clusters = *records;
    uint64_t vertices = 0, triangles = 0;
    for (uint32_t i = 0; i < info.clusterCount; ++i) {
        const uint32_t c = info.firstCluster + i;
        ClusterInfo& cluster = clusters[i];
        cluster.page = page;
        auto bad = [&]<class... Args>(std::format_string<Args...> fmt, Args&&... args) {
            return fail("{}: byte {}: page {}: cluster {}: {}", label_, info.offset, page, c,
                        std::format(fmt, std::forward<Args>(args)...));
        };
        if (cluster.group >= h.groupCount) return bad("group {} >= group count {}", cluster.group, h.groupCount);
        const GroupInfo& group = groups_[cluster.group];
        if (group.page != page) return bad("its group {} is in page {}", cluster.group, group.page);
        if (cluster.material >= h.materialCount) return bad("material {} >= material count {}", cluster.material, h.materialCount);
        if (cluster.vertexCount == 0 || cluster.vertexCount > kFormatMaxClusterVertices || cluster.triangleCount == 0 ||
            cluster.triangleCount > kFormatMaxClusterTriangles) {
            return bad("{} vertices and {} triangles, limits 1..{} and 1..{}", cluster.vertexCount, cluster.triangleCount,
                       kFormatMaxClusterVertices, kFormatMaxClusterTriangles);
        }
        if (cluster.level != group.level || cluster.level < info.finestLevel || cluster.level > info.coarsestLevel) {
            return bad("level {} disagrees with its group {} or the page", cluster.level, cluster.group);
        }
        if ((cluster.attributes & ~kKnownAttributes) != 0) {
            return bad("unknown attribute bits {:#x}", cluster.attributes);
        }
        if (cluster.generatingGroup != kNoGroup) {
            const auto list = consumersOf(cluster.generatingGroup < h.groupCount ? cluster.generatingGroup : 0);
            if (cluster.generatingGroup >= h.groupCount || std::find(list.begin(), list.end(), cluster.group) == list.end()) {
                return bad("generating group {} does not list its group {} as a consumer", cluster.generatingGroup, cluster.group);
            }
        }
        vertices += cluster.vertexCount;
        triangles += cluster.triangleCount;
    }
    if (vertices != info.vertexCount || triangles != info.triangleCount) {
        return fail("{}: byte {}: page {}: its clusters hold {} vertices and {} triangles, the directory says {} and {}", label_,
                    info.offset, page, vertices, triangles, info.vertexCount, info.triangleCount);
    }
    return clusters;
}

Result<std::vector<uint8_t>> PackReader::readPageBytes(uint32_t page) {
    const PageInfo& info = pages_[page];
    const uint64_t held = page == 0 ? rootPage_.size() : 0;
    if (held < info.compressedBytes) {
        auto rest = source_->read(info.offset + held, info.compressedBytes - held);
        if (!rest) return fail("{}: byte {}: page {}: {}", label_, info.offset + held, page, rest.error().message);
        if (page != 0) return rest;
        rootPage_.insert(rootPage_.end(), rest->begin(), rest->end());  // whole now: readPage(0) reads nothing again
    }
    return rootPage_;
}

Result<std::vector<ClusterInfo>> PackReader::readClusterInfos(uint32_t page) {
    if (page >= pages_.size()) return fail("{}: page {} does not exist (the pack has {})", label_, page, pages_.size());
    auto bytes = readPageBytes(page);
    if (!bytes) return std::unexpected(bytes.error());
    auto payload = decompressPage(page, *bytes);
    if (!payload) return std::unexpected(payload.error());
    return parseClusterRecords(page, *payload);
}

Result<std::vector<asset::Cluster>> PackReader::readPage(uint32_t page, std::vector<ClusterInfo>* infos) {
    if (page >= pages_.size()) return fail("{}: page {} does not exist (the pack has {})", label_, page, pages_.size());
    auto bytes = readPageBytes(page);
    if (!bytes) return std::unexpected(bytes.error());
    return decodePage(page, *bytes, infos);
}

Result<std::vector<asset::Cluster>> PackReader::decodePage(uint32_t page, std::span<const uint8_t> compressed,
                                                           std::vector<ClusterInfo>* infosOut) const {
    auto payload = decompressPage(page, compressed);
    if (!payload) return std::unexpected(payload.error());
    size_t recordBytes = 0;
    auto infos = parseClusterRecords(page, *payload, &recordBytes);
    if (!infos) return std::unexpected(infos.error());
    const PageInfo& info = pages_[page];
    auto clusters = detail::decodePagePayload(std::span<const uint8_t>(*payload).subspan(recordBytes), *infos, detail::quantizationOf(header_));
    if (!clusters) return fail("{}: byte {}: page {}: {}", label_, info.offset, page, clusters.error().message);
    for (size_t i = 0; i < clusters->size(); ++i) {
        asset::Cluster& cluster = (*clusters)[i];
        const ClusterInfo& meta = (*infos)[i];
        const GroupInfo& group = groups_[meta.group];
        cluster.material = meta.material;
        cluster.bounds = meta.bounds;
        cluster.level = meta.level;
        cluster.error = meta.error;
        cluster.lodBounds = meta.lodBounds;
        cluster.parentError = group.simplifiedError;
        cluster.parentBounds = group.simplifiedBounds;
        cluster.group = meta.group;
    }
    if (infosOut) *infosOut = std::move(*infos);
    return clusters;
}

Result<asset::ClusterHierarchy> PackReader::readHierarchy() {
    asset::ClusterHierarchy hierarchy;
    hierarchy.levelCount = header_.levelCount;
    hierarchy.bounds = header_.bounds;
    hierarchy.inputTriangles = header_.inputTriangles;
    hierarchy.clusters.reserve(header_.clusterCount);
    for (uint32_t p = 0; p < pages_.size(); ++p) {
        auto clusters = readPage(p);
        if (!clusters) return std::unexpected(clusters.error());
        for (asset::Cluster& cluster : *clusters) hierarchy.clusters.push_back(std::move(cluster));
    }
    hierarchy.groups.resize(groups_.size());
    for (size_t g = 0; g < groups_.size(); ++g) {
        hierarchy.groups[g].level = groups_[g].level;
        hierarchy.groups[g].simplifiedError = groups_[g].simplifiedError;
        hierarchy.groups[g].simplifiedBounds = groups_[g].simplifiedBounds;
    }
    for (uint32_t c = 0; c < hierarchy.clusters.size(); ++c) hierarchy.groups[hierarchy.clusters[c].group].clusters.push_back(c);
    return hierarchy;
}

Result<std::vector<uint8_t>> PackReader::readTextureMip(uint32_t texture, uint32_t level) {
    if (texture >= textures_.size() || level >= textures_[texture].mipCount) {
        return fail("{}: texture {} mip {} does not exist", label_, texture, level);
    }
    const MipInfo& info = mip(texture, level);
    auto bytes = source_->read(info.offset, info.bytes);
    if (!bytes) return fail("{}: byte {}: texture {} mip {}: {}", label_, info.offset, texture, level, bytes.error().message);
    return decodeTextureMip(texture, level, *bytes);
}

Result<std::vector<uint8_t>> PackReader::decodeTextureMip(uint32_t texture, uint32_t level, std::span<const uint8_t> stored) const {
    if (texture >= textures_.size() || level >= textures_[texture].mipCount) {
        return fail("{}: texture {} mip {} does not exist", label_, texture, level);
    }
    const MipInfo& info = mip(texture, level);
    if (stored.size() != info.bytes) {
        return fail("{}: byte {}: texture {} mip {} is {} bytes, got {}", label_, info.offset, texture, level, info.bytes, stored.size());
    }
    const uint64_t computed = XXH3_64bits(stored.data(), stored.size());
    if (computed != info.checksum) {
        return fail("{}: byte {}: texture {} mip {} checksum mismatch (stored {:016x}, computed {:016x})", label_, info.offset,
                    texture, level, info.checksum, computed);
    }
    const TextureInfo& t = textures_[texture];
    const uint32_t width = std::max(1u, t.width >> level), height = std::max(1u, t.height >> level);
    auto blocks = decodeStoredMip(info.encoding, stored, t.format, width, height);
    if (!blocks) {
        return fail("{}: byte {}: texture {} mip {} ({} {}x{}, {} bytes from byte {}): stream byte {}: {}", label_,
                    info.offset + blocks.error().streamByte, texture, level, mipEncodingName(info.encoding), width, height,
                    info.bytes, info.offset, blocks.error().streamByte, blocks.error().message);
    }
    return std::move(*blocks);
}

Result<std::vector<std::vector<uint8_t>>> PackReader::readTextureMips(ByteSource& source,
                                                                      std::span<const MipRef> wanted) const {
    // A gap of unwanted bytes up to this size is read through rather than costing another request
    // (a round trip on a slow link is worth far more than a few KiB).
    constexpr uint64_t kMaxGapBytes = 64 << 10;
    std::vector<uint32_t> order(wanted.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
        const MipRef& ref = wanted[i];
        if (ref.texture >= textures_.size() || ref.level >= textures_[ref.texture].mipCount)
            return fail("{}: texture {} mip {} does not exist", label_, ref.texture, ref.level);
        order[i] = i;
    }
    auto info = [&](uint32_t i) -> const MipInfo& { return mip(wanted[i].texture, wanted[i].level); };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return info(a).offset < info(b).offset; });
    std::vector<std::vector<uint8_t>> out(wanted.size());
    for (size_t first = 0; first < order.size();) {
        // One run: following mips that start within kMaxGapBytes of the run's end.
        uint64_t begin = info(order[first]).offset, end = begin + info(order[first]).bytes;
        size_t last = first + 1;
        while (last < order.size() && info(order[last]).offset <= end + kMaxGapBytes) {
            end = std::max(end, info(order[last]).offset + info(order[last]).bytes);
            ++last;
        }
        if (end > source.size()) return fail("{}: byte {}: texture mips end past the source's {} bytes", label_, begin, source.size());
        auto bytes = source.read(begin, end - begin);
        if (!bytes) return fail("{}: byte {}: texture mips ({} bytes): {}", label_, begin, end - begin, bytes.error().message);
        for (size_t k = first; k < last; ++k) {
            const uint32_t i = order[k];
            const MipInfo& m = info(i);
            auto blocks = decodeTextureMip(wanted[i].texture, wanted[i].level,
                                           std::span<const uint8_t>(*bytes).subspan(m.offset - begin, m.bytes));
            if (!blocks) return std::unexpected(blocks.error());
            out[i] = std::move(*blocks);
        }
        first = last;
    }
    return out;
}

}  // namespace vt::pack
