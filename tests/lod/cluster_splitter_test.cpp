// ClusterSplitter gives meshopt_buildMeshlets' clusters (cone weight 0) bit for bit: on real scans, in
// the chunk sizes the builder uses, and on inputs made to hit every branch (ties, restarts, the k-d
// tree, degenerate and disconnected triangles, the inputs it hands to meshoptimizer itself).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <meshoptimizer.h>

#include "tools/lod/cluster_splitter.h"
#include "tools/scan/import.h"

namespace vt::lod {
namespace {

struct Clusters {
    std::vector<meshopt_Meshlet> meshlets;
    std::vector<uint32_t> vertices;
    std::vector<uint8_t> triangles;
};

Clusters allocate(size_t indexCount, size_t maxVertices, size_t maxTriangles) {
    const size_t bound = meshopt_buildMeshletsBound(indexCount, maxVertices, maxTriangles);
    return {std::vector<meshopt_Meshlet>(bound), std::vector<uint32_t>(bound * maxVertices, 0xdeadbeef),
            std::vector<uint8_t>(bound * maxTriangles * 3, 0xaa)};
}

// Splits with both and compares every cluster's vertices and triangle bytes (padding included).
void expectSameClusters(ClusterSplitter& splitter, const std::vector<uint32_t>& indices, const std::vector<float>& positions,
                        size_t maxVertices, size_t maxTriangles, const std::string& what) {
    SCOPED_TRACE(what + " (max " + std::to_string(maxVertices) + " vertices, " + std::to_string(maxTriangles) + " triangles)");
    const size_t vertexCount = positions.size() / 3;
    Clusters expected = allocate(indices.size(), maxVertices, maxTriangles);
    Clusters actual = allocate(indices.size(), maxVertices, maxTriangles);
    const size_t count = meshopt_buildMeshlets(expected.meshlets.data(), expected.vertices.data(), expected.triangles.data(),
                                               indices.data(), indices.size(), positions.data(), vertexCount,
                                               sizeof(float) * 3, maxVertices, maxTriangles, 0.0f);
    ASSERT_EQ(splitter.split(actual.meshlets.data(), actual.vertices.data(), actual.triangles.data(), indices, positions.data(),
                             vertexCount, maxVertices, maxTriangles),
              count);
    for (size_t i = 0; i < count; ++i) {
        const meshopt_Meshlet& e = expected.meshlets[i];
        const meshopt_Meshlet& a = actual.meshlets[i];
        ASSERT_EQ(std::memcmp(&e, &a, sizeof(e)), 0) << "cluster " << i << " of " << count << ": " << a.vertex_count
                                                     << " vertices, " << a.triangle_count << " triangles; expected "
                                                     << e.vertex_count << ", " << e.triangle_count;
        ASSERT_TRUE(std::equal(&expected.vertices[e.vertex_offset], &expected.vertices[e.vertex_offset + e.vertex_count],
                               &actual.vertices[a.vertex_offset]))
            << "cluster " << i << ": vertices";
        const size_t bytes = (e.triangle_count * 3 + 3) & ~3u;
        ASSERT_EQ(std::memcmp(&expected.triangles[e.triangle_offset], &actual.triangles[a.triangle_offset], bytes), 0)
            << "cluster " << i << ": triangles";
    }
}

// A chunk of a triangle list with its vertices renumbered in first-use order, as the builder hands it over.
void localize(const std::vector<uint32_t>& indices, size_t first, size_t count, const std::vector<float>& positions,
              std::vector<uint32_t>& localIndices, std::vector<float>& localPositions) {
    std::vector<uint32_t> local(positions.size() / 3, ~0u);
    localIndices.clear();
    localPositions.clear();
    for (size_t i = first * 3; i < (first + count) * 3; ++i) {
        uint32_t& slot = local[indices[i]];
        if (slot == ~0u) {
            slot = static_cast<uint32_t>(localPositions.size() / 3);
            localPositions.insert(localPositions.end(), &positions[indices[i] * 3], &positions[indices[i] * 3 + 3]);
        }
        localIndices.push_back(slot);
    }
}

// A regular grid of w x h quads in the plane z = bump(x, y): many exactly equal distances.
void grid(uint32_t w, uint32_t h, float bump, std::vector<uint32_t>& indices, std::vector<float>& positions) {
    indices.clear();
    positions.clear();
    for (uint32_t y = 0; y <= h; ++y) {
        for (uint32_t x = 0; x <= w; ++x) {
            positions.insert(positions.end(), {static_cast<float>(x), static_cast<float>(y),
                                               bump * std::sin(0.7f * static_cast<float>(x)) * std::cos(0.3f * static_cast<float>(y))});
        }
    }
    for (uint32_t y = 0; y < h; ++y) {
        for (uint32_t x = 0; x < w; ++x) {
            const uint32_t a = y * (w + 1) + x, b = a + 1, c = a + w + 1, d = c + 1;
            indices.insert(indices.end(), {a, b, d, a, d, c});
        }
    }
}

TEST(ClusterSplitter, MatchesMeshoptimizerOnCorpusScans) {
    const std::filesystem::path corpus = VITRINE_CORPUS_DIR;
    ClusterSplitter splitter;
    for (const char* relative : {"meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply",
                                 "meshes/iiif3d-assets/assets/whale/whale_cranium.glb",
                                 "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb"}) {
        Result<asset::Model> model = scan::importScan(corpus / relative);
        ASSERT_TRUE(model) << (model ? "" : model.error().message);
        std::vector<uint32_t> indices;
        std::vector<float> positions;
        for (const asset::Mesh& mesh : model->meshes) {
            const auto base = static_cast<uint32_t>(positions.size() / 3);
            for (const glm::vec3& p : mesh.positions) positions.insert(positions.end(), {p.x, p.y, p.z});
            for (uint32_t index : mesh.indices) indices.push_back(base + index);
        }
        const std::string name = std::filesystem::path(relative).filename().string();
        expectSameClusters(splitter, indices, positions, 255, 128, name);
        expectSameClusters(splitter, indices, positions, 64, 64, name);
        // Chunks of the sizes the builder splits (whole groups' worth, and a level-0 chunk's).
        std::vector<uint32_t> localIndices;
        std::vector<float> localPositions;
        const size_t triangles = indices.size() / 3;
        for (const size_t chunk : {size_t{500}, size_t{1100}, size_t{65536}}) {
            for (size_t first = 0; first < triangles; first += chunk * 7) {  // a sample of the chunks
                localize(indices, first, std::min(chunk, triangles - first), positions, localIndices, localPositions);
                expectSameClusters(splitter, localIndices, localPositions, 255, 128, name + " chunk " + std::to_string(first));
            }
        }
    }
}

TEST(ClusterSplitter, MatchesMeshoptimizerOnTiesRestartsAndDegenerateTriangles) {
    ClusterSplitter splitter;
    std::vector<uint32_t> indices;
    std::vector<float> positions;
    // A flat grid: every distance comes in equal pairs, and the topological choice ties all the time.
    grid(60, 40, 0.0f, indices, positions);
    for (const size_t maxTriangles : {4u, 64u, 128u, 512u})
        for (const size_t maxVertices : {3u, 16u, 255u}) expectSameClusters(splitter, indices, positions, maxVertices, maxTriangles, "flat grid");
    grid(60, 40, 0.3f, indices, positions);
    expectSameClusters(splitter, indices, positions, 255, 128, "bumpy grid");

    // Triangles that repeat a vertex, repeated triangles, and holes.
    std::vector<uint32_t> degenerate = indices;
    std::mt19937 random(7);
    for (int i = 0; i < 300; ++i) {
        const size_t t = random() % (degenerate.size() / 3);
        degenerate[t * 3 + 1 + random() % 2] = degenerate[t * 3];
    }
    for (int i = 0; i < 100; ++i) {
        const size_t t = random() % (degenerate.size() / 3);
        degenerate.insert(degenerate.end(), {degenerate[t * 3], degenerate[t * 3 + 1], degenerate[t * 3 + 2]});
    }
    for (int i = 0; i < 200; ++i) {
        const size_t t = random() % (degenerate.size() / 3);
        degenerate.erase(degenerate.begin() + static_cast<ptrdiff_t>(t * 3), degenerate.begin() + static_cast<ptrdiff_t>(t * 3 + 3));
    }
    expectSameClusters(splitter, degenerate, positions, 255, 128, "degenerate, repeated and missing triangles");

    // Many small islands: every cluster restarts from a nearest search, past the brute-force ones into the
    // k-d tree; islands on a lattice are at equal distances.
    std::vector<uint32_t> islands;
    for (uint32_t t = 0; t + 62 < positions.size() / 3; t += 9) islands.insert(islands.end(), {t, t + 1, t + 62});
    expectSameClusters(splitter, islands, positions, 255, 128, "islands");
    expectSameClusters(splitter, islands, positions, 9, 4, "islands, tiny clusters");

    // A triangle soup: random connectivity.
    std::vector<uint32_t> soup;
    for (int i = 0; i < 6000; ++i) soup.push_back(static_cast<uint32_t>(random() % (positions.size() / 3)));
    expectSameClusters(splitter, soup, positions, 255, 128, "soup");
    expectSameClusters(splitter, soup, positions, 32, 32, "soup, small clusters");

    // Inputs meshoptimizer scores with NaN or infinity, handed to it: no triangle with an area, and
    // coordinates whose products overflow.
    std::vector<float> line;
    for (uint32_t i = 0; i < positions.size() / 3; ++i) line.insert(line.end(), {static_cast<float>(i), 0.0f, 0.0f});
    expectSameClusters(splitter, indices, line, 255, 128, "no area");
    std::vector<float> huge = positions;
    for (float& c : huge) c *= 1e20f;
    expectSameClusters(splitter, indices, huge, 255, 128, "huge coordinates");
    Clusters none = allocate(3, 255, 128);  // (meshoptimizer itself reads out of bounds on no triangles)
    EXPECT_EQ(splitter.split(none.meshlets.data(), none.vertices.data(), none.triangles.data(), {}, positions.data(),
                             positions.size() / 3, 255, 128),
              0u);
}

}  // namespace
}  // namespace vt::lod
