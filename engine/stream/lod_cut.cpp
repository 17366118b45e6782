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

// Exact key of an (error, sphere) pair: the builder copies a group's simplified error and sphere
// verbatim into the clusters it generates, so bit equality identifies the generating group.
struct SphereKey {
    std::array<uint32_t, 5> bits;
    bool operator==(const SphereKey&) const = default;
};
struct SphereKeyHash {
    size_t operator()(const SphereKey& k) const {
        size_t h = 0;
        for (uint32_t b : k.bits) h = h * 0x9E3779B97F4A7C15ull + b;
        return h ^ (h >> 29);
    }
};
SphereKey keyOf(float error, const asset::Sphere& s) {
    return {{std::bit_cast<uint32_t>(error), std::bit_cast<uint32_t>(s.x), std::bit_cast<uint32_t>(s.y),
             std::bit_cast<uint32_t>(s.z), std::bit_cast<uint32_t>(s.w)}};
}

}  // namespace

Result<ArtifactLayout> buildLayout(const pack::PackReader& reader) {
    ArtifactLayout layout;
    layout.clusters.assign(reader.clusters().begin(), reader.clusters().end());
    layout.groups.assign(reader.groups().begin(), reader.groups().end());
    const auto pages = reader.pages();
    const auto groupCount = static_cast<uint32_t>(layout.groups.size());
    for (const pack::PageInfo& page : pages) {
        layout.pageFirstCluster.push_back(page.firstCluster);
        layout.pageClusterCount.push_back(page.clusterCount);
        layout.pageCoarsestLevel.push_back(page.coarsestLevel);
        uint64_t bytes = 0;
        for (uint32_t c = page.firstCluster; c < page.firstCluster + page.clusterCount; ++c) {
            bytes += uint64_t{layout.clusters[c].vertexCount} * 64 + uint64_t{layout.clusters[c].triangleCount} * 12;
        }
        layout.pageGpuBytes.push_back(bytes);
    }

    // Residency is per page, so selection needs each group whole in one page (the writer guarantees it;
    // the reader does not check it).
    layout.groupPage.assign(groupCount, kNoGroup);
    layout.groupIsRoot.assign(groupCount, 0);
    for (uint32_t g = 0; g < groupCount; ++g) layout.groupIsRoot[g] = layout.groups[g].simplifiedError >= asset::kNoParent;
    for (uint32_t c = 0; c < layout.clusters.size(); ++c) {
        const pack::ClusterInfo& cluster = layout.clusters[c];
        uint32_t& page = layout.groupPage[cluster.group];
        if (page == kNoGroup) page = cluster.page;
        if (page != cluster.page) {
            return fail("{}: group {} is split across pages {} and {}: it could not be made resident as a whole",
                        reader.label(), cluster.group, page, cluster.page);
        }
        if (layout.groupIsRoot[cluster.group] && cluster.page != 0) {
            return fail("{}: cluster {} of the root level is in page {}, not in the root page", reader.label(), c, cluster.page);
        }
    }

    // Generating groups: candidates by exact (error, sphere); the nearest finer level wins.
    std::unordered_multimap<SphereKey, uint32_t, SphereKeyHash> byKey;
    byKey.reserve(groupCount);
    for (uint32_t g = 0; g < groupCount; ++g) {
        if (!layout.groupIsRoot[g]) byKey.emplace(keyOf(layout.groups[g].simplifiedError, layout.groups[g].simplifiedBounds), g);
    }
    layout.generatingGroup.assign(layout.clusters.size(), kNoGroup);
    std::vector<std::vector<uint32_t>> consumers(groupCount);
    for (uint32_t c = 0; c < layout.clusters.size(); ++c) {
        const pack::ClusterInfo& cluster = layout.clusters[c];
        if (cluster.level == 0) continue;
        uint32_t best = kNoGroup;
        bool ambiguous = false;
        auto [begin, end] = byKey.equal_range(keyOf(cluster.error, cluster.lodBounds));
        for (auto it = begin; it != end; ++it) {
            const uint32_t g = it->second;
            if (layout.groups[g].level >= cluster.level) continue;
            if (best == kNoGroup || layout.groups[g].level > layout.groups[best].level) {
                best = g;
                ambiguous = false;
            } else if (layout.groups[g].level == layout.groups[best].level) {
                ambiguous = true;
            }
        }
        if (best == kNoGroup) {
            ++layout.unmatchedClusters;
            continue;
        }
        layout.ambiguousClusters += ambiguous;
        layout.generatingGroup[c] = best;
        std::vector<uint32_t>& list = consumers[best];
        if (std::find(list.begin(), list.end(), cluster.group) == list.end()) list.push_back(cluster.group);
    }
    layout.consumerStart.reserve(groupCount + 1);
    for (uint32_t g = 0; g < groupCount; ++g) {
        layout.consumerStart.push_back(static_cast<uint32_t>(layout.consumers.size()));
        layout.consumers.insert(layout.consumers.end(), consumers[g].begin(), consumers[g].end());
    }
    layout.consumerStart.push_back(static_cast<uint32_t>(layout.consumers.size()));

    layout.groupsCoarseFirst.resize(groupCount);
    std::iota(layout.groupsCoarseFirst.begin(), layout.groupsCoarseFirst.end(), 0u);
    std::stable_sort(layout.groupsCoarseFirst.begin(), layout.groupsCoarseFirst.end(),
                     [&](uint32_t a, uint32_t b) { return layout.groups[a].level > layout.groups[b].level; });
    return layout;
}

uint64_t gpuByteEstimate(std::span<const asset::Cluster> clusters) {
    uint64_t bytes = 0;
    for (const asset::Cluster& cluster : clusters) bytes += cluster.positions.size() * 64 + cluster.indices.size() * 4;
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

void selectClusters(const ArtifactLayout& layout, std::span<const ModelView> views, float threshold,
                    const GroupErrors& groups, std::span<const uint8_t> usable, Culling culling,
                    std::vector<SelectedCluster>& out) {
    out.clear();
    for (uint32_t c = 0; c < layout.clusters.size(); ++c) {
        const pack::ClusterInfo& cluster = layout.clusters[c];
        if (!usable[cluster.group] || !groups.coarse[cluster.group]) continue;
        const uint32_t generator = layout.generatingGroup[c];
        // The cluster's own error is its generator's simplified error from the same sphere (see header).
        const bool fineEnough = generator == kNoGroup ? projectedError(views, cluster.lodBounds, cluster.error) <= threshold
                                                      : !groups.coarse[generator];
        if (!fineEnough && generator != kNoGroup && usable[generator]) continue;  // refined: the finer level draws here
        uint32_t mask = 0;
        if (culling == Culling::Frustum) {
            mask = visibleMask(views, cluster.bounds);
            if (mask == 0) continue;
        }
        out.push_back({c, mask});
    }
}

}  // namespace vt::stream
