#pragma once
// Page payload encoding (internal to engine/pack): quantize cluster attributes onto the pack's grids,
// then code them with the cluster coder (cluster_coder.h) into byte streams behind a stream table.
// The writer zstd-compresses the payload; the reader decompresses it first.
// The layout is specified in docs/pack-format.md, "Page payload".

#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "asset/cluster_lod.h"
#include "core/result.h"
#include "pack/cluster_coder.h"
#include "pack/pack_format.h"

namespace vt::pack::detail {

struct Quantization {
    glm::vec3 positionOrigin{0.0f};
    float positionStep = 1.0f;
    glm::vec2 texcoordOrigin{0.0f};
    glm::vec2 texcoordStep{1.0f};
    uint32_t normalBits = 8;
};

// The grids a pack's header describes.
Quantization quantizationOf(const PackHeader& header);

// Octahedral unit-vector coding with `bits` (8 or 16) signed bits per component. encode picks the
// best of the four neighbouring grid points, so the angular error is as small as the grid allows.
glm::ivec2 encodeOctahedral(glm::vec3 normal, uint32_t bits);
glm::vec3 decodeOctahedral(glm::ivec2 q, uint32_t bits);

float linearToSrgb(float linear);
float srgbToLinear(float srgb);

// A cluster's attributes on the grids (`attributes`: which optional ones it stores).
QuantizedCluster quantizeCluster(const asset::Cluster& cluster, uint8_t attributes, const Quantization& quantization);

// Encodes `clusters` (all valid: counts within the format limits, indices < vertex count) into one
// page payload. `attributes[i]` says which optional attributes cluster i stores.
std::vector<uint8_t> encodePagePayload(std::span<const asset::Cluster* const> clusters,
                                       std::span<const uint8_t> attributes, const Quantization& quantization);
// The same for clusters already on the grids (renumbered as encodeClusters says).
std::vector<uint8_t> encodePagePayload(std::span<QuantizedCluster> clusters, uint32_t normalBits);

// Decodes a page payload into the geometry of `infos` (the page's clusters, in order). Validates
// every stream size and index; the error message says which stream or cluster is wrong (the caller
// adds the file and page). Only geometry fields of the returned clusters are set.
// The same, up to the grids: the clusters as the coder stored them.
Result<std::vector<QuantizedCluster>> decodeQuantizedPayload(std::span<const uint8_t> payload,
                                                             std::span<const ClusterInfo> infos, uint32_t normalBits);
Result<std::vector<asset::Cluster>> decodePagePayload(std::span<const uint8_t> payload,
                                                      std::span<const ClusterInfo> infos,
                                                      const Quantization& quantization);

}  // namespace vt::pack::detail
