// Artifact pack: round trips, golden header bytes, determinism, atomic writes, writer validation.

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <array>
#include <cmath>
#include <csignal>
#include <cstring>
#include <format>
#include <fstream>
#include <random>
#include <tuple>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pack/geometry_codec.h"
#include "pack/pack_reader.h"
#include "pack/pack_verify.h"
#include "pack/pack_writer.h"
#include "pack_test_util.h"
#include "unprivileged.h"

namespace vt::pack {
namespace {

using test::makeContents;

// Documented octahedral bounds (docs/pack-format.md), in degrees, with the encoder's best-of-four search.
constexpr float kOct8BoundDegrees = 0.65f;
constexpr float kOct16BoundDegrees = 0.01f;

float angleDegrees(glm::vec3 a, glm::vec3 b) {
    // atan2 of |cross| and dot: acos loses everything below ~0.03 degrees in float.
    const glm::dvec3 x = glm::normalize(glm::dvec3(a)), y = glm::normalize(glm::dvec3(b));
    return static_cast<float>(glm::degrees(std::atan2(glm::length(glm::cross(x, y)), glm::dot(x, y))));
}

PackReader openBytes(ByteSource& source) {
    auto reader = PackReader::open(source, "test.vpk");
    EXPECT_TRUE(reader) << reader.error().message;
    return std::move(*reader);
}

// Triangles of a cluster rotated so the smallest index leads (the coder may rotate triangles,
// keeping winding).
std::vector<std::array<uint8_t, 3>> canonicalTriangles(const std::vector<uint8_t>& indices) {
    std::vector<std::array<uint8_t, 3>> out;
    for (size_t t = 0; t + 2 < indices.size(); t += 3) {
        std::array<uint8_t, 3> tri{indices[t], indices[t + 1], indices[t + 2]};
        while (tri[0] > tri[1] || tri[0] > tri[2]) tri = {tri[1], tri[2], tri[0]};
        out.push_back(tri);
    }
    return out;
}

// Which decoded vertex each input vertex became: the coder reorders triangles, rotates their corners
// and numbers vertices by first use, so match each input vertex to the decoded one nearest to it.
std::vector<uint8_t> vertexMap(const asset::Cluster& in, const asset::Cluster& out) {
    std::vector<uint8_t> map(in.positions.size());
    for (size_t v = 0; v < map.size(); ++v) {
        float best = std::numeric_limits<float>::max();
        for (size_t w = 0; w < out.positions.size(); ++w) {
            const float d = glm::length(in.positions[v] - out.positions[w]);
            if (d < best) best = d, map[v] = static_cast<uint8_t>(w);
        }
    }
    return map;
}

const asset::Cluster* findCluster(const asset::ClusterHierarchy& h, const asset::Cluster& like) {
    for (const auto& c : h.clusters) {
        if (c.bounds == like.bounds && c.level == like.level) return &c;
    }
    return nullptr;
}

TEST(PackOctahedral, ErrorWithinDocumentedBound) {
    std::mt19937 random(1);
    std::normal_distribution<float> gauss;
    float worst8 = 0.0f, worst16 = 0.0f;
    for (int i = 0; i < 200000; ++i) {
        glm::vec3 n{gauss(random), gauss(random), gauss(random)};
        if (glm::length(n) < 1e-3f) continue;
        n = glm::normalize(n);
        worst8 = std::max(worst8, angleDegrees(n, detail::decodeOctahedral(detail::encodeOctahedral(n, 8), 8)));
        worst16 = std::max(worst16, angleDegrees(n, detail::decodeOctahedral(detail::encodeOctahedral(n, 16), 16)));
    }
    std::printf("octahedral max error: 8-bit %.4f deg, 16-bit %.5f deg\n", worst8, worst16);
    EXPECT_LE(worst8, kOct8BoundDegrees);
    EXPECT_LE(worst16, kOct16BoundDegrees);
}

TEST(PackRoundTrip, SyntheticTwoLevelsExact) {
    const PackContents contents = makeContents(2);
    WriteOptions options;
    options.optimizeOrder = false;
    WriteStats stats;
    auto bytes = encodePack(contents, options, &stats);
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_EQ(stats.totalBytes, bytes->size());
    EXPECT_EQ(stats.clusterCount, 5u);
    EXPECT_EQ(stats.triangleCount, 5u * 128u);

    auto source = memorySource(*bytes);
    PackReader reader = openBytes(*source);
    const PackHeader& h = reader.header();
    EXPECT_EQ(reader.name(), contents.name);
    EXPECT_EQ(reader.source(), contents.source);
    EXPECT_EQ(h.millimetresPerUnit, contents.millimetresPerUnit);
    EXPECT_EQ(h.orientation, glm::vec4(contents.orientation.x, contents.orientation.y, contents.orientation.z, contents.orientation.w));
    EXPECT_EQ(h.levelCount, 2u);
    EXPECT_EQ(h.inputTriangles, 512u);
    EXPECT_EQ(h.bounds.min, contents.hierarchy.bounds.min);
    EXPECT_EQ(h.bounds.max, contents.hierarchy.bounds.max);
    EXPECT_EQ(h.positionErrorBound, h.positionStep * 0.5f);

    ASSERT_EQ(reader.materials().size(), contents.materials.size());
    for (size_t m = 0; m < contents.materials.size(); ++m) {
        const asset::Material& a = contents.materials[m];
        const asset::Material& b = reader.materials()[m];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.baseColorFactor, b.baseColorFactor);
        EXPECT_EQ(a.emissiveFactor, b.emissiveFactor);
        EXPECT_EQ(a.metallicFactor, b.metallicFactor);
        EXPECT_EQ(a.roughnessFactor, b.roughnessFactor);
        EXPECT_EQ(a.normalScale, b.normalScale);
        EXPECT_EQ(a.occlusionStrength, b.occlusionStrength);
        EXPECT_EQ(a.alphaCutoff, b.alphaCutoff);
        EXPECT_EQ(a.alphaMode, b.alphaMode);
        EXPECT_EQ(a.doubleSided, b.doubleSided);
        EXPECT_EQ(a.baseColorTexture, b.baseColorTexture);
        EXPECT_EQ(a.metallicRoughnessTexture, b.metallicRoughnessTexture);
        EXPECT_EQ(a.normalTexture, b.normalTexture);
        EXPECT_EQ(a.occlusionTexture, b.occlusionTexture);
        EXPECT_EQ(a.emissiveTexture, b.emissiveTexture);
    }
    ASSERT_EQ(reader.textures().size(), 2u);
    for (uint32_t t = 0; t < 2; ++t) {
        const PackTexture& in = contents.textures[t];
        EXPECT_EQ(reader.textures()[t].format, in.format);
        EXPECT_EQ(reader.textures()[t].width, in.width);
        EXPECT_EQ(reader.textures()[t].height, in.height);
        ASSERT_EQ(reader.textures()[t].mipCount, in.mips.size());
        for (uint32_t m = 0; m < in.mips.size(); ++m) {
            auto mip = reader.readTextureMip(t, m);
            ASSERT_TRUE(mip) << mip.error().message;
            EXPECT_EQ(*mip, in.mips[m]);
        }
    }

    auto hierarchy = reader.readHierarchy();
    ASSERT_TRUE(hierarchy) << hierarchy.error().message;
    ASSERT_EQ(hierarchy->clusters.size(), contents.hierarchy.clusters.size());
    ASSERT_EQ(hierarchy->groups.size(), contents.hierarchy.groups.size());
    for (size_t g = 0; g < contents.hierarchy.groups.size(); ++g) {
        EXPECT_EQ(hierarchy->groups[g].level, contents.hierarchy.groups[g].level);
        EXPECT_EQ(hierarchy->groups[g].simplifiedError, contents.hierarchy.groups[g].simplifiedError);
        EXPECT_EQ(hierarchy->groups[g].simplifiedBounds, contents.hierarchy.groups[g].simplifiedBounds);
        EXPECT_EQ(hierarchy->groups[g].clusters.size(), contents.hierarchy.groups[g].clusters.size());
    }
    // The coarsest level is the first cluster of the root page.
    auto rootClusters = reader.readClusterInfos(0);
    ASSERT_TRUE(rootClusters) << rootClusters.error().message;
    EXPECT_EQ(rootClusters->front().level, 1u);
    EXPECT_EQ(reader.pages()[0].coarsestLevel, 1u);

    const float positionTolerance = h.positionErrorBound + 1e-6f;
    float worstPosition = 0.0f, worstNormal = 0.0f;
    for (const asset::Cluster& in : contents.hierarchy.clusters) {
        const asset::Cluster* out = findCluster(*hierarchy, in);
        ASSERT_NE(out, nullptr);
        EXPECT_EQ(out->material, in.material);
        EXPECT_EQ(out->group, in.group);
        EXPECT_EQ(out->error, in.error);
        EXPECT_EQ(out->lodBounds, in.lodBounds);
        EXPECT_EQ(out->parentError, in.parentError);
        EXPECT_EQ(out->parentBounds, in.parentBounds);
        ASSERT_EQ(out->positions.size(), in.positions.size());
        ASSERT_EQ(out->normals.size(), in.normals.size());
        ASSERT_EQ(out->texcoords.size(), in.texcoords.size());
        ASSERT_EQ(out->colors.size(), in.colors.size());
        const std::vector<uint8_t> map = vertexMap(in, *out);
        for (size_t v = 0; v < in.positions.size(); ++v) {
            for (int axis = 0; axis < 3; ++axis) {
                const float e = std::abs(out->positions[map[v]][axis] - in.positions[v][axis]);
                worstPosition = std::max(worstPosition, e);
                EXPECT_LE(e, positionTolerance);
            }
            const float angle = angleDegrees(out->normals[map[v]], in.normals[v]);
            worstNormal = std::max(worstNormal, angle);
            EXPECT_LE(angle, kOct8BoundDegrees);
        }
        for (size_t v = 0; v < in.texcoords.size(); ++v) {
            for (int axis = 0; axis < 2; ++axis) {
                EXPECT_LE(std::abs(out->texcoords[map[v]][axis] - in.texcoords[v][axis]), h.texcoordStep[axis] * 0.5f + 1e-6f);
            }
        }
        for (size_t v = 0; v < in.colors.size(); ++v) {
            for (int channel = 0; channel < 4; ++channel) {
                // Bound: half an 8-bit step in the stored (sRGB for colour, linear for alpha) encoding.
                const auto encode = [&](float x) { return channel < 3 ? detail::linearToSrgb(x) : x; };
                EXPECT_LE(std::abs(encode(out->colors[map[v]][channel]) - encode(in.colors[v][channel])), 0.5f / 255.0f + 1e-5f);
            }
        }
        std::vector<uint8_t> mapped;
        for (const uint8_t index : in.indices) mapped.push_back(map[index]);
        auto sorted = [](std::vector<std::array<uint8_t, 3>> triangles) {
            std::sort(triangles.begin(), triangles.end());
            return triangles;
        };
        EXPECT_EQ(sorted(canonicalTriangles(out->indices)), sorted(canonicalTriangles(mapped)));
    }
    std::printf("worst position error %.3g (bound %.3g), worst normal error %.3f deg\n", worstPosition,
                h.positionErrorBound, worstNormal);

    const VerifyReport report = verifyPack(reader);
    EXPECT_TRUE(report.ok()) << report.faults.front();
    EXPECT_EQ(report.pagesDecoded, reader.pages().size());
    EXPECT_EQ(report.mipsChecked, 8u);
}

// With optimizeOrder the vertex order changes, the surface must not: same triangles as position triples.
TEST(PackRoundTrip, OptimizedOrderKeepsTheSurface) {
    const PackContents contents = makeContents(2);
    auto bytes = encodePack(contents);
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto source = memorySource(*bytes);
    PackReader reader = openBytes(*source);
    auto hierarchy = reader.readHierarchy();
    ASSERT_TRUE(hierarchy) << hierarchy.error().message;
    const float tolerance = reader.header().positionErrorBound + 1e-6f;
    auto triangles = [](const asset::Cluster& c, float snap) {
        std::vector<std::array<int64_t, 9>> out;
        for (size_t t = 0; t < c.indices.size(); t += 3) {
            std::array<glm::vec3, 3> p{c.positions[c.indices[t]], c.positions[c.indices[t + 1]], c.positions[c.indices[t + 2]]};
            while (std::tie(p[0].x, p[0].y) > std::tie(p[1].x, p[1].y) || std::tie(p[0].x, p[0].y) > std::tie(p[2].x, p[2].y)) {
                p = {p[1], p[2], p[0]};
            }
            std::array<int64_t, 9> key{};
            for (int k = 0; k < 9; ++k) key[k] = std::llround(p[k / 3][k % 3] / snap);
            out.push_back(key);
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    for (const asset::Cluster& in : contents.hierarchy.clusters) {
        const asset::Cluster* out = findCluster(*hierarchy, in);
        ASSERT_NE(out, nullptr);
        // Snap to a grid 4x the error bound so both sides land on the same key.
        EXPECT_EQ(triangles(*out, tolerance * 8.0f).size(), triangles(in, tolerance * 8.0f).size());
        ASSERT_EQ(out->positions.size(), in.positions.size());
    }
    EXPECT_TRUE(verifyPack(reader).ok());
}

TEST(PackRoundTrip, ManyPagesRunCoarseToFine) {
    const PackContents contents = makeContents(8);  // 4 levels, 85 clusters, 22 groups
    WriteOptions options;
    options.pageTargetBytes = 4096;
    options.rootPageBytes = 4096;  // root: the coarsest level only
    WriteStats stats;
    auto bytes = encodePack(contents, options, &stats);
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto source = memorySource(*bytes);
    PackReader reader = openBytes(*source);
    EXPECT_GT(reader.pages().size(), 4u);
    EXPECT_EQ(reader.pages()[0].coarsestLevel, 3u);
    EXPECT_LE(reader.pages()[0].compressedBytes, kMaxRootPageBytes);
    for (size_t p = 1; p < reader.pages().size(); ++p) {
        EXPECT_EQ(reader.pages()[p].finestLevel, reader.pages()[p].coarsestLevel) << "one level per geometry page";
        EXPECT_LE(reader.pages()[p].coarsestLevel, reader.pages()[p - 1].finestLevel);
    }
    const VerifyReport report = verifyPack(reader);
    EXPECT_TRUE(report.ok()) << report.faults.front();
    const std::string description = describePack(reader);
    EXPECT_NE(description.find("root page:"), std::string::npos);
    EXPECT_NE(description.find("BC1_SRGB 16x8, 5 mips"), std::string::npos) << description;
    std::printf("%s", description.c_str());
}

// Small mips come right after the root page; large ones after all geometry.
// A pack whose second texture is a 128x128 RGBA8 chain: its top mips are larger than
// WriteOptions::earlyMipBytes, the rest smaller; several pages (a small root page).
Result<std::vector<uint8_t>> packWithLargeAndSmallMips() {
    PackContents contents = makeContents(4);
    contents.textures[1] = PackTexture{TextureFormat::Rgba8Srgb, 128, 128, {}};
    for (uint32_t m = 0; m < 8; ++m) {
        const uint32_t size = std::max(1u, 128u >> m);
        contents.textures[1].mips.push_back(std::vector<uint8_t>(size * size * 4, static_cast<uint8_t>(m * 7 + 1)));
    }
    WriteOptions options;
    options.rootPageBytes = 4096;
    return encodePack(contents, options);
}

TEST(PackLayout, CoarseMipsEarlyLargeMipsLast) {
    auto bytes = packWithLargeAndSmallMips();
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto source = memorySource(*bytes);
    PackReader reader = openBytes(*source);
    ASSERT_GE(reader.pages().size(), 2u);
    const PageInfo& root = reader.pages()[0];
    const PageInfo& last = reader.pages().back();
    EXPECT_EQ(root.offset, reader.dataOffset());
    for (uint32_t t = 0; t < 2; ++t) {
        for (uint32_t m = 0; m < reader.textures()[t].mipCount; ++m) {
            const MipInfo& mip = reader.mip(t, m);
            if (mip.bytes <= WriteOptions{}.earlyMipBytes) {
                EXPECT_GE(mip.offset, root.offset + root.compressedBytes);
                EXPECT_LT(mip.offset, reader.pages()[1].offset);
            } else {
                EXPECT_GE(mip.offset, last.offset + last.compressedBytes);
            }
        }
    }
    EXPECT_TRUE(verifyPack(reader).ok());
}

// Counts the reads a reader makes (to see how many requests a fetch would cost over HTTP).
class CountingSource final : public ByteSource {
public:
    explicit CountingSource(ByteSource& inner) : inner_(inner) {}
    uint64_t size() const override { return inner_.size(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        ++reads;
        return inner_.read(offset, bytes);
    }
    int reads = 0;

private:
    ByteSource& inner_;
};

// A source like an HTTP one: the first `held` bytes come free (open's answer), a read that starts in
// them and ends past them fetches only the tail, and every fetch is recorded as [first, end).
class PrefixSource final : public ByteSource {
public:
    PrefixSource(std::span<const uint8_t> bytes, uint64_t held) : bytes_(bytes.begin(), bytes.end()), held_(held) {}
    uint64_t size() const override { return bytes_.size(); }
    uint64_t heldPrefixBytes() const override { return held_; }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        if (offset > bytes_.size() || bytes > bytes_.size() - offset) return fail("past the end");
        if (offset + bytes > held_) fetches.emplace_back(std::max(offset, held_), offset + bytes);
        const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(offset);
        return std::vector<uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(bytes));
    }
    std::vector<std::pair<uint64_t, uint64_t>> fetches;

private:
    std::vector<uint8_t> bytes_;
    uint64_t held_;
};

// Opening a pack and reading its root page: what the source did not hold is read once, in as few
// reads as the directory allows (the rest of the directory, then the rest of the root page), and
// readPage(0) after the first costs nothing.
TEST(PackOpening, ReadsOnlyWhatIsMissingAndNothingTwice) {
    PackContents contents = makeContents(8);
    contents.name.resize(3000);  // letters that do not compress away: a directory of a few KiB
    for (size_t i = 0; i < contents.name.size(); ++i) contents.name[i] = char('a' + ((i * 2654435761u) >> 13) % 26);
    WriteOptions options;
    options.rootPageBytes = 4096;
    auto bytes = encodePack(contents, options);
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto plain = memorySource(*bytes);
    PackReader expected = openBytes(*plain);
    const uint64_t dataStart = expected.dataOffset();
    const uint64_t rootEnd = expected.pages()[0].offset + expected.pages()[0].compressedBytes;
    ASSERT_EQ(expected.pages()[0].offset, dataStart);
    ASSERT_LT(rootEnd, kFirstRequestBytes);
    ASSERT_GT(dataStart, kHeaderBytes + 100);
    auto expectedRoot = expected.readPage(0);
    ASSERT_TRUE(expectedRoot);

    using Fetches = std::vector<std::pair<uint64_t, uint64_t>>;
    const std::vector<std::pair<uint64_t, Fetches>> cases = {
        {0, {{0, std::min<uint64_t>(bytes->size(), kFirstRequestBytes)}}},  // a file: one read
        {kFirstRequestBytes, {}},                                           // all held
        {kHeaderBytes + 100, {{kHeaderBytes + 100, dataStart}, {dataStart, rootEnd}}},
        {dataStart + 10, {{dataStart + 10, rootEnd}}},
    };
    for (const auto& [held, fetches] : cases) {
        SCOPED_TRACE(std::format("{} bytes held", held));
        PrefixSource source(*bytes, held);
        auto reader = PackReader::open(source, "test.vpk");
        ASSERT_TRUE(reader) << reader.error().message;
        auto root = reader->readPage(0);
        ASSERT_TRUE(root) << root.error().message;
        ASSERT_EQ(root->size(), expectedRoot->size());
        for (size_t i = 0; i < root->size(); ++i) EXPECT_EQ((*root)[i].indices, (*expectedRoot)[i].indices);
        ASSERT_TRUE(reader->readClusterInfos(0));
        EXPECT_EQ(source.fetches, fetches);
    }
}

// Every texture's small mips in one read, the large ones separately, all equal to single-mip reads;
// a flipped byte inside a run is reported with the mip's byte offset.
TEST(PackLayout, SmallMipsOfEveryTextureComeInOneRead) {
    auto bytes = packWithLargeAndSmallMips();
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto source = memorySource(*bytes);
    PackReader reader = openBytes(*source);
    std::vector<PackReader::MipRef> small, all;
    for (uint32_t t = 0; t < reader.textures().size(); ++t)
        for (uint32_t m = reader.textures()[t].mipCount; m-- > 0;) {
            all.push_back({t, m});
            if (reader.mip(t, m).bytes <= WriteOptions{}.earlyMipBytes) small.push_back({t, m});
        }
    ASSERT_GE(small.size(), 6u);
    ASSERT_GT(all.size(), small.size());

    CountingSource counting(*source);
    auto coarse = reader.readTextureMips(counting, small);
    ASSERT_TRUE(coarse) << coarse.error().message;
    EXPECT_EQ(counting.reads, 1) << small.size() << " small mips";
    counting.reads = 0;
    auto every = reader.readTextureMips(counting, all);
    ASSERT_TRUE(every) << every.error().message;
    EXPECT_LT(counting.reads, int(all.size()));
    for (size_t i = 0; i < all.size(); ++i) {
        auto single = reader.readTextureMip(all[i].texture, all[i].level);
        ASSERT_TRUE(single);
        EXPECT_EQ((*every)[i], *single) << "texture " << all[i].texture << " mip " << all[i].level;
    }

    const MipInfo& victim = reader.mip(small[2].texture, small[2].level);
    std::vector<uint8_t> corrupt = *bytes;
    corrupt[victim.offset] ^= 0x40;
    auto corruptSource = memorySource(corrupt);
    auto failed = reader.readTextureMips(*corruptSource, small);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find(std::format("byte {}: texture {} mip {} checksum mismatch", victim.offset,
                                                      small[2].texture, small[2].level)),
              std::string::npos)
        << failed.error().message;
}

// Header bytes of a fixed pack. Bytes 16..39 (file size, directory sizes and checksum) and 184..191
// (header checksum) depend on the zstd and meshoptimizer versions, so they are not pinned here;
// every other byte is format.
TEST(PackGolden, HeaderBytes) {
    auto bytes = encodePack(makeContents(2));
    ASSERT_TRUE(bytes) << bytes.error().message;
    ASSERT_GE(bytes->size(), kHeaderBytes);
    const std::array<uint8_t, 16> expectedStart{
        0x56, 0x54, 0x50, 0x4b, 0x04, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};  // "VTPK", version 4, header 192, flags 0
    const std::array<uint8_t, 144> expectedMiddle{
        0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,  // pages 1, clusters 5, groups 2, materials 2
        0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,  // textures 2, mips 8, levels 2, normal bits 8
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xda, 0x06, 0x2a, 0xbd, 0x00, 0x02, 0x80, 0x38,  // position origin, step (14 bits)
        0x00, 0x02, 0x00, 0x38, 0x00, 0x00, 0x00, 0xbf, 0x00, 0x00, 0x00, 0x00, 0x08, 0x20, 0x00, 0x3b,  // error bound, uv origin, uv step (10 bits)
        0x08, 0x20, 0x80, 0x3a, 0x00, 0x00, 0x7a, 0x43, 0xd0, 0x1e, 0xd2, 0x3d, 0x1c, 0x97, 0x9d, 0xbe,  // mm per unit 250, orientation x y z
        0xd0, 0x1e, 0x52, 0x3e, 0xaa, 0x62, 0x6c, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // orientation w, bounds min x y
        0xcd, 0xcc, 0xcc, 0xbd, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x80, 0x3f, 0xcd, 0xcc, 0xcc, 0x3d,  // bounds min z, bounds max
        0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // input triangles 512, reserved
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    EXPECT_TRUE(std::equal(expectedStart.begin(), expectedStart.end(), bytes->begin()));
    std::string actual;
    for (size_t i = 40; i < 184; ++i) actual += std::format("0x{:02x},{}", (*bytes)[i], i % 16 == 7 ? "\n" : " ");
    EXPECT_TRUE(std::equal(expectedMiddle.begin(), expectedMiddle.end(), bytes->begin() + 40)) << "bytes 40..183 now:\n" << actual;
}

TEST(PackDeterminism, SameContentsSameBytes) {
    const PackContents contents = makeContents(4);
    test::TempFolder folder;
    ASSERT_TRUE(writePack(folder.path / "a.vpk", contents));
    ASSERT_TRUE(writePack(folder.path / "b.vpk", makeContents(4)));
    const auto a = test::readFileBytes(folder.path / "a.vpk");
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, test::readFileBytes(folder.path / "b.vpk"));
    auto memory = encodePack(contents);
    ASSERT_TRUE(memory);
    EXPECT_EQ(a, *memory);
}

size_t entriesIn(const std::filesystem::path& folder) {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(folder), std::filesystem::directory_iterator()));
}

TEST(PackAtomicWrite, MissingFolderFailsCleanly) {
    test::TempFolder folder;
    auto result = writePack(folder.path / "missing" / "x.vpk", makeContents(2));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("x.vpk"), std::string::npos) << result.error().message;
    EXPECT_EQ(entriesIn(folder.path), 0u);
}

TEST(PackAtomicWrite, FolderThatIsAFileFailsCleanly) {
    test::TempFolder folder;
    { std::ofstream(folder.path / "plain") << "not a folder"; }
    EXPECT_FALSE(writePack(folder.path / "plain" / "x.vpk", makeContents(2)));
    EXPECT_EQ(entriesIn(folder.path), 1u);
}

TEST(PackAtomicWrite, ReadOnlyFolderFailsCleanly) {
    test::TempFolder folder;
    namespace fs = std::filesystem;
    // r-x for everyone; root would write anyway, so the write is tried as an unprivileged user.
    fs::permissions(folder.path, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                     fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    const PackContents contents = makeContents(2);
    const std::string failure = vt::test::runUnprivileged([&]() -> std::string {
        auto result = writePack(folder.path / "x.vpk", contents);
        if (result) return "a pack was written into a read-only folder";
        if (result.error().message.find("x.vpk") == std::string::npos) return "the error does not name the file: " + result.error().message;
        return "";
    });
    fs::permissions(folder.path, fs::perms::owner_all);
    EXPECT_EQ(failure, "");
    EXPECT_EQ(entriesIn(folder.path), 0u);
}

TEST(PackAtomicWrite, ExistingFileReplacedOnlyOnSuccess) {
    test::TempFolder folder;
    const auto path = folder.path / "object.vpk";
    ASSERT_TRUE(writePack(path, makeContents(2)));
    const auto original = test::readFileBytes(path);

    // Invalid contents: refused before anything is written.
    PackContents bad = makeContents(2);
    bad.hierarchy.clusters[1].indices[4] = 200;
    auto refused = writePack(path, bad);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("cluster 1: index 200"), std::string::npos) << refused.error().message;
    EXPECT_EQ(test::readFileBytes(path), original);

    // A write that fails halfway (file size limit, in a child so the limit stays there): the old file
    // survives and the temporary file is gone.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{1024, 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        auto result = writePack(path, makeContents(8));
        ::_exit(result ? 1 : (result.error().message.find("write failed") != std::string::npos ? 0 : 2));
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(test::readFileBytes(path), original);
    EXPECT_EQ(entriesIn(folder.path), 1u);

    // Success replaces it.
    ASSERT_TRUE(writePack(path, makeContents(4)));
    EXPECT_NE(test::readFileBytes(path), original);
    EXPECT_EQ(entriesIn(folder.path), 1u);
}

TEST(PackWriter, RejectsInconsistentContents) {
    auto expectError = [](PackContents contents, std::string_view fragment) {
        auto result = encodePack(contents);
        ASSERT_FALSE(result);
        EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
    };
    PackContents c = makeContents(2);
    c.hierarchy.clusters[0].material = 9;
    expectError(c, "material 9");
    c = makeContents(2);
    c.hierarchy.clusters[2].parentError = 123.0f;
    expectError(c, "differ from its group");
    c = makeContents(2);
    c.materials[0].normalTexture = 5;
    expectError(c, "texture 5");
    c = makeContents(2);
    c.textures[0].mips[1].pop_back();
    expectError(c, "texture 0 mip 1");
    c = makeContents(2);
    c.hierarchy.clusters[3].normals.pop_back();
    expectError(c, "attribute array");
    c = makeContents(2);
    c.name.assign(kMaxStringBytes + 1, 'x');
    expectError(c, "name is");
}

TEST(PackReader, RejectsOtherFiles) {
    const std::vector<uint8_t> empty;
    auto none = memorySource(empty);
    auto result = PackReader::open(*none, "empty.vpk");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "empty.vpk: byte 0: the file is 0 bytes, shorter than the 192-byte pack header");
    std::vector<uint8_t> glb(400, 0);
    std::memcpy(glb.data(), "glTF", 4);
    auto other = memorySource(glb);
    result = PackReader::open(*other, "whale.glb");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "whale.glb: byte 0: not a Vitrine pack (expected the magic \"VTPK\")");
    EXPECT_FALSE(openFile("/nonexistent/whale.vpk"));
}

}  // namespace
}  // namespace vt::pack
