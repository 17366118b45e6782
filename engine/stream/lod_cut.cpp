#include "stream/lod_cut.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace vt::stream {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();
// Distances below this (model units) count as this: keeps the division finite for an eye that
// touches a sphere from outside. Scans are in millimetres..metres, so 1e-6 is far below any detail.
constexpr float kMinDistance = 1e-6f;

}  // namespace

Result<ArtifactLayout> buildLayout(const pack::PackReader& reader) {
    ArtifactLayout layout;
    layout.groups.assign(reader.groups().begin(), reader.groups().end());
    const auto groupCount = static_cast<uint32_t>(layout.groups.size());
    for (const pack::PageInfo& page : reader.pages()) {
        layout.pageFirstCluster.push_back(page.firstCluster);
        layout.pageClusterCount.push_back(page.clusterCount);
        layout.pageCoarsestLevel.push_back(page.coarsestLevel);
        layout.pageGpuBytes.push_back(page.vertexCount * kGpuVertexBytes + page.triangleCount * 3 * kGpuIndexBytes);
    }
    const Bounds box = reader.header().bounds;
    layout.bounds = asset::Sphere(box.center(), box.radius());
    layout.groupPage.resize(groupCount);
    layout.groupIsRoot.resize(groupCount);
    layout.consumerStart.reserve(groupCount + 1);
    for (uint32_t g = 0; g < groupCount; ++g) {
        const pack::GroupInfo& group = layout.groups[g];
        layout.groupPage[g] = group.page;
        layout.groupIsRoot[g] = group.simplifiedError >= asset::kNoParent;
        if (layout.groupIsRoot[g] && group.page != 0) {
            return fail("{}: group {} of the root level is in page {}, not in the root page", reader.label(), g, group.page);
        }
        // The reader checked every consumer is a coarser group, so the relation is acyclic.
        layout.consumerStart.push_back(static_cast<uint32_t>(layout.consumers.size()));
        const auto consumers = reader.consumersOf(g);
        layout.consumers.insert(layout.consumers.end(), consumers.begin(), consumers.end());
    }
    layout.consumerStart.push_back(static_cast<uint32_t>(layout.consumers.size()));

    layout.groupsCoarseFirst.resize(groupCount);
    std::iota(layout.groupsCoarseFirst.begin(), layout.groupsCoarseFirst.end(), 0u);
    std::stable_sort(layout.groupsCoarseFirst.begin(), layout.groupsCoarseFirst.end(),
                     [&](uint32_t a, uint32_t b) { return layout.groups[a].level > layout.groups[b].level; });
    return layout;
}

Result<std::vector<PageClusters>> readAllPageClusters(pack::PackReader& reader) {
    std::vector<PageClusters> out(reader.pages().size());
    for (uint32_t p = 0; p < out.size(); ++p) {
        auto infos = reader.readClusterInfos(p);
        if (!infos) return std::unexpected(infos.error());
        out[p] = std::move(*infos);
    }
    return out;
}

uint64_t gpuByteEstimate(std::span<const asset::Cluster> clusters) {
    uint64_t bytes = 0;
    for (const asset::Cluster& cluster : clusters)
        bytes += cluster.positions.size() * kGpuVertexBytes + cluster.indices.size() * kGpuIndexBytes;
    return bytes;
}

ModelView toModelSpace(const scene::View& view, const glm::mat4& worldFromModel, uint32_t viewportHeight) {
    ModelView out;
    const glm::mat4 modelFromWorld = glm::inverse(worldFromModel);
    out.eye = glm::vec3(modelFromWorld * glm::vec4(view.position, 1.0f));
    // Distances shrink by the model's scale in model space, so error/distance is unchanged.
    out.pixelsPerTangent = static_cast<float>(viewportHeight) * std::abs(view.clipFromView[1][1]) * 0.5f;
    // Frustum planes from the rows of clipFromModel (Gribb-Hartmann), Vulkan clip space: -w <= x, y <= w,
    // and reversed depth puts the near plane at z = w; the far plane is at infinity (none).
    const glm::mat4 m = glm::transpose(view.clipFromView * view.viewFromWorld * worldFromModel);
    const glm::vec4 planes[5] = {m[3] + m[0], m[3] - m[0], m[3] + m[1], m[3] - m[1], m[3] - m[2]};
    for (int i = 0; i < 5; ++i) {
        const float length = glm::length(glm::vec3(planes[i]));
        out.planes[i] = length > 0.0f ? planes[i] / length : glm::vec4(0, 0, 0, 1);
    }
    return out;
}

float projectedError(std::span<const ModelView> views, const asset::Sphere& sphere, float error) {
    if (error <= 0.0f) return 0.0f;
    float largest = 0.0f;
    for (const ModelView& view : views) {
        const float distance = glm::length(glm::vec3(sphere) - view.eye) - sphere.w;
        if (distance <= 0.0f) return kInfinity;  // inside the sphere: any error may be right at the eye
        largest = std::max(largest, error * view.pixelsPerTangent / std::max(distance, kMinDistance));
    }
    return largest;
}

uint32_t visibleMask(std::span<const ModelView> views, const asset::Sphere& sphere) {
    uint32_t mask = 0;
    for (size_t v = 0; v < views.size(); ++v) {
        bool inside = true;
        for (const glm::vec4& plane : views[v].planes) {
            if (glm::dot(glm::vec3(plane), glm::vec3(sphere)) + plane.w < -sphere.w) {
                inside = false;
                break;
            }
        }
        mask |= uint32_t{inside} << v;
    }
    return mask;
}

void projectGroups(const ArtifactLayout& layout, std::span<const ModelView> views, float threshold, GroupErrors& out) {
    const size_t groupCount = layout.groups.size();
    out.projected.resize(groupCount);
    out.coarse.resize(groupCount);
    for (size_t g = 0; g < groupCount; ++g) {
        const pack::GroupInfo& group = layout.groups[g];
        out.projected[g] = layout.groupIsRoot[g] ? kInfinity : projectedError(views, group.simplifiedBounds, group.simplifiedError);
    }
    // Fine to coarse: a group's error is at least that of every group whose simplification fed it, so
    // coarse() is monotonic up the hierarchy even where stored spheres enclose only up to rounding.
    for (auto it = layout.groupsCoarseFirst.rbegin(); it != layout.groupsCoarseFirst.rend(); ++it) {
        const uint32_t g = *it;
        for (uint32_t i = layout.consumerStart[g]; i < layout.consumerStart[g + 1]; ++i) {
            float& consumer = out.projected[layout.consumers[i]];
            consumer = std::max(consumer, out.projected[g]);
        }
    }
    for (size_t g = 0; g < groupCount; ++g) out.coarse[g] = out.projected[g] > threshold;
}

void computeUsableGroups(const ArtifactLayout& layout, std::span<const uint8_t> pageResident, std::vector<uint8_t>& usable) {
    usable.assign(layout.groups.size(), 0);
    // Coarse to fine, so every consumer (always a coarser level) is decided before the group it needs.
    for (uint32_t g : layout.groupsCoarseFirst) {
        bool ok = pageResident[layout.groupPage[g]] != 0;
        for (uint32_t i = layout.consumerStart[g]; ok && i < layout.consumerStart[g + 1]; ++i) ok = usable[layout.consumers[i]] != 0;
        usable[g] = ok;
    }
}

void selectClusters(const ArtifactLayout& layout, std::span<const PageClusters> pageClusters,
                    std::span<const ModelView> views, float threshold,
                    const GroupErrors& groups, std::span<const uint8_t> usable, Culling culling,
                    std::vector<SelectedCluster>& out) {
    out.clear();
    const size_t groupCount = layout.groups.size();
    for (uint32_t p = 0; p < pageClusters.size(); ++p) {
        const PageClusters& clusters = pageClusters[p];
        for (uint32_t i = 0; i < clusters.size(); ++i) {
            const pack::ClusterInfo& cluster = clusters[i];
            if (cluster.group >= groupCount || !usable[cluster.group] || !groups.coarse[cluster.group]) continue;
            const uint32_t generator = cluster.generatingGroup < groupCount ? cluster.generatingGroup : kNoGroup;
            // The cluster's own error is its generator's simplified error from the same sphere (see header).
            const bool fineEnough = generator == kNoGroup ? projectedError(views, cluster.lodBounds, cluster.error) <= threshold
                                                          : !groups.coarse[generator];
            if (!fineEnough && generator != kNoGroup && usable[generator]) continue;  // refined: the finer level draws here
            uint32_t mask = 0;
            if (culling == Culling::Frustum) {
                mask = visibleMask(views, cluster.bounds);
                if (mask == 0) continue;
            }
            out.push_back({layout.pageFirstCluster[p] + i, p, i, mask});
        }
    }
}

}  // namespace vt::stream
