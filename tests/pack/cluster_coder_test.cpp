// The page geometry coder (engine/pack/cluster_coder.h): exact round trips of every kind of cluster,
// prediction that actually predicts (a smooth surface costs mostly zero bytes), and clear errors for
// every kind of corrupt stream.

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "pack/cluster_coder.h"

namespace vt::pack::detail {
namespace {

using Streams = std::array<std::span<const uint8_t>, kGeometryStreamCount>;

Streams spans(const GeometryStreams& streams) {
    Streams out;
    for (uint32_t s = 0; s < kGeometryStreamCount; ++s) out[s] = streams[s];
    return out;
}

std::span<const uint8_t> streamOf(const GeometryStreams& streams, GeometryStream s) { return streams[static_cast<uint32_t>(s)]; }

// A w x h vertex patch of a sphere of radius `radius` grid steps, triangulated in rows (a strip-like
// order, as the writer's vertex-cache order gives), normals from the exact sphere.
QuantizedCluster spherePatch(int w, int h, double radius, uint32_t normalBits) {
    QuantizedCluster c;
    const double s = (1 << (normalBits - 1)) - 1;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double theta = 0.6 + 0.02 * x, phi = 0.4 + 0.02 * y;
            const double n[3] = {std::sin(phi) * std::cos(theta), std::sin(phi) * std::sin(theta), std::cos(phi)};
            c.positions.push_back({static_cast<uint16_t>(std::lround(30000 + radius * n[0])),
                                   static_cast<uint16_t>(std::lround(30000 + radius * n[1])),
                                   static_cast<uint16_t>(std::lround(30000 + radius * n[2]))});
            const double l1 = std::abs(n[0]) + std::abs(n[1]) + std::abs(n[2]);
            c.normals.push_back({static_cast<int16_t>(std::lround(n[0] / l1 * s)), static_cast<int16_t>(std::lround(n[1] / l1 * s))});
            c.texcoords.push_back({static_cast<uint16_t>(x * 900), static_cast<uint16_t>(y * 900)});
            c.colors.push_back({static_cast<uint8_t>(x * 9), static_cast<uint8_t>(y * 7), 128, 255});
        }
    }
    for (int y = 0; y + 1 < h; ++y) {
        for (int x = 0; x + 1 < w; ++x) {
            const auto v = [&](int i, int j) { return static_cast<uint8_t>(j * w + i); };
            // Counter-clockwise seen from outside, so the face normals agree with the sphere's.
            c.indices.insert(c.indices.end(), {v(x, y), v(x + 1, y + 1), v(x + 1, y)});
            c.indices.insert(c.indices.end(), {v(x, y), v(x, y + 1), v(x + 1, y + 1)});
        }
    }
    return c;
}

// Triangles as unordered corner sets with winding: the coder may rotate corners, never flip them.
std::vector<std::array<std::array<uint16_t, 3>, 3>> canonicalTriangles(const QuantizedCluster& c) {
    std::vector<std::array<std::array<uint16_t, 3>, 3>> out;
    for (size_t t = 0; t + 2 < c.indices.size(); t += 3) {
        std::array<std::array<uint16_t, 3>, 3> tri{c.positions[c.indices[t]], c.positions[c.indices[t + 1]], c.positions[c.indices[t + 2]]};
        const auto smallest = std::min_element(tri.begin(), tri.end()) - tri.begin();
        std::rotate(tri.begin(), tri.begin() + smallest, tri.end());
        out.push_back(tri);
    }
    return out;
}

std::vector<QuantizedCluster> roundTrip(std::vector<QuantizedCluster> clusters, uint32_t normalBits, GeometryStreams* keep = nullptr) {
    GeometryStreams streams;
    encodeClusters(clusters, normalBits, streams);  // renumbers `clusters` in place: what decoding must give
    ClusterDecoder decoder(spans(streams), normalBits);
    std::vector<QuantizedCluster> decoded(clusters.size());
    for (size_t c = 0; c < clusters.size(); ++c) {
        const QuantizedCluster& in = clusters[c];
        auto ok = decoder.decode(static_cast<uint32_t>(in.positions.size()), static_cast<uint32_t>(in.indices.size() / 3),
                                 !in.normals.empty(), !in.texcoords.empty(), !in.colors.empty(), decoded[c]);
        EXPECT_TRUE(ok) << ok.error().message;
        EXPECT_EQ(decoded[c].positions, in.positions);
        EXPECT_EQ(decoded[c].normals, in.normals);
        EXPECT_EQ(decoded[c].texcoords, in.texcoords);
        EXPECT_EQ(decoded[c].colors, in.colors);
        EXPECT_EQ(decoded[c].indices, in.indices);
    }
    auto done = decoder.finish();
    EXPECT_TRUE(done) << done.error().message;
    if (keep) *keep = streams;
    return decoded;
}

TEST(ClusterCoder, SmoothPatchRoundTripsExactlyAndCostsLittle) {
    const QuantizedCluster patch = spherePatch(4, 18, 20000.0, 8);  // 72 vertices, 102 triangles
    GeometryStreams streams;
    const auto decoded = roundTrip({patch}, 8, &streams);
    // Same triangles (as corner positions, winding kept) as the input.
    auto before = canonicalTriangles(patch), after = canonicalTriangles(decoded[0]);
    std::sort(before.begin(), before.end()), std::sort(after.begin(), after.end());
    EXPECT_EQ(before, after);
    // The walk shares an edge with a recent triangle almost always: one code byte per triangle, and
    // explicit references for under a third of them.
    EXPECT_EQ(streamOf(streams, GeometryStream::Triangles).size(), 102u);
    EXPECT_LE(streamOf(streams, GeometryStream::VertexRefs).size(), 34u);
    // Normals predicted from the positions: most residuals are 0 or +-1 (zigzag 0..2).
    const auto normals = streamOf(streams, GeometryStream::Normals);
    ASSERT_EQ(normals.size(), 2u * 72u);
    const auto small = std::count_if(normals.begin(), normals.end(), [](uint8_t b) { return b <= 2; });
    EXPECT_GE(small, static_cast<long>(normals.size() * 8 / 10)) << "normal prediction no longer predicts";
    // Parallelogram prediction on a smooth patch: residuals far below the ~400-step edge lengths.
    const auto positions = streamOf(streams, GeometryStream::Positions);
    const auto escaped = std::count(positions.begin(), positions.end(), uint8_t{255});
    EXPECT_LE(escaped, 6) << "position prediction no longer predicts";
}

TEST(ClusterCoder, SoupUnusedVerticesWideNormalsAndManyClusters) {
    std::mt19937 random(7);
    std::vector<QuantizedCluster> clusters;
    for (int k = 0; k < 5; ++k) {
        QuantizedCluster c;
        const uint32_t vertices = k == 0 ? 255 : 20 + 40 * k;
        for (uint32_t v = 0; v < vertices; ++v) {
            c.positions.push_back({static_cast<uint16_t>(random()), static_cast<uint16_t>(random()), static_cast<uint16_t>(random())});
            c.normals.push_back({static_cast<int16_t>(int(random() % 65535) - 32767), static_cast<int16_t>(int(random() % 65535) - 32767)});
            if (k % 2 == 0) c.texcoords.push_back({static_cast<uint16_t>(random()), static_cast<uint16_t>(random())});
        }
        if (k == 3) c.normals.clear();
        // Random triangles (some degenerate), leaving some vertices unused; cluster 0 the format's 1024.
        const uint32_t triangles = k == 0 ? 1024 : 30;
        for (uint32_t t = 0; t < triangles; ++t) {
            for (int corner = 0; corner < 3; ++corner) c.indices.push_back(static_cast<uint8_t>(random() % (vertices - 5)));
        }
        clusters.push_back(c);
    }
    roundTrip(clusters, 16);
}

TEST(ClusterCoder, SingleVertexAndSingleTriangle) {
    QuantizedCluster c;
    c.positions = {{1, 2, 3}, {65535, 0, 65535}, {0, 65535, 0}};
    c.indices = {0, 1, 2};
    roundTrip({c, c}, 8);
}

GeometryStreams encodedPatch() {
    std::vector<QuantizedCluster> clusters{spherePatch(6, 6, 5000.0, 8)};
    GeometryStreams streams;
    encodeClusters(clusters, 8, streams);
    return streams;
}

std::string decodeError(const GeometryStreams& streams) {
    ClusterDecoder decoder(spans(streams), 8);
    QuantizedCluster out;
    auto r = decoder.decode(36, 50, true, true, true, out);
    if (!r) return r.error().message;
    auto done = decoder.finish();
    return done ? "" : done.error().message;
}

TEST(ClusterCoder, EveryStreamCutShortIsNamed) {
    for (const GeometryStream s : {GeometryStream::Triangles, GeometryStream::Positions, GeometryStream::Normals,
                                   GeometryStream::Texcoords, GeometryStream::Colors}) {
        GeometryStreams streams = encodedPatch();
        streams[static_cast<uint32_t>(s)].pop_back();
        const std::string message = decodeError(streams);
        EXPECT_NE(message.find(std::string("the ") + geometryStreamName(s) + " stream ends early"), std::string::npos) << message;
    }
    GeometryStreams streams = encodedPatch();
    streams[static_cast<uint32_t>(GeometryStream::Colors)].push_back(0);
    EXPECT_NE(decodeError(streams).find("the colour stream has 145 bytes, the page's clusters use 144"), std::string::npos)
        << decodeError(streams);
}

TEST(ClusterCoder, CorruptCodesAreErrorsNotReads) {
    GeometryStreams streams = encodedPatch();
    auto& codes = streams[static_cast<uint32_t>(GeometryStream::Triangles)];
    codes[0] = 0x30;  // the first triangle names an edge while the FIFO is empty
    EXPECT_NE(decodeError(streams).find("triangle 0 names edge 3 of 0"), std::string::npos) << decodeError(streams);
    codes[0] = 0xF8;  // no edge, with the unknown bit 3
    EXPECT_NE(decodeError(streams).find("unknown code 0xf8"), std::string::npos) << decodeError(streams);
    codes[0] = 0xF0;  // three explicit references while no vertex exists yet
    auto& refs = streams[static_cast<uint32_t>(GeometryStream::VertexRefs)];
    refs.insert(refs.begin(), 0);
    EXPECT_NE(decodeError(streams).find("refers back 1 vertices, only 0 so far"), std::string::npos) << decodeError(streams);
    // Every value of every code byte: an error or a decode, never an out-of-range access (ASan checks).
    for (size_t i = 0; i < codes.size(); ++i) {
        for (int value = 0; value < 256; value += 7) {
            GeometryStreams corrupt = encodedPatch();
            corrupt[static_cast<uint32_t>(GeometryStream::Triangles)][i] = static_cast<uint8_t>(value);
            (void)decodeError(corrupt);
        }
    }
}

TEST(ClusterCoder, PositionsOffTheGridAreErrors) {
    GeometryStreams streams = encodedPatch();
    // The first vertex is predicted from 0, so its x (about 30000) is escaped: make it +2^31 - 1.
    auto& positions = streams[static_cast<uint32_t>(GeometryStream::Positions)];
    auto& escapes = streams[static_cast<uint32_t>(GeometryStream::PositionEscapes)];
    ASSERT_EQ(positions[0], 255);
    std::fill_n(escapes.begin(), 4, uint8_t{0xff});
    escapes[0] = 0xfe;
    EXPECT_NE(decodeError(streams).find("cluster 0 of the page: a vertex decodes outside the position grid"), std::string::npos) << decodeError(streams);
}

}  // namespace
}  // namespace vt::pack::detail
