#pragma once
// The multiresolution form of a scan: a cluster LOD hierarchy (the approach of Nanite and of
// meshoptimizer's clusterlod), as the converter builds it and the artifact pack stores it.
//
// Level 0 holds the input triangles split into clusters of <= kMaxClusterTriangles. Clusters are
// gathered into groups of neighbours; each group is simplified with its outer border locked and split
// again into the clusters of the next level, until a small root remains.
//
// Selection rule (crack-free for any threshold): draw a cluster when its own error, projected from its
// lodBounds, is below the threshold while its parent group's error, projected from parentBounds, is
// not. This works because for every cluster parentError >= error and parentBounds encloses lodBounds
// (errors and spheres are monotonic up the hierarchy), and all clusters of a group share the same
// parentError/parentBounds, so a group is replaced as a whole.

#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "asset/model.h"
#include "core/bounds.h"

namespace vt::asset {

constexpr uint32_t kMaxClusterTriangles = 128;
constexpr uint32_t kMaxClusterVertices = 255;  // local indices fit in a byte

// A sphere: centre xyz, radius w. Object space.
using Sphere = glm::vec4;

struct Cluster {
    // Geometry: a local vertex list and byte triangle indices into it. Attribute arrays are empty or
    // have positions.size() entries, as in asset::Mesh.
    std::vector<glm::vec3> positions;
    std::vector<glm::vec3> normals;
    std::vector<glm::vec2> texcoords;
    std::vector<glm::vec4> colors;
    std::vector<uint8_t> indices;  // triangle list, 3 per triangle, each < positions.size()
    uint32_t material = 0;

    Sphere bounds{0.0f};  // encloses the cluster's triangles (culling)
    uint32_t level = 0;   // 0 = full resolution

    // LOD: the error this cluster already has (0 at level 0) and where it was measured, and the
    // error of its group's simplified replacement (FLT_MAX-like kNoParent for the root).
    float error = 0.0f;
    Sphere lodBounds{0.0f};
    float parentError = 0.0f;
    Sphere parentBounds{0.0f};
    uint32_t group = 0;  // index into ClusterHierarchy::groups of the group this cluster belongs to
};

// A group of neighbouring clusters of one level that is simplified (and so replaced) as a whole.
struct ClusterGroup {
    uint32_t level = 0;
    std::vector<uint32_t> clusters;  // indices into ClusterHierarchy::clusters
    float simplifiedError = 0.0f;    // == parentError of its clusters
    Sphere simplifiedBounds{0.0f};   // == parentBounds of its clusters
};

constexpr float kNoParent = 3.0e38f;  // parentError of clusters that are never replaced (the root level)

struct ClusterHierarchy {
    std::vector<Cluster> clusters;  // ordered by level, coarsest level LAST
    std::vector<ClusterGroup> groups;
    uint32_t levelCount = 0;
    Bounds bounds;                // of level 0
    size_t inputTriangles = 0;

    size_t triangleCount() const;           // over all levels
    size_t triangleCount(uint32_t level) const;
};

// The view-independent cut at one object-space error: the indices (ascending) of the clusters with
// error <= maxError < parentError. Clusters whose parentError is kNoParent count as having an infinite
// parent error, so any maxError >= the root's error (FLT_MAX included) selects the root. The result is
// crack-free for every maxError, by the monotonicity argument above; maxError 0 gives level 0 when every
// group's simplifiedError is > 0 (a simplification without any error may replace its children at 0).
std::vector<uint32_t> selectCut(const ClusterHierarchy& hierarchy, float maxError);

// A drawable model of the given clusters (one mesh per cluster, indices widened), for previews,
// thumbnails and tests. Materials are copied as given; their texture indices must refer to `images`.
Model clustersToModel(std::span<const Cluster> clusters, std::span<const uint32_t> selection,
                      std::vector<Material> materials, std::vector<Image> images = {});

}  // namespace vt::asset
