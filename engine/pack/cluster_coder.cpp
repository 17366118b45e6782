#include "pack/cluster_coder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <format>

namespace vt::pack::detail {
namespace {

constexpr uint32_t kEdgeFifoSize = 15;  // a triangle code's high nibble: 0..14 an edge, 15 none
constexpr uint8_t kNoEdge = 15;
constexpr uint8_t kNewVertex = 0;       // low nibble of an edge code: the next new vertex,
constexpr uint32_t kMaxRecent = 14;     // 1..14: the vertex `next - k`,
constexpr uint8_t kExplicitVertex = 15; // 15: the vertex `next - 1 - r`, r from VertexRefs
// A residual's zigzag value z is one byte when z < kFirstPrefix; below kLongLimit it is a prefix byte
// kFirstPrefix + (z - kFirstPrefix) / 256 with the low byte in the escape stream; beyond, the byte 255
// and z as u32 in the escape stream. Scans' residuals are mostly small with a long tail: the tail costs
// two bytes instead of five.
constexpr uint32_t kFirstPrefix = 240;
constexpr uint8_t kLongEscape = 255;
constexpr uint32_t kLongLimit = kFirstPrefix + (kLongEscape - kFirstPrefix) * 256;  // 4080

uint32_t zigzag(int32_t v) { return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31); }
int32_t unzigzag(uint32_t z) { return static_cast<int32_t>(z >> 1) ^ -static_cast<int32_t>(z & 1); }

struct Edge {
    uint8_t from = 0, to = 0, opposite = 0;
};

// The edges of the last triangles, most recent first. A triangle sharing edge from->to of an earlier
// one runs it the other way (to->from) when both have the same winding.
class EdgeFifo {
public:
    void push(uint8_t from, uint8_t to, uint8_t opposite) {
        head_ = (head_ - 1) & kRingMask;
        entries_[head_] = {from, to, opposite};
        count_ = std::min(count_ + 1, kEdgeFifoSize);
    }
    uint32_t size() const { return count_; }
    const Edge& operator[](uint32_t i) const { return entries_[(head_ + i) & kRingMask]; }

private:
    static constexpr uint32_t kRingMask = 15;  // a 16-slot ring (a mask, not a division) holding 15 entries
    std::array<Edge, kRingMask + 1> entries_{};
    uint32_t head_ = 0, count_ = 0;
};

using Rule = PredictionRule;

// The predictor of a vertex introduced outside an edge: the vertex introduced just before it.
Predictor previousVertex(uint32_t next) { return next == 0 ? Predictor{} : Predictor{Rule::Copy, static_cast<uint8_t>(next - 1)}; }

template <size_t N, class T>
std::array<int32_t, N> predict(const Predictor& p, std::span<const std::array<T, N>> values, const std::array<T, N>& carry) {
    std::array<int32_t, N> out{};
    for (size_t k = 0; k < N; ++k) {
        switch (p.rule) {
        case Rule::Carry: out[k] = carry[k]; break;
        case Rule::Copy: out[k] = values[p.a][k]; break;
        case Rule::Parallelogram: out[k] = int32_t{values[p.a][k]} + values[p.b][k] - values[p.c][k]; break;
        }
    }
    return out;
}

// Octahedral code of an integer direction. IEEE double arithmetic, one operation at a time (no
// fused multiply-add is possible in these expressions), so every machine predicts the same code.
std::array<int32_t, 2> octahedralOf(const std::array<int64_t, 3>& n, uint32_t bits) {
    const double s = static_cast<double>((1 << (bits - 1)) - 1);
    const int64_t l1 = std::llabs(n[0]) + std::llabs(n[1]) + std::llabs(n[2]);
    if (l1 == 0) return {0, 0};
    const double scale = s / static_cast<double>(l1);
    double x = std::round(static_cast<double>(n[0]) * scale);
    double y = std::round(static_cast<double>(n[1]) * scale);
    if (n[2] < 0) {
        const double fx = (s - std::abs(y)) * (x >= 0.0 ? 1.0 : -1.0), fy = (s - std::abs(x)) * (y >= 0.0 ? 1.0 : -1.0);
        x = fx, y = fy;
    }
    return {static_cast<int32_t>(std::clamp(x, -s, s)), static_cast<int32_t>(std::clamp(y, -s, s))};
}

// Per vertex, the octahedral code of the area-weighted sum of its triangles' normals, into `out`
// (`sums` is scratch space).
void predictNormals(std::span<const std::array<uint16_t, 3>> positions, std::span<const uint8_t> indices, uint32_t bits,
                    std::vector<std::array<int64_t, 3>>& sums, std::vector<std::array<int32_t, 2>>& out) {
    sums.assign(positions.size(), std::array<int64_t, 3>{});
    for (size_t t = 0; t + 2 < indices.size(); t += 3) {
        const auto& p0 = positions[indices[t]];
        const auto& p1 = positions[indices[t + 1]];
        const auto& p2 = positions[indices[t + 2]];
        int64_t e1[3], e2[3];
        for (int k = 0; k < 3; ++k) e1[k] = int64_t{p1[k]} - p0[k], e2[k] = int64_t{p2[k]} - p0[k];
        const int64_t cross[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]};
        for (int corner = 0; corner < 3; ++corner) {
            for (int k = 0; k < 3; ++k) sums[indices[t + corner]][k] += cross[k];
        }
    }
    out.resize(positions.size());
    for (size_t v = 0; v < positions.size(); ++v) out[v] = octahedralOf(sums[v], bits);
}

// Octahedral codes live in [-s, s]: residuals wrap around that range, so they stay within +-s.
int32_t wrapOctahedral(int32_t value, uint32_t bits) {
    const int32_t s = (1 << (bits - 1)) - 1;
    if (value > s) return value - (2 * s + 1);
    if (value < -s) return value + (2 * s + 1);
    return value;
}

void putResidual(std::vector<uint8_t>& bytes, std::vector<uint8_t>& escapes, int32_t value) {
    const uint32_t z = zigzag(value);
    if (z < kFirstPrefix) {
        bytes.push_back(static_cast<uint8_t>(z));
    } else if (z < kLongLimit) {
        bytes.push_back(static_cast<uint8_t>(kFirstPrefix + ((z - kFirstPrefix) >> 8)));
        escapes.push_back(static_cast<uint8_t>(z - kFirstPrefix));
    } else {
        bytes.push_back(kLongEscape);
        for (int shift = 0; shift < 32; shift += 8) escapes.push_back(static_cast<uint8_t>(z >> shift));
    }
}

std::unexpected<Error> streamEnded(uint32_t cluster, GeometryStream which) {
    return fail("cluster {} of the page: the {} stream ends early", cluster, geometryStreamName(which));
}

std::vector<uint8_t>& stream(GeometryStreams& streams, GeometryStream which) { return streams[static_cast<uint32_t>(which)]; }

// Writes each vertex's residuals against its prediction, component by component.
template <size_t N>
void putPredicted(std::span<const Predictor> predictors, std::span<const std::array<uint16_t, N>> values,
                  const std::array<uint16_t, N>& carry, GeometryStreams& streams, GeometryStream bytes, GeometryStream escapes) {
    for (size_t v = 0; v < values.size(); ++v) {
        const auto predicted = predict<N>(predictors[v], values, carry);
        for (size_t k = 0; k < N; ++k) putResidual(stream(streams, bytes), stream(streams, escapes), values[v][k] - predicted[k]);
    }
}

// The decoder's side: values = prediction + residual, in vertex order (a prediction reads only earlier
// vertices); false when one falls off the grid.
template <size_t N>
bool takePredicted(std::span<const Predictor> predictors, const int32_t* residuals, const std::array<uint16_t, N>& carry,
                   std::vector<std::array<uint16_t, N>>& values) {
    for (size_t v = 0; v < values.size(); ++v, residuals += N) {
        const auto predicted = predict<N>(predictors[v], std::span<const std::array<uint16_t, N>>(values), carry);
        for (size_t k = 0; k < N; ++k) {
            const int64_t value = int64_t{predicted[k]} + residuals[k];
            if (value < 0 || value > 65535) return false;
            values[v][k] = static_cast<uint16_t>(value);
        }
    }
    return true;
}

// Codes the connectivity, renumbering vertices in order of first use; returns each new vertex's predictor.
std::vector<Predictor> encodeConnectivity(QuantizedCluster& cluster, GeometryStreams& streams) {
    const size_t n = cluster.positions.size();
    std::vector<int32_t> renamed(n, -1);  // original index -> new index
    std::vector<uint8_t> order;           // new index -> original index
    std::vector<Predictor> predictors;
    uint32_t next = 0;
    auto introduce = [&](uint8_t original, Predictor p) {
        renamed[original] = static_cast<int32_t>(next++);
        order.push_back(original);
        predictors.push_back(p);
    };
    std::vector<uint8_t>& codes = stream(streams, GeometryStream::Triangles);
    std::vector<uint8_t>& refs = stream(streams, GeometryStream::VertexRefs);
    std::vector<uint8_t> indices;
    indices.reserve(cluster.indices.size());
    EdgeFifo fifo;
    // The triangle order is the encoder's choice: walk on across the most recent edges (so the shared
    // edge is usually FIFO entry 0 or 1), and start again from the first triangle not yet coded when
    // the walk is stuck. Directed edges, sorted, find the neighbours.
    const size_t triangleCount = cluster.indices.size() / 3;
    std::vector<std::pair<uint16_t, uint16_t>> edges;  // (from << 8 | to, triangle)
    edges.reserve(3 * triangleCount);
    for (size_t t = 0; t < triangleCount; ++t) {
        for (int k = 0; k < 3; ++k) {
            const uint8_t from = cluster.indices[3 * t + k], to = cluster.indices[3 * t + (k + 1) % 3];
            edges.emplace_back(static_cast<uint16_t>(from << 8 | to), static_cast<uint16_t>(t));
        }
    }
    std::sort(edges.begin(), edges.end());
    std::vector<bool> coded(triangleCount, false);
    size_t firstUncoded = 0;
    // The next triangle: the first not yet coded across the most recent FIFO edge (tried against
    // preferring triangles that bring a new vertex, or that bring none: this codes smallest, 1.18
    // against 1.33 and 1.21 B per input triangle on Zenobia).
    auto nextTriangle = [&]() -> size_t {
        for (uint32_t i = 0; i < fifo.size(); ++i) {
            const Edge& e = fifo[i];  // new numbering; its neighbour runs to -> from
            const auto key = static_cast<uint16_t>(order[e.to] << 8 | order[e.from]);
            for (auto it = std::lower_bound(edges.begin(), edges.end(), std::make_pair(key, uint16_t{0}));
                 it != edges.end() && it->first == key; ++it) {
                if (!coded[it->second]) return it->second;
            }
        }
        while (coded[firstUncoded]) ++firstUncoded;
        return firstUncoded;
    };
    for (size_t step = 0; step < triangleCount; ++step) {
        const size_t t = 3 * nextTriangle();
        coded[t / 3] = true;
        const uint8_t corner[3] = {cluster.indices[t], cluster.indices[t + 1], cluster.indices[t + 2]};
        // The cheapest (rotation, FIFO entry): a new third vertex, then a recent one, then any.
        int bestEdge = -1, bestRotation = 0, bestCost = 3;
        for (int r = 0; r < 3; ++r) {
            const int32_t a = renamed[corner[r]], b = renamed[corner[(r + 1) % 3]], c = renamed[corner[(r + 2) % 3]];
            if (a < 0 || b < 0) continue;
            for (uint32_t i = 0; i < fifo.size(); ++i) {
                if (fifo[i].from != b || fifo[i].to != a) continue;
                const int cost = c < 0 ? 0 : (next - static_cast<uint32_t>(c) <= kMaxRecent ? 1 : 2);
                if (cost < bestCost) bestCost = cost, bestEdge = static_cast<int>(i), bestRotation = r;
                break;  // the most recent entry for this edge has the smallest code
            }
        }
        uint8_t tri[3];
        if (bestEdge >= 0) {
            const Edge edge = fifo[static_cast<uint32_t>(bestEdge)];
            const uint8_t third = corner[(bestRotation + 2) % 3];
            uint8_t low;
            if (renamed[third] < 0) {
                introduce(third, {Rule::Parallelogram, edge.to, edge.from, edge.opposite});
                low = kNewVertex;
            } else if (next - static_cast<uint32_t>(renamed[third]) <= kMaxRecent) {
                low = static_cast<uint8_t>(next - static_cast<uint32_t>(renamed[third]));
            } else {
                low = kExplicitVertex;
                refs.push_back(static_cast<uint8_t>(next - 1 - static_cast<uint32_t>(renamed[third])));
            }
            codes.push_back(static_cast<uint8_t>(bestEdge << 4 | low));
            tri[0] = edge.to, tri[1] = edge.from, tri[2] = static_cast<uint8_t>(renamed[third]);
            fifo.push(tri[2], tri[0], tri[1]);
            fifo.push(tri[1], tri[2], tri[0]);
        } else {
            uint8_t flags = 0;
            for (int k = 0; k < 3; ++k) {
                if (renamed[corner[k]] < 0) {
                    flags |= static_cast<uint8_t>(1 << k);
                    introduce(corner[k], k == 0 ? previousVertex(next) : Predictor{Rule::Copy, tri[k - 1]});
                } else {
                    refs.push_back(static_cast<uint8_t>(next - 1 - static_cast<uint32_t>(renamed[corner[k]])));
                }
                tri[k] = static_cast<uint8_t>(renamed[corner[k]]);
            }
            codes.push_back(static_cast<uint8_t>(kNoEdge << 4 | flags));
            fifo.push(tri[0], tri[1], tri[2]);
            fifo.push(tri[1], tri[2], tri[0]);
            fifo.push(tri[2], tri[0], tri[1]);
        }
        indices.insert(indices.end(), tri, tri + 3);
    }
    for (size_t v = 0; v < n; ++v) {
        if (renamed[v] < 0) introduce(static_cast<uint8_t>(v), previousVertex(next));
    }
    auto permute = [&](auto& values) {
        if (values.empty()) return;
        auto copy = values;
        for (size_t v = 0; v < n; ++v) values[v] = copy[order[v]];
    };
    permute(cluster.positions), permute(cluster.normals), permute(cluster.texcoords), permute(cluster.colors);
    cluster.indices = std::move(indices);
    return predictors;
}

}  // namespace

const char* geometryStreamName(GeometryStream which) {
    static constexpr const char* kNames[] = {"triangle",        "vertex reference", "position", "position escape",
                                             "normal",          "normal escape",    "texcoord", "texcoord escape",
                                             "colour"};
    return kNames[static_cast<uint32_t>(which)];
}

void encodeClusters(std::span<QuantizedCluster> clusters, uint32_t normalBits, GeometryStreams& streams) {
    std::array<uint16_t, 3> carryPosition{};
    std::array<uint16_t, 2> carryTexcoord{};
    std::array<uint8_t, 4> carryColor{};
    for (QuantizedCluster& cluster : clusters) {
        const std::vector<Predictor> predictors = encodeConnectivity(cluster, streams);
        const std::span<const std::array<uint16_t, 3>> positions = cluster.positions;
        putPredicted<3>(predictors, positions, carryPosition, streams, GeometryStream::Positions, GeometryStream::PositionEscapes);
        if (!cluster.normals.empty()) {
            std::vector<std::array<int64_t, 3>> sums;
            std::vector<std::array<int32_t, 2>> predicted;
            predictNormals(positions, cluster.indices, normalBits, sums, predicted);
            for (size_t v = 0; v < positions.size(); ++v) {
                for (int k = 0; k < 2; ++k) {
                    putResidual(stream(streams, GeometryStream::Normals), stream(streams, GeometryStream::NormalEscapes),
                                wrapOctahedral(cluster.normals[v][k] - predicted[v][k], normalBits));
                }
            }
        }
        if (!cluster.texcoords.empty()) {
            putPredicted<2>(predictors, std::span<const std::array<uint16_t, 2>>(cluster.texcoords), carryTexcoord, streams,
                            GeometryStream::Texcoords, GeometryStream::TexcoordEscapes);
            carryTexcoord = cluster.texcoords.front();
        }
        if (!cluster.colors.empty()) {
            for (size_t v = 0; v < cluster.colors.size(); ++v) {
                const Predictor& p = predictors[v];
                const std::array<uint8_t, 4>& base = p.rule == Rule::Carry ? carryColor : cluster.colors[p.a];
                for (int k = 0; k < 4; ++k) stream(streams, GeometryStream::Colors).push_back(static_cast<uint8_t>(cluster.colors[v][k] - base[k]));
            }
            carryColor = cluster.colors.front();
        }
        if (!positions.empty()) carryPosition = positions.front();
    }
}

ClusterDecoder::ClusterDecoder(std::array<std::span<const uint8_t>, kGeometryStreamCount> streams, uint32_t normalBits)
    : streams_(streams), normalBits_(normalBits) {}

bool ClusterDecoder::byte(GeometryStream which, uint8_t& value) {
    const auto s = static_cast<uint32_t>(which);
    if (read_[s] >= streams_[s].size()) return false;
    value = streams_[s][read_[s]++];
    return true;
}

bool ClusterDecoder::residuals(GeometryStream which, GeometryStream escapes, size_t count) {
    const auto b = static_cast<uint32_t>(which), e = static_cast<uint32_t>(escapes);
    if (streams_[b].size() - read_[b] < count) return false;
    if (residuals_.size() < count) residuals_.resize(count);
    const uint8_t* bytes = streams_[b].data() + read_[b];
    const uint8_t* escape = streams_[e].data() + read_[e];
    const uint8_t* escapeEnd = streams_[e].data() + streams_[e].size();
    for (size_t i = 0; i < count; ++i) {
        uint32_t z = bytes[i];
        if (z >= kFirstPrefix) [[unlikely]] {
            const size_t need = z == kLongEscape ? 4 : 1;
            if (static_cast<size_t>(escapeEnd - escape) < need) return false;
            if (z == kLongEscape) {
                z = uint32_t{escape[0]} | uint32_t{escape[1]} << 8 | uint32_t{escape[2]} << 16 | uint32_t{escape[3]} << 24;
            } else {
                z = kFirstPrefix + ((z - kFirstPrefix) << 8) + escape[0];
            }
            escape += need;
        }
        residuals_[i] = unzigzag(z);
    }
    read_[b] += count;
    read_[e] = static_cast<size_t>(escape - streams_[e].data());
    return true;
}

// Connectivity: the cluster's triangles into out.indices and each vertex's predictor into predictors_.
Result<void> ClusterDecoder::decodeConnectivity(uint32_t c, uint32_t vertexCount, uint32_t triangleCount, QuantizedCluster& out) {
    auto ranOut = [&](GeometryStream which) { return streamEnded(c, which); };
    predictors_.resize(vertexCount);
    Predictor* predictors = predictors_.data();
    out.indices.resize(size_t{3} * triangleCount);
    const auto codeStream = static_cast<uint32_t>(GeometryStream::Triangles);
    if (streams_[codeStream].size() - read_[codeStream] < triangleCount) return ranOut(GeometryStream::Triangles);
    const uint8_t* codes = streams_[codeStream].data() + read_[codeStream];
    read_[codeStream] += triangleCount;
    EdgeFifo fifo;
    uint32_t next = 0;
    // The first problem found, reported after the triangle (the loop stays free of error objects).
    enum class Problem { None, RefsEnd, RefsBack, TooManyVertices, NoEdge, BadCode } problem = Problem::None;
    uint32_t t = 0, detail = 0;
    auto reference = [&](uint8_t& vertex) {
        uint8_t r = 0;
        if (!byte(GeometryStream::VertexRefs, r)) problem = Problem::RefsEnd;
        else if (r >= next) problem = Problem::RefsBack, detail = r + 1u;
        else vertex = static_cast<uint8_t>(next - 1 - r);
    };
    auto introduce = [&](Predictor p, uint8_t& vertex) {
        if (next >= vertexCount) {
            problem = Problem::TooManyVertices;
            return;
        }
        predictors[next] = p;
        vertex = static_cast<uint8_t>(next++);
    };
    for (; t < triangleCount && problem == Problem::None; ++t) {
        const uint8_t code = codes[t];
        const uint32_t high = code >> 4, low = code & 15;
        uint8_t* tri = out.indices.data() + size_t{3} * t;
        if (high != kNoEdge) {
            if (high >= fifo.size()) {
                problem = Problem::NoEdge, detail = high;
                break;
            }
            const Edge edge = fifo[high];
            tri[0] = edge.to, tri[1] = edge.from;
            if (low == kNewVertex) {
                introduce({Rule::Parallelogram, edge.to, edge.from, edge.opposite}, tri[2]);
            } else if (low != kExplicitVertex) {
                if (low > next) problem = Problem::RefsBack, detail = low;
                else tri[2] = static_cast<uint8_t>(next - low);
            } else {
                reference(tri[2]);
            }
            fifo.push(tri[2], tri[0], tri[1]);
            fifo.push(tri[1], tri[2], tri[0]);
        } else {
            if (low > 7) {
                problem = Problem::BadCode, detail = code;
                break;
            }
            for (int k = 0; k < 3 && problem == Problem::None; ++k) {
                if (low & (1u << k)) introduce(k == 0 ? previousVertex(next) : Predictor{Rule::Copy, tri[k - 1]}, tri[k]);
                else reference(tri[k]);
            }
            fifo.push(tri[0], tri[1], tri[2]);
            fifo.push(tri[1], tri[2], tri[0]);
            fifo.push(tri[2], tri[0], tri[1]);
        }
    }
    if (problem != Problem::None && problem != Problem::NoEdge && problem != Problem::BadCode) --t;  // the loop moved on
    switch (problem) {
    case Problem::None: break;
    case Problem::RefsEnd: return ranOut(GeometryStream::VertexRefs);
    case Problem::RefsBack:
        return fail("cluster {} of the page: triangle {} refers back {} vertices, only {} so far", c, t, detail, next);
    case Problem::TooManyVertices:
        return fail("cluster {} of the page: triangle {} introduces vertex {} of {}", c, t, next, vertexCount);
    case Problem::NoEdge: return fail("cluster {} of the page: triangle {} names edge {} of {}", c, t, detail, fifo.size());
    case Problem::BadCode: return fail("cluster {} of the page: triangle {} has the unknown code {:#04x}", c, t, detail);
    }
    for (; next < vertexCount; ++next) predictors[next] = previousVertex(next);
    return {};
}

Result<void> ClusterDecoder::decode(uint32_t vertexCount, uint32_t triangleCount, bool normals, bool texcoords,
                                    bool colors, QuantizedCluster& out) {
    const uint32_t c = cluster_++;
    auto ranOut = [&](GeometryStream which) { return streamEnded(c, which); };
    if (auto connected = decodeConnectivity(c, vertexCount, triangleCount, out); !connected) return connected;
    const Predictor* predictors = predictors_.data();

    auto offGrid = [&](const char* what) {
        return fail("cluster {} of the page: a vertex decodes outside the {} grid", c, what);
    };
    out.positions.resize(vertexCount);
    if (!residuals(GeometryStream::Positions, GeometryStream::PositionEscapes, 3 * size_t{vertexCount})) return ranOut(GeometryStream::Positions);
    if (!takePredicted<3>(predictors_, residuals_.data(), carryPosition_, out.positions)) return offGrid("position");
    out.normals.clear();
    if (normals) {
        predictNormals(out.positions, out.indices, normalBits_, normalSums_, predictedNormals_);
        if (!residuals(GeometryStream::Normals, GeometryStream::NormalEscapes, 2 * size_t{vertexCount})) return ranOut(GeometryStream::Normals);
        out.normals.resize(vertexCount);
        const int32_t s = (1 << (normalBits_ - 1)) - 1;
        const int32_t* r = residuals_.data();
        for (uint32_t v = 0; v < vertexCount; ++v, r += 2) {
            for (int k = 0; k < 2; ++k) {
                if (r[k] < -s || r[k] > s) return fail("cluster {} of the page: vertex {} has a normal residual {} outside +-{}", c, v, r[k], s);
                out.normals[v][k] = static_cast<int16_t>(wrapOctahedral(predictedNormals_[v][k] + r[k], normalBits_));
            }
        }
    }
    out.texcoords.clear();
    if (texcoords) {
        if (!residuals(GeometryStream::Texcoords, GeometryStream::TexcoordEscapes, 2 * size_t{vertexCount})) return ranOut(GeometryStream::Texcoords);
        out.texcoords.resize(vertexCount);
        if (!takePredicted<2>(predictors_, residuals_.data(), carryTexcoord_, out.texcoords)) return offGrid("texcoord");
        carryTexcoord_ = out.texcoords.front();
    }
    out.colors.clear();
    if (colors) {
        out.colors.resize(vertexCount);
        for (uint32_t v = 0; v < vertexCount; ++v) {
            const Predictor& p = predictors[v];
            const std::array<uint8_t, 4> base = p.rule == Rule::Carry ? carryColor_ : out.colors[p.a];
            for (int k = 0; k < 4; ++k) {
                uint8_t d = 0;
                if (!byte(GeometryStream::Colors, d)) return ranOut(GeometryStream::Colors);
                out.colors[v][k] = static_cast<uint8_t>(base[k] + d);
            }
        }
        carryColor_ = out.colors.front();
    }
    carryPosition_ = out.positions.front();
    return {};
}

Result<void> ClusterDecoder::finish() const {
    for (uint32_t s = 0; s < kGeometryStreamCount; ++s) {
        if (read_[s] != streams_[s].size()) {
            return fail("the {} stream has {} bytes, the page's clusters use {}", geometryStreamName(static_cast<GeometryStream>(s)),
                        streams_[s].size(), read_[s]);
        }
    }
    return {};
}

}  // namespace vt::pack::detail
