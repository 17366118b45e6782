#include "pack/pack_writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <thread>
#include <tuple>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <meshoptimizer.h>
#include <xxhash.h>
#include <zstd.h>

#include "pack/byte_io.h"
#include "pack/cluster_records.h"
#include "pack/source_grid.h"
#include "pack/geometry_codec.h"
#include "pack/texture_codec.h"

namespace vt::pack {
namespace {

using detail::ByteWriter;

bool finite(glm::vec4 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z) && std::isfinite(v.w); }

uint8_t attributesOf(const asset::Cluster& cluster) {
    return static_cast<uint8_t>((cluster.normals.empty() ? 0 : kHasNormals) |
                                (cluster.texcoords.empty() ? 0 : kHasTexcoords) |
                                (cluster.colors.empty() ? 0 : kHasColors));
}

Result<void> validate(const PackContents& contents) {
    if (contents.name.size() > kMaxStringBytes) return fail("name is {} bytes, over {}", contents.name.size(), kMaxStringBytes);
    if (contents.source.size() > kMaxStringBytes) return fail("source is {} bytes, over {}", contents.source.size(), kMaxStringBytes);
    if (!(contents.millimetresPerUnit > 0.0f) || !std::isfinite(contents.millimetresPerUnit)) {
        return fail("millimetresPerUnit {} is not a positive number", contents.millimetresPerUnit);
    }
    const asset::ClusterHierarchy& hierarchy = contents.hierarchy;
    if (hierarchy.clusters.empty()) return fail("the hierarchy has no clusters");
    if (hierarchy.levelCount == 0 || hierarchy.levelCount > kMaxLevels) {
        return fail("levelCount {} is outside 1..{}", hierarchy.levelCount, kMaxLevels);
    }
    if (hierarchy.clusters.size() > std::numeric_limits<uint32_t>::max() / 2 ||
        hierarchy.groups.size() > std::numeric_limits<uint32_t>::max() / 2) {
        return fail("too many clusters or groups");
    }
    for (size_t g = 0; g < hierarchy.groups.size(); ++g) {
        const asset::ClusterGroup& group = hierarchy.groups[g];
        if (group.level >= hierarchy.levelCount) return fail("group {}: level {} >= levelCount {}", g, group.level, hierarchy.levelCount);
        if (!finite(group.simplifiedBounds) || !std::isfinite(group.simplifiedError)) return fail("group {}: non-finite bounds or error", g);
    }
    for (size_t c = 0; c < hierarchy.clusters.size(); ++c) {
        const asset::Cluster& cluster = hierarchy.clusters[c];
        const size_t n = cluster.positions.size();
        if (n == 0 || n > kFormatMaxClusterVertices) return fail("cluster {}: {} vertices, expected 1..{}", c, n, kFormatMaxClusterVertices);
        if (cluster.indices.empty() || cluster.indices.size() % 3 != 0 || cluster.indices.size() / 3 > kFormatMaxClusterTriangles) {
            return fail("cluster {}: {} indices, expected a multiple of 3 for 1..{} triangles", c, cluster.indices.size(),
                        kFormatMaxClusterTriangles);
        }
        for (const uint8_t index : cluster.indices) {
            if (index >= n) return fail("cluster {}: index {} >= vertex count {}", c, index, n);
        }
        if ((!cluster.normals.empty() && cluster.normals.size() != n) ||
            (!cluster.texcoords.empty() && cluster.texcoords.size() != n) ||
            (!cluster.colors.empty() && cluster.colors.size() != n)) {
            return fail("cluster {}: an attribute array is neither empty nor {} long", c, n);
        }
        for (const glm::vec3& p : cluster.positions) {
            if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z)) return fail("cluster {}: non-finite position", c);
        }
        for (const glm::vec2& uv : cluster.texcoords) {
            if (!std::isfinite(uv.x) || !std::isfinite(uv.y)) return fail("cluster {}: non-finite texcoord", c);
        }
        if (cluster.material >= contents.materials.size()) {
            return fail("cluster {}: material {} but the pack has {} materials", c, cluster.material, contents.materials.size());
        }
        if (cluster.level >= hierarchy.levelCount) return fail("cluster {}: level {} >= levelCount {}", c, cluster.level, hierarchy.levelCount);
        if (cluster.group >= hierarchy.groups.size()) {
            return fail("cluster {}: group {} but the hierarchy has {} groups", c, cluster.group, hierarchy.groups.size());
        }
        const asset::ClusterGroup& group = hierarchy.groups[cluster.group];
        // The pack stores parentError/parentBounds once per group: they must agree.
        if (group.level != cluster.level || group.simplifiedError != cluster.parentError ||
            group.simplifiedBounds != cluster.parentBounds) {
            return fail("cluster {}: level/parentError/parentBounds differ from its group {}'s", c, cluster.group);
        }
        if (!finite(cluster.bounds) || !finite(cluster.lodBounds) || !std::isfinite(cluster.error)) {
            return fail("cluster {}: non-finite bounds or error", c);
        }
    }
    for (size_t m = 0; m < contents.materials.size(); ++m) {
        const asset::Material& material = contents.materials[m];
        if (material.name.size() > kMaxStringBytes) return fail("material {}: name over {} bytes", m, kMaxStringBytes);
        for (const int32_t slot : {material.baseColorTexture, material.metallicRoughnessTexture, material.normalTexture,
                                   material.occlusionTexture, material.emissiveTexture}) {
            if (slot != asset::kNoTexture && (slot < 0 || static_cast<size_t>(slot) >= contents.textures.size())) {
                return fail("material {}: texture {} but the pack has {} textures", m, slot, contents.textures.size());
            }
        }
    }
    for (size_t t = 0; t < contents.textures.size(); ++t) {
        const PackTexture& texture = contents.textures[t];
        if (!textureFormatFromCode(static_cast<uint32_t>(texture.format))) return fail("texture {}: unknown format", t);
        if (texture.width == 0 || texture.height == 0 || texture.width > kMaxTextureSize || texture.height > kMaxTextureSize) {
            return fail("texture {}: size {}x{} outside 1..{}", t, texture.width, texture.height, kMaxTextureSize);
        }
        if (texture.mips.empty() || texture.mips.size() > fullMipCount(texture.width, texture.height)) {
            return fail("texture {}: {} mips, expected 1..{}", t, texture.mips.size(), fullMipCount(texture.width, texture.height));
        }
        if (!texture.encodings.empty() && texture.encodings.size() != texture.mips.size()) {
            return fail("texture {}: {} encodings for {} mips", t, texture.encodings.size(), texture.mips.size());
        }
        for (size_t mip = 0; mip < texture.mips.size(); ++mip) {
            const MipEncoding encoding = texture.encodings.empty() ? MipEncoding::Raw : texture.encodings[mip];
            if (!mipEncodingFromCode(static_cast<uint32_t>(encoding))) return fail("texture {} mip {}: unknown encoding", t, mip);
            if (texture.mips[mip].empty() || texture.mips[mip].size() > std::numeric_limits<uint32_t>::max()) {
                return fail("texture {} mip {}: {} bytes, expected 1..4 GiB", t, mip, texture.mips[mip].size());
            }
            // Header-deep only (sizes, frame content size): the full decode is the reader's and verifyPack's.
            auto stored = checkStoredMip(encoding, texture.mips[mip], texture.format, std::max(1u, texture.width >> mip),
                                         std::max(1u, texture.height >> mip));
            if (!stored) return fail("texture {} mip {} ({}): {}", t, mip, mipEncodingName(encoding), stored.error().message);
        }
    }
    return {};
}

// Vertex cache order, then vertices in first-use order: the coder walks its own order across shared
// edges, and restarts from the first triangle not yet coded, so this order keeps restarts local.
asset::Cluster optimizeCluster(const asset::Cluster& in) {
    const size_t n = in.positions.size();
    std::vector<uint32_t> indices(in.indices.begin(), in.indices.end());
    meshopt_optimizeVertexCache(indices.data(), indices.data(), indices.size(), n);
    std::vector<uint32_t> remap(n);
    size_t used = meshopt_optimizeVertexFetchRemap(remap.data(), indices.data(), indices.size(), n);
    for (uint32_t& r : remap) {
        if (r == ~0u) r = static_cast<uint32_t>(used++);  // keep unreferenced vertices, at the end
    }
    asset::Cluster out = in;
    auto permute = [&](auto& dst, const auto& src) {
        for (size_t v = 0; v < src.size(); ++v) dst[remap[v]] = src[v];
    };
    permute(out.positions, in.positions);
    permute(out.normals, in.normals);
    permute(out.texcoords, in.texcoords);
    permute(out.colors, in.colors);
    for (size_t i = 0; i < indices.size(); ++i) out.indices[i] = static_cast<uint8_t>(remap[indices[i]]);
    return out;
}

std::vector<uint8_t> compress(std::span<const uint8_t> data, int level) {
    std::vector<uint8_t> out(ZSTD_compressBound(data.size()));
    const size_t written = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
    out.resize(ZSTD_isError(written) ? 0 : written);  // cannot fail with a bound-sized buffer
    return out;
}

// Runs body(i) for i in [0, count) on the hardware's threads. Every i writes only its own output
// slot, so results do not depend on scheduling: the pack stays byte-identical for any thread count.
template <class Body>
void parallelFor(size_t count, const Body& body) {
    const size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), count);
    if (threads <= 1) {
        for (size_t i = 0; i < count; ++i) body(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (size_t i = next++; i < count; i = next++) body(i);
        });
    for (std::thread& worker : workers) worker.join();
}

struct EncodedPage {
    std::vector<uint32_t> clusters;  // indices into the hierarchy
    std::vector<uint8_t> compressed;
    uint32_t uncompressedBytes = 0;
    uint32_t vertexCount = 0, triangleCount = 0;
    uint8_t finestLevel = 0, coarsestLevel = 0;
};

// A cluster's record (docs/pack-format.md, "Cluster records").
ClusterInfo recordOf(const asset::Cluster& cluster, uint32_t generatingGroup, uint8_t attributes) {
    ClusterInfo r;
    r.bounds = cluster.bounds;
    r.lodBounds = cluster.lodBounds;
    r.error = cluster.error;
    r.group = cluster.group;
    r.generatingGroup = generatingGroup;
    r.material = cluster.material;
    r.vertexCount = static_cast<uint16_t>(cluster.positions.size());
    r.triangleCount = static_cast<uint16_t>(cluster.indices.size() / 3);
    r.level = static_cast<uint8_t>(cluster.level);
    r.attributes = attributes;
    return r;
}

class PageEncoder {
public:
    PageEncoder(const std::vector<asset::Cluster>& clusters, const std::vector<uint8_t>& attributes,
                const std::vector<uint32_t>& generating, const detail::Quantization& quantization)
        : clusters_(clusters), attributes_(attributes), generating_(generating), quantization_(quantization) {}

    // The cluster records, then the geometry streams.
    std::vector<uint8_t> payload(std::span<const uint32_t> members) const {
        std::vector<const asset::Cluster*> pointers;
        std::vector<uint8_t> attributes;
        std::vector<ClusterInfo> records;
        for (const uint32_t c : members) {
            pointers.push_back(&clusters_[c]), attributes.push_back(attributes_[c]);
            records.push_back(recordOf(clusters_[c], generating_[c], attributes_[c]));
        }
        ByteWriter out;
        out.raw(detail::encodeClusterRecords(records));
        out.raw(detail::encodePagePayload(pointers, attributes, quantization_));
        return std::move(out.bytes());
    }

    EncodedPage page(std::vector<uint32_t> members, int zstdLevel) const {
        EncodedPage page;
        const std::vector<uint8_t> bytes = payload(members);
        page.uncompressedBytes = static_cast<uint32_t>(bytes.size());
        page.compressed = compress(bytes, zstdLevel);
        page.finestLevel = 255;
        for (const uint32_t c : members) {
            page.finestLevel = std::min<uint8_t>(page.finestLevel, static_cast<uint8_t>(clusters_[c].level));
            page.coarsestLevel = std::max<uint8_t>(page.coarsestLevel, static_cast<uint8_t>(clusters_[c].level));
            page.vertexCount += static_cast<uint32_t>(clusters_[c].positions.size());
            page.triangleCount += static_cast<uint32_t>(clusters_[c].indices.size() / 3);
        }
        page.clusters = std::move(members);
        return page;
    }

private:
    const std::vector<asset::Cluster>& clusters_;
    const std::vector<uint8_t>& attributes_;
    const std::vector<uint32_t>& generating_;
    const detail::Quantization& quantization_;
};

// Exact key of an (error, sphere) pair: the builder copies a group's simplified error and sphere
// verbatim into the clusters it generates, so bit equality identifies the generating group.
std::array<uint32_t, 5> keyOf(float error, const asset::Sphere& s) {
    return {std::bit_cast<uint32_t>(error), std::bit_cast<uint32_t>(s.x), std::bit_cast<uint32_t>(s.y),
            std::bit_cast<uint32_t>(s.z), std::bit_cast<uint32_t>(s.w)};
}

// Per cluster, the finer group whose simplification generated it (kNoGroup at level 0): the group
// whose (simplifiedError, simplifiedBounds) equals the cluster's (error, lodBounds) bit for bit; among
// several, the nearest finer level, then the lowest index.
std::vector<uint32_t> generatingGroups(const asset::ClusterHierarchy& hierarchy) {
    std::map<std::array<uint32_t, 5>, std::vector<uint32_t>> byKey;
    for (uint32_t g = 0; g < hierarchy.groups.size(); ++g) {
        const asset::ClusterGroup& group = hierarchy.groups[g];
        if (group.simplifiedError < asset::kNoParent) byKey[keyOf(group.simplifiedError, group.simplifiedBounds)].push_back(g);
    }
    std::vector<uint32_t> out(hierarchy.clusters.size(), kNoGroup);
    for (uint32_t c = 0; c < hierarchy.clusters.size(); ++c) {
        const asset::Cluster& cluster = hierarchy.clusters[c];
        if (cluster.level == 0) continue;
        const auto it = byKey.find(keyOf(cluster.error, cluster.lodBounds));
        if (it == byKey.end()) continue;
        for (const uint32_t g : it->second) {
            const uint32_t level = hierarchy.groups[g].level;
            if (level >= cluster.level) continue;
            if (out[c] == kNoGroup || level > hierarchy.groups[out[c]].level) out[c] = g;
        }
    }
    return out;
}

Result<void> writeFileAtomically(const std::filesystem::path& path, std::span<const uint8_t> bytes) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string temp = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return fail("{}: cannot create a temporary file in {}: {}", path.string(), folder.string(), std::strerror(errno));
    auto abandon = [&](const char* what) -> Result<void> {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return fail("{}: {} failed: {}", path.string(), what, std::strerror(error));
    };
    ::fchmod(fd, 0644);  // mkstemp makes 0600; packs are meant to be served
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
            if (wrote == 0) errno = EIO;
            return abandon("write");
        }
        done += static_cast<size_t>(wrote);
    }
    if (::fsync(fd) != 0) return abandon("fsync");
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return fail("{}: close failed: {}", path.string(), std::strerror(error));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return fail("{}: rename into place failed: {}", path.string(), std::strerror(error));
    }
    // Make the rename itself durable.
    if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

}  // namespace

Result<std::vector<uint8_t>> encodePack(const PackContents& contents, const WriteOptions& options, WriteStats* statsOut) {
    if (options.normalBits != 8 && options.normalBits != 16) return fail("normalBits {} is not 8 or 16", options.normalBits);
    if (options.positionBits < 8 || options.positionBits > 16 || (options.texcoordBits != 0 && (options.texcoordBits < 8 || options.texcoordBits > 16))) {
        return fail("positionBits {} and texcoordBits {} must be within 8..16", options.positionBits, options.texcoordBits);
    }
    if (auto valid = validate(contents); !valid) return std::unexpected(valid.error());
    const asset::ClusterHierarchy& hierarchy = contents.hierarchy;
    const int zstdLevel = std::clamp(options.zstdLevel, 1, ZSTD_maxCLevel());
    const uint32_t rootLimit = std::min(options.rootPageBytes, kMaxRootPageBytes);

    // Clusters as they will be encoded.
    std::vector<asset::Cluster> clusters(hierarchy.clusters.size());
    std::vector<uint8_t> attributes(hierarchy.clusters.size());
    parallelFor(clusters.size(), [&](size_t c) {
        clusters[c] = options.optimizeOrder ? optimizeCluster(hierarchy.clusters[c]) : hierarchy.clusters[c];
        attributes[c] = attributesOf(hierarchy.clusters[c]);
    });

    // Quantization grids over every cluster of every level: one grid, so vertices shared by
    // neighbouring clusters quantize identically and the surface stays watertight.
    glm::vec3 positionMin{std::numeric_limits<float>::max()}, positionMax{-std::numeric_limits<float>::max()};
    glm::vec2 uvMin{std::numeric_limits<float>::max()}, uvMax{-std::numeric_limits<float>::max()};
    bool anyUv = false;
    for (const asset::Cluster& cluster : clusters) {
        for (const glm::vec3& p : cluster.positions) positionMin = glm::min(positionMin, p), positionMax = glm::max(positionMax, p);
        for (const glm::vec2& uv : cluster.texcoords) uvMin = glm::min(uvMin, uv), uvMax = glm::max(uvMax, uv), anyUv = true;
    }
    detail::Quantization quantization;
    quantization.normalBits = options.normalBits;
    quantization.positionOrigin = positionMin;
    const glm::vec3 extent = positionMax - positionMin;
    const float maxExtent = std::max({extent.x, extent.y, extent.z});
    const uint32_t positionSteps = (1u << options.positionBits) - 1;
    quantization.positionStep = maxExtent > 0.0f ? maxExtent / static_cast<float>(positionSteps) : 1.0f;
    // A source quantized more coarsely (Draco, KHR_mesh_quantization) keeps its own grid: exact, fewer bytes.
    if (const auto sourceStep = detail::sourceGridStep(clusters, positionMin, maxExtent, positionSteps)) {
        quantization.positionStep = *sourceStep;
    }
    if (anyUv) {
        quantization.texcoordOrigin = uvMin;
        uint32_t largestTexture[2] = {0, 0};
        for (const PackTexture& texture : contents.textures) {
            largestTexture[0] = std::max(largestTexture[0], texture.width);
            largestTexture[1] = std::max(largestTexture[1], texture.height);
        }
        for (int axis = 0; axis < 2; ++axis) {
            const float range = uvMax[axis] - uvMin[axis];
            uint32_t bits = options.texcoordBits;
            if (bits == 0 && contents.textures.empty()) bits = 16;
            if (bits == 0) {
                // Step <= 1/4 texel, so the rounding error is <= 1/8 texel.
                const double steps = static_cast<double>(range) * largestTexture[axis] * 4.0;
                bits = std::clamp(static_cast<uint32_t>(std::ceil(std::log2(steps + 1.0))), 10u, 16u);
            }
            quantization.texcoordStep[axis] = range > 0.0f ? range / static_cast<float>((1u << bits) - 1) : 1.0f;
        }
    }

    // Groups by level, coarsest first; a group's clusters stay together in one page.
    std::vector<std::vector<uint32_t>> members(hierarchy.groups.size());
    for (uint32_t c = 0; c < clusters.size(); ++c) members[clusters[c].group].push_back(c);
    std::map<uint32_t, std::vector<uint32_t>, std::greater<>> groupsByLevel;  // level -> groups
    for (uint32_t g = 0; g < members.size(); ++g) {
        if (!members[g].empty()) groupsByLevel[hierarchy.groups[g].level].push_back(g);
    }

    // Generating groups and, per group, its consumers (the groups holding the clusters it generated).
    const std::vector<uint32_t> generating = generatingGroups(hierarchy);
    std::vector<std::vector<uint32_t>> consumers(hierarchy.groups.size());
    for (uint32_t c = 0; c < clusters.size(); ++c) {
        if (generating[c] == kNoGroup) continue;
        std::vector<uint32_t>& list = consumers[generating[c]];
        if (std::find(list.begin(), list.end(), clusters[c].group) == list.end()) list.push_back(clusters[c].group);
    }
    for (uint32_t g = 0; g < consumers.size(); ++g) {
        if (consumers[g].size() > kMaxGroupConsumers) return fail("group {} feeds {} groups, over {}", g, consumers[g].size(), kMaxGroupConsumers);
    }

    const PageEncoder encoder(clusters, attributes, generating, quantization);
    std::vector<EncodedPage> pages;

    // Root page: the coarsest level, then whole finer levels while the compressed page still fits.
    auto level = groupsByLevel.begin();
    std::vector<uint32_t> rootMembers;
    uint32_t rootLevels = 0;
    EncodedPage root;
    for (; level != groupsByLevel.end(); ++level) {
        std::vector<uint32_t> candidate = rootMembers;
        for (const uint32_t g : level->second) candidate.insert(candidate.end(), members[g].begin(), members[g].end());
        if (rootLevels > 0 && encoder.payload(candidate).size() > size_t{4} * rootLimit) break;  // zstd won't save 4x
        EncodedPage page = encoder.page(candidate, zstdLevel);
        if (page.compressed.size() > rootLimit) {
            if (rootLevels == 0) {
                return fail("the coarsest level (level {}, {} clusters) compresses to {} bytes, over the root page limit of "
                            "{} bytes: simplify the hierarchy further",
                            level->first, candidate.size(), page.compressed.size(), rootLimit);
            }
            break;
        }
        rootMembers = std::move(candidate);
        root = std::move(page);
        ++rootLevels;
    }
    pages.push_back(std::move(root));

    // Geometry pages: whole groups, one level per page, filled to about pageTargetBytes before zstd.
    // First every remaining group's encoded size (in parallel), then the page layout (in order), then
    // every page's encoding and compression (in parallel).
    std::vector<uint32_t> remainingGroups;
    for (auto it = level; it != groupsByLevel.end(); ++it)
        remainingGroups.insert(remainingGroups.end(), it->second.begin(), it->second.end());
    std::vector<size_t> groupBytes(members.size(), 0);
    parallelFor(remainingGroups.size(), [&](size_t i) {
        groupBytes[remainingGroups[i]] = encoder.payload(members[remainingGroups[i]]).size();
    });
    std::vector<std::vector<uint32_t>> pageMembers;
    for (; level != groupsByLevel.end(); ++level) {
        std::vector<uint32_t> current;
        size_t currentBytes = 0;
        for (const uint32_t g : level->second) {
            if (!current.empty() && currentBytes + groupBytes[g] > options.pageTargetBytes) {
                pageMembers.push_back(std::move(current));
                current.clear();
                currentBytes = 0;
            }
            current.insert(current.end(), members[g].begin(), members[g].end());
            currentBytes += groupBytes[g];
        }
        if (!current.empty()) pageMembers.push_back(std::move(current));
    }
    const size_t firstGeometryPage = pages.size();
    pages.resize(firstGeometryPage + pageMembers.size());
    parallelFor(pageMembers.size(), [&](size_t i) {
        pages[firstGeometryPage + i] = encoder.page(std::move(pageMembers[i]), zstdLevel);
    });
    for (const EncodedPage& page : pages) {
        if (page.uncompressedBytes > kMaxPageBytes) return fail("a page holds {} bytes, over the {}-byte limit", page.uncompressedBytes, kMaxPageBytes);
    }

    // Mips: small ones right after the root page (a recognisable textured object early), large ones
    // at the end; each part ordered by size so coarse mips of every texture come first.
    struct MipRef { uint32_t texture, mip; uint64_t bytes; };
    std::vector<MipRef> earlyMips, lateMips;
    std::vector<uint32_t> firstMip;
    uint32_t mipCount = 0;
    for (uint32_t t = 0; t < contents.textures.size(); ++t) {
        firstMip.push_back(mipCount);
        for (uint32_t m = 0; m < contents.textures[t].mips.size(); ++m, ++mipCount) {
            const MipRef ref{t, m, contents.textures[t].mips[m].size()};
            (ref.bytes <= options.earlyMipBytes ? earlyMips : lateMips).push_back(ref);
        }
    }
    auto bySize = [](const MipRef& a, const MipRef& b) {
        return std::tie(a.bytes, a.texture, a.mip) < std::tie(b.bytes, b.texture, b.mip);
    };
    std::sort(earlyMips.begin(), earlyMips.end(), bySize);
    std::sort(lateMips.begin(), lateMips.end(), bySize);

    // Data section layout; offsets in the directory count from the data section's first byte.
    ByteWriter data;
    std::vector<uint64_t> pageOffsets(pages.size()), mipOffsets(mipCount);
    auto placeMips = [&](const std::vector<MipRef>& refs) {
        for (const MipRef& ref : refs) {
            mipOffsets[firstMip[ref.texture] + ref.mip] = data.size();
            data.raw(contents.textures[ref.texture].mips[ref.mip]);
        }
    };
    pageOffsets[0] = 0;
    data.raw(pages[0].compressed);
    placeMips(earlyMips);
    for (size_t p = 1; p < pages.size(); ++p) {
        pageOffsets[p] = data.size();
        data.raw(pages[p].compressed);
    }
    placeMips(lateMips);

    // Directory.
    ByteWriter dir;
    dir.string(contents.name);
    dir.string(contents.source);
    for (const asset::Material& material : contents.materials) {
        dir.string(material.name);
        dir.vec4(material.baseColorFactor);
        dir.vec3(material.emissiveFactor);
        dir.f32(material.metallicFactor);
        dir.f32(material.roughnessFactor);
        dir.f32(material.normalScale);
        dir.f32(material.occlusionStrength);
        dir.f32(material.alphaCutoff);
        dir.u8(static_cast<uint8_t>(material.alphaMode));
        dir.u8(material.doubleSided ? 1 : 0);
        dir.u16(0);
        dir.i32(material.baseColorTexture);
        dir.i32(material.metallicRoughnessTexture);
        dir.i32(material.normalTexture);
        dir.i32(material.occlusionTexture);
        dir.i32(material.emissiveTexture);
    }
    for (uint32_t t = 0; t < contents.textures.size(); ++t) {
        const PackTexture& texture = contents.textures[t];
        dir.u32(static_cast<uint32_t>(texture.format));
        dir.u32(texture.width);
        dir.u32(texture.height);
        dir.u32(static_cast<uint32_t>(texture.mips.size()));
        dir.u32(firstMip[t]);
    }
    for (uint32_t t = 0; t < contents.textures.size(); ++t) {
        for (uint32_t m = 0; m < contents.textures[t].mips.size(); ++m) {
            const std::vector<uint8_t>& bytes = contents.textures[t].mips[m];
            dir.u64(mipOffsets[firstMip[t] + m]);
            dir.u32(static_cast<uint32_t>(bytes.size()));
            dir.u8(static_cast<uint8_t>(contents.textures[t].encodings.empty() ? MipEncoding::Raw : contents.textures[t].encodings[m]));
            dir.u8(0);
            dir.u16(0);
            dir.u64(XXH3_64bits(bytes.data(), bytes.size()));
        }
    }
    std::vector<uint32_t> groupPage(hierarchy.groups.size(), 0);  // groups without clusters: page 0
    uint32_t firstCluster = 0;
    WriteStats stats;
    for (uint32_t p = 0; p < pages.size(); ++p) {
        const EncodedPage& page = pages[p];
        dir.u64(pageOffsets[p]);
        dir.u32(static_cast<uint32_t>(page.compressed.size()));
        dir.u32(page.uncompressedBytes);
        dir.u64(XXH3_64bits(page.compressed.data(), page.compressed.size()));
        dir.u32(firstCluster);
        dir.u32(static_cast<uint32_t>(page.clusters.size()));
        dir.u32(page.vertexCount);
        dir.u32(page.triangleCount);
        dir.u8(page.finestLevel);
        dir.u8(page.coarsestLevel);
        dir.u16(0);
        for (const uint32_t c : page.clusters) groupPage[clusters[c].group] = p;
        firstCluster += static_cast<uint32_t>(page.clusters.size());
        stats.triangleCount += page.triangleCount;
        stats.vertexCount += page.vertexCount;
    }
    for (uint32_t g = 0; g < hierarchy.groups.size(); ++g) {
        const asset::ClusterGroup& group = hierarchy.groups[g];
        dir.vec4(group.simplifiedBounds);
        dir.f32(group.simplifiedError);
        dir.u32(groupPage[g]);
        dir.u8(static_cast<uint8_t>(group.level));
        dir.u8(0);
        dir.u16(static_cast<uint16_t>(consumers[g].size()));
    }
    for (const std::vector<uint32_t>& list : consumers) {
        for (const uint32_t consumer : list) dir.u32(consumer);
    }
    if (dir.size() > kMaxDirectoryBytes) return fail("the directory is {} bytes, over the {}-byte limit", dir.size(), kMaxDirectoryBytes);
    const std::vector<uint8_t> directory = compress(dir.bytes(), zstdLevel);

    // Header.
    ByteWriter out;
    out.raw(kMagic);
    out.u32(kVersion);
    out.u32(kHeaderBytes);
    out.u32(0);  // flags
    const uint64_t fileBytes = kHeaderBytes + directory.size() + data.size();
    out.u64(fileBytes);
    out.u32(static_cast<uint32_t>(directory.size()));
    out.u32(static_cast<uint32_t>(dir.size()));
    out.u64(XXH3_64bits(directory.data(), directory.size()));
    out.u32(static_cast<uint32_t>(pages.size()));
    out.u32(static_cast<uint32_t>(clusters.size()));
    out.u32(static_cast<uint32_t>(hierarchy.groups.size()));
    out.u32(static_cast<uint32_t>(contents.materials.size()));
    out.u32(static_cast<uint32_t>(contents.textures.size()));
    out.u32(mipCount);
    out.u32(hierarchy.levelCount);
    out.u32(options.normalBits);
    out.vec3(quantization.positionOrigin);
    out.f32(quantization.positionStep);
    out.f32(quantization.positionStep * 0.5f);
    out.vec2(quantization.texcoordOrigin);
    out.vec2(quantization.texcoordStep);
    out.f32(contents.millimetresPerUnit);
    out.vec4({contents.orientation.x, contents.orientation.y, contents.orientation.z, contents.orientation.w});
    out.vec3(hierarchy.bounds.min);
    out.vec3(hierarchy.bounds.max);
    out.u64(hierarchy.inputTriangles);
    while (out.size() < kHeaderBytes - 8) out.u8(0);  // reserved
    out.u64(XXH3_64bits(out.bytes().data(), out.size()));
    out.raw(directory);
    out.raw(data.bytes());

    stats.totalBytes = out.size();
    stats.directoryBytes = kHeaderBytes + directory.size();
    for (const EncodedPage& page : pages) {
        stats.geometryBytes += page.compressed.size();
        stats.largestPageBytes = std::max<uint64_t>(stats.largestPageBytes, page.compressed.size());
    }
    for (const PackTexture& texture : contents.textures) {
        for (const auto& mip : texture.mips) stats.textureBytes += mip.size();
    }
    stats.rootPageBytes = pages[0].compressed.size();
    stats.pageCount = static_cast<uint32_t>(pages.size());
    stats.clusterCount = static_cast<uint32_t>(clusters.size());
    stats.rootLevels = rootLevels;
    if (statsOut) *statsOut = stats;
    return std::move(out.bytes());
}

Result<WriteStats> writePack(const std::filesystem::path& path, const PackContents& contents, const WriteOptions& options) {
    WriteStats stats;
    auto bytes = encodePack(contents, options, &stats);
    if (!bytes) return fail("{}: {}", path.string(), bytes.error().message);
    if (auto written = writeFileAtomically(path, *bytes); !written) return std::unexpected(written.error());
    return stats;
}

}  // namespace vt::pack
