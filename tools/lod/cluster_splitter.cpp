#include "tools/lod/cluster_splitter.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <utility>

// Every float expression below is evaluated as meshoptimizer evaluates it (same operands, same order),
// so scores, tree splits and distances round identically; the build keeps the compiler from fusing
// multiplies and adds (-ffp-contract=off), which would round differently.

namespace vt::lod {
namespace {

constexpr uint8_t kNotInCluster = 0xff;
constexpr uint32_t kNone = ~0u;
constexpr uint32_t kLeaf = 3;
// meshoptimizer's k-d leaf size: a subtree of at most this many centres is one leaf.
constexpr uint32_t kKdLeafSize = 8;
constexpr uint8_t kNotCandidate = 0xff;

// Euclidean distance, written in the one order both searches use (the output is pinned bit for bit).
float distanceBetween(const float* point, const float* position) {
    const float distance2 = (point[0] - position[0]) * (point[0] - position[0]) +
                            (point[1] - position[1]) * (point[1] - position[1]) +
                            (point[2] - position[2]) * (point[2] - position[2]);
    return std::sqrt(distance2);
}
// Restarts answered by checking every remaining triangle before the k-d tree is built: each costs about
// what one level of the tree's construction does.
constexpr uint32_t kBruteForceSearches = 8;

}  // namespace

void ClusterSplitter::buildKdTree(uint32_t begin, uint32_t count, uint32_t parent) {
    const auto node = static_cast<uint32_t>(kdNodes_.size());
    kdNodes_.push_back({0.0f, kLeaf, begin, count, parent, count});
    if (count > kKdLeafSize) {
        uint32_t* order = &kdOrder_[begin];
        // Mean and variance per axis by Welford's method, as meshoptimizer accumulates them (its
        // running weights 1/1, 1/2, 1/3, ... come from a table instead of a division per point).
        float mean[3] = {}, variance[3] = {};
        for (uint32_t i = 0; i < count; ++i) {
            const float* point = triangles_[order[i]].centre;
            const float weight = welfordWeights_[i];
            for (int k = 0; k < 3; ++k) {
                const float delta = point[k] - mean[k];
                mean[k] += delta * weight;
                variance[k] += delta * (point[k] - mean[k]);
            }
        }
        const uint32_t axis = variance[0] >= variance[1] && variance[0] >= variance[2] ? 0 : variance[1] >= variance[2] ? 1 : 2;
        const float split = mean[axis];
        // Unstable in-place partition, swapping exactly as meshoptimizer does (the leaves' order depends on it).
        uint32_t middle = 0;
        for (uint32_t i = 0; i < count; ++i) {
            const float v = triangles_[order[i]].centre[axis];
            std::swap(order[middle], order[i]);
            middle += v < split;
        }
        if (middle > kKdLeafSize / 2 && middle < count - kKdLeafSize / 2) {
            const auto below = static_cast<uint32_t>(kdNodes_.size());
            buildKdTree(begin, middle, node);
            const auto above = static_cast<uint32_t>(kdNodes_.size());
            buildKdTree(begin + middle, count - middle, node);
            kdNodes_[node].split = split;
            kdNodes_[node].axis = axis;
            kdNodes_[node].a = below;
            kdNodes_[node].b = above;
            return;
        }
    }
    for (uint32_t i = 0; i < count; ++i) leafOf_[kdOrder_[begin + i]] = node;
}

// The k-d tree over the centres, built on the first restart that needs it (most inputs below a few
// thousand triangles never do); its counts leave out the triangles already in clusters.
void ClusterSplitter::buildKdTree() {
    kdNodes_.clear();
    for (size_t i = 0; i < kdOrder_.size(); ++i) kdOrder_[i] = static_cast<uint32_t>(i);
    buildKdTree(0, static_cast<uint32_t>(kdOrder_.size()), kNone);
    for (size_t i = kdNodes_.size(); i-- > 0;) {  // children come after their parent
        KdNode& node = kdNodes_[i];
        if (node.axis != kLeaf) {
            node.remaining = kdNodes_[node.a].remaining + kdNodes_[node.b].remaining;
            continue;
        }
        node.remaining = 0;
        for (uint32_t j = node.a; j < node.a + node.b; ++j) node.remaining += !emitted_[kdOrder_[j]];
    }
    kdBuilt_ = true;
}

// meshoptimizer's depth-first nearest search (near side first, far side only if the splitting plane is
// within the best distance so far; strictly nearer wins), without the subtrees that have nothing left.
uint32_t ClusterSplitter::nearestRemaining(const float position[3]) {
    uint32_t result = kNone;
    float limit = FLT_MAX;
    if (!kdBuilt_ && bruteForceSearches_ < kBruteForceSearches) {
        // Without the tree: the nearest remaining centre, unless two are equally near (the tree's visiting
        // order breaks that tie).
        ++bruteForceSearches_;
        bool tie = false;
        for (uint32_t t = 0; t < triangles_.size(); ++t) {
            if (emitted_[t]) continue;
            const float distance = distanceBetween(triangles_[t].centre, position);
            if (distance < limit) {
                result = t;
                limit = distance;
                tie = false;
            } else if (distance == limit) {
                tie = true;
            }
        }
        if (!tie) return result;
        result = kNone;
        limit = FLT_MAX;
    }
    if (!kdBuilt_) buildKdTree();
    kdStack_.assign(1, {0, 0.0f});  // the root is always visited
    while (!kdStack_.empty()) {
        const auto [index, planeDistance] = kdStack_.back();
        kdStack_.pop_back();
        const KdNode& node = kdNodes_[index];
        if (node.remaining == 0 || !(planeDistance <= limit)) continue;
        if (node.axis == kLeaf) {
            for (uint32_t i = node.a; i < node.a + node.b; ++i) {
                const uint32_t t = kdOrder_[i];
                if (emitted_[t]) continue;  // already in a cluster
                const float distance = distanceBetween(triangles_[t].centre, position);
                if (distance < limit) {
                    result = t;
                    limit = distance;
                }
            }
            continue;
        }
        const float delta = position[node.axis] - node.split;
        // The far side goes onto the stack first: it is looked at after the near side is done, against
        // the limit as it is then.
        kdStack_.push_back({delta <= 0 ? node.b : node.a, std::fabs(delta)});
        kdStack_.push_back({delta <= 0 ? node.a : node.b, 0.0f});
    }
    return result;
}

// meshoptimizer's topological priority of an adjacent triangle, lower first: one that adds no vertex;
// one that takes a vertex's last triangle (left alone, it would cost a vertex in another cluster); one
// that leaves two vertices with a last triangle; then by the number of vertices it adds.
inline uint32_t ClusterSplitter::priority(const Triangle& triangle) const {
    const Vertex& a = vertices_[triangle.v[0]];
    const Vertex& b = vertices_[triangle.v[1]];
    const Vertex& c = vertices_[triangle.v[2]];
    const uint32_t extra = (a.slot == kNotInCluster) + (b.slot == kNotInCluster) + (c.slot == kNotInCluster);
    const uint32_t lastTriangle = (a.live == 1) | (b.live == 1) | (c.live == 1);
    const uint32_t twoNearlyLast = (a.live == 2) + (b.live == 2) + (c.live == 2) >= 2;
    const uint32_t rank = lastTriangle ? 1 : 2 + extra - twoNearlyLast;
    return extra == 0 ? 0 : rank;
}

uint32_t ClusterSplitter::newVertices(uint32_t triangle) const {
    const uint32_t* v = triangles_[triangle].v;
    return (vertices_[v[0]].slot == kNotInCluster) + (vertices_[v[1]].slot == kNotInCluster) +
           (vertices_[v[2]].slot == kNotInCluster);
}

// (Re)files a triangle adjacent to the cluster under its current priority.
inline void ClusterSplitter::refile(uint32_t t) {
    const auto rank = static_cast<uint8_t>(priority(triangles_[t]));
    const uint8_t old = bucketOf_[t];
    if (old == rank) return;
    if (old != kNotCandidate) unfile(t);
    bucketOf_[t] = rank;
    bucketPosition_[t] = static_cast<uint32_t>(buckets_[rank].size());
    buckets_[rank].push_back(t);
}

inline void ClusterSplitter::unfile(uint32_t t) {
    std::vector<uint32_t>& bucket = buckets_[bucketOf_[t]];
    const uint32_t at = bucketPosition_[t];
    bucket[at] = bucket.back();
    bucketPosition_[bucket[at]] = at;
    bucket.pop_back();
    bucketOf_[t] = kNotCandidate;
}

// Where meshoptimizer's scan meets a candidate first: the cluster vertices in order, each one's list in order.
uint64_t ClusterSplitter::scanPosition(uint32_t t) const {
    uint64_t first = ~uint64_t{0};
    for (const uint32_t v : triangles_[t].v) {
        const Vertex& vertex = vertices_[v];
        if (vertex.slot == kNotInCluster) continue;
        uint32_t at = 0;
        while (adjacency_[vertex.start + at] != t) ++at;
        first = std::min(first, (uint64_t{vertex.slot} << 32) | at);
    }
    return first;
}

// meshoptimizer's choice, exactly: the best priority, then the lowest score, then the first in its scan
// order. The score is 1 + sqrt(distance2) / radius to `centre` or, by topology, the triangles its
// vertices have left.
uint32_t ClusterSplitter::bestNeighbour(const float* centre, bool byTopology) {
    const std::vector<uint32_t>* bucket = nullptr;
    for (const std::vector<uint32_t>& b : buckets_) {
        if (!b.empty()) {
            bucket = &b;
            break;
        }
    }
    if (!bucket) return kNone;
    if (bucket->size() == 1) return bucket->front();
    // The same expression for both passes, so a tie is found exactly as meshoptimizer scores it.
    auto scoreOf = [&](const Triangle& triangle) -> float {
        if (byTopology)
            return static_cast<float>(vertices_[triangle.v[0]].live + vertices_[triangle.v[1]].live +
                                      vertices_[triangle.v[2]].live - 3);
        const float distance2 = (triangle.centre[0] - centre[0]) * (triangle.centre[0] - centre[0]) +
                                (triangle.centre[1] - centre[1]) * (triangle.centre[1] - centre[1]) +
                                (triangle.centre[2] - centre[2]) * (triangle.centre[2] - centre[2]);
        return 1 + std::sqrt(distance2) / expectedRadius_;
    };
    uint32_t best = kNone;
    float bestScore = 0.0f;
    bool tie = false;
    for (const uint32_t t : *bucket) {
        const Triangle& triangle = triangles_[t];
        const float score = scoreOf(triangle);
        if (best == kNone || score < bestScore) {
            best = t;
            bestScore = score;
            tie = false;
        } else if (score == bestScore) {
            tie = true;
        }
    }
    if (!tie) return best;
    // Several share the lowest score (rare): the first of them in meshoptimizer's scan order.
    uint64_t bestPosition = scanPosition(best);
    for (const uint32_t t : *bucket) {
        if (t == best) continue;
        const Triangle& triangle = triangles_[t];
        const float score = scoreOf(triangle);
        if (score != bestScore) continue;
        const uint64_t position = scanPosition(t);
        if (position < bestPosition) {
            best = t;
            bestPosition = position;
        }
    }
    return best;
}

size_t ClusterSplitter::split(meshopt_Meshlet* meshlets, uint32_t* meshletVertices, uint8_t* meshletTriangles,
                              std::span<const uint32_t> indices, const float* positions, size_t vertexCount,
                              size_t maxVertices, size_t maxTriangles) {
    const size_t faceCount = indices.size() / 3;
    if (faceCount == 0) return 0;

    // Triangle centres and the expected cluster radius, as meshoptimizer computes them.
    triangles_.resize(faceCount);
    float meshArea = 0.0f;
    bool finite = true;
    for (size_t i = 0; i < faceCount; ++i) {
        Triangle& t = triangles_[i];
        for (int k = 0; k < 3; ++k) t.v[k] = indices[i * 3 + k];
        const float* p0 = positions + size_t{t.v[0]} * 3;
        const float* p1 = positions + size_t{t.v[1]} * 3;
        const float* p2 = positions + size_t{t.v[2]} * 3;
        const float p10[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
        const float p20[3] = {p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]};
        const float normalX = p10[1] * p20[2] - p10[2] * p20[1];
        const float normalY = p10[2] * p20[0] - p10[0] * p20[2];
        const float normalZ = p10[0] * p20[1] - p10[1] * p20[0];
        const float area = std::sqrt(normalX * normalX + normalY * normalY + normalZ * normalZ);
        const float inverseArea = area == 0.0f ? 0.0f : 1.0f / area;
        for (int k = 0; k < 3; ++k) t.centre[k] = (p0[k] + p1[k] + p2[k]) / 3.0f;
        // The unit normal only matters through NaN (meshoptimizer multiplies its cone term by weight 0).
        finite = finite && std::isfinite(normalX * inverseArea) && std::isfinite(normalY * inverseArea) &&
                 std::isfinite(normalZ * inverseArea) && std::isfinite(t.centre[0]) && std::isfinite(t.centre[1]) &&
                 std::isfinite(t.centre[2]);
        meshArea += area;
    }
    const float averageArea = meshArea / static_cast<float>(faceCount) * 0.5f;
    expectedRadius_ = std::sqrt(averageArea * static_cast<float>(maxTriangles)) * 0.5f;
    // meshoptimizer would score with NaN (all triangles without area, or coordinates near float's range).
    if (!finite || !(expectedRadius_ > 0.0f) || std::isinf(expectedRadius_))
        return meshopt_buildMeshlets(meshlets, meshletVertices, meshletTriangles, indices.data(), indices.size(), positions,
                                     vertexCount, sizeof(float) * 3, maxVertices, maxTriangles, 0.0f);

    // Per vertex, its triangles in ascending order (a triangle that repeats a vertex is listed twice).
    vertices_.assign(vertexCount, Vertex{});
    for (const uint32_t v : indices) vertices_[v].start++;
    uint32_t offset = 0;
    for (Vertex& vertex : vertices_) offset += std::exchange(vertex.start, offset);
    adjacency_.resize(indices.size());
    for (size_t i = 0; i < faceCount; ++i)
        for (const uint32_t v : triangles_[i].v) adjacency_[vertices_[v].start + vertices_[v].live++] = static_cast<uint32_t>(i);

    // The k-d tree over triangle centres, for restarts.
    for (size_t i = welfordWeights_.size(); i < faceCount; ++i)  // meshoptimizer's running 1 / count, incremented in float
        welfordWeights_.push_back(i == 0 ? 1.0f : 1.0f / (welfordCount_ += 1.0f));
    kdOrder_.resize(faceCount);
    leafOf_.resize(faceCount);
    emitted_.assign(faceCount, 0);
    kdBuilt_ = false;
    bruteForceSearches_ = 0;

    bucketOf_.assign(faceCount, kNotCandidate);
    bucketPosition_.resize(faceCount);
    for (std::vector<uint32_t>& bucket : buckets_) bucket.clear();
    meshopt_Meshlet meshlet{};
    size_t written = 0;
    float sum[3] = {0.0f, 0.0f, 0.0f};  // of the current cluster's triangle centres
    for (;;) {
        const float scale = meshlet.triangle_count == 0 ? 0.0f : 1.0f / static_cast<float>(meshlet.triangle_count);
        const float centre[3] = {sum[0] * scale, sum[1] * scale, sum[2] * scale};
        uint32_t best = bestNeighbour(centre, false);
        // The nearest one does not fit: start the next cluster where the fewest triangles would be left behind.
        if (best != kNone && (meshlet.vertex_count + newVertices(best) > maxVertices || meshlet.triangle_count >= maxTriangles))
            best = bestNeighbour(centre, true);
        if (best == kNone) best = nearestRemaining(centre);
        if (best == kNone) break;

        // Append; a cluster that cannot take the triangle is written out first.
        if (meshlet.vertex_count + newVertices(best) > maxVertices || meshlet.triangle_count >= maxTriangles) {
            meshlets[written++] = meshlet;
            for (uint32_t j = 0; j < meshlet.vertex_count; ++j) vertices_[meshletVertices[meshlet.vertex_offset + j]].slot = kNotInCluster;
            for (uint32_t at = meshlet.triangle_offset + meshlet.triangle_count * 3; at & 3; ++at) meshletTriangles[at] = 0;
            meshlet.vertex_offset += meshlet.vertex_count;
            meshlet.triangle_offset += (meshlet.triangle_count * 3 + 3) & ~3u;
            meshlet.vertex_count = 0;
            meshlet.triangle_count = 0;
            sum[0] = sum[1] = sum[2] = 0.0f;
            for (std::vector<uint32_t>& bucket : buckets_) {
                for (const uint32_t t : bucket) bucketOf_[t] = kNotCandidate;
                bucket.clear();
            }
        }
        uint8_t* corner = &meshletTriangles[meshlet.triangle_offset + meshlet.triangle_count * 3];
        for (const uint32_t v : triangles_[best].v) {
            Vertex& vertex = vertices_[v];
            if (vertex.slot == kNotInCluster) {
                vertex.slot = static_cast<uint8_t>(meshlet.vertex_count);
                meshletVertices[meshlet.vertex_offset + meshlet.vertex_count++] = v;
            }
            *corner++ = vertex.slot;
        }
        meshlet.triangle_count++;

        // Take it out of its vertices' lists (swap with the last: meshoptimizer's scan order depends on it).
        for (const uint32_t v : triangles_[best].v) {
            Vertex& vertex = vertices_[v];
            uint32_t* neighbours = &adjacency_[vertex.start];
            for (uint32_t i = 0; i < vertex.live; ++i) {
                if (neighbours[i] == best) {
                    neighbours[i] = neighbours[--vertex.live];
                    break;
                }
            }
        }
        if (bucketOf_[best] != kNotCandidate) unfile(best);
        // Its vertices' priorities changed (fewer triangles left, maybe new in the cluster): so did those
        // of every triangle around them, and those are all candidates now.
        for (const uint32_t v : triangles_[best].v) {
            const Vertex& vertex = vertices_[v];
            for (uint32_t j = 0; j < vertex.live; ++j) refile(adjacency_[vertex.start + j]);
        }
        for (int k = 0; k < 3; ++k) sum[k] += triangles_[best].centre[k];
        emitted_[best] = 1;
        if (kdBuilt_)
            for (uint32_t node = leafOf_[best]; node != kNone; node = kdNodes_[node].parent) kdNodes_[node].remaining--;
    }
    if (meshlet.triangle_count > 0) {
        for (uint32_t at = meshlet.triangle_offset + meshlet.triangle_count * 3; at & 3; ++at) meshletTriangles[at] = 0;
        meshlets[written++] = meshlet;
    }
    return written;
}

}  // namespace vt::lod
