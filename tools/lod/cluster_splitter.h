#pragma once
// Splits a triangle list into clusters: the clusters of meshoptimizer 0.22's meshopt_buildMeshlets with
// cone_weight 0, bit for bit (the pack's bytes depend on them), about twice as fast, and without
// allocating once a splitter's buffers have grown. The cluster LOD builder spends a third of its time
// here otherwise.
//
// The algorithm is meshoptimizer's: grow one cluster at a time by the adjacent triangle of the best
// topological priority (one that adds no vertex; one that takes a vertex's last triangle; one that
// leaves two vertices with a last triangle; then by the vertices it adds), then of the lowest score
// (distance of its centre to the cluster's centre); when that one does not fit, re-choose by the
// triangles its vertices have left; when no triangle is adjacent, take the remaining triangle whose
// centre is nearest (a k-d tree over the centres). Ties go to the first candidate in meshoptimizer's
// scan order (the cluster's vertices in order, each one's remaining triangles in list order), which
// this class reproduces.
//
// What differs is the bookkeeping. meshoptimizer rescans every triangle around the cluster for every
// triangle it adds; here the candidates are kept in buckets by priority and only those around the
// added triangle's vertices are re-filed, so a step scores just the best bucket. The k-d tree is built
// only when a restart needs it (inputs of a few hundred triangles rarely do: a restart first checks
// every remaining centre, and keeps that answer unless two are equally near), and its search skips
// subtrees whose triangles are all taken. Inputs that meshoptimizer would score with NaN or infinity
// (no triangle with an area, coordinates near float's range) go to meshopt_buildMeshlets itself, so the
// result is the library's for every input.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <meshoptimizer.h>

namespace vt::lod {

class ClusterSplitter {
public:
    // The contract of meshopt_buildMeshlets(..., cone_weight = 0): `positions` holds vertexCount tightly
    // packed xyz triples, every index is < vertexCount, maxVertices is in [3, 255] and maxTriangles a
    // multiple of 4 in [4, 512]; the output arrays hold meshopt_buildMeshletsBound(indices.size(),
    // maxVertices, maxTriangles) clusters (and that many times maxVertices vertices and maxTriangles * 3
    // triangle bytes). Returns the number of clusters written.
    size_t split(meshopt_Meshlet* meshlets, uint32_t* meshletVertices, uint8_t* meshletTriangles,
                 std::span<const uint32_t> indices, const float* positions, size_t vertexCount, size_t maxVertices,
                 size_t maxTriangles);

private:
    struct Triangle {
        uint32_t v[3];
        float centre[3];
    };
    struct Vertex {
        uint32_t start = 0;  // its triangles: adjacency_[start .. start + live)
        uint32_t live = 0;   // how many of its triangles are not in a cluster yet
        uint8_t slot = 0xff;  // its index in the current cluster; 0xff: not in it
    };
    // A k-d tree node over triangle centres. Branch: children `a` (centres below the split) and `b`.
    // Leaf (axis 3): the triangles kdOrder_[a .. a + b), in the order meshoptimizer visits them.
    struct KdNode {
        float split;
        uint32_t axis;
        uint32_t a, b;
        uint32_t parent;
        uint32_t remaining;  // triangles of the subtree not in a cluster yet
    };
    struct KdVisit {
        uint32_t node;
        float planeDistance;  // visit only if the best distance so far is at least this
    };

    void buildKdTree();
    void buildKdTree(uint32_t begin, uint32_t count, uint32_t parent);
    uint32_t nearestRemaining(const float position[3]);
    uint32_t priority(const Triangle& triangle) const;
    uint32_t newVertices(uint32_t triangle) const;
    void refile(uint32_t triangle);
    void unfile(uint32_t triangle);
    uint64_t scanPosition(uint32_t triangle) const;
    // The best adjacent triangle by priority, then by distance to `centre` (or by the triangles its
    // vertices have left), then by meshoptimizer's scan order; ~0u if none.
    uint32_t bestNeighbour(const float* centre, bool byTopology);

    float expectedRadius_ = 0.0f;  // meshoptimizer's scale of the distance score
    std::vector<Triangle> triangles_;
    std::vector<Vertex> vertices_;
    std::vector<uint32_t> adjacency_;
    // The triangles adjacent to the cluster, by priority; per triangle its priority (0xff: none) and
    // its index in that bucket.
    std::array<std::vector<uint32_t>, 5> buckets_;
    std::vector<uint8_t> bucketOf_;
    std::vector<uint32_t> bucketPosition_;
    std::vector<KdNode> kdNodes_;
    std::vector<uint32_t> kdOrder_;
    std::vector<uint32_t> leafOf_;    // per triangle: its k-d leaf
    std::vector<uint8_t> emitted_;    // per triangle: in a cluster already
    bool kdBuilt_ = false;
    uint32_t bruteForceSearches_ = 0;
    std::vector<KdVisit> kdStack_;
    std::vector<float> welfordWeights_;  // meshoptimizer's running weights: 1, 1/2, 1/3, ...
    float welfordCount_ = 1.0f;
};

}  // namespace vt::lod
