#include "pack/geometry_codec.h"

#include <algorithm>
#include <cmath>

#include <meshoptimizer.h>

#include "pack/byte_io.h"

namespace vt::pack::detail {
namespace {

uint16_t quantizeUnorm16(double value, double origin, double step) {
    const double q = std::round((value - origin) / step);
    return static_cast<uint16_t>(std::clamp(q, 0.0, 65535.0));
}

void putLe16(uint8_t* at, uint16_t v) {
    at[0] = static_cast<uint8_t>(v & 0xff);
    at[1] = static_cast<uint8_t>(v >> 8);
}

uint16_t getLe16(const uint8_t* at) { return static_cast<uint16_t>(at[0] | (at[1] << 8)); }

std::vector<uint8_t> encodeVertices(const std::vector<uint8_t>& vertices, size_t count, size_t stride) {
    if (count == 0) return {};
    std::vector<uint8_t> out(meshopt_encodeVertexBufferBound(count, stride));
    out.resize(meshopt_encodeVertexBuffer(out.data(), out.size(), vertices.data(), count, stride));
    return out;
}

}  // namespace

uint32_t positionStreamStride(uint32_t normalBits) { return normalBits == 16 ? 12 : 8; }

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

std::vector<uint8_t> encodePagePayload(std::span<const asset::Cluster* const> clusters,
                                       std::span<const uint8_t> attributes, const Quantization& quantization) {
    const uint32_t stride = positionStreamStride(quantization.normalBits);
    std::vector<uint8_t> positions, texcoords, colors;
    std::vector<uint32_t> indices;
    size_t vertexCount = 0, texcoordCount = 0, colorCount = 0;
    for (size_t c = 0; c < clusters.size(); ++c) {
        const asset::Cluster& cluster = *clusters[c];
        for (const uint8_t index : cluster.indices) indices.push_back(static_cast<uint32_t>(vertexCount + index));
        for (size_t v = 0; v < cluster.positions.size(); ++v) {
            uint8_t vertex[12] = {};
            const glm::vec3 p = cluster.positions[v];
            for (int axis = 0; axis < 3; ++axis) {
                putLe16(vertex + 2 * axis, quantizeUnorm16(p[axis], quantization.positionOrigin[axis],
                                                           quantization.positionStep));
            }
            if (attributes[c] & kHasNormals) {
                const glm::ivec2 q = encodeOctahedral(cluster.normals[v], quantization.normalBits);
                if (quantization.normalBits == 16) {
                    putLe16(vertex + 8, static_cast<uint16_t>(static_cast<int16_t>(q.x)));
                    putLe16(vertex + 10, static_cast<uint16_t>(static_cast<int16_t>(q.y)));
                } else {
                    vertex[6] = static_cast<uint8_t>(static_cast<int8_t>(q.x));
                    vertex[7] = static_cast<uint8_t>(static_cast<int8_t>(q.y));
                }
            }
            positions.insert(positions.end(), vertex, vertex + stride);
            if (attributes[c] & kHasTexcoords) {
                uint8_t uv[4];
                for (int axis = 0; axis < 2; ++axis) {
                    putLe16(uv + 2 * axis, quantizeUnorm16(cluster.texcoords[v][axis],
                                                           quantization.texcoordOrigin[axis],
                                                           quantization.texcoordStep[axis]));
                }
                texcoords.insert(texcoords.end(), uv, uv + 4);
                ++texcoordCount;
            }
            if (attributes[c] & kHasColors) {
                const glm::vec4 color = cluster.colors[v];
                for (int channel = 0; channel < 4; ++channel) {
                    // sRGB for colour so 8 bits spend their steps where the eye sees them; alpha linear.
                    const float encoded = channel < 3 ? linearToSrgb(color[channel]) : std::clamp(color[channel], 0.0f, 1.0f);
                    colors.push_back(static_cast<uint8_t>(std::lround(encoded * 255.0f)));
                }
                ++colorCount;
            }
        }
        vertexCount += cluster.positions.size();
    }

    const std::vector<uint8_t> positionStream = encodeVertices(positions, vertexCount, stride);
    const std::vector<uint8_t> texcoordStream = encodeVertices(texcoords, texcoordCount, 4);
    const std::vector<uint8_t> colorStream = encodeVertices(colors, colorCount, 4);
    std::vector<uint8_t> indexStream;
    if (!indices.empty()) {
        // Index codec version 1 (readable by meshoptimizer >= 0.14) is selected once by the writer,
        // before its worker threads start: the setting is a process-wide global.
        indexStream.resize(meshopt_encodeIndexBufferBound(indices.size(), vertexCount));
        indexStream.resize(meshopt_encodeIndexBuffer(indexStream.data(), indexStream.size(), indices.data(),
                                                     indices.size()));
    }

    ByteWriter out;
    out.u32(static_cast<uint32_t>(positionStream.size()));
    out.u32(static_cast<uint32_t>(texcoordStream.size()));
    out.u32(static_cast<uint32_t>(colorStream.size()));
    out.u32(static_cast<uint32_t>(indexStream.size()));
    out.raw(positionStream);
    out.raw(texcoordStream);
    out.raw(colorStream);
    out.raw(indexStream);
    return std::move(out.bytes());
}

Result<std::vector<asset::Cluster>> decodePagePayload(std::span<const uint8_t> payload,
                                                      std::span<const ClusterInfo> infos,
                                                      const Quantization& quantization) {
    size_t vertexCount = 0, texcoordCount = 0, colorCount = 0, indexCount = 0;
    for (const ClusterInfo& info : infos) {
        vertexCount += info.vertexCount;
        if (info.attributes & kHasTexcoords) texcoordCount += info.vertexCount;
        if (info.attributes & kHasColors) colorCount += info.vertexCount;
        indexCount += size_t{3} * info.triangleCount;
    }

    ByteCursor cursor(payload, 0);
    const uint32_t sizes[4] = {cursor.u32(), cursor.u32(), cursor.u32(), cursor.u32()};
    if (!cursor.ok()) return fail("payload of {} bytes is shorter than its 16-byte stream table", payload.size());
    const uint64_t streamTotal = uint64_t{sizes[0]} + sizes[1] + sizes[2] + sizes[3];
    if (streamTotal != cursor.remaining()) {
        return fail("stream sizes {} + {} + {} + {} do not add up to the payload's {} bytes after its stream table",
                    sizes[0], sizes[1], sizes[2], sizes[3], cursor.remaining());
    }
    const std::span<const uint8_t> positionStream = cursor.raw(sizes[0]);
    const std::span<const uint8_t> texcoordStream = cursor.raw(sizes[1]);
    const std::span<const uint8_t> colorStream = cursor.raw(sizes[2]);
    const std::span<const uint8_t> indexStream = cursor.raw(sizes[3]);

    const uint32_t stride = positionStreamStride(quantization.normalBits);
    auto decodeVertices = [](std::span<const uint8_t> stream, size_t count, size_t vertexBytes,
                             const char* name) -> Result<std::vector<uint8_t>> {
        if (count == 0) {
            if (!stream.empty()) return fail("{} stream has {} bytes but no vertices use it", name, stream.size());
            return std::vector<uint8_t>{};
        }
        std::vector<uint8_t> out(count * vertexBytes);
        if (meshopt_decodeVertexBuffer(out.data(), count, vertexBytes, stream.data(), stream.size()) != 0) {
            return fail("{} stream ({} bytes) does not decode to {} vertices", name, stream.size(), count);
        }
        return out;
    };
    auto positions = decodeVertices(positionStream, vertexCount, stride, "position");
    if (!positions) return std::unexpected(positions.error());
    auto texcoords = decodeVertices(texcoordStream, texcoordCount, 4, "texcoord");
    if (!texcoords) return std::unexpected(texcoords.error());
    auto colors = decodeVertices(colorStream, colorCount, 4, "colour");
    if (!colors) return std::unexpected(colors.error());

    std::vector<uint32_t> indices(indexCount);
    if (indexCount == 0) {
        if (!indexStream.empty()) return fail("index stream has {} bytes but the page has no triangles", indexStream.size());
    } else if (meshopt_decodeIndexBuffer(indices.data(), indexCount, sizeof(uint32_t), indexStream.data(),
                                         indexStream.size()) != 0) {
        return fail("index stream ({} bytes) does not decode to {} indices", indexStream.size(), indexCount);
    }

    std::vector<asset::Cluster> clusters(infos.size());
    size_t vertexBase = 0, texcoordBase = 0, colorBase = 0, indexBase = 0;
    for (size_t c = 0; c < infos.size(); ++c) {
        const ClusterInfo& info = infos[c];
        asset::Cluster& cluster = clusters[c];
        const size_t n = info.vertexCount;
        cluster.positions.resize(n);
        if (info.attributes & kHasNormals) cluster.normals.resize(n);
        for (size_t v = 0; v < n; ++v) {
            const uint8_t* vertex = positions->data() + (vertexBase + v) * stride;
            for (int axis = 0; axis < 3; ++axis) {
                cluster.positions[v][axis] = quantization.positionOrigin[axis] +
                                             static_cast<float>(getLe16(vertex + 2 * axis)) * quantization.positionStep;
            }
            if (info.attributes & kHasNormals) {
                const glm::ivec2 q = quantization.normalBits == 16
                                         ? glm::ivec2{static_cast<int16_t>(getLe16(vertex + 8)),
                                                      static_cast<int16_t>(getLe16(vertex + 10))}
                                         : glm::ivec2{static_cast<int8_t>(vertex[6]), static_cast<int8_t>(vertex[7])};
                cluster.normals[v] = decodeOctahedral(q, quantization.normalBits);
            }
        }
        if (info.attributes & kHasTexcoords) {
            cluster.texcoords.resize(n);
            for (size_t v = 0; v < n; ++v) {
                const uint8_t* uv = texcoords->data() + (texcoordBase + v) * 4;
                for (int axis = 0; axis < 2; ++axis) {
                    cluster.texcoords[v][axis] = quantization.texcoordOrigin[axis] +
                                                 static_cast<float>(getLe16(uv + 2 * axis)) * quantization.texcoordStep[axis];
                }
            }
            texcoordBase += n;
        }
        if (info.attributes & kHasColors) {
            cluster.colors.resize(n);
            for (size_t v = 0; v < n; ++v) {
                const uint8_t* rgba = colors->data() + (colorBase + v) * 4;
                for (int channel = 0; channel < 4; ++channel) {
                    const float encoded = static_cast<float>(rgba[channel]) / 255.0f;
                    cluster.colors[v][channel] = channel < 3 ? srgbToLinear(encoded) : encoded;
                }
            }
            colorBase += n;
        }
        cluster.indices.resize(size_t{3} * info.triangleCount);
        for (size_t i = 0; i < cluster.indices.size(); ++i) {
            const uint32_t index = indices[indexBase + i];
            // The index decoder is safe but may produce any value from corrupt input: range-check each.
            if (index < vertexBase || index - vertexBase >= n) {
                return fail("cluster {} of the page: index {} is outside its vertices {}..{}", c, index, vertexBase,
                            vertexBase + n);
            }
            cluster.indices[i] = static_cast<uint8_t>(index - vertexBase);
        }
        vertexBase += n;
        indexBase += cluster.indices.size();
    }
    return clusters;
}

}  // namespace vt::pack::detail
