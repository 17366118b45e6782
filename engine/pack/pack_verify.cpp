#include "pack/pack_verify.h"

#include <algorithm>
#include <cmath>
#include <format>
#include <limits>
#include <map>

namespace vt::pack {
namespace {

bool finite(glm::vec4 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z) && std::isfinite(v.w); }

// Relative slack for sphere enclosure: the builder computes spheres in float.
constexpr float kEnclosureTolerance = 1e-4f;

}  // namespace

VerifyReport verifyPack(PackReader& reader) {
    VerifyReport report;
    const std::string& label = reader.label();
    auto fault = [&](std::string text) { report.faults.push_back(std::format("{}: {}", label, text)); };
    const auto groups = reader.groups();
    const auto pages = reader.pages();

    // Pages decode (checksum, zstd, records, codecs, index ranges); their cluster records, in page order.
    std::vector<ClusterInfo> clusters;
    std::vector<uint32_t> clusterIndex;  // global index (page order) of each record
    for (uint32_t p = 0; p < pages.size(); ++p) {
        std::vector<ClusterInfo> infos;
        if (auto decoded = reader.readPage(p, &infos); !decoded) {
            report.faults.push_back(decoded.error().message);
        } else {
            ++report.pagesDecoded;
            for (uint32_t i = 0; i < infos.size(); ++i) clusterIndex.push_back(pages[p].firstCluster + i);
            clusters.insert(clusters.end(), infos.begin(), infos.end());
        }
    }
    for (uint32_t t = 0; t < reader.textures().size(); ++t) {
        for (uint32_t m = 0; m < reader.textures()[t].mipCount; ++m) {
            if (auto mip = reader.readTextureMip(t, m); !mip) {
                report.faults.push_back(mip.error().message);
            } else {
                ++report.mipsChecked;
            }
        }
    }

    // LOD invariants. (Each group sits in one page by construction: the group record names its page
    // and decoding checks that every cluster record's group is in the page holding the record.)
    uint32_t coarsestLevel = 0;
    for (const GroupInfo& group : groups) coarsestLevel = std::max<uint32_t>(coarsestLevel, group.level);
    for (uint32_t g = 0; g < groups.size(); ++g) {
        if (groups[g].level == coarsestLevel && groups[g].page != 0) {
            fault(std::format("group {} of the coarsest level {} is in page {}, not the root page", g, coarsestLevel, groups[g].page));
        }
    }
    for (uint32_t i = 0; i < clusters.size(); ++i) {
        const ClusterInfo& cluster = clusters[i];
        const uint32_t c = clusterIndex[i];
        const GroupInfo& group = groups[cluster.group];
        if (!finite(cluster.bounds) || !finite(cluster.lodBounds) || !std::isfinite(cluster.error) ||
            cluster.bounds.w < 0.0f || cluster.lodBounds.w < 0.0f || cluster.error < 0.0f) {
            fault(std::format("cluster {}: bounds, lodBounds or error are not finite and non-negative", c));
            continue;
        }
        if (!(group.simplifiedError >= cluster.error)) {
            fault(std::format("cluster {}: parentError {} < error {} (errors must grow toward the root)", c,
                              group.simplifiedError, cluster.error));
        }
        if (group.simplifiedError < asset::kNoParent) {
            const float distance = glm::length(glm::vec3(group.simplifiedBounds) - glm::vec3(cluster.lodBounds));
            if (!finite(group.simplifiedBounds) ||
                distance + cluster.lodBounds.w > group.simplifiedBounds.w * (1.0f + kEnclosureTolerance) + kEnclosureTolerance * distance) {
                fault(std::format("cluster {}: parentBounds (radius {}) does not enclose lodBounds (radius {} at distance {})", c,
                                  group.simplifiedBounds.w, cluster.lodBounds.w, distance));
            }
        }
        if (cluster.generatingGroup != kNoGroup) {
            const GroupInfo& generator = groups[cluster.generatingGroup];
            if (generator.simplifiedError != cluster.error || generator.simplifiedBounds != cluster.lodBounds) {
                fault(std::format("cluster {}: error/lodBounds differ from its generating group {}'s simplified error/bounds", c,
                                  cluster.generatingGroup));
            }
        } else if (cluster.level != 0) {
            fault(std::format("cluster {} of level {} has no generating group", c, cluster.level));
        }
    }
    for (uint32_t p = 2; p < pages.size(); ++p) {
        if (pages[p].coarsestLevel > pages[p - 1].finestLevel) {
            fault(std::format("page {} (levels {}..{}) follows a finer page {} (levels {}..{}): pages must run coarse to fine", p,
                              pages[p].finestLevel, pages[p].coarsestLevel, p - 1, pages[p - 1].finestLevel, pages[p - 1].coarsestLevel));
        }
    }
    if (pages.size() > 1 && pages[1].coarsestLevel > pages[0].finestLevel) fault("page 1 is coarser than the root page");

    // Byte ranges: no two pages or mips share bytes.
    struct Range { uint64_t offset, bytes; std::string what; };
    std::vector<Range> ranges;
    for (uint32_t p = 0; p < pages.size(); ++p) ranges.push_back({pages[p].offset, pages[p].compressedBytes, std::format("page {}", p)});
    for (uint32_t t = 0; t < reader.textures().size(); ++t) {
        for (uint32_t m = 0; m < reader.textures()[t].mipCount; ++m) {
            ranges.push_back({reader.mip(t, m).offset, reader.mip(t, m).bytes, std::format("texture {} mip {}", t, m)});
        }
    }
    std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });
    for (size_t i = 1; i < ranges.size(); ++i) {
        if (ranges[i - 1].offset + ranges[i - 1].bytes > ranges[i].offset) {
            fault(std::format("byte {}: {} overlaps {}", ranges[i].offset, ranges[i].what, ranges[i - 1].what));
        }
    }

    for (size_t m = 0; m < reader.materials().size(); ++m) {
        const asset::Material& material = reader.materials()[m];
        if (!finite(material.baseColorFactor) || !std::isfinite(material.metallicFactor) || !std::isfinite(material.roughnessFactor) ||
            !std::isfinite(material.emissiveFactor.x + material.emissiveFactor.y + material.emissiveFactor.z) ||
            !std::isfinite(material.normalScale) || !std::isfinite(material.occlusionStrength) || !std::isfinite(material.alphaCutoff)) {
            fault(std::format("material {}: a factor is not finite", m));
        }
    }
    return report;
}

Result<VerifyReport> verifyPack(const std::filesystem::path& path) {
    auto source = openFile(path);
    if (!source) return std::unexpected(source.error());
    auto reader = PackReader::open(**source, path.filename().string());
    if (!reader) return std::unexpected(reader.error());
    return verifyPack(*reader);
}

std::string describePack(PackReader& reader) {
    const PackHeader& h = reader.header();
    std::string out;
    auto line = [&]<class... Args>(std::format_string<Args...> fmt, Args&&... args) {
        out += std::format(fmt, std::forward<Args>(args)...);
        out += '\n';
    };
    line("{}: Vitrine pack version {}, {} bytes", reader.label(), h.version, h.fileBytes);
    line("  name: {}", reader.name());
    line("  source: {}", reader.source());
    line("  scale: {} mm per unit; orientation (x y z w) {} {} {} {}", h.millimetresPerUnit, h.orientation.x, h.orientation.y,
         h.orientation.z, h.orientation.w);
    line("  bounds: ({}, {}, {}) .. ({}, {}, {}); {} input triangles", h.bounds.min.x, h.bounds.min.y, h.bounds.min.z,
         h.bounds.max.x, h.bounds.max.y, h.bounds.max.z, h.inputTriangles);
    line("  directory: {} bytes compressed, {} uncompressed; data starts at byte {}", h.directoryCompressedBytes,
         h.directoryBytes, reader.dataOffset());
    line("  quantization: position step {} (error <= {} per axis), texcoord step {} x {}, normals {}-bit octahedral",
         h.positionStep, h.positionErrorBound, h.texcoordStep.x, h.texcoordStep.y, h.normalBits);

    struct LevelStats {
        uint64_t clusters = 0, triangles = 0, vertices = 0;
        float minError = std::numeric_limits<float>::max(), maxError = 0.0f;
        float minParent = std::numeric_limits<float>::max(), maxParent = 0.0f;
        uint64_t pages = 0, bytes = 0;
    };
    std::map<uint32_t, LevelStats, std::greater<>> levels;
    uint64_t clusterCount = 0;
    for (uint32_t p = 0; p < reader.pages().size(); ++p) {
        auto infos = reader.readClusterInfos(p);
        if (!infos) {
            line("  page {}: {}", p, infos.error().message);
            continue;
        }
        for (const ClusterInfo& cluster : *infos) {
            LevelStats& level = levels[cluster.level];
            ++level.clusters;
            ++clusterCount;
            level.triangles += cluster.triangleCount;
            level.vertices += cluster.vertexCount;
            level.minError = std::min(level.minError, cluster.error);
            level.maxError = std::max(level.maxError, cluster.error);
            const float parent = reader.groups()[cluster.group].simplifiedError;
            level.minParent = std::min(level.minParent, parent);
            level.maxParent = std::max(level.maxParent, parent);
        }
    }
    for (const PageInfo& page : reader.pages()) {
        // Multi-level (root) pages count toward their coarsest level.
        ++levels[page.coarsestLevel].pages;
        levels[page.coarsestLevel].bytes += page.compressedBytes;
    }
    const PageInfo& root = reader.pages()[0];
    line("  root page: {} bytes compressed ({} uncompressed), levels {}..{}, {} clusters", root.compressedBytes,
         root.uncompressedBytes, root.finestLevel, root.coarsestLevel, root.clusterCount);
    line("  levels: {} ({} pages, {} clusters, {} groups, {} consumer links)", h.levelCount, reader.pages().size(), clusterCount,
         reader.groups().size(), reader.consumers().size());
    // Screen-space error: how many pixels a level's worst error covers when the whole object fills a
    // 1080-pixel-high view (its bounding diameter spans 1080 px); LOD selection draws a level while
    // this stays under the threshold (about 1 px).
    const float diameter = std::max(glm::length(h.bounds.size()), 1e-30f);
    line("    level  clusters  triangles  vertices  pages     bytes  error range           px@1080  parent error range");
    for (const auto& [level, s] : levels) {
        const auto parent = s.maxParent >= asset::kNoParent ? std::string("root (none)") : std::format("{:.3g}..{:.3g}", s.minParent, s.maxParent);
        line("    {:>5}  {:>8}  {:>9}  {:>8}  {:>5}  {:>8}  {:>9.3g}..{:<9.3g}  {:>7.2f}  {}", level, s.clusters, s.triangles,
             s.vertices, s.pages, s.bytes, s.clusters ? s.minError : 0.0f, s.maxError, s.maxError / diameter * 1080.0f,
             parent);
    }
    line("  materials: {}", reader.materials().size());
    for (size_t m = 0; m < reader.materials().size(); ++m) {
        const asset::Material& material = reader.materials()[m];
        line("    {} \"{}\": base colour texture {}, normal texture {}", m, material.name, material.baseColorTexture, material.normalTexture);
    }
    line("  textures: {}", reader.textures().size());
    for (size_t t = 0; t < reader.textures().size(); ++t) {
        const TextureInfo& texture = reader.textures()[t];
        uint64_t bytes = 0, blockBytes = 0;
        std::string stored;  // e.g. "WebP 0-6, zstd 7-11": which levels travel how
        for (uint32_t m = 0; m < texture.mipCount; ++m) {
            const MipInfo& mip = reader.mip(static_cast<uint32_t>(t), m);
            bytes += mip.bytes;
            blockBytes += mipByteSize(texture.format, std::max(1u, texture.width >> m), std::max(1u, texture.height >> m));
            const bool runStarts = m == 0 || reader.mip(static_cast<uint32_t>(t), m - 1).encoding != mip.encoding;
            const bool runEnds = m + 1 == texture.mipCount || reader.mip(static_cast<uint32_t>(t), m + 1).encoding != mip.encoding;
            if (runStarts) stored += std::format("{}{} {}", stored.empty() ? "" : ", ", mipEncodingName(mip.encoding), m);
            if (runEnds && !runStarts) stored += std::format("-{}", m);
        }
        line("    {}: {} {}x{}, {} mips, {} bytes ({:.1f}% of the blocks; levels {})", t, textureFormatName(texture.format),
             texture.width, texture.height, texture.mipCount, bytes, 100.0 * double(bytes) / double(std::max<uint64_t>(blockBytes, 1)),
             stored);
    }
    return out;
}

}  // namespace vt::pack
