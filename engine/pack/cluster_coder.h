#pragma once
// The page geometry coder (internal to engine/pack): one cluster at a time, on the integer grids of
// the quantization, into byte streams that the page's zstd frame entropy-codes.
//
// Connectivity: each triangle is coded against a FIFO of the last 15 edges it may share (one byte:
// which edge, and whether its third vertex is the next new one, a recent one or an explicit one), so a
// triangle typically costs one byte of a skewed alphabet. Vertices are numbered in order of first use.
// Attributes: a new vertex reached across an edge is predicted by the parallelogram rule (a + b - c
// over the neighbouring triangle), any other vertex by the vertex before it; only the residuals are
// stored. Normals are predicted from the decoded positions (the area-weighted average of the cluster's
// face normals, in exact integer arithmetic so every machine predicts the same code). Residuals are
// zigzag bytes; a large value takes a prefix byte and one or four bytes in an escape stream of its own,
// so the byte streams keep a narrow alphabet for zstd's Huffman stage. The encoder chooses the triangle
// order (a walk across the most recent edges), so a typical triangle is "edge 0 or 1, a new vertex". docs/pack-format.md, "Page payload", is the specification.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace vt::pack::detail {

// A cluster on the quantization grids: what the coder stores exactly.
struct QuantizedCluster {
    std::vector<std::array<uint16_t, 3>> positions;
    std::vector<std::array<int16_t, 2>> normals;     // octahedral codes; empty when the cluster has none
    std::vector<std::array<uint16_t, 2>> texcoords;  // empty when the cluster has none
    std::vector<std::array<uint8_t, 4>> colors;      // sRGB-encoded RGB, linear alpha; empty when none
    std::vector<uint8_t> indices;                    // 3 per triangle, < positions.size()
};

enum class GeometryStream : uint32_t {
    Triangles,        // one code byte per triangle
    VertexRefs,       // explicit references to earlier vertices
    Positions,        // 3 residual bytes per vertex
    PositionEscapes,  // u32 per escaped residual
    Normals,          // 2 residual bytes per vertex with normals
    NormalEscapes,
    Texcoords,        // 2 residual bytes per vertex with texcoords
    TexcoordEscapes,
    Colors,           // 4 delta bytes per vertex with colours (mod 256)
    Count,
};
constexpr uint32_t kGeometryStreamCount = static_cast<uint32_t>(GeometryStream::Count);

using GeometryStreams = std::array<std::vector<uint8_t>, kGeometryStreamCount>;

// Encodes a page's clusters, in order, into the streams. Within a cluster the triangles are reordered,
// their corners may be rotated (winding kept) and the vertices are renumbered in order of first use
// (unused ones last); `clusters` receives that order, which is what the decoder returns.
void encodeClusters(std::span<QuantizedCluster> clusters, uint32_t normalBits, GeometryStreams& streams);

// What a vertex's attributes are predicted from, decided by the connectivity that introduced it: the
// previous cluster's first vertex; vertex a; or the parallelogram a + b - c.
enum class PredictionRule : uint8_t { Carry, Copy, Parallelogram };
struct Predictor {
    PredictionRule rule = PredictionRule::Carry;
    uint8_t a = 0, b = 0, c = 0;
};

// Reads the streams a page was written with. Every decode checks its bounds; a corrupt stream gives
// an error naming the stream, cluster and position, never an out-of-range read.
class ClusterDecoder {
public:
    ClusterDecoder(std::array<std::span<const uint8_t>, kGeometryStreamCount> streams, uint32_t normalBits);

    // Decodes the next cluster. `vertexCount` and `triangleCount` come from its record; which
    // attributes it has from the record's bits (normals, texcoords, colours).
    Result<void> decode(uint32_t vertexCount, uint32_t triangleCount, bool normals, bool texcoords, bool colors,
                        QuantizedCluster& out);
    // After the last cluster: every stream must be used up exactly.
    Result<void> finish() const;

private:
    std::array<std::span<const uint8_t>, kGeometryStreamCount> streams_;
    std::array<size_t, kGeometryStreamCount> read_{};
    uint32_t normalBits_;
    uint32_t cluster_ = 0;
    // The previous cluster's first vertex: what a cluster's first vertex is predicted from.
    std::array<uint16_t, 3> carryPosition_{};
    std::array<uint16_t, 2> carryTexcoord_{};
    std::array<uint8_t, 4> carryColor_{};
    // Scratch space kept between clusters (no allocation per cluster once warm).
    std::vector<Predictor> predictors_;
    std::vector<std::array<int64_t, 3>> normalSums_;
    std::vector<std::array<int32_t, 2>> predictedNormals_;
    std::vector<int32_t> residuals_;

    bool byte(GeometryStream stream, uint8_t& value);
    Result<void> decodeConnectivity(uint32_t cluster, uint32_t vertexCount, uint32_t triangleCount, QuantizedCluster& out);
    // Reads `count` residuals of one attribute into residuals_; false when either stream ends early.
    bool residuals(GeometryStream stream, GeometryStream escapes, size_t count);
};

const char* geometryStreamName(GeometryStream stream);

}  // namespace vt::pack::detail
