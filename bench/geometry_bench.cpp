// Geometry on the wire: the pack's own cluster coder against meshoptimizer 0.22's vertex and index
// codecs (what pack format 3 stored), on exactly the same pages: each page of each pack is read, and
// its clusters (already on the pack's grids, so both coders store the same values) are encoded by
// both, with the same cluster records in front and the same zstd level over the whole payload.
//
// Per pack and coder: bytes per input triangle for the whole hierarchy (the sum of the pages), split
// into records, positions + normals, texcoords, colours and indices (each part compressed alone with
// zstd, to attribute the bytes; the total is the real one-frame page), against the scan's own
// published GLB (Draco where it is Draco) when one is given. Decode, one thread, the minimum of
// --runs passes over every page: "page" = zstd + the coder + the float arrays a client gets, per byte
// of those arrays (12 B position, 12 B normal, 8 B texcoord, 16 B colour per vertex, 1 B per index);
// "coder" = the streams alone to values on the grids, per byte of those values (6 B position, 2 B
// normal, 4 B texcoord, 4 B colour per vertex, 1 B per index).
//
// usage: geometry_bench [--runs N] NAME=PACK[,GLB] ...

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <format>
#include <string>
#include <vector>

#include <meshoptimizer.h>
#include <zstd.h>

#include "pack/byte_io.h"
#include "pack/cluster_coder.h"
#include "pack/cluster_records.h"
#include "pack/geometry_codec.h"
#include "pack/pack_reader.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace vt;
using pack::detail::QuantizedCluster;

constexpr int kZstdLevel = 19;  // PackWriterOptions' default

std::vector<uint8_t> zstd(std::span<const uint8_t> data) {
    std::vector<uint8_t> out(ZSTD_compressBound(data.size()));
    out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), kZstdLevel));
    return out;
}
size_t zstdBytes(std::span<const uint8_t> data) { return data.empty() ? 0 : zstd(data).size(); }

struct Parts {
    size_t records = 0, positionsNormals = 0, normals = 0, texcoords = 0, colors = 0, indices = 0, total = 0;
    double decodeSeconds = 1e30, coderSeconds = 1e30;
    Parts& operator+=(const Parts& o) {
        records += o.records, positionsNormals += o.positionsNormals, normals += o.normals, texcoords += o.texcoords, colors += o.colors;
        indices += o.indices, total += o.total;
        return *this;
    }
};

// One page as both coders see it.
struct Page {
    std::vector<uint8_t> records;  // the page's cluster records, as stored
    std::vector<pack::ClusterInfo> infos;
    std::vector<asset::Cluster> clusters;
    std::vector<uint8_t> ours, peer;  // compressed pages
};

// Pack format 3's payload: meshoptimizer's vertex codec over (u16 xyz, i8 oct normal) and over
// texcoords and colours, its index codec (version 1) over the page's indices.
std::vector<uint8_t> meshoptPayload(const Page& page, const pack::detail::Quantization& q, Parts& parts) {
    std::vector<uint8_t> positions, texcoords, colors;
    std::vector<uint32_t> indices;
    size_t vertexCount = 0;
    // The same values on the same grids: this format's own quantizer.
    std::vector<QuantizedCluster> quantized;
    for (size_t c = 0; c < page.clusters.size(); ++c) quantized.push_back(pack::detail::quantizeCluster(page.clusters[c], page.infos[c].attributes, q));
    for (const QuantizedCluster& cluster : quantized) {
        for (const uint8_t index : cluster.indices) indices.push_back(static_cast<uint32_t>(vertexCount + index));
        for (size_t v = 0; v < cluster.positions.size(); ++v) {
            uint8_t vertex[8] = {};
            for (int k = 0; k < 3; ++k) vertex[2 * k] = uint8_t(cluster.positions[v][k]), vertex[2 * k + 1] = uint8_t(cluster.positions[v][k] >> 8);
            if (!cluster.normals.empty()) vertex[6] = uint8_t(cluster.normals[v][0]), vertex[7] = uint8_t(cluster.normals[v][1]);
            positions.insert(positions.end(), vertex, vertex + 8);
            if (!cluster.texcoords.empty()) {
                for (int k = 0; k < 2; ++k) texcoords.push_back(uint8_t(cluster.texcoords[v][k])), texcoords.push_back(uint8_t(cluster.texcoords[v][k] >> 8));
            }
            if (!cluster.colors.empty()) colors.insert(colors.end(), cluster.colors[v].begin(), cluster.colors[v].end());
        }
        vertexCount += cluster.positions.size();
    }
    auto vertexStream = [](const std::vector<uint8_t>& data, size_t stride) {
        std::vector<uint8_t> out;
        if (data.empty()) return out;
        out.resize(meshopt_encodeVertexBufferBound(data.size() / stride, stride));
        out.resize(meshopt_encodeVertexBuffer(out.data(), out.size(), data.data(), data.size() / stride, stride));
        return out;
    };
    const auto p = vertexStream(positions, 8), t = vertexStream(texcoords, 4), c = vertexStream(colors, 4);
    std::vector<uint8_t> i(meshopt_encodeIndexBufferBound(indices.size(), vertexCount));
    i.resize(meshopt_encodeIndexBuffer(i.data(), i.size(), indices.data(), indices.size()));
    parts.positionsNormals += zstdBytes(p), parts.texcoords += zstdBytes(t), parts.colors += zstdBytes(c), parts.indices += zstdBytes(i);
    pack::detail::ByteWriter out;
    out.raw(page.records);
    const std::array<const std::vector<uint8_t>*, 4> streams{&p, &t, &c, &i};
    for (const auto* s : streams) out.u32(static_cast<uint32_t>(s->size()));
    for (const auto* s : streams) out.raw(*s);
    return std::move(out.bytes());
}

// Decodes meshoptPayload's streams into the arrays a client gets; returns the vertex count.
size_t decodeMeshoptPayload(std::span<const uint8_t> payload, std::span<const pack::ClusterInfo> infos,
                            const pack::detail::Quantization& q, bool dequantize = true) {
    size_t vertices = 0, texcoordVertices = 0, colorVertices = 0, indexCount = 0;
    for (const pack::ClusterInfo& info : infos) {
        vertices += info.vertexCount, indexCount += size_t{3} * info.triangleCount;
        if (info.attributes & pack::kHasTexcoords) texcoordVertices += info.vertexCount;
        if (info.attributes & pack::kHasColors) colorVertices += info.vertexCount;
    }
    pack::detail::ByteCursor cursor(payload, 0);
    const uint32_t sizes[4] = {cursor.u32(), cursor.u32(), cursor.u32(), cursor.u32()};
    const auto p = cursor.raw(sizes[0]), t = cursor.raw(sizes[1]), c = cursor.raw(sizes[2]), i = cursor.raw(sizes[3]);
    std::vector<uint8_t> raw(vertices * 8), uv(texcoordVertices * 4), rgba(colorVertices * 4);
    std::vector<uint32_t> indices(indexCount);
    bool ok = meshopt_decodeVertexBuffer(raw.data(), vertices, 8, p.data(), p.size()) == 0 &&
              meshopt_decodeIndexBuffer(indices.data(), indexCount, 4, i.data(), i.size()) == 0;
    if (texcoordVertices) ok = ok && meshopt_decodeVertexBuffer(uv.data(), texcoordVertices, 4, t.data(), t.size()) == 0;
    if (colorVertices) ok = ok && meshopt_decodeVertexBuffer(rgba.data(), colorVertices, 4, c.data(), c.size()) == 0;
    if (!ok) throw std::runtime_error("meshoptimizer stream does not decode");
    if (!dequantize) return vertices;
    // Dequantize into per-cluster arrays, as the pack reader did with format 3.
    std::vector<asset::Cluster> clusters(infos.size());
    size_t base = 0, uvBase = 0, indexBase = 0;
    for (size_t k = 0; k < infos.size(); ++k) {
        asset::Cluster& cluster = clusters[k];
        const size_t n = infos[k].vertexCount;
        cluster.positions.resize(n);
        if (infos[k].attributes & pack::kHasNormals) cluster.normals.resize(n);
        for (size_t v = 0; v < n; ++v) {
            const uint8_t* at = raw.data() + (base + v) * 8;
            for (int a = 0; a < 3; ++a) cluster.positions[v][a] = q.positionOrigin[a] + float(at[2 * a] | at[2 * a + 1] << 8) * q.positionStep;
            if (!cluster.normals.empty()) cluster.normals[v] = pack::detail::decodeOctahedral({int8_t(at[6]), int8_t(at[7])}, 8);
        }
        if (infos[k].attributes & pack::kHasTexcoords) {
            cluster.texcoords.resize(n);
            for (size_t v = 0; v < n; ++v) {
                const uint8_t* at = uv.data() + (uvBase + v) * 4;
                for (int a = 0; a < 2; ++a) cluster.texcoords[v][a] = q.texcoordOrigin[a] + float(at[2 * a] | at[2 * a + 1] << 8) * q.texcoordStep[a];
            }
            uvBase += n;
        }
        cluster.indices.resize(size_t{3} * infos[k].triangleCount);
        for (size_t x = 0; x < cluster.indices.size(); ++x) cluster.indices[x] = static_cast<uint8_t>(indices[indexBase + x] - base);
        base += n, indexBase += cluster.indices.size();
    }
    return vertices;
}

std::vector<uint8_t> oursPayload(const Page& page, const pack::detail::Quantization& q, Parts& parts) {
    std::vector<QuantizedCluster> quantized;
    for (size_t c = 0; c < page.clusters.size(); ++c) quantized.push_back(pack::detail::quantizeCluster(page.clusters[c], page.infos[c].attributes, q));
    pack::detail::GeometryStreams streams;
    std::vector<QuantizedCluster> copy = quantized;  // encodeClusters renumbers what it is given
    pack::detail::encodeClusters(copy, q.normalBits, streams);
    using S = pack::detail::GeometryStream;
    auto join = [&](S a, S b) {
        std::vector<uint8_t> out = streams[uint32_t(a)];
        out.insert(out.end(), streams[uint32_t(b)].begin(), streams[uint32_t(b)].end());
        return out;
    };
    std::vector<uint8_t> positionsNormals = join(S::Positions, S::PositionEscapes);
    const std::vector<uint8_t> normals = join(S::Normals, S::NormalEscapes);
    positionsNormals.insert(positionsNormals.end(), normals.begin(), normals.end());
    parts.positionsNormals += zstdBytes(positionsNormals);
    parts.normals += zstdBytes(normals);
    parts.texcoords += zstdBytes(join(S::Texcoords, S::TexcoordEscapes));
    parts.colors += zstdBytes(streams[uint32_t(S::Colors)]);
    parts.indices += zstdBytes(join(S::Triangles, S::VertexRefs));
    pack::detail::ByteWriter out;
    out.raw(page.records);
    out.raw(pack::detail::encodePagePayload(quantized, q.normalBits));
    return std::move(out.bytes());
}

size_t decodedBytes(const std::vector<asset::Cluster>& clusters) {
    size_t bytes = 0;
    for (const asset::Cluster& c : clusters) {
        bytes += c.positions.size() * 12 + c.normals.size() * 12 + c.texcoords.size() * 8 + c.colors.size() * 16 + c.indices.size();
    }
    return bytes;
}

int run(int argc, char** argv) {
    int runs = 3;
    std::vector<std::string> specs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else specs.push_back(arg);
    }
    if (specs.empty()) {
        std::fprintf(stderr, "usage: geometry_bench [--runs N] NAME=PACK[,GLB] ...\n");
        return 2;
    }
    std::printf("| scan | input tris | coder | records | positions+normals | of which normals | texcoords | colours | indices | pages B/tri | whole pack B/tri | vs published GLB | page decode GB/s | coder GB/s |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const std::string& spec : specs) {
        const size_t eq = spec.find('='), comma = spec.find(',');
        const std::string name = spec.substr(0, eq);
        const std::string packPath = spec.substr(eq + 1, comma == std::string::npos ? std::string::npos : comma - eq - 1);
        const std::string glbPath = comma == std::string::npos ? "" : spec.substr(comma + 1);
        auto source = pack::openFile(packPath);
        if (!source) throw std::runtime_error(source.error().message);
        auto reader = pack::PackReader::open(**source, packPath);
        if (!reader) throw std::runtime_error(reader.error().message);
        const pack::detail::Quantization q = pack::detail::quantizationOf(reader->header());
        const double inputTriangles = static_cast<double>(reader->header().inputTriangles);

        std::vector<Page> pages(reader->pages().size());
        Parts ours, peer;
        size_t decoded = 0, stored = 0, quantizedBytes = 0;
        for (uint32_t p = 0; p < pages.size(); ++p) {
            Page& page = pages[p];
            auto clusters = reader->readPage(p, &page.infos);
            if (!clusters) throw std::runtime_error(clusters.error().message);
            page.clusters = std::move(*clusters);
            page.records = pack::detail::encodeClusterRecords(page.infos);
            decoded += decodedBytes(page.clusters);
            for (const asset::Cluster& c : page.clusters) {
                quantizedBytes += c.positions.size() * 6 + c.normals.size() * 2 + c.texcoords.size() * 4 + c.colors.size() * 4 + c.indices.size();
            }
            const size_t records = zstdBytes(page.records);
            ours.records += records, peer.records += records;
            page.ours = zstd(oursPayload(page, q, ours));
            page.peer = zstd(meshoptPayload(page, q, peer));
            ours.total += page.ours.size(), peer.total += page.peer.size();
            stored += reader->pages()[p].compressedBytes;
        }
        // Decode passes, interleaved between the coders: whole pages (zstd, the coder, the float arrays
        // a client gets) and the coder alone (streams to values on the grids).
        std::vector<std::array<std::vector<uint8_t>, 2>> payloads(pages.size());
        for (uint32_t p = 0; p < pages.size(); ++p) {
            for (int coder = 0; coder < 2; ++coder) {
                const std::vector<uint8_t>& compressed = coder == 0 ? pages[p].ours : pages[p].peer;
                std::vector<uint8_t>& payload = payloads[p][coder];
                payload.resize(ZSTD_getFrameContentSize(compressed.data(), compressed.size()));
                ZSTD_decompress(payload.data(), payload.size(), compressed.data(), compressed.size());
            }
        }
        for (int r = 0; r < runs; ++r) {
            for (int coder = 0; coder < 2; ++coder) {
                for (const bool whole : {true, false}) {
                    const auto start = Clock::now();
                    size_t checksum = 0;
                    for (uint32_t p = 0; p < pages.size(); ++p) {
                        const Page& page = pages[p];
                        std::vector<uint8_t> decompressed;
                        if (whole) {
                            const std::vector<uint8_t>& compressed = coder == 0 ? page.ours : page.peer;
                            decompressed.resize(ZSTD_getFrameContentSize(compressed.data(), compressed.size()));
                            ZSTD_decompress(decompressed.data(), decompressed.size(), compressed.data(), compressed.size());
                        }
                        const std::vector<uint8_t>& payload = whole ? decompressed : payloads[p][coder];
                        const std::span<const uint8_t> streams = std::span<const uint8_t>(payload).subspan(page.records.size());
                        if (coder == 1) {
                            checksum += decodeMeshoptPayload(streams, page.infos, q, whole);
                        } else if (whole) {
                            auto out = pack::detail::decodePagePayload(streams, page.infos, q);
                            if (!out) throw std::runtime_error(out.error().message);
                            checksum += out->size();
                        } else {
                            auto out = pack::detail::decodeQuantizedPayload(streams, page.infos, q.normalBits);
                            if (!out) throw std::runtime_error(out.error().message);
                            checksum += out->size();
                        }
                    }
                    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                    Parts& parts = coder == 0 ? ours : peer;
                    double& best = whole ? parts.decodeSeconds : parts.coderSeconds;
                    best = std::min(best, seconds);
                    if (checksum == 0) throw std::runtime_error("nothing decoded");
                }
            }
        }
        const double packBytes = static_cast<double>(fs::file_size(packPath));
        const double glbBytes = glbPath.empty() ? 0.0 : static_cast<double>(fs::file_size(glbPath));
        for (int coder = 0; coder < 2; ++coder) {
            const Parts& parts = coder == 0 ? ours : peer;
            // The pack's other bytes (header, directory, textures) plus this coder's pages.
            const double whole = packBytes - static_cast<double>(stored) + static_cast<double>(parts.total);
            auto perTri = [&](size_t bytes) { return std::format("{:.2f}", static_cast<double>(bytes) / inputTriangles); };
            std::printf("| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %s | %.2f | %.2f |\n", name.c_str(), inputTriangles,
                        coder == 0 ? "this format (v4)" : "meshoptimizer 0.22 + zstd (v3)", perTri(parts.records).c_str(),
                        perTri(parts.positionsNormals).c_str(), coder == 0 ? perTri(parts.normals).c_str() : "interleaved",
                        perTri(parts.texcoords).c_str(), perTri(parts.colors).c_str(),
                        perTri(parts.indices).c_str(), perTri(parts.total).c_str(), whole / inputTriangles,
                        glbBytes > 0 ? std::format("{:.2f}x", whole / glbBytes).c_str() : "-",
                        static_cast<double>(decoded) / parts.decodeSeconds / 1e9,
                        static_cast<double>(quantizedBytes) / parts.coderSeconds / 1e9);
        }
        if (glbBytes > 0) std::printf("| %s | %.0f | published GLB | | | | | | | | %.2f | 1.00x | |\n", name.c_str(), inputTriangles, glbBytes / inputTriangles);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "geometry_bench: %s\n", e.what());
        return 1;
    }
}
