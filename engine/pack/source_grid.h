#pragma once
// The grid a scan's positions already lie on (internal to engine/pack). Draco and
// KHR_mesh_quantization sources were quantized before they reached us: a Draco GLB at 11 bits holds
// 2048 values per axis at most, and storing those on a 14-bit grid spends 3 bits per coordinate on
// nothing. When every coordinate is origin + k * step for integers k, on a grid coarser than the one
// the writer would choose, the writer uses that grid instead: exact for the source, fewer bytes.

#include <cstdint>
#include <optional>
#include <span>

#include <glm/glm.hpp>

#include "asset/cluster_lod.h"

namespace vt::pack::detail {

// The step of the grid (common to the three axes, anchored at `origin`, the per-axis minimum) that
// every position of `clusters` lies on, when it has fewer than `finestSteps` steps across
// `largestExtent` and at most 65535; nothing when the positions lie on no such grid.
std::optional<float> sourceGridStep(std::span<const asset::Cluster> clusters, glm::vec3 origin, float largestExtent,
                                    uint32_t finestSteps);

}  // namespace vt::pack::detail
