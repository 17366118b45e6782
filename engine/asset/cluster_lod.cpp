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

Model clustersToModel(std::span<const Cluster> clusters, std::span<const uint32_t> selection,
                      std::vector<Material> materials, std::vector<Image> images) {
    Model model;
    model.materials = std::move(materials);
    if (model.materials.empty()) model.materials.emplace_back();
    model.images = std::move(images);
    for (uint32_t index : selection) {
        if (index >= clusters.size()) continue;
        const Cluster& cluster = clusters[index];
        Mesh mesh;
        mesh.positions = cluster.positions;
        mesh.normals = cluster.normals;
        mesh.texcoords = cluster.texcoords;
        mesh.colors = cluster.colors;
        mesh.indices.assign(cluster.indices.begin(), cluster.indices.end());
        mesh.material = cluster.material < model.materials.size() ? cluster.material : 0;
        model.meshes.push_back(std::move(mesh));
    }
    return model;
}

}  // namespace vt::asset
