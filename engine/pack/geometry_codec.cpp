#include "pack/geometry_codec.h"

#include <algorithm>
#include <cmath>

#include "pack/byte_io.h"
#include "pack/cluster_coder.h"

namespace vt::pack::detail {
namespace {

uint16_t quantizeUnorm16(double value, double origin, double step) {
    const double q = std::round((value - origin) / step);
    return static_cast<uint16_t>(std::clamp(q, 0.0, 65535.0));
}

}  // namespace

Quantization quantizationOf(const PackHeader& header) {
    Quantization q;
    q.positionOrigin = header.positionOrigin;
    q.positionStep = header.positionStep;
    q.texcoordOrigin = header.texcoordOrigin;
    q.texcoordStep = header.texcoordStep;
    q.normalBits = header.normalBits;
    return q;
}

glm::ivec2 encodeOctahedral(glm::vec3 normal, uint32_t bits) {
    const float scale = static_cast<float>((1 << (bits - 1)) - 1);
    const float sum = std::abs(normal.x) + std::abs(normal.y) + std::abs(normal.z);
    if (!(sum > 0.0f) || !std::isfinite(sum)) return {0, 0};  // degenerate: decodes to +Z
    glm::vec2 p = glm::vec2(normal) / sum;
    if (normal.z < 0.0f) {
        const glm::vec2 folded{(1.0f - std::abs(p.y)) * (p.x >= 0.0f ? 1.0f : -1.0f),
                               (1.0f - std::abs(p.x)) * (p.y >= 0.0f ? 1.0f : -1.0f)};
        p = folded;
    }
    // Nearest grid point is not always the best direction: try the four around it.
    const glm::vec3 unit = normal / glm::length(normal);
    const glm::ivec2 base{static_cast<int>(std::floor(p.x * scale)), static_cast<int>(std::floor(p.y * scale))};
    const int limit = static_cast<int>(scale);
    glm::ivec2 best{0, 0};
    float bestDot = -2.0f;
    for (int dy = 0; dy <= 1; ++dy) {
        for (int dx = 0; dx <= 1; ++dx) {
            const glm::ivec2 q{std::clamp(base.x + dx, -limit, limit), std::clamp(base.y + dy, -limit, limit)};
            const float d = glm::dot(decodeOctahedral(q, bits), unit);
            if (d > bestDot) bestDot = d, best = q;
        }
    }
    return best;
}

glm::vec3 decodeOctahedral(glm::ivec2 q, uint32_t bits) {
    const float scale = static_cast<float>((1 << (bits - 1)) - 1);
    glm::vec3 n{std::clamp(static_cast<float>(q.x) / scale, -1.0f, 1.0f),
                std::clamp(static_cast<float>(q.y) / scale, -1.0f, 1.0f), 0.0f};
    n.z = 1.0f - std::abs(n.x) - std::abs(n.y);
    const float t = std::max(-n.z, 0.0f);  // unfold the lower hemisphere
    n.x += n.x >= 0.0f ? -t : t;
    n.y += n.y >= 0.0f ? -t : t;
    return glm::normalize(n);
}

float linearToSrgb(float linear) {
    linear = std::clamp(linear, 0.0f, 1.0f);
    return linear <= 0.0031308f ? linear * 12.92f : 1.055f * std::pow(linear, 1.0f / 2.4f) - 0.055f;
}

float srgbToLinear(float srgb) {
    return srgb <= 0.04045f ? srgb / 12.92f : std::pow((srgb + 0.055f) / 1.055f, 2.4f);
}

QuantizedCluster quantizeCluster(const asset::Cluster& cluster, uint8_t attributes, const Quantization& quantization) {
    QuantizedCluster out;
    const size_t n = cluster.positions.size();
    out.positions.resize(n);
    for (size_t v = 0; v < n; ++v) {
        for (int axis = 0; axis < 3; ++axis) {
            out.positions[v][axis] = quantizeUnorm16(cluster.positions[v][axis], quantization.positionOrigin[axis],
                                                     quantization.positionStep);
        }
    }
    if (attributes & kHasNormals) {
        out.normals.resize(n);
        for (size_t v = 0; v < n; ++v) {
            const glm::ivec2 q = encodeOctahedral(cluster.normals[v], quantization.normalBits);
            out.normals[v] = {static_cast<int16_t>(q.x), static_cast<int16_t>(q.y)};
        }
    }
    if (attributes & kHasTexcoords) {
        out.texcoords.resize(n);
        for (size_t v = 0; v < n; ++v) {
            for (int axis = 0; axis < 2; ++axis) {
                out.texcoords[v][axis] = quantizeUnorm16(cluster.texcoords[v][axis], quantization.texcoordOrigin[axis],
                                                         quantization.texcoordStep[axis]);
            }
        }
    }
    if (attributes & kHasColors) {
        out.colors.resize(n);
        for (size_t v = 0; v < n; ++v) {
            for (int channel = 0; channel < 4; ++channel) {
                // sRGB for colour so 8 bits spend their steps where the eye sees them; alpha linear.
                const float value = cluster.colors[v][channel];
                const float encoded = channel < 3 ? linearToSrgb(value) : std::clamp(value, 0.0f, 1.0f);
                out.colors[v][channel] = static_cast<uint8_t>(std::lround(encoded * 255.0f));
            }
        }
    }
    out.indices = cluster.indices;
    return out;
}

namespace {

asset::Cluster dequantize(const QuantizedCluster& in, const Quantization& quantization) {
    asset::Cluster out;
    out.positions.resize(in.positions.size());
    for (size_t v = 0; v < in.positions.size(); ++v) {
        for (int axis = 0; axis < 3; ++axis) {
            out.positions[v][axis] = quantization.positionOrigin[axis] + static_cast<float>(in.positions[v][axis]) * quantization.positionStep;
        }
    }
    out.normals.resize(in.normals.size());
    for (size_t v = 0; v < in.normals.size(); ++v) {
        out.normals[v] = decodeOctahedral({in.normals[v][0], in.normals[v][1]}, quantization.normalBits);
    }
    out.texcoords.resize(in.texcoords.size());
    for (size_t v = 0; v < in.texcoords.size(); ++v) {
        for (int axis = 0; axis < 2; ++axis) {
            out.texcoords[v][axis] = quantization.texcoordOrigin[axis] +
                                     static_cast<float>(in.texcoords[v][axis]) * quantization.texcoordStep[axis];
        }
    }
    out.colors.resize(in.colors.size());
    for (size_t v = 0; v < in.colors.size(); ++v) {
        for (int channel = 0; channel < 4; ++channel) {
            const float encoded = static_cast<float>(in.colors[v][channel]) / 255.0f;
            out.colors[v][channel] = channel < 3 ? srgbToLinear(encoded) : encoded;
        }
    }
    out.indices = in.indices;
    return out;
}

}  // namespace

std::vector<uint8_t> encodePagePayload(std::span<const asset::Cluster* const> clusters,
                                       std::span<const uint8_t> attributes, const Quantization& quantization) {
    std::vector<QuantizedCluster> quantized;
    quantized.reserve(clusters.size());
    for (size_t c = 0; c < clusters.size(); ++c) quantized.push_back(quantizeCluster(*clusters[c], attributes[c], quantization));
    return encodePagePayload(quantized, quantization.normalBits);
}

std::vector<uint8_t> encodePagePayload(std::span<QuantizedCluster> clusters, uint32_t normalBits) {
    GeometryStreams streams;
    encodeClusters(clusters, normalBits, streams);
    ByteWriter out;
    for (const std::vector<uint8_t>& s : streams) out.u32(static_cast<uint32_t>(s.size()));
    for (const std::vector<uint8_t>& s : streams) out.raw(s);
    return std::move(out.bytes());
}

Result<std::vector<QuantizedCluster>> decodeQuantizedPayload(std::span<const uint8_t> payload,
                                                             std::span<const ClusterInfo> infos, uint32_t normalBits) {
    ByteCursor cursor(payload, 0);
    std::array<uint32_t, kGeometryStreamCount> sizes{};
    uint64_t total = 0;
    for (uint32_t& size : sizes) size = cursor.u32(), total += size;
    if (!cursor.ok()) return fail("payload of {} bytes is shorter than its {}-byte stream table", payload.size(), 4 * kGeometryStreamCount);
    if (total != cursor.remaining()) {
        return fail("its {} stream sizes add up to {} bytes, the payload has {} after its stream table", kGeometryStreamCount,
                    total, cursor.remaining());
    }
    std::array<std::span<const uint8_t>, kGeometryStreamCount> streams;
    for (uint32_t s = 0; s < kGeometryStreamCount; ++s) streams[s] = cursor.raw(sizes[s]);

    ClusterDecoder decoder(streams, normalBits);
    std::vector<QuantizedCluster> clusters(infos.size());
    for (size_t c = 0; c < infos.size(); ++c) {
        const ClusterInfo& info = infos[c];
        if (info.vertexCount == 0) return fail("cluster {} of the page has no vertices", c);
        auto decoded = decoder.decode(info.vertexCount, info.triangleCount, (info.attributes & kHasNormals) != 0,
                                      (info.attributes & kHasTexcoords) != 0, (info.attributes & kHasColors) != 0, clusters[c]);
        if (!decoded) return std::unexpected(decoded.error());
    }
    if (auto done = decoder.finish(); !done) return std::unexpected(done.error());
    return clusters;
}

Result<std::vector<asset::Cluster>> decodePagePayload(std::span<const uint8_t> payload,
                                                      std::span<const ClusterInfo> infos,
                                                      const Quantization& quantization) {
    auto quantized = decodeQuantizedPayload(payload, infos, quantization.normalBits);
    if (!quantized) return std::unexpected(quantized.error());
    std::vector<asset::Cluster> clusters;
    clusters.reserve(quantized->size());
    for (const QuantizedCluster& cluster : *quantized) clusters.push_back(dequantize(cluster, quantization));
    return clusters;
}

}  // namespace vt::pack::detail
