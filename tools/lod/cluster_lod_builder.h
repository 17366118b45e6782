#pragma once
// Build the cluster LOD hierarchy (asset/cluster_lod.h) of a model: the converter step between import
// and the artifact pack.
//
// Per material (meshes of one material are merged): weld exact-duplicate vertices, split into clusters
// of <= maxTriangles triangles and <= kMaxClusterVertices vertices, then repeatedly gather neighbouring
// clusters into groups, simplify each group to about half with every vertex it shares with another group
// locked, and split the result into the clusters of the next level, until one cluster remains or no
// group can be simplified any more. Vertices shared between materials are never moved, so the materials
// stay stitched at every cut.
//
// Guarantees on success: level 0 holds exactly the input triangles; every cluster has <= maxTriangles
// triangles and <= kMaxClusterVertices vertices; errors and lodBounds are monotonic up the hierarchy and
// all clusters of a group share parentError/parentBounds (so selectCut is crack-free); every cluster
// belongs to a group, the root clusters to a group whose simplifiedError is kNoParent. The output is a
// pure function of (model, options minus threads/progress): identical for any thread count.
// Simplification never creates vertices: every vertex of every level is an input vertex (after welding).

#include <cstdint>
#include <functional>

#include "asset/cluster_lod.h"
#include "asset/model.h"
#include "core/result.h"

namespace vt::lod {

// How UV seams (one position, several texcoords) are treated by the simplifier.
enum class UvSeams : uint8_t {
    // Seams only collapse along themselves: exact texturing, but the fragmented charts of textured
    // photogrammetry stall the hierarchy far above a small root.
    Preserve,
    // Simplify on the position-welded topology, then give each corner of a surviving triangle the
    // texcoords of a chart all its corners share (or of its own first chart if none): triangles that
    // straddle a collapsed seam get stretched texcoords. Only position and normal error are measured.
    Collapse,
    // Preserve first; a group that preserving cannot reduce to kSeamRetryRatio (see the .cpp) of its
    // triangles is simplified again with Collapse, keeping the smaller result.
    CollapseWhenStuck,
};

struct LodOptions {
    // Triangles per cluster: a multiple of 4 (meshoptimizer's limit) in [4, kMaxClusterTriangles].
    uint32_t maxTriangles = asset::kMaxClusterTriangles;
    // Clusters per group. 8 (meshoptimizer's clusterlod demo uses 8, Nanite 8-32): a group of 8 full
    // clusters halves to ~4, and its border (which stays locked) is short relative to its area, which
    // groups of 4 are not; bigger groups save levels but make coarser, less local LOD transitions.
    uint32_t groupSize = 8;
    // Attribute weights of the simplifier's error metric, relative to position error measured in units
    // of the group's extent (meshoptimizer's convention). 0 ignores the attribute. meshoptimizer 0.22
    // folds the weighted attribute error into the reported error, so large weights inflate every LOD
    // error (0.5 made the root's error ~1x the object's radius on the textured scans, 0.1 keeps it
    // within ~1.3x of the purely geometric error) and the renderer would then draw far finer cuts.
    float attributeWeightNormal = 0.1f;
    float attributeWeightUv = 0.1f;
    float attributeWeightColor = 0.1f;
    UvSeams uvSeams = UvSeams::CollapseWhenStuck;
    // Keep open mesh boundaries (holes, cut bases of scans) exactly as in the input at every level.
    // Off by default: boundaries then simplify along themselves, which scans with many holes need.
    bool lockMeshBoundary = false;
    uint32_t threads = 0;  // worker threads for the groups of a level; 0 = hardware concurrency
    // Called from the calling thread with a monotonic estimate in [0, 1]; 1 when done.
    std::function<void(float progress01)> progress;
};

// Fails (with a message naming model.source) on a model without triangles, on out-of-range indices,
// attribute arrays of the wrong length, non-finite positions, or invalid options.
Result<asset::ClusterHierarchy> buildClusterLod(const asset::Model& model, const LodOptions& options = {});
// The same hierarchy, but each mesh's geometry is freed as soon as the builder has merged it (the
// meshes stay, with their names and materials but empty arrays; materials and images are not touched):
// a converter's peak memory then holds the input only once.
Result<asset::ClusterHierarchy> buildClusterLod(asset::Model&& model, const LodOptions& options = {});

}  // namespace vt::lod
