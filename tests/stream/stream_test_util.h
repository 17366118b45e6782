#pragma once
// Shared helpers for the streaming tests: real corpus packs (converted once into the build folder,
// before any thread starts), a fault-injecting ByteSource, a stand-in for the GPU side, and the
// crack checks (open edges by welded position, area).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

#include "asset/cluster_lod.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "scene/camera.h"
#include "stream/lod_cut.h"
#include "stream/streaming_scene.h"

namespace vt::test {

// The converted pack of a corpus scan, or an empty path when the corpus or the converter is missing
// (the reason is in conversionError()). Converted on first use and cached in the build folder; call
// at the start of a test, before any StreamingScene exists (the converter forks).
std::filesystem::path whalePack();
std::filesystem::path zenobiaPack();
std::string conversionError();
std::vector<uint8_t> readBytes(const std::filesystem::path& path);

// Everything in one pack, decoded once: the hierarchy in page order, plus the reader and every page's
// cluster records (per page, and flattened: clusters[c] for the pack-wide index c).
struct DecodedPack {
    std::vector<uint8_t> bytes;
    std::unique_ptr<pack::ByteSource> source;
    std::unique_ptr<pack::PackReader> reader;
    asset::ClusterHierarchy hierarchy;
    std::vector<stream::PageClusters> pageClusters;
    std::vector<pack::ClusterInfo> clusters;
};
std::unique_ptr<DecodedPack> decodePack(const std::filesystem::path& path);

// Faults by page (matched by the read's offset). Thread-safe; counts reads per page.
class FaultySource final : public pack::ByteSource {
public:
    struct Faults {
        std::chrono::milliseconds delay{0};  // every read sleeps this long first
        std::set<uint64_t> failOffsets;      // reads at these offsets fail ...
        uint32_t failTimes = 1000000;        // ... this many times, then succeed
        std::set<uint64_t> corruptOffsets;   // reads at these offsets come back with one byte flipped
        bool failEverything = false;
    };
    FaultySource(std::vector<uint8_t> bytes, Faults faults) : bytes_(std::move(bytes)), faults_(std::move(faults)) {}
    uint64_t size() const override { return bytes_.size(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override;
    uint32_t readsAt(uint64_t offset) const;
    uint32_t totalReads() const { return total_.load(); }
    // Reads made on the thread that created the source (the test's frame thread), not an I/O thread.
    uint32_t readsOnCreatingThread() const { return onCreatingThread_.load(); }

private:
    std::vector<uint8_t> bytes_;
    Faults faults_;
    mutable std::mutex mutex_;
    std::map<uint64_t, uint32_t> reads_;
    std::atomic<uint32_t> total_{0}, onCreatingThread_{0};
    const std::thread::id creatingThread_ = std::this_thread::get_id();
};

// The GPU side, simulated: frees evictions, uploads ready pages (keeping their clusters) and marks
// them resident. Checks the hand-over contract as it goes.
struct FakeGpu {
    std::map<std::pair<stream::ArtifactId, uint32_t>, std::vector<asset::Cluster>> pages;
    uint64_t bytes = 0;
    std::vector<stream::PageKey> evicted;  // all evictions so far, in order
    void pump(stream::StreamingScene& scene, uint64_t maxBytesPerFrame = ~0ull);
};

// Runs update + pump until `done` or the timeout; returns whether `done` became true.
bool runUntil(stream::StreamingScene& scene, FakeGpu& gpu, std::span<const scene::View> views, glm::uvec2 viewport,
              const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20));
// Until every added artifact has settled (status().timeToSettledSeconds >= 0 counts once; this asks
// for the current frame: nothing missing, nothing pending).
bool runUntilSettled(stream::StreamingScene& scene, FakeGpu& gpu, std::span<const scene::View> views, glm::uvec2 viewport,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Crack checks over a set of clusters (by welded position: positions decode from one grid per pack).
struct SurfaceCheck {
    size_t triangles = 0;
    double area = 0.0;
    size_t openEdges = 0;
    size_t openEdgesOffBoundary = 0;  // open edges with an end not on level 0's own boundary: cracks
    size_t overusedEdges = 0;         // edges used more often than within any one level (double cover)
};
class CrackChecker {
public:
    explicit CrackChecker(const asset::ClusterHierarchy& hierarchy);
    SurfaceCheck check(std::span<const uint32_t> clusters) const;
    const SurfaceCheck& level0() const { return level0_; }
    // A cut draws each region at one level, so its area lies within the levels' areas (simplification
    // changes area a little; a double-covered region adds a lot).
    double minLevelArea() const { return *std::min_element(levelAreas_.begin(), levelAreas_.end()); }
    double maxLevelArea() const { return *std::max_element(levelAreas_.begin(), levelAreas_.end()); }
    void expectCoversOnce(std::span<const uint32_t> clusters) const;

private:
    const asset::ClusterHierarchy& h_;
    std::vector<std::vector<uint32_t>> ids_;  // per cluster, per local vertex: welded position id
    std::vector<uint8_t> boundaryVertex_;
    std::unordered_map<uint64_t, uint32_t> maxUses_;
    std::vector<double> levelAreas_;
    SurfaceCheck level0_;
};

// A view of `bounds` (model = world) from the given angles at `distanceScale` times the framing distance.
scene::View viewOf(const Bounds& bounds, float yawDegrees, float pitchDegrees, float distanceScale, float aspect = 1.0f,
                   float fovY = 0.8f);

}  // namespace vt::test
