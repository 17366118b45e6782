#include "tools/lod/cluster_lod_builder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <bit>
#include <numeric>
#include <span>
#include <thread>
#include <unordered_map>
#include <utility>

#include <glm/gtc/type_ptr.hpp>
#include <meshoptimizer.h>

#include "tools/lod/cluster_splitter.h"

namespace vt::lod {
namespace {

using asset::Sphere;

// A group counts as simplified when it kept at most this fraction of its triangles; above it the
// level would cost almost as many triangles as it saves, so its clusters wait for a regrouping.
constexpr float kStallRatio = 0.85f;
// UvSeams::CollapseWhenStuck retries on the position topology when preserving seams kept more than
// this fraction of a group's triangles (the target is 0.5).
constexpr float kSeamRetryRatio = 0.65f;
// Safety net against a level loop that keeps making tiny progress.
constexpr uint32_t kMaxLevels = 64;
constexpr uint32_t kNone = ~0u;
// Level 0 of a big mesh is clustered in chunks of this many triangles (in Morton order) so that it
// runs on all threads; each chunk border costs a few partly filled clusters.
constexpr size_t kLevel0ChunkTriangles = 65536;

// One material's merged, welded geometry. Every level indexes these arrays: simplification only
// selects vertices, it never makes new ones.
struct MaterialMesh {
    uint32_t material = 0;
    std::vector<glm::vec3> positions;
    std::vector<glm::vec3> normals;
    std::vector<glm::vec2> texcoords;  // empty when no mesh of the material has them
    std::vector<glm::vec4> colors;     // empty when no mesh of the material has them
    std::vector<uint32_t> indices;
    std::vector<uint32_t> positionOf;  // first vertex with the same position (the "shadow" vertex)
    // Only when hasSeams (they serve simplifying across seams only):
    std::vector<uint32_t> wedgeStart;  // per shadow vertex: its wedges are wedges[wedgeStart[s]..[s+1])
    std::vector<uint32_t> wedges;
    std::vector<uint32_t> chart;      // connected component of the attribute-welded topology
    std::vector<uint8_t> fixedLock;   // per shadow vertex: never moves (material seams, locked boundary)
    bool hasSeams = false;            // some position has more than one wedge
    size_t inputTriangles = 0;
};

// An output cluster while the hierarchy is being built: indices into the MaterialMesh.
struct BuildCluster {
    std::vector<uint32_t> vertices;  // material vertex ids, in first-use order
    std::vector<uint8_t> indices;    // triangle list into `vertices`
    Sphere bounds{0.0f};
    uint32_t level = 0;
    float error = 0.0f;
    Sphere lodBounds{0.0f};
    float parentError = asset::kNoParent;
    Sphere parentBounds{0.0f};
    uint32_t group = kNone;
};

struct BuildGroup {
    uint32_t level = 0;
    std::vector<uint32_t> clusters;
    float error = 0.0f;
    Sphere bounds{0.0f};
};

struct Piece {
    std::vector<uint32_t> vertices;
    std::vector<uint8_t> indices;
    Sphere bounds{0.0f};
};

struct GroupOutcome {
    bool simplified = false;
    float error = 0.0f;
    std::vector<Piece> pieces;
};

// Per worker thread: a global-to-local vertex map (stamped, so it is never cleared) and buffers reused
// across groups, so simplifying a group allocates nothing in the steady state.
struct Scratch {
    std::vector<uint32_t> localOf;
    std::vector<uint32_t> stampOf;
    uint32_t stamp = 0;
    std::vector<uint32_t> localToGlobal;
    std::vector<uint32_t> groupIndices;
    std::vector<uint32_t> localIndices;
    std::vector<uint32_t> simplified;
    std::vector<uint32_t> best;
    std::vector<float> positions;
    std::vector<float> attributes;
    std::vector<uint8_t> locks;
    std::vector<meshopt_Meshlet> meshlets;
    std::vector<unsigned int> meshletVertices;
    std::vector<unsigned char> meshletTriangles;
    ClusterSplitter splitter;

    explicit Scratch(size_t vertexCount) : localOf(vertexCount), stampOf(vertexCount, 0) {}

    void beginLocal() {
        localToGlobal.clear();
        if (++stamp == 0) {  // wrapped: old stamps could alias
            std::fill(stampOf.begin(), stampOf.end(), 0u);
            stamp = 1;
        }
    }
    uint32_t localize(uint32_t global) {
        if (stampOf[global] != stamp) {
            stampOf[global] = stamp;
            localOf[global] = static_cast<uint32_t>(localToGlobal.size());
            localToGlobal.push_back(global);
        }
        return localOf[global];
    }
};

// The smallest sphere this greedy pass finds around `spheres`: grow to include each one in turn, then
// make the radius exact for the final centre so float rounding cannot leave a child sticking out.
Sphere enclosingSphere(std::span<const Sphere> spheres) {
    size_t largest = 0;
    for (size_t i = 1; i < spheres.size(); ++i) {
        if (spheres[i].w > spheres[largest].w) largest = i;
    }
    glm::vec3 centre = glm::vec3(spheres[largest]);
    float radius = spheres[largest].w;
    for (const Sphere& s : spheres) {
        const float distance = glm::length(glm::vec3(s) - centre);
        if (distance + s.w <= radius) continue;
        const float grown = (radius + distance + s.w) * 0.5f;
        if (distance > 0.0f) centre += (glm::vec3(s) - centre) * ((grown - radius) / distance);
        radius = grown;
    }
    for (const Sphere& s : spheres) radius = std::max(radius, glm::length(glm::vec3(s) - centre) + s.w);
    return Sphere(centre, radius);
}

Result<void> validate(const asset::Model& model, const LodOptions& options) {
    if (options.maxTriangles < 4 || options.maxTriangles > asset::kMaxClusterTriangles || options.maxTriangles % 4 != 0)
        return fail("{}: cluster LOD: maxTriangles {} must be a multiple of 4 in [4, {}]", model.source,
                    options.maxTriangles, asset::kMaxClusterTriangles);
    if (options.groupSize < 2) return fail("{}: cluster LOD: groupSize {} must be >= 2", model.source, options.groupSize);
    if (model.triangleCount() == 0) return fail("{}: cluster LOD: the model has no triangles", model.source);
    for (size_t m = 0; m < model.meshes.size(); ++m) {
        const asset::Mesh& mesh = model.meshes[m];
        const size_t n = mesh.positions.size();
        if (mesh.indices.size() % 3 != 0)
            return fail("{}: mesh {} ('{}'): {} indices is not a whole number of triangles", model.source, m, mesh.name,
                        mesh.indices.size());
        if ((!mesh.normals.empty() && mesh.normals.size() != n) || (!mesh.texcoords.empty() && mesh.texcoords.size() != n) ||
            (!mesh.colors.empty() && mesh.colors.size() != n))
            return fail("{}: mesh {} ('{}'): an attribute array does not have one entry per position", model.source, m,
                        mesh.name);
        for (size_t i = 0; i < mesh.indices.size(); ++i) {
            if (mesh.indices[i] >= n)
                return fail("{}: mesh {} ('{}'): index {} at position {} is out of range ({} vertices)", model.source, m,
                            mesh.name, mesh.indices[i], i, n);
        }
        for (size_t i = 0; i < n; ++i) {
            const glm::vec3& p = mesh.positions[i];
            if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
                return fail("{}: mesh {} ('{}'): vertex {} has a non-finite position", model.source, m, mesh.name, i);
        }
    }
    return {};
}

uint32_t findRoot(std::vector<uint32_t>& parent, uint32_t v) {
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

// One attribute of a material's vertices, meshes concatenated: the single mesh's own array when only
// one mesh has triangles and it has the attribute (no copy), else a merged copy in `storage`, with `fill`
// for a mesh without the attribute.
template <class T>
std::span<const T> mergedAttribute(std::span<const asset::Mesh* const> parts, std::vector<T> asset::Mesh::*member, T fill,
                                   std::vector<T>& storage) {
    if (parts.size() == 1 && !(parts[0]->*member).empty()) return parts[0]->*member;
    for (const asset::Mesh* mesh : parts) {
        const std::vector<T>& source = mesh->*member;
        if (source.empty()) storage.resize(storage.size() + mesh->positions.size(), fill);
        else storage.insert(storage.end(), source.begin(), source.end());
    }
    return storage;
}

// Merge the meshes of one material, weld exact duplicates, and derive the shadow (position) topology.
MaterialMesh gatherMaterial(const asset::Model& model, uint32_t material) {
    MaterialMesh out;
    out.material = material;
    bool anyTexcoords = false, anyColors = false;
    std::vector<const asset::Mesh*> parts;  // the material's meshes with triangles
    for (const asset::Mesh& mesh : model.meshes) {
        if (mesh.material != material) continue;
        anyTexcoords |= !mesh.texcoords.empty();
        anyColors |= !mesh.colors.empty();
        if (!mesh.indices.empty()) parts.push_back(&mesh);
    }
    std::vector<glm::vec3> positionStorage, normalStorage;
    std::vector<glm::vec2> texcoordStorage;
    std::vector<glm::vec4> colorStorage;
    std::vector<uint32_t> indexStorage;
    const std::span<const glm::vec3> positions = mergedAttribute(parts, &asset::Mesh::positions, glm::vec3(0.0f), positionStorage);
    const std::span<const glm::vec3> normals =
        mergedAttribute(parts, &asset::Mesh::normals, glm::vec3(0.0f, 0.0f, 1.0f), normalStorage);
    std::span<const glm::vec2> texcoords;
    if (anyTexcoords) texcoords = mergedAttribute(parts, &asset::Mesh::texcoords, glm::vec2(0.0f), texcoordStorage);
    std::span<const glm::vec4> colors;
    if (anyColors) colors = mergedAttribute(parts, &asset::Mesh::colors, glm::vec4(1.0f), colorStorage);
    std::span<const uint32_t> indices = parts.size() == 1 ? std::span<const uint32_t>(parts[0]->indices) : std::span<const uint32_t>();
    if (parts.size() > 1) {
        uint32_t base = 0;
        for (const asset::Mesh* mesh : parts) {
            for (uint32_t index : mesh->indices) indexStorage.push_back(base + index);
            base += static_cast<uint32_t>(mesh->positions.size());
        }
        indices = indexStorage;
    }
    out.inputTriangles = indices.size() / 3;

    // Exact-duplicate weld over every attribute: duplicates are what importers split per face or per
    // primitive, and they would otherwise look like seams to the simplifier.
    std::vector<meshopt_Stream> streams{{positions.data(), sizeof(glm::vec3), sizeof(glm::vec3)},
                                        {normals.data(), sizeof(glm::vec3), sizeof(glm::vec3)}};
    if (anyTexcoords) streams.push_back({texcoords.data(), sizeof(glm::vec2), sizeof(glm::vec2)});
    if (anyColors) streams.push_back({colors.data(), sizeof(glm::vec4), sizeof(glm::vec4)});
    std::vector<uint32_t> remap(positions.size());
    const size_t unique = meshopt_generateVertexRemapMulti(remap.data(), indices.data(), indices.size(), positions.size(),
                                                           streams.data(), streams.size());
    out.indices.resize(indices.size());
    meshopt_remapIndexBuffer(out.indices.data(), indices.data(), indices.size(), remap.data());
    out.positions.resize(unique);
    meshopt_remapVertexBuffer(out.positions.data(), positions.data(), positions.size(), sizeof(glm::vec3), remap.data());
    out.normals.resize(unique);
    meshopt_remapVertexBuffer(out.normals.data(), normals.data(), normals.size(), sizeof(glm::vec3), remap.data());
    if (anyTexcoords) {
        out.texcoords.resize(unique);
        meshopt_remapVertexBuffer(out.texcoords.data(), texcoords.data(), texcoords.size(), sizeof(glm::vec2), remap.data());
    }
    if (anyColors) {
        out.colors.resize(unique);
        meshopt_remapVertexBuffer(out.colors.data(), colors.data(), colors.size(), sizeof(glm::vec4), remap.data());
    }
    std::vector<uint32_t>().swap(remap);  // the merged copies are not needed any more either: lower the peak
    std::vector<glm::vec3>().swap(positionStorage);
    std::vector<glm::vec3>().swap(normalStorage);
    std::vector<glm::vec2>().swap(texcoordStorage);
    std::vector<glm::vec4>().swap(colorStorage);
    std::vector<uint32_t>().swap(indexStorage);

    // Shadow vertex = first vertex with the same position; identity indices make the shadow index
    // buffer exactly that per-vertex map.
    // (padded to whole triangles with the last vertex: meshoptimizer asserts on a partial one).
    const size_t padded = (unique + 2) / 3 * 3;
    std::vector<uint32_t> identity(padded, static_cast<uint32_t>(unique - 1));
    std::iota(identity.begin(), identity.begin() + static_cast<ptrdiff_t>(unique), 0u);
    out.positionOf.resize(padded);
    meshopt_generateShadowIndexBuffer(out.positionOf.data(), identity.data(), padded, out.positions.data(), unique,
                                      sizeof(glm::vec3), sizeof(glm::vec3));
    out.positionOf.resize(unique);

    out.fixedLock.assign(unique, 0);
    for (uint32_t v = 0; v < unique && !out.hasSeams; ++v) out.hasSeams = out.positionOf[v] != v;
    if (!out.hasSeams) return out;  // wedges and charts only serve simplifying across seams

    // Wedges of each shadow vertex, ascending (the shadow vertex itself first).
    out.wedgeStart.assign(unique + 1, 0);
    for (uint32_t v = 0; v < unique; ++v) out.wedgeStart[out.positionOf[v] + 1]++;
    for (size_t s = 0; s < unique; ++s) out.wedgeStart[s + 1] += out.wedgeStart[s];
    out.wedges.resize(unique);
    {
        std::vector<uint32_t> fill(out.wedgeStart.begin(), out.wedgeStart.end() - 1);
        for (uint32_t v = 0; v < unique; ++v) out.wedges[fill[out.positionOf[v]]++] = v;
    }

    // Charts: union-find over triangles, the smaller id always the root, so ids do not depend on order.
    out.chart.resize(unique);
    std::iota(out.chart.begin(), out.chart.end(), 0u);
    for (size_t i = 0; i < out.indices.size(); i += 3) {
        for (int k = 1; k < 3; ++k) {
            const uint32_t a = findRoot(out.chart, out.indices[i]);
            const uint32_t b = findRoot(out.chart, out.indices[i + k]);
            if (a != b) out.chart[std::max(a, b)] = std::min(a, b);
        }
    }
    for (uint32_t v = 0; v < unique; ++v) out.chart[v] = findRoot(out.chart, v);
    return out;
}

// Lock, per shadow vertex, positions that other materials also use (each material's hierarchy is
// built alone, so only unmoved shared vertices keep the materials stitched) and, if asked, open
// boundaries of the shadow topology.
void lockFixedVertices(std::vector<MaterialMesh>& meshes, bool lockMeshBoundary) {
    struct PositionKey {
        std::array<uint32_t, 3> bits;
        bool operator==(const PositionKey&) const = default;
    };
    struct PositionHash {
        size_t operator()(const PositionKey& k) const {
            return (size_t{k.bits[0]} * 73856093u) ^ (size_t{k.bits[1]} * 19349663u) ^ (size_t{k.bits[2]} * 83492791u);
        }
    };
    auto keyOf = [](const glm::vec3& p) {
        PositionKey key;
        std::memcpy(key.bits.data(), &p, sizeof(p));
        return key;
    };
    if (meshes.size() > 1) {
        std::unordered_map<PositionKey, uint32_t, PositionHash> firstMaterial;  // kNone once shared
        for (uint32_t m = 0; m < meshes.size(); ++m) {
            for (uint32_t v = 0; v < meshes[m].positions.size(); ++v) {
                if (meshes[m].positionOf[v] != v) continue;
                auto [it, inserted] = firstMaterial.try_emplace(keyOf(meshes[m].positions[v]), m);
                if (!inserted && it->second != m) it->second = kNone;
            }
        }
        for (MaterialMesh& mesh : meshes) {
            for (uint32_t v = 0; v < mesh.positions.size(); ++v) {
                if (mesh.positionOf[v] == v && firstMaterial[keyOf(mesh.positions[v])] == kNone) mesh.fixedLock[v] = 1;
            }
        }
    }
    if (lockMeshBoundary) {
        for (MaterialMesh& mesh : meshes) {
            // An edge used by exactly one triangle (by position) is open.
            std::vector<std::pair<uint64_t, uint32_t>> edges;
            edges.reserve(mesh.indices.size());
            for (size_t i = 0; i < mesh.indices.size(); i += 3) {
                for (int k = 0; k < 3; ++k) {
                    const uint32_t a = mesh.positionOf[mesh.indices[i + k]];
                    const uint32_t b = mesh.positionOf[mesh.indices[i + (k + 1) % 3]];
                    if (a == b) continue;
                    edges.emplace_back((uint64_t{std::min(a, b)} << 32) | std::max(a, b), 0);
                }
            }
            std::sort(edges.begin(), edges.end());
            for (size_t i = 0; i < edges.size();) {
                size_t j = i;
                while (j < edges.size() && edges[j].first == edges[i].first) ++j;
                if (j - i == 1) {
                    mesh.fixedLock[edges[i].first >> 32] = 1;
                    mesh.fixedLock[edges[i].first & 0xffffffffu] = 1;
                }
                i = j;
            }
        }
    }
}

// Split a triangle list (material vertex ids) into clusters: meshoptimizer's spatially greedy meshlet
// builder with cone weight 0 (we never cone-cull, so only compactness matters), as ClusterSplitter
// reproduces it.
void splitIntoClusters(const MaterialMesh& mesh, std::span<const uint32_t> indices, uint32_t maxTriangles, Scratch& s,
                       std::vector<Piece>& out) {
    s.beginLocal();
    s.localIndices.resize(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) s.localIndices[i] = s.localize(indices[i]);
    const size_t localCount = s.localToGlobal.size();
    s.positions.resize(localCount * 3);
    for (size_t i = 0; i < localCount; ++i) std::memcpy(&s.positions[i * 3], &mesh.positions[s.localToGlobal[i]], 12);

    const size_t bound = meshopt_buildMeshletsBound(indices.size(), asset::kMaxClusterVertices, maxTriangles);
    s.meshlets.resize(bound);
    s.meshletVertices.resize(bound * asset::kMaxClusterVertices);
    s.meshletTriangles.resize(bound * maxTriangles * 3);
    const size_t count = s.splitter.split(s.meshlets.data(), s.meshletVertices.data(), s.meshletTriangles.data(), s.localIndices,
                                          s.positions.data(), localCount, asset::kMaxClusterVertices, maxTriangles);
    for (size_t m = 0; m < count; ++m) {
        const meshopt_Meshlet& meshlet = s.meshlets[m];
        unsigned int* vertices = &s.meshletVertices[meshlet.vertex_offset];
        unsigned char* triangles = &s.meshletTriangles[meshlet.triangle_offset];
        // Vertex and triangle order by locality: the rasterizer's cache, and better pack compression.
        meshopt_optimizeMeshlet(vertices, triangles, meshlet.triangle_count, meshlet.vertex_count);
        const meshopt_Bounds b = meshopt_computeMeshletBounds(vertices, triangles, meshlet.triangle_count,
                                                              s.positions.data(), localCount, sizeof(float) * 3);
        Piece piece;
        // meshoptimizer's sphere can miss a vertex by rounding; make the radius exact for its centre.
        const glm::vec3 centre(b.center[0], b.center[1], b.center[2]);
        float radius = b.radius;
        for (size_t v = 0; v < meshlet.vertex_count; ++v)
            radius = std::max(radius, glm::length(glm::make_vec3(&s.positions[size_t{vertices[v]} * 3]) - centre));
        piece.bounds = Sphere(centre, radius);
        // Vertices in first-use order of the optimized triangles (the order the pack stores them in).
        std::array<uint8_t, 256> firstUse;
        firstUse.fill(0xff);
        piece.indices.resize(size_t{meshlet.triangle_count} * 3);
        piece.vertices.reserve(meshlet.vertex_count);
        for (size_t i = 0; i < piece.indices.size(); ++i) {
            uint8_t& slot = firstUse[triangles[i]];
            if (slot == 0xff) {
                slot = static_cast<uint8_t>(piece.vertices.size());
                piece.vertices.push_back(s.localToGlobal[vertices[triangles[i]]]);
            }
            piece.indices[i] = slot;
        }
        out.push_back(std::move(piece));
    }
}

// Give each corner of a triangle simplified on the shadow topology one of its position's wedges: those
// of the chart most corners share (lowest chart id on ties), else the position's first wedge.
void reattachWedges(const MaterialMesh& mesh, std::span<uint32_t> indices) {
    for (size_t i = 0; i < indices.size(); i += 3) {
        uint32_t bestChart = kNone, bestCount = 0;
        for (int k = 0; k < 3; ++k) {
            const uint32_t s = indices[i + k];
            for (uint32_t w = mesh.wedgeStart[s]; w < mesh.wedgeStart[s + 1]; ++w) {
                const uint32_t chart = mesh.chart[mesh.wedges[w]];
                uint32_t corners = 0;
                for (int j = 0; j < 3; ++j) {
                    const uint32_t t = indices[i + j];
                    for (uint32_t x = mesh.wedgeStart[t]; x < mesh.wedgeStart[t + 1]; ++x) {
                        if (mesh.chart[mesh.wedges[x]] == chart) {
                            ++corners;
                            break;
                        }
                    }
                }
                if (corners > bestCount || (corners == bestCount && chart < bestChart)) {
                    bestCount = corners;
                    bestChart = chart;
                }
            }
        }
        for (int k = 0; k < 3; ++k) {
            const uint32_t s = indices[i + k];
            uint32_t chosen = mesh.wedges[mesh.wedgeStart[s]];
            for (uint32_t w = mesh.wedgeStart[s]; w < mesh.wedgeStart[s + 1]; ++w) {
                if (mesh.chart[mesh.wedges[w]] == bestChart) {
                    chosen = mesh.wedges[w];
                    break;
                }
            }
            indices[i + k] = chosen;
        }
    }
}

// Simplify `s.groupIndices` (material vertex ids) to about half. With onShadow the triangles are first
// moved onto shadow vertices, so UV seams are invisible to the simplifier. Result in s.simplified.
size_t simplifyOnce(const MaterialMesh& mesh, const std::vector<uint8_t>& lock, const LodOptions& options, bool onShadow,
                    Scratch& s, float& error) {
    s.beginLocal();
    s.localIndices.resize(s.groupIndices.size());
    for (size_t i = 0; i < s.groupIndices.size(); ++i) {
        const uint32_t v = s.groupIndices[i];
        s.localIndices[i] = s.localize(onShadow ? mesh.positionOf[v] : v);
    }
    const size_t localCount = s.localToGlobal.size();
    const bool uv = !onShadow && !mesh.texcoords.empty() && options.attributeWeightUv > 0.0f;
    const bool color = !mesh.colors.empty() && options.attributeWeightColor > 0.0f;
    std::array<float, 9> weights{};
    size_t attributeCount = 0;
    for (int k = 0; k < 3; ++k) weights[attributeCount++] = options.attributeWeightNormal;
    if (uv)
        for (int k = 0; k < 2; ++k) weights[attributeCount++] = options.attributeWeightUv;
    if (color)
        for (int k = 0; k < 4; ++k) weights[attributeCount++] = options.attributeWeightColor;

    s.positions.resize(localCount * 3);
    s.attributes.resize(localCount * attributeCount);
    s.locks.resize(localCount);
    for (size_t i = 0; i < localCount; ++i) {
        const uint32_t v = s.localToGlobal[i];
        std::memcpy(&s.positions[i * 3], &mesh.positions[v], 12);
        float* a = &s.attributes[i * attributeCount];
        std::memcpy(a, &mesh.normals[v], 12);
        a += 3;
        if (uv) {
            std::memcpy(a, &mesh.texcoords[v], 8);
            a += 2;
        }
        if (color) std::memcpy(a, &mesh.colors[v], 16);
        s.locks[i] = lock[mesh.positionOf[v]];
    }
    const size_t target = s.groupIndices.size() / 6 * 3;
    s.simplified.resize(s.localIndices.size());
    error = 0.0f;
    const size_t count = meshopt_simplifyWithAttributes(
        s.simplified.data(), s.localIndices.data(), s.localIndices.size(), s.positions.data(), localCount, sizeof(float) * 3,
        s.attributes.data(), sizeof(float) * attributeCount, weights.data(), attributeCount, s.locks.data(), target, FLT_MAX,
        meshopt_SimplifyErrorAbsolute, &error);
    s.simplified.resize(count);
    for (uint32_t& index : s.simplified) index = s.localToGlobal[index];
    if (onShadow) reattachWedges(mesh, s.simplified);
    return count;
}

GroupOutcome simplifyGroup(const MaterialMesh& mesh, const std::vector<BuildCluster>& clusters,
                           std::span<const uint32_t> members, const std::vector<uint8_t>& lock, const LodOptions& options,
                           Scratch& s) {
    s.groupIndices.clear();
    for (uint32_t c : members)
        for (uint8_t index : clusters[c].indices) s.groupIndices.push_back(clusters[c].vertices[index]);
    const size_t triangles = s.groupIndices.size() / 3;

    GroupOutcome outcome;
    const bool preserveFirst = options.uvSeams != UvSeams::Collapse || !mesh.hasSeams;
    size_t count = simplifyOnce(mesh, lock, options, /*onShadow=*/!preserveFirst, s, outcome.error);
    const bool retry = preserveFirst && mesh.hasSeams && options.uvSeams == UvSeams::CollapseWhenStuck &&
                       static_cast<float>(count / 3) > kSeamRetryRatio * static_cast<float>(triangles);
    if (retry) {
        s.best.swap(s.simplified);
        float collapsedError = 0.0f;
        const size_t collapsed = simplifyOnce(mesh, lock, options, /*onShadow=*/true, s, collapsedError);
        if (collapsed < count) {
            count = collapsed;
            outcome.error = collapsedError;
        } else {
            s.simplified.swap(s.best);
        }
    }
    outcome.simplified = count > 0 && static_cast<float>(count / 3) <= kStallRatio * static_cast<float>(triangles);
    if (outcome.simplified) {
        splitIntoClusters(mesh, s.simplified, options.maxTriangles, s, outcome.pieces);  // leaves s.simplified alone
    }
    return outcome;
}

// Stable LSD radix sort of `keys` by their bits [shift, shift + bits), 11 bits a pass.
void radixSort(std::vector<uint64_t>& keys, uint32_t shift, uint32_t bits) {
    if (keys.size() < 2 || bits == 0) return;
    if (keys.size() < 4096) {
        const uint64_t mask = bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1) << shift;
        std::stable_sort(keys.begin(), keys.end(), [mask](uint64_t a, uint64_t b) { return (a & mask) < (b & mask); });
        return;
    }
    constexpr uint32_t kDigit = 11;
    std::vector<uint64_t> temp(keys.size());
    std::vector<size_t> count(size_t{1} << kDigit);
    for (uint32_t done = 0; done < bits; done += kDigit) {
        const uint32_t at = shift + done;
        const uint64_t mask = (uint64_t{1} << std::min(kDigit, bits - done)) - 1;
        std::fill(count.begin(), count.end(), 0);
        for (uint64_t k : keys) count[(k >> at) & mask]++;
        size_t sum = 0;
        for (size_t& c : count) sum += std::exchange(c, sum);
        for (uint64_t k : keys) temp[count[(k >> at) & mask]++] = k;
        keys.swap(temp);
    }
}

uint32_t spreadBits(uint32_t v) {
    v &= 0x3ffu;
    v = (v | (v << 16)) & 0x030000ffu;
    v = (v | (v << 8)) & 0x0300f00fu;
    v = (v | (v << 4)) & 0x030c30c3u;
    v = (v | (v << 2)) & 0x09249249u;
    return v;
}

// q in [0, 1023]^3.
uint32_t mortonCode(const glm::vec3& q) {
    return spreadBits(static_cast<uint32_t>(q.x)) | (spreadBits(static_cast<uint32_t>(q.y)) << 1) |
           (spreadBits(static_cast<uint32_t>(q.z)) << 2);
}

// Gather the working clusters into groups of about groupSize neighbours: seeds in Morton order, each
// group grown by the cluster sharing the most vertices (by position) with it, then groups left under
// half size merged into their best-connected neighbour group. Returns cluster ids per group.
std::vector<std::vector<uint32_t>> partition(const MaterialMesh& mesh, const std::vector<BuildCluster>& clusters,
                                             const std::vector<uint32_t>& working, uint32_t groupSize,
                                             std::vector<uint32_t>& mark) {
    const auto n = static_cast<uint32_t>(working.size());
    const uint32_t slotBits = std::max(1u, static_cast<uint32_t>(std::bit_width(n)));
    // (shadow vertex << slotBits | working slot) for each distinct position of each cluster, sorted: in
    // slot order, then stably by shadow vertex. `mark` (all kNone between calls) dedupes positions.
    std::vector<uint64_t> uses;
    for (uint32_t i = 0; i < n; ++i) {
        for (uint32_t v : clusters[working[i]].vertices) {
            const uint32_t s = mesh.positionOf[v];
            if (mark[s] == i) continue;
            mark[s] = i;
            uses.push_back((uint64_t{s} << slotBits) | i);
        }
    }
    for (uint64_t use : uses) mark[use >> slotBits] = kNone;
    radixSort(uses, slotBits, std::bit_width(mesh.positions.size()));
    const uint64_t slotMask = (uint64_t{1} << slotBits) - 1;
    std::vector<uint64_t> pairs;  // (a << slotBits | b), a < b, once per shared position
    for (size_t i = 0; i < uses.size();) {
        size_t j = i;
        while (j < uses.size() && (uses[j] >> slotBits) == (uses[i] >> slotBits)) ++j;
        for (size_t a = i; a < j; ++a)
            for (size_t b = a + 1; b < j; ++b) pairs.push_back(((uses[a] & slotMask) << slotBits) | (uses[b] & slotMask));
        i = j;
    }
    std::vector<uint64_t>().swap(uses);
    radixSort(pairs, 0, 2 * slotBits);
    // Symmetric adjacency in CSR form, weight = shared positions; each list ascending by neighbour: the
    // lower neighbours (from pairs (b, a), visited in ascending b) first, then the higher ones.
    std::vector<std::array<uint32_t, 3>> counted;  // (a, b, weight), a < b, ascending
    std::vector<uint32_t> adjacencyStart(n + 1, 0);
    for (size_t i = 0; i < pairs.size();) {
        size_t j = i;
        while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
        const auto a = static_cast<uint32_t>(pairs[i] >> slotBits), b = static_cast<uint32_t>(pairs[i] & slotMask);
        counted.push_back({a, b, static_cast<uint32_t>(j - i)});
        adjacencyStart[a + 1]++;
        adjacencyStart[b + 1]++;
        i = j;
    }
    std::vector<uint64_t>().swap(pairs);
    for (uint32_t i = 0; i < n; ++i) adjacencyStart[i + 1] += adjacencyStart[i];
    std::vector<std::array<uint32_t, 3>> edges(adjacencyStart[n]);  // (a, b, weight) both directions
    {
        std::vector<uint32_t> fill(adjacencyStart.begin(), adjacencyStart.end() - 1);
        for (const auto& [a, b, w] : counted) edges[fill[b]++] = {b, a, w};
        for (const auto& [a, b, w] : counted) edges[fill[a]++] = {a, b, w};
    }

    // Morton order of cluster centres within the working set's box.
    glm::vec3 lo(FLT_MAX), hi(-FLT_MAX);
    for (uint32_t c : working) {
        lo = glm::min(lo, glm::vec3(clusters[c].bounds));
        hi = glm::max(hi, glm::vec3(clusters[c].bounds));
    }
    const glm::vec3 scale = 1023.0f / glm::max(hi - lo, glm::vec3(1e-30f));
    std::vector<std::pair<uint32_t, uint32_t>> order(n);
    for (uint32_t i = 0; i < n; ++i)
        order[i] = {mortonCode(glm::clamp((glm::vec3(clusters[working[i]].bounds) - lo) * scale, glm::vec3(0.0f), glm::vec3(1023.0f))), i};
    std::sort(order.begin(), order.end());

    std::vector<uint32_t> groupOf(n, kNone);
    std::vector<std::vector<uint32_t>> groups;  // working slots
    std::vector<std::pair<uint32_t, uint32_t>> candidates;  // (slot, shared vertices with the group)
    for (const auto& [code, seed] : order) {
        if (groupOf[seed] != kNone) continue;
        const auto g = static_cast<uint32_t>(groups.size());
        groups.push_back({seed});
        groupOf[seed] = g;
        candidates.clear();
        uint32_t last = seed;
        while (groups[g].size() < groupSize) {
            for (uint32_t e = adjacencyStart[last]; e < adjacencyStart[last + 1]; ++e) {
                const uint32_t other = edges[e][1];
                if (groupOf[other] != kNone) continue;
                auto it = std::find_if(candidates.begin(), candidates.end(), [&](const auto& c) { return c.first == other; });
                if (it == candidates.end()) candidates.emplace_back(other, edges[e][2]);
                else it->second += edges[e][2];
            }
            size_t best = candidates.size();
            for (size_t c = 0; c < candidates.size(); ++c) {
                if (groupOf[candidates[c].first] != kNone) continue;
                if (best == candidates.size() || candidates[c].second > candidates[best].second ||
                    (candidates[c].second == candidates[best].second && candidates[c].first < candidates[best].first))
                    best = c;
            }
            if (best == candidates.size()) break;
            last = candidates[best].first;
            groupOf[last] = g;
            groups[g].push_back(last);
        }
    }

    // Fragments left where growth ran out of free neighbours simplify badly alone (mostly locked border).
    const uint32_t maxMerged = groupSize + groupSize / 2;
    for (uint32_t g = 0; g < groups.size(); ++g) {
        if (groups[g].empty() || groups[g].size() * 2 >= groupSize) continue;
        std::vector<std::pair<uint32_t, uint32_t>> shared;  // (group, weight)
        for (uint32_t slot : groups[g]) {
            for (uint32_t e = adjacencyStart[slot]; e < adjacencyStart[slot + 1]; ++e) {
                const uint32_t other = groupOf[edges[e][1]];
                if (other == g) continue;
                auto it = std::find_if(shared.begin(), shared.end(), [&](const auto& c) { return c.first == other; });
                if (it == shared.end()) shared.emplace_back(other, edges[e][2]);
                else it->second += edges[e][2];
            }
        }
        uint32_t target = kNone, targetWeight = 0;
        for (const auto& [other, weight] : shared) {
            if (groups[other].size() + groups[g].size() > maxMerged) continue;
            if (weight > targetWeight || (weight == targetWeight && other < target)) {
                target = other;
                targetWeight = weight;
            }
        }
        if (target == kNone) continue;
        for (uint32_t slot : groups[g]) groupOf[slot] = target;
        groups[target].insert(groups[target].end(), groups[g].begin(), groups[g].end());
        groups[g].clear();
    }

    std::vector<std::vector<uint32_t>> result;
    for (auto& group : groups) {
        if (group.empty()) continue;
        std::sort(group.begin(), group.end());  // slot order = working order: independent of growth order
        std::vector<uint32_t> ids;
        for (uint32_t slot : group) ids.push_back(working[slot]);
        result.push_back(std::move(ids));
    }
    return result;
}

// Runs fn(i) for i in [0, count) on up to `threads` threads; results go to caller-owned slots by index,
// so the output never depends on scheduling.
template <class Fn>
void parallelFor(size_t count, uint32_t threads, Fn&& fn) {
    const size_t workers = std::min<size_t>(threads, count);
    if (workers <= 1) {
        for (size_t i = 0; i < count; ++i) fn(i, 0);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
            for (size_t i = next++; i < count; i = next++) fn(i, w);
        });
    }
    for (std::thread& t : pool) t.join();
}

struct MaterialHierarchy {
    std::vector<BuildCluster> clusters;
    std::vector<BuildGroup> groups;
};

// Consumes mesh.indices (level 0 is built from them, then they are freed).
MaterialHierarchy buildMaterial(MaterialMesh& mesh, const LodOptions& options, uint32_t threads,
                                const std::function<void(float)>& progress) {
    MaterialHierarchy h;
    std::vector<Scratch> scratch;
    for (uint32_t t = 0; t < std::max(threads, 1u); ++t) scratch.emplace_back(mesh.positions.size());

    // Level 0 in fixed chunks of Morton-ordered triangles, split in parallel: chunks depend on the mesh
    // only, never on the thread count, so the output stays the same for any number of threads.
    std::vector<uint32_t> chunked;
    std::vector<size_t> chunkStart{0};
    if (mesh.inputTriangles <= kLevel0ChunkTriangles) {
        chunked = std::move(mesh.indices);
    } else {
        glm::vec3 lo(FLT_MAX), hi(-FLT_MAX);
        for (const glm::vec3& p : mesh.positions) {
            lo = glm::min(lo, p);
            hi = glm::max(hi, p);
        }
        const glm::vec3 scale = 1023.0f / glm::max(hi - lo, glm::vec3(1e-30f));
        std::vector<uint64_t> order(mesh.inputTriangles);  // (Morton code << 32 | triangle), by code then triangle
        for (uint32_t t = 0; t < mesh.inputTriangles; ++t) {
            const glm::vec3 centroid = (mesh.positions[mesh.indices[t * 3]] + mesh.positions[mesh.indices[t * 3 + 1]] +
                                        mesh.positions[mesh.indices[t * 3 + 2]]) / 3.0f;
            order[t] = (uint64_t{mortonCode(glm::clamp((centroid - lo) * scale, glm::vec3(0.0f), glm::vec3(1023.0f)))} << 32) | t;
        }
        radixSort(order, 32, 30);
        chunked.resize(mesh.indices.size());
        for (size_t i = 0; i < order.size(); ++i) {
            const auto t = static_cast<uint32_t>(order[i]);
            std::memcpy(&chunked[i * 3], &mesh.indices[size_t{t} * 3], 3 * sizeof(uint32_t));
        }
        std::vector<uint32_t>().swap(mesh.indices);
    }
    for (size_t t = kLevel0ChunkTriangles; t < mesh.inputTriangles; t += kLevel0ChunkTriangles) chunkStart.push_back(t * 3);
    chunkStart.push_back(chunked.size());
    std::vector<std::vector<Piece>> chunkPieces(chunkStart.size() - 1);
    parallelFor(chunkPieces.size(), threads, [&](size_t c, size_t worker) {
        splitIntoClusters(mesh, std::span(chunked).subspan(chunkStart[c], chunkStart[c + 1] - chunkStart[c]),
                          options.maxTriangles, scratch[worker], chunkPieces[c]);
    });
    std::vector<uint32_t>().swap(chunked);
    std::vector<uint32_t> working;
    for (auto& chunk : chunkPieces) {
        for (Piece& piece : chunk) {
            working.push_back(static_cast<uint32_t>(h.clusters.size()));
            BuildCluster& cluster = h.clusters.emplace_back();
            cluster.vertices = std::move(piece.vertices);
            cluster.indices = std::move(piece.indices);
            cluster.bounds = piece.bounds;
            cluster.lodBounds = piece.bounds;
        }
        std::vector<Piece>().swap(chunk);
    }

    std::vector<uint8_t> lock(mesh.positions.size());
    std::vector<uint32_t> owner(mesh.positions.size());
    std::vector<uint32_t> mark(mesh.positions.size(), kNone);
    for (uint32_t level = 0; working.size() > 1 && level < kMaxLevels; ++level) {
        const std::vector<std::vector<uint32_t>> groups = partition(mesh, h.clusters, working, options.groupSize, mark);

        // A vertex used by two groups is on both borders: it must not move, or the groups' replacements
        // would not meet each other (or the unreplaced neighbours) any more.
        lock = mesh.fixedLock;
        std::fill(owner.begin(), owner.end(), kNone);
        for (uint32_t g = 0; g < groups.size(); ++g) {
            for (uint32_t c : groups[g]) {
                for (uint32_t v : h.clusters[c].vertices) {
                    const uint32_t s = mesh.positionOf[v];
                    if (owner[s] == kNone) owner[s] = g;
                    else if (owner[s] != g) lock[s] = 1;
                }
            }
        }

        std::vector<GroupOutcome> outcomes(groups.size());
        parallelFor(groups.size(), threads, [&](size_t g, size_t worker) {
            outcomes[g] = simplifyGroup(mesh, h.clusters, groups[g], lock, options, scratch[worker]);
        });

        std::vector<uint32_t> next;
        bool anySimplified = false;
        size_t workingTriangles = 0;
        for (size_t g = 0; g < groups.size(); ++g) {
            GroupOutcome& outcome = outcomes[g];
            if (!outcome.simplified) {
                next.insert(next.end(), groups[g].begin(), groups[g].end());
                for (uint32_t c : groups[g]) workingTriangles += h.clusters[c].indices.size() / 3;
                continue;
            }
            anySimplified = true;
            const auto groupIndex = static_cast<uint32_t>(h.groups.size());
            BuildGroup& group = h.groups.emplace_back();
            group.clusters = groups[g];
            std::vector<Sphere> childBounds;
            group.error = outcome.error;
            for (uint32_t c : groups[g]) {
                group.level = std::max(group.level, h.clusters[c].level);
                group.error = std::max(group.error, h.clusters[c].error);  // monotonic up the hierarchy
                childBounds.push_back(h.clusters[c].lodBounds);
            }
            group.bounds = enclosingSphere(childBounds);
            for (uint32_t c : groups[g]) {
                h.clusters[c].parentError = group.error;
                h.clusters[c].parentBounds = group.bounds;
                h.clusters[c].group = groupIndex;
            }
            const float groupError = group.error;
            const Sphere groupBounds = group.bounds;
            for (Piece& piece : outcome.pieces) {
                next.push_back(static_cast<uint32_t>(h.clusters.size()));
                workingTriangles += piece.indices.size() / 3;
                BuildCluster& cluster = h.clusters.emplace_back();
                cluster.vertices = std::move(piece.vertices);
        cluster.indices = std::move(piece.indices);
                cluster.bounds = piece.bounds;
                cluster.level = level + 1;
                cluster.error = groupError;
                cluster.lodBounds = groupBounds;
            }
        }
        if (!anySimplified) break;
        working = std::move(next);
        if (progress)
            progress(1.0f - static_cast<float>(workingTriangles) / static_cast<float>(std::max<size_t>(mesh.inputTriangles, 1)));
    }

    // The root: whatever is left is never replaced.
    const auto rootIndex = static_cast<uint32_t>(h.groups.size());
    BuildGroup& root = h.groups.emplace_back();
    root.clusters = working;
    root.error = asset::kNoParent;
    std::vector<Sphere> childBounds;
    for (uint32_t c : working) {
        root.level = std::max(root.level, h.clusters[c].level);
        childBounds.push_back(h.clusters[c].lodBounds);
    }
    root.bounds = enclosingSphere(childBounds);
    for (uint32_t c : working) {
        h.clusters[c].parentError = asset::kNoParent;
        h.clusters[c].parentBounds = root.bounds;
        h.clusters[c].group = rootIndex;
    }
    return h;
}

asset::Cluster toCluster(const MaterialMesh& mesh, const BuildCluster& in) {
    asset::Cluster out;
    out.material = mesh.material;
    out.bounds = in.bounds;
    out.level = in.level;
    out.error = in.error;
    out.lodBounds = in.lodBounds;
    out.parentError = in.parentError;
    out.parentBounds = in.parentBounds;
    out.indices = in.indices;
    const size_t n = in.vertices.size();
    out.positions.resize(n);
    out.normals.resize(n);
    if (!mesh.texcoords.empty()) out.texcoords.resize(n);
    if (!mesh.colors.empty()) out.colors.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const uint32_t v = in.vertices[i];
        out.positions[i] = mesh.positions[v];
        out.normals[i] = mesh.normals[v];
        if (!mesh.texcoords.empty()) out.texcoords[i] = mesh.texcoords[v];
        if (!mesh.colors.empty()) out.colors[i] = mesh.colors[v];
    }
    return out;
}

// `consumed` is null or `model` itself: then each mesh's arrays are freed as soon as its material is merged.
Result<asset::ClusterHierarchy> build(const asset::Model& model, asset::Model* consumed, const LodOptions& options) {
    if (Result<void> valid = validate(model, options); !valid) return std::unexpected(valid.error());
    const uint32_t threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const size_t total = model.triangleCount();
    const Bounds bounds = model.bounds();

    uint32_t materialCount = 0;
    for (const asset::Mesh& mesh : model.meshes) {
        if (!mesh.indices.empty()) materialCount = std::max(materialCount, mesh.material + 1);
    }
    std::vector<MaterialMesh> meshes;
    for (uint32_t m = 0; m < materialCount; ++m) {
        MaterialMesh mesh = gatherMaterial(model, m);
        if (mesh.inputTriangles > 0) meshes.push_back(std::move(mesh));
        if (consumed) {
            for (asset::Mesh& merged : consumed->meshes) {
                if (merged.material == m) merged = asset::Mesh{.name = std::move(merged.name), .material = m};  // geometry freed, the rest kept
            }
        }
    }
    lockFixedVertices(meshes, options.lockMeshBoundary);

    size_t done = 0;
    std::vector<MaterialHierarchy> built;
    for (MaterialMesh& mesh : meshes) {
        std::function<void(float)> materialProgress;
        if (options.progress) {
            materialProgress = [&](float f) {
                options.progress(std::clamp((static_cast<float>(done) + f * static_cast<float>(mesh.inputTriangles)) /
                                                static_cast<float>(total),
                                            0.0f, 1.0f));
            };
        }
        built.push_back(buildMaterial(mesh, options, threads, materialProgress));
        done += mesh.inputTriangles;
        // The clusters only need the vertex attributes from here on.
        for (auto* topology : {&mesh.positionOf, &mesh.wedgeStart, &mesh.wedges, &mesh.chart}) std::vector<uint32_t>().swap(*topology);
        std::vector<uint8_t>().swap(mesh.fixedLock);
    }

    // Interleave the materials' clusters by level (stable, so each material keeps its own order) and
    // renumber the groups the same way.
    asset::ClusterHierarchy out;
    out.inputTriangles = total;
    struct Ref {
        uint32_t level, material, index;
    };
    std::vector<Ref> clusterOrder, groupOrder;
    for (uint32_t m = 0; m < built.size(); ++m) {
        for (uint32_t i = 0; i < built[m].clusters.size(); ++i) clusterOrder.push_back({built[m].clusters[i].level, m, i});
        for (uint32_t i = 0; i < built[m].groups.size(); ++i) groupOrder.push_back({built[m].groups[i].level, m, i});
    }
    auto byLevel = [](const Ref& a, const Ref& b) { return a.level < b.level; };
    std::stable_sort(clusterOrder.begin(), clusterOrder.end(), byLevel);
    std::stable_sort(groupOrder.begin(), groupOrder.end(), byLevel);
    std::vector<std::vector<uint32_t>> clusterIndex(built.size()), groupIndex(built.size());
    for (uint32_t m = 0; m < built.size(); ++m) {
        clusterIndex[m].resize(built[m].clusters.size());
        groupIndex[m].resize(built[m].groups.size());
    }
    for (uint32_t i = 0; i < clusterOrder.size(); ++i) clusterIndex[clusterOrder[i].material][clusterOrder[i].index] = i;
    for (uint32_t i = 0; i < groupOrder.size(); ++i) groupIndex[groupOrder[i].material][groupOrder[i].index] = i;

    out.clusters.resize(clusterOrder.size());
    parallelFor(clusterOrder.size(), threads, [&](size_t i, size_t) {
        const Ref& ref = clusterOrder[i];
        BuildCluster& in = built[ref.material].clusters[ref.index];
        out.clusters[i] = toCluster(meshes[ref.material], in);
        out.clusters[i].group = groupIndex[ref.material][in.group];
        std::vector<uint32_t>().swap(in.vertices);  // release as we go: the output replaces it
        std::vector<uint8_t>().swap(in.indices);
    });
    for (const asset::Cluster& cluster : out.clusters) out.levelCount = std::max(out.levelCount, cluster.level + 1);
    for (const Ref& ref : groupOrder) {
        const BuildGroup& in = built[ref.material].groups[ref.index];
        asset::ClusterGroup& group = out.groups.emplace_back();
        group.level = in.level;
        group.simplifiedError = in.error;
        group.simplifiedBounds = in.bounds;
        for (uint32_t c : in.clusters) group.clusters.push_back(clusterIndex[ref.material][c]);
    }
    out.bounds = bounds;
    if (options.progress) options.progress(1.0f);
    return out;
}

}  // namespace

Result<asset::ClusterHierarchy> buildClusterLod(const asset::Model& model, const LodOptions& options) {
    return build(model, nullptr, options);
}

Result<asset::ClusterHierarchy> buildClusterLod(asset::Model&& model, const LodOptions& options) {
    return build(model, &model, options);
}

}  // namespace vt::lod
