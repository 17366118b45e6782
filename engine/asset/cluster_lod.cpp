#include "asset/cluster_lod.h"

namespace vt::asset {

size_t ClusterHierarchy::triangleCount() const {
    size_t count = 0;
    for (const Cluster& cluster : clusters) count += cluster.indices.size() / 3;
    return count;
}

size_t ClusterHierarchy::triangleCount(uint32_t level) const {
    size_t count = 0;
    for (const Cluster& cluster : clusters) {
        if (cluster.level == level) count += cluster.indices.size() / 3;
    }
    return count;
}

std::vector<uint32_t> selectCut(const ClusterHierarchy& hierarchy, float maxError) {
    std::vector<uint32_t> cut;
    for (uint32_t i = 0; i < hierarchy.clusters.size(); ++i) {
        const Cluster& cluster = hierarchy.clusters[i];
        // kNoParent is "never replaced", so the root stays selected even for maxError beyond it.
        const bool parentTooCoarse = maxError < cluster.parentError || cluster.parentError >= kNoParent;
        if (cluster.error <= maxError && parentTooCoarse) cut.push_back(i);
    }
    return cut;
}

}  // namespace vt::asset
