// Cluster LOD hierarchy (tools/lod): structural invariants, crack-free cuts at many thresholds and
// determinism, on real corpus scans (untextured and textured photogrammetry) and small synthetic meshes.

#include <algorithm>
#include <array>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <numbers>
#include <set>
#include <unordered_map>

#include <gtest/gtest.h>

#include "asset/cluster_lod.h"
#include "tools/lod/cluster_lod_builder.h"
#include "tools/scan/import.h"

namespace vt::lod {
namespace {

using asset::ClusterHierarchy;
using asset::Model;

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
constexpr const char* kBunny = "meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply";
constexpr const char* kWhale = "meshes/iiif3d-assets/assets/whale/whale_cranium.glb";
constexpr const char* kVenus = "meshes/iiif3d-assets/assets/venus/venus.glb";
constexpr const char* kSaxophone = "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb";
constexpr const char* kZenobia = "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb";

// The budget for all levels together, as a multiple of the input triangles.
constexpr double kMaxTotalRatio = 2.1;

// Imports once per process: several tests use the same scan, and imports of the big ones take seconds.
const Model* loadScan(const char* relative) {
    static std::map<std::string, std::unique_ptr<Model>> cache;
    auto it = cache.find(relative);
    if (it != cache.end()) return it->second.get();
    const std::filesystem::path path = kCorpus / relative;
    if (!std::filesystem::exists(path)) return nullptr;
    Result<Model> model = scan::importScan(path);
    EXPECT_TRUE(model.has_value()) << (model ? "" : model.error().message);
    if (!model) return nullptr;
    return cache.emplace(relative, std::make_unique<Model>(std::move(*model))).first->second.get();
}

#define VT_LOAD_SCAN(var, relative)                                                                \
    const Model* var = loadScan(relative);                                                          \
    if (!var) FAIL() << "corpus file not available: " << (relative) << " (set VITRINE_CORPUS_DIR)"

// Positions are compared by exact bits: simplification only ever selects input vertices.
struct PositionIds {
    struct Hash {
        size_t operator()(const std::array<uint32_t, 3>& k) const {
            return (size_t{k[0]} * 73856093u) ^ (size_t{k[1]} * 19349663u) ^ (size_t{k[2]} * 83492791u);
        }
    };
    std::unordered_map<std::array<uint32_t, 3>, uint32_t, Hash> ids;
    uint32_t operator()(const glm::vec3& p) {
        std::array<uint32_t, 3> key;
        std::memcpy(key.data(), &p, sizeof(p));
        return ids.try_emplace(key, static_cast<uint32_t>(ids.size())).first->second;
    }
};

using Edge = std::pair<uint32_t, uint32_t>;

// Edges used by exactly one triangle, by welded position; degenerate (collapsed) edges are ignored.
std::set<Edge> openEdges(const std::vector<std::array<uint32_t, 3>>& triangles) {
    std::map<Edge, uint32_t> uses;
    for (const auto& t : triangles) {
        for (int k = 0; k < 3; ++k) {
            const uint32_t a = t[k], b = t[(k + 1) % 3];
            if (a != b) uses[{std::min(a, b), std::max(a, b)}]++;
        }
    }
    std::set<Edge> open;
    for (const auto& [edge, count] : uses)
        if (count == 1) open.insert(edge);
    return open;
}

std::vector<std::array<uint32_t, 3>> inputTriangles(const Model& model, PositionIds& ids) {
    std::vector<std::array<uint32_t, 3>> triangles;
    for (const asset::Mesh& mesh : model.meshes) {
        for (size_t i = 0; i < mesh.indices.size(); i += 3)
            triangles.push_back({ids(mesh.positions[mesh.indices[i]]), ids(mesh.positions[mesh.indices[i + 1]]),
                                 ids(mesh.positions[mesh.indices[i + 2]])});
    }
    return triangles;
}

std::vector<std::array<uint32_t, 3>> cutTriangles(const ClusterHierarchy& h, const std::vector<uint32_t>& cut,
                                                  PositionIds& ids) {
    std::vector<std::array<uint32_t, 3>> triangles;
    for (uint32_t c : cut) {
        const asset::Cluster& cluster = h.clusters[c];
        for (size_t i = 0; i < cluster.indices.size(); i += 3)
            triangles.push_back({ids(cluster.positions[cluster.indices[i]]), ids(cluster.positions[cluster.indices[i + 1]]),
                                 ids(cluster.positions[cluster.indices[i + 2]])});
    }
    return triangles;
}

bool encloses(const asset::Sphere& outer, const asset::Sphere& inner, float epsilon) {
    return glm::length(glm::vec3(outer) - glm::vec3(inner)) + inner.w <= outer.w + epsilon;
}

std::vector<uint32_t> rootClusters(const ClusterHierarchy& h) {
    std::vector<uint32_t> root;
    for (uint32_t i = 0; i < h.clusters.size(); ++i)
        if (h.clusters[i].parentError >= asset::kNoParent) root.push_back(i);
    return root;
}

size_t trianglesOf(const ClusterHierarchy& h, const std::vector<uint32_t>& clusters) {
    size_t n = 0;
    for (uint32_t c : clusters) n += h.clusters[c].indices.size() / 3;
    return n;
}

// Everything asset/cluster_lod.h promises about one hierarchy.
void checkInvariants(const ClusterHierarchy& h, const Model& model) {
    const float epsilon = 1e-5f * std::max(model.bounds().radius(), 1e-6f);
    ASSERT_FALSE(h.clusters.empty());
    EXPECT_EQ(h.inputTriangles, model.triangleCount());
    EXPECT_EQ(h.triangleCount(0), model.triangleCount()) << "level 0 must be exactly the input";
    std::vector<uint32_t> memberships(h.clusters.size(), 0);
    for (uint32_t i = 0; i < h.clusters.size(); ++i) {
        const asset::Cluster& c = h.clusters[i];
        SCOPED_TRACE("cluster " + std::to_string(i));
        ASSERT_EQ(c.indices.size() % 3, 0u);
        ASSERT_GT(c.indices.size(), 0u);
        ASSERT_LE(c.indices.size() / 3, asset::kMaxClusterTriangles);
        ASSERT_LE(c.positions.size(), asset::kMaxClusterVertices);
        ASSERT_EQ(c.normals.size(), c.positions.size());
        ASSERT_TRUE(c.texcoords.empty() || c.texcoords.size() == c.positions.size());
        ASSERT_TRUE(c.colors.empty() || c.colors.size() == c.positions.size());
        for (uint8_t index : c.indices) ASSERT_LT(index, c.positions.size());
        for (const glm::vec3& p : c.positions) ASSERT_TRUE(encloses(c.bounds, asset::Sphere(p, 0.0f), epsilon));
        if (i > 0) {
            ASSERT_GE(c.level, h.clusters[i - 1].level) << "clusters must be ordered by level";
        }
        ASSERT_LT(c.level, h.levelCount);
        ASSERT_GE(c.parentError, c.error) << "errors must grow up the hierarchy";
        ASSERT_TRUE(encloses(c.parentBounds, c.lodBounds, epsilon)) << "parentBounds must enclose lodBounds";
        if (c.level == 0) {
            ASSERT_EQ(c.error, 0.0f);
        }
        ASSERT_LT(c.group, h.groups.size());
    }
    for (uint32_t g = 0; g < h.groups.size(); ++g) {
        const asset::ClusterGroup& group = h.groups[g];
        ASSERT_FALSE(group.clusters.empty());
        for (uint32_t c : group.clusters) {
            ASSERT_LT(c, h.clusters.size());
            memberships[c]++;
            ASSERT_EQ(h.clusters[c].group, g);
            ASSERT_EQ(h.clusters[c].parentError, group.simplifiedError) << "a group is replaced as a whole";
            ASSERT_EQ(h.clusters[c].parentBounds, group.simplifiedBounds);
        }
    }
    for (uint32_t i = 0; i < h.clusters.size(); ++i) ASSERT_EQ(memberships[i], 1u) << "cluster " << i;
    EXPECT_LE(static_cast<double>(h.triangleCount()), kMaxTotalRatio * static_cast<double>(h.inputTriangles));
}

// Errors to cut at: 0, every few distinct group errors and midpoints, beyond the root, FLT_MAX.
std::vector<float> cutThresholds(const ClusterHierarchy& h) {
    std::vector<float> errors;
    for (const asset::ClusterGroup& g : h.groups)
        if (g.simplifiedError < asset::kNoParent) errors.push_back(g.simplifiedError);
    std::sort(errors.begin(), errors.end());
    errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
    std::vector<float> thresholds{0.0f};
    const size_t step = std::max<size_t>(1, errors.size() / 6);
    for (size_t i = 0; i < errors.size(); i += step) {
        thresholds.push_back(errors[i]);
        if (i + 1 < errors.size()) thresholds.push_back((errors[i] + errors[i + 1]) * 0.5f);
    }
    if (!errors.empty()) thresholds.push_back(errors.back());
    thresholds.push_back(1e30f);
    thresholds.push_back(FLT_MAX);
    return thresholds;
}

enum class BoundaryCheck { Exact, OnInputBoundary };

// Every cut must be as closed as the input: with locked mesh boundaries its open edges are exactly
// the input's; otherwise boundaries may simplify along themselves, so every open edge must join two
// input boundary vertices (a crack between groups would open edges between interior vertices).
void checkCuts(const ClusterHierarchy& h, const Model& model, BoundaryCheck mode) {
    PositionIds ids;
    const std::set<Edge> inputOpen = openEdges(inputTriangles(model, ids));
    std::set<uint32_t> inputBoundary;
    for (const auto& [a, b] : inputOpen) {
        inputBoundary.insert(a);
        inputBoundary.insert(b);
    }
    std::vector<uint32_t> level0, root = rootClusters(h);
    for (uint32_t i = 0; i < h.clusters.size(); ++i)
        if (h.clusters[i].level == 0) level0.push_back(i);
    EXPECT_EQ(asset::selectCut(h, 0.0f), level0) << "the cut at error 0 is level 0";
    EXPECT_EQ(asset::selectCut(h, 1e30f), root) << "the cut at a huge error is the root";
    EXPECT_EQ(asset::selectCut(h, FLT_MAX), root);

    for (float threshold : cutThresholds(h)) {
        SCOPED_TRACE("cut at error " + std::to_string(threshold));
        const std::vector<uint32_t> cut = asset::selectCut(h, threshold);
        ASSERT_FALSE(cut.empty());
        const std::set<Edge> open = openEdges(cutTriangles(h, cut, ids));
        if (mode == BoundaryCheck::Exact) {
            EXPECT_EQ(open, inputOpen);
            continue;
        }
        size_t cracks = 0;
        for (const auto& [a, b] : open) cracks += !inputBoundary.contains(a) || !inputBoundary.contains(b);
        EXPECT_EQ(cracks, 0u) << open.size() << " open edges, " << inputOpen.size() << " in the input";
    }
}

// FNV-1a over every field of a hierarchy, in order: a change of any byte the builder outputs changes it.
class HierarchyHash {
public:
    uint64_t value = 14695981039346656037ull;

    void bytes(const void* data, size_t size) {
        const auto* p = static_cast<const uint8_t*>(data);
        for (size_t i = 0; i < size; ++i) value = (value ^ p[i]) * 1099511628211ull;
    }
    template <class T>
    void field(const T& v) { bytes(&v, sizeof(v)); }
    template <class T>
    void array(const std::vector<T>& v) {
        field(v.size());
        bytes(v.data(), v.size() * sizeof(T));
    }
};

uint64_t hashOf(const ClusterHierarchy& h) {
    HierarchyHash hash;
    hash.field(h.clusters.size());
    for (const asset::Cluster& c : h.clusters) {
        hash.array(c.positions), hash.array(c.normals), hash.array(c.texcoords), hash.array(c.colors), hash.array(c.indices);
        hash.field(c.material), hash.field(c.bounds), hash.field(c.level), hash.field(c.error), hash.field(c.lodBounds);
        hash.field(c.parentError), hash.field(c.parentBounds), hash.field(c.group);
    }
    hash.field(h.groups.size());
    for (const asset::ClusterGroup& g : h.groups) {
        hash.field(g.level), hash.array(g.clusters), hash.field(g.simplifiedError), hash.field(g.simplifiedBounds);
    }
    hash.field(h.levelCount), hash.field(h.bounds), hash.field(h.inputTriangles);
    return hash.value;
}

// The builder's output is pinned: a faster builder must give the same bytes for the same settings
// (goldens written by the builder of 2026-12-03, before the conversion-speed work; the pack is a pure
// function of the hierarchy and the writer's options, so unchanged hierarchies give unchanged packs).
// Update a golden only for an intended change of the output, and say so in the commit.
void expectPinned(const ClusterHierarchy& h, const char* name, uint64_t golden) {
    const uint64_t actual = hashOf(h);
    EXPECT_EQ(actual, golden) << name << ": the hierarchy's bytes changed (hash 0x" << std::hex << actual << ")";
}

struct Timed {
    ClusterHierarchy hierarchy;
    double seconds = 0.0;
};

Timed buildTimed(const Model& model, const LodOptions& options = {}) {
    const auto start = std::chrono::steady_clock::now();
    Result<ClusterHierarchy> h = buildClusterLod(model, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(h.has_value()) << (h ? "" : h.error().message);
    return {h ? std::move(*h) : ClusterHierarchy{}, seconds};
}

// One row of the table the issue asks for: per-level triangles, total ratio, root, time.
void printRow(const char* name, const Model& model, const Timed& t) {
    const ClusterHierarchy& h = t.hierarchy;
    std::string levels;
    for (uint32_t l = 0; l < h.levelCount; ++l) levels += (l ? " " : "") + std::to_string(h.triangleCount(l));
    const std::vector<uint32_t> root = rootClusters(h);
    std::printf("[lod] %-22s input %8zu  levels %2u  total/input %.3f  root %6zu tris %4zu clusters  %.2f s  | %s\n", name,
                model.triangleCount(), h.levelCount, static_cast<double>(h.triangleCount()) / static_cast<double>(h.inputTriangles),
                trianglesOf(h, root), root.size(), t.seconds, levels.c_str());
}

// A closed torus, optionally with a UV seam (the u = 0/1 and v = 0/1 rings duplicated with other
// texcoords) and with the half x < 0 in a second material.
Model torus(uint32_t segments, uint32_t rings, bool uvSeam, bool twoMaterials) {
    Model model;
    model.source = "synthetic torus";
    model.materials.resize(twoMaterials ? 2 : 1);
    const uint32_t columns = uvSeam ? segments + 1 : segments, rows = uvSeam ? rings + 1 : rings;
    asset::Mesh all;
    for (uint32_t j = 0; j < rows; ++j) {
        for (uint32_t i = 0; i < columns; ++i) {
            const float u = static_cast<float>(i) / static_cast<float>(segments), v = static_cast<float>(j) / static_cast<float>(rings);
            // Seam duplicates must have bit-identical positions: compute them from the wrapped indices.
            const float a = static_cast<float>(i % segments) / static_cast<float>(segments) * 2.0f * std::numbers::pi_v<float>;
            const float b = static_cast<float>(j % rings) / static_cast<float>(rings) * 2.0f * std::numbers::pi_v<float>;
            // A bumpy surface: a flat one would simplify with zero error.
            const float rw = 0.3f + 0.02f * std::sin(7.0f * a) * std::cos(5.0f * b);
            const glm::vec3 cw(std::cos(a), std::sin(a), 0.0f);
            const glm::vec3 nw(std::cos(a) * std::cos(b), std::sin(a) * std::cos(b), std::sin(b));
            all.positions.push_back(cw + rw * nw);
            all.normals.push_back(nw);
            all.texcoords.emplace_back(u, v);
        }
    }
    auto vertex = [&](uint32_t i, uint32_t j) { return uvSeam ? j * columns + i : (j % rings) * columns + (i % segments); };
    asset::Mesh second = all;
    all.name = "torus";
    second.name = "torus x<0";
    second.material = 1;
    for (uint32_t j = 0; j < rings; ++j) {
        for (uint32_t i = 0; i < segments; ++i) {
            const std::array<uint32_t, 6> quad{vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1),
                                               vertex(i, j), vertex(i + 1, j + 1), vertex(i, j + 1)};
            const bool left = twoMaterials && i >= segments / 4 && i < 3 * segments / 4;
            auto& target = left ? second.indices : all.indices;
            target.insert(target.end(), quad.begin(), quad.end());
        }
    }
    model.meshes.push_back(std::move(all));
    if (twoMaterials) model.meshes.push_back(std::move(second));
    return model;
}

TEST(SelectCut, PicksClustersBetweenTheirErrorAndTheirParents) {
    ClusterHierarchy h;
    h.clusters.resize(4);
    h.clusters[0].parentError = 1.0f;                                         // level 0, replaced at 1
    h.clusters[1].parentError = 1.0f;
    h.clusters[2].error = 1.0f, h.clusters[2].parentError = 3.0f;            // replaced at 3
    h.clusters[3].error = 3.0f, h.clusters[3].parentError = asset::kNoParent;  // root
    EXPECT_EQ(asset::selectCut(h, 0.0f), (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(asset::selectCut(h, 0.999f), (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(asset::selectCut(h, 1.0f), (std::vector<uint32_t>{2}));
    EXPECT_EQ(asset::selectCut(h, 2.9f), (std::vector<uint32_t>{2}));
    EXPECT_EQ(asset::selectCut(h, 3.0f), (std::vector<uint32_t>{3}));
    EXPECT_EQ(asset::selectCut(h, FLT_MAX), (std::vector<uint32_t>{3}));
    EXPECT_EQ(h.triangleCount(), 0u);
}

TEST(ClusterLod, RejectsBadInputAndOptions) {
    Model empty;
    empty.source = "empty.glb";
    Result<ClusterHierarchy> noTriangles = buildClusterLod(empty);
    ASSERT_FALSE(noTriangles.has_value());
    EXPECT_NE(noTriangles.error().message.find("empty.glb"), std::string::npos);

    Model bad = torus(8, 4, /*uvSeam=*/false, /*twoMaterials=*/false);
    bad.meshes[0].indices[5] = 999;
    EXPECT_FALSE(buildClusterLod(bad).has_value());
    Model nan = torus(8, 4, false, false);
    nan.meshes[0].positions[2].y = NAN;
    EXPECT_FALSE(buildClusterLod(nan).has_value());
    Model shortNormals = torus(8, 4, false, false);
    shortNormals.meshes[0].normals.pop_back();
    EXPECT_FALSE(buildClusterLod(shortNormals).has_value());

    const Model good = torus(8, 4, false, false);
    EXPECT_FALSE(buildClusterLod(good, {.maxTriangles = 130}).has_value());
    EXPECT_FALSE(buildClusterLod(good, {.maxTriangles = 62}).has_value());
    EXPECT_FALSE(buildClusterLod(good, {.groupSize = 1}).has_value());
}

TEST(ClusterLod, ClosedTorusIsCrackFreeAtEveryCut) {
    const Model model = torus(256, 96, /*uvSeam=*/false, /*twoMaterials=*/false);
    const Timed t = buildTimed(model);
    checkInvariants(t.hierarchy, model);
    checkCuts(t.hierarchy, model, BoundaryCheck::Exact);  // no open edges at any cut
    EXPECT_LE(trianglesOf(t.hierarchy, rootClusters(t.hierarchy)), 2 * asset::kMaxClusterTriangles);
    printRow("torus", model, t);
}

TEST(ClusterLod, SeamsAndMaterialBordersStayStitched) {
    const Model model = torus(256, 96, /*uvSeam=*/true, /*twoMaterials=*/true);
    // hashOf(hierarchy) per mode (this torus never stalls, so CollapseWhenStuck gives Preserve's).
    const std::map<UvSeams, uint64_t> golden{
        {UvSeams::Preserve, 0x68e58ffbbf305335ull},
        {UvSeams::Collapse, 0xaf5e608aa097f862ull},
        {UvSeams::CollapseWhenStuck, 0x68e58ffbbf305335ull}};
    for (UvSeams seams : {UvSeams::Preserve, UvSeams::Collapse, UvSeams::CollapseWhenStuck}) {
        SCOPED_TRACE(static_cast<int>(seams));
        const Timed t = buildTimed(model, {.uvSeams = seams});
        checkInvariants(t.hierarchy, model);
        checkCuts(t.hierarchy, model, BoundaryCheck::Exact);
        for (const asset::Cluster& c : t.hierarchy.clusters) ASSERT_EQ(c.texcoords.size(), c.positions.size());
        expectPinned(t.hierarchy, "torus seams+2 materials", golden.at(seams));
        printRow("torus seams+2 materials", model, t);
    }
}

TEST(ClusterLod, ProgressIsMonotonicAndEndsAtOne) {
    const Model model = torus(128, 48, false, false);
    std::vector<float> reports;
    ASSERT_TRUE(buildClusterLod(model, {.progress = [&](float p) { reports.push_back(p); }}).has_value());
    ASSERT_FALSE(reports.empty());
    EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
    EXPECT_EQ(reports.back(), 1.0f);
}

bool sameHierarchy(const ClusterHierarchy& a, const ClusterHierarchy& b) {
    if (a.clusters.size() != b.clusters.size() || a.groups.size() != b.groups.size() || a.levelCount != b.levelCount) return false;
    auto bytesEqual = [](const auto& x, const auto& y) {
        return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(x[0])) == 0);
    };
    for (size_t i = 0; i < a.clusters.size(); ++i) {
        const asset::Cluster &x = a.clusters[i], &y = b.clusters[i];
        if (!bytesEqual(x.positions, y.positions) || !bytesEqual(x.normals, y.normals) || !bytesEqual(x.texcoords, y.texcoords) ||
            !bytesEqual(x.colors, y.colors) || !bytesEqual(x.indices, y.indices))
            return false;
        if (std::memcmp(&x.bounds, &y.bounds, sizeof(x.bounds)) != 0 || x.level != y.level || x.material != y.material ||
            std::memcmp(&x.error, &y.error, sizeof(float)) != 0 || std::memcmp(&x.parentError, &y.parentError, sizeof(float)) != 0 ||
            std::memcmp(&x.lodBounds, &y.lodBounds, sizeof(x.lodBounds)) != 0 ||
            std::memcmp(&x.parentBounds, &y.parentBounds, sizeof(x.parentBounds)) != 0 || x.group != y.group)
            return false;
    }
    for (size_t i = 0; i < a.groups.size(); ++i) {
        if (a.groups[i].clusters != b.groups[i].clusters || a.groups[i].level != b.groups[i].level ||
            std::memcmp(&a.groups[i].simplifiedError, &b.groups[i].simplifiedError, sizeof(float)) != 0 ||
            std::memcmp(&a.groups[i].simplifiedBounds, &b.groups[i].simplifiedBounds, sizeof(asset::Sphere)) != 0)
            return false;
    }
    return true;
}

TEST(ClusterLod, DeterministicForAnyThreadCount) {
    VT_LOAD_SCAN(model, kWhale);  // textured: exercises the seam retry too
    const Timed one = buildTimed(*model, {.threads = 1});
    const Timed again = buildTimed(*model, {.threads = 1});
    const Timed four = buildTimed(*model, {.threads = 4});
    EXPECT_TRUE(sameHierarchy(one.hierarchy, again.hierarchy));
    EXPECT_TRUE(sameHierarchy(one.hierarchy, four.hierarchy));
    std::printf("[lod] whale_cranium build: 1 thread %.2f s, 4 threads %.2f s\n", one.seconds, four.seconds);
}

// The converter's form: the builder frees the input's geometry as it merges it, and builds the same thing.
TEST(ClusterLod, ConsumingTheModelGivesTheSameHierarchy) {
    for (const bool twoMaterials : {false, true}) {
        const Model model = torus(128, 48, /*uvSeam=*/true, twoMaterials);
        Model consumed = model;
        const Result<ClusterHierarchy> kept = buildClusterLod(model);
        const Result<ClusterHierarchy> freed = buildClusterLod(std::move(consumed));
        ASSERT_TRUE(kept && freed);
        EXPECT_TRUE(sameHierarchy(*kept, *freed));
        EXPECT_EQ(consumed.meshes.size(), model.meshes.size()) << "the meshes stay, emptied";
        for (size_t m = 0; m < consumed.meshes.size(); ++m) {
            EXPECT_TRUE(consumed.meshes[m].positions.empty() && consumed.meshes[m].indices.empty());
            EXPECT_EQ(consumed.meshes[m].material, model.meshes[m].material);
            EXPECT_EQ(consumed.meshes[m].name, model.meshes[m].name);
        }
    }
}

struct ScanCase {
    const char* name;
    const char* path;
    uint64_t golden;  // hashOf(hierarchy) with the default options
};

// The README's promise: the root is about a hundred triangles, one cluster (clusters hold at most
// 128 triangles). Measured: bunny 66, whale 118, saxophone 99, Venus 101, Zenobia 112.
constexpr size_t kDocumentedRootTriangles = 128;

void expectSmallRoot(const ClusterHierarchy& hierarchy, const char* name) {
    const auto roots = rootClusters(hierarchy);
    EXPECT_EQ(roots.size(), 1u) << name << ": the root is one cluster";
    EXPECT_LE(trianglesOf(hierarchy, roots), kDocumentedRootTriangles) << name;
}

class CorpusLod : public testing::TestWithParam<ScanCase> {};

TEST_P(CorpusLod, InvariantsAndCrackFreeCuts) {
    VT_LOAD_SCAN(model, GetParam().path);
    const Timed t = buildTimed(*model);
    checkInvariants(t.hierarchy, *model);
    checkCuts(t.hierarchy, *model, BoundaryCheck::OnInputBoundary);
    expectSmallRoot(t.hierarchy, GetParam().name);
    expectPinned(t.hierarchy, GetParam().name, GetParam().golden);
    printRow(GetParam().name, *model, t);
}

INSTANTIATE_TEST_SUITE_P(Scans, CorpusLod,
                         testing::Values(ScanCase{"bunny", kBunny, 0xb1fbc0be7980748eull}, ScanCase{"whale_cranium", kWhale, 0x49ddc81b1ea30485ull},
                                         ScanCase{"venus", kVenus, 0xe33e885a125b6b47ull}, ScanCase{"saxophone", kSaxophone, 0x7ecb6a516aae86ecull}),
                         [](const testing::TestParamInfo<ScanCase>& param) { return std::string(param.param.name); });

TEST(ClusterLod, LockedBoundaryKeepsTheBunnysHolesExactly) {
    VT_LOAD_SCAN(model, kBunny);
    const Timed t = buildTimed(*model, {.lockMeshBoundary = true});
    checkInvariants(t.hierarchy, *model);
    checkCuts(t.hierarchy, *model, BoundaryCheck::Exact);
    expectPinned(t.hierarchy, "bunny locked boundary", 0xf2de2295c1dccd6cull);
    printRow("bunny locked boundary", *model, t);
}

// Textured photogrammetry: how far the hierarchy gets with seams preserved vs collapsed when stuck.
TEST(ClusterLod, CollapsingStuckSeamsShrinksTexturedRoots) {
    for (const char* path : {kWhale, kVenus, kSaxophone}) {
        const Model* model = loadScan(path);
        ASSERT_NE(model, nullptr) << "corpus scan missing: " << path;
        const Timed preserve = buildTimed(*model, {.uvSeams = UvSeams::Preserve});
        const Timed collapse = buildTimed(*model);
        const size_t before = trianglesOf(preserve.hierarchy, rootClusters(preserve.hierarchy));
        const size_t after = trianglesOf(collapse.hierarchy, rootClusters(collapse.hierarchy));
        const std::string name = std::filesystem::path(path).stem().string();
        printRow((name + " preserve").c_str(), *model, preserve);
        printRow((name + " when stuck").c_str(), *model, collapse);
        EXPECT_LE(after, before) << name;
    }
}

TEST(ClusterLod, Zenobia462k) {
    VT_LOAD_SCAN(model, kZenobia);
    const Timed t = buildTimed(*model);
    checkInvariants(t.hierarchy, *model);
    expectSmallRoot(t.hierarchy, "zenobia");
    expectPinned(t.hierarchy, "zenobia", 0x05f22a5943ed3e1full);
    printRow("zenobia", *model, t);
}

}  // namespace
}  // namespace vt::lod
