#include "stream_test_util.h"

#include <cstring>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "convert_scan.h"
#include "file_lock.h"

namespace vt::test {
namespace {

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
const std::filesystem::path kPackDir = VITRINE_STREAM_PACK_DIR;

std::string& errorText() {
    static std::string text;
    return text;
}

// Converts once per build folder: ctest runs every test in its own process, and the converter takes
// seconds. The writer is atomic, so a torn file is never seen; the lock keeps processes that start
// together from each converting the same scan (minutes of CPU under a sanitizer on a shared machine).
// Call before any thread starts: the converter forks.
std::filesystem::path packOf(const std::filesystem::path& scan, const std::string& name) {
    const std::filesystem::path out = kPackDir / (name + ".vpk");
    const FileLock lock(kPackDir / (name + ".vpk.lock"));
    if (std::filesystem::exists(out)) {
        auto source = pack::openFile(out);
        if (source && pack::PackReader::open(**source, out.string())) return out;
    }
    if (!std::filesystem::exists(scan)) {
        errorText() = "corpus scan not found: " + scan.string();
        return {};
    }
    std::filesystem::create_directories(kPackDir);
    auto converted = convert::convertScans({scan}, out, {});
    if (!converted) {
        errorText() = converted.error().message;
        return {};
    }
    return out;
}

}  // namespace

std::filesystem::path whalePack() {
    static const std::filesystem::path path = packOf(kCorpus / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb", "whale");
    return path;
}

std::filesystem::path zenobiaPack() {
    static const std::filesystem::path path =
        packOf(kCorpus / "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb", "zenobia");
    return path;
}

std::string conversionError() { return errorText(); }

std::vector<uint8_t> readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::unique_ptr<DecodedPack> decodePack(const std::filesystem::path& path) {
    auto out = std::make_unique<DecodedPack>();
    out->bytes = readBytes(path);
    out->source = pack::memorySource(out->bytes);
    auto reader = pack::PackReader::open(*out->source, path.filename().string());
    if (!reader) {
        ADD_FAILURE() << reader.error().message;
        return nullptr;
    }
    out->reader = std::make_unique<pack::PackReader>(std::move(*reader));
    auto hierarchy = out->reader->readHierarchy();
    if (!hierarchy) {
        ADD_FAILURE() << hierarchy.error().message;
        return nullptr;
    }
    out->hierarchy = std::move(*hierarchy);
    auto pages = stream::readAllPageClusters(*out->reader);
    if (!pages) {
        ADD_FAILURE() << pages.error().message;
        return nullptr;
    }
    out->pageClusters = std::move(*pages);
    for (const stream::PageClusters& page : out->pageClusters) out->clusters.insert(out->clusters.end(), page.begin(), page.end());
    return out;
}

Result<std::vector<uint8_t>> FaultySource::read(uint64_t offset, uint64_t bytes) {
    ++total_;
    if (std::this_thread::get_id() == creatingThread_) ++onCreatingThread_;
    uint32_t attempt;
    {
        std::lock_guard lock(mutex_);
        attempt = ++reads_[offset];
    }
    if (faults_.delay.count() > 0) std::this_thread::sleep_for(faults_.delay);
    if (faults_.failEverything) return fail("injected failure at offset {}", offset);
    if (faults_.failOffsets.contains(offset) && attempt <= faults_.failTimes) {
        return fail("injected failure at offset {} (attempt {})", offset, attempt);
    }
    if (offset > bytes_.size() || bytes > bytes_.size() - offset) return fail("read past the end");
    std::vector<uint8_t> data(bytes_.begin() + static_cast<std::ptrdiff_t>(offset),
                              bytes_.begin() + static_cast<std::ptrdiff_t>(offset + bytes));
    if (faults_.corruptOffsets.contains(offset) && !data.empty()) data[data.size() / 2] ^= 0x40;
    return data;
}

uint32_t FaultySource::readsAt(uint64_t offset) const {
    std::lock_guard lock(mutex_);
    auto it = reads_.find(offset);
    return it == reads_.end() ? 0 : it->second;
}

void FakeGpu::pump(stream::StreamingScene& scene, uint64_t maxBytesPerFrame) {
    for (const stream::PageKey& key : scene.takeEvictions()) {
        EXPECT_NE(key.page, 0u) << "a root page was evicted";
        auto it = pages.find({key.artifact, key.page});
        EXPECT_NE(it, pages.end()) << "evicted page " << key.page << " was never handed over";
        if (it == pages.end()) continue;
        bytes -= stream::gpuByteEstimate(it->second);
        pages.erase(it);
        evicted.push_back(key);
    }
    for (stream::ReadyPage& page : scene.takeReadyPages(maxBytesPerFrame)) {
        EXPECT_EQ(page.gpuBytes, stream::gpuByteEstimate(page.clusters));
        EXPECT_FALSE(pages.contains({page.artifact, page.page})) << "page " << page.page << " handed over twice";
        bytes += page.gpuBytes;
        const stream::ArtifactId artifact = page.artifact;
        const uint32_t index = page.page;
        pages[{artifact, index}] = std::move(page.clusters);
        scene.markResident(artifact, index);
    }
}

bool runUntil(stream::StreamingScene& scene, FakeGpu& gpu, std::span<const scene::View> views, glm::uvec2 viewport,
              const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        scene.update(views, viewport);
        if (done()) return true;
        gpu.pump(scene);
        std::this_thread::sleep_for(std::chrono::microseconds(200));  // a frame's worth of other work, shortened
    }
    return false;
}

bool runUntilSettled(stream::StreamingScene& scene, FakeGpu& gpu, std::span<const scene::View> views, glm::uvec2 viewport,
                     std::chrono::milliseconds timeout) {
    return runUntil(scene, gpu, views, viewport, [&] { return scene.settled(); }, timeout);
}

CrackChecker::CrackChecker(const asset::ClusterHierarchy& hierarchy) : h_(hierarchy) {
    std::map<std::array<uint32_t, 3>, uint32_t> exact;
    ids_.resize(h_.clusters.size());
    for (size_t c = 0; c < h_.clusters.size(); ++c) {
        for (const glm::vec3& p : h_.clusters[c].positions) {
            std::array<uint32_t, 3> key;
            std::memcpy(key.data(), &p, sizeof(p));
            ids_[c].push_back(exact.try_emplace(key, static_cast<uint32_t>(exact.size())).first->second);
        }
    }
    // Per edge, the most triangles that use it within any one whole level: coarse levels may keep
    // non-manifold edges of their own, which a cut inherits without any double cover.
    std::vector<std::vector<uint32_t>> levels(h_.levelCount);
    for (uint32_t c = 0; c < h_.clusters.size(); ++c) levels[h_.clusters[c].level].push_back(c);
    for (uint32_t level = 0; level < h_.levelCount; ++level) {
        std::unordered_map<uint64_t, uint32_t> uses;
        for (uint32_t c : levels[level]) {
            const auto& indices = h_.clusters[c].indices;
            for (size_t i = 0; i < indices.size(); i += 3) {
                for (int k = 0; k < 3; ++k) {
                    const uint32_t a = ids_[c][indices[i + k]], b = ids_[c][indices[i + (k + 1) % 3]];
                    if (a != b) uses[(uint64_t{std::min(a, b)} << 32) | std::max(a, b)]++;
                }
            }
        }
        for (const auto& [edge, count] : uses) {
            uint32_t& most = maxUses_[edge];
            most = std::max(most, count);
        }
        if (level == 0) {
            boundaryVertex_.assign(exact.size(), 0);
            for (const auto& [edge, count] : uses) {
                if (count == 1) {
                    boundaryVertex_[edge >> 32] = 1;
                    boundaryVertex_[edge & 0xffffffffu] = 1;
                }
            }
        }
    }
    for (uint32_t level = 0; level < h_.levelCount; ++level) levelAreas_.push_back(check(levels[level]).area);
    const std::vector<uint32_t>& level0 = levels[0];
    level0_ = check(level0);
}

SurfaceCheck CrackChecker::check(std::span<const uint32_t> clusters) const {
    SurfaceCheck out;
    std::unordered_map<uint64_t, uint32_t> uses;
    for (uint32_t c : clusters) {
        const asset::Cluster& cluster = h_.clusters[c];
        for (size_t i = 0; i < cluster.indices.size(); i += 3) {
            const glm::dvec3 p0 = cluster.positions[cluster.indices[i]], p1 = cluster.positions[cluster.indices[i + 1]],
                             p2 = cluster.positions[cluster.indices[i + 2]];
            out.area += 0.5 * glm::length(glm::cross(p1 - p0, p2 - p0));
            ++out.triangles;
            for (int k = 0; k < 3; ++k) {
                const uint32_t a = ids_[c][cluster.indices[i + k]], b = ids_[c][cluster.indices[i + (k + 1) % 3]];
                if (a != b) uses[(uint64_t{std::min(a, b)} << 32) | std::max(a, b)]++;
            }
        }
    }
    for (const auto& [edge, count] : uses) {
        if (count == 1) {
            ++out.openEdges;
            out.openEdgesOffBoundary += !boundaryVertex_[edge >> 32] || !boundaryVertex_[edge & 0xffffffffu];
        }
        if (count > 2) {
            auto it = maxUses_.find(edge);
            out.overusedEdges += count > (it == maxUses_.end() ? 2u : std::max(2u, it->second));
        }
    }
    return out;
}

scene::View viewOf(const Bounds& bounds, float yawDegrees, float pitchDegrees, float distanceScale, float aspect, float fovY) {
    scene::Orbit orbit = scene::frameBounds(bounds, fovY, aspect, yawDegrees, pitchDegrees);
    orbit.distance *= distanceScale;
    return scene::orbitView(orbit, fovY, aspect);
}

}  // namespace vt::test

namespace vt::test {

void CrackChecker::expectCoversOnce(std::span<const uint32_t> clusters) const {
    const SurfaceCheck c = check(clusters);
    EXPECT_GT(c.triangles, 0u);
    EXPECT_EQ(c.openEdgesOffBoundary, 0u) << "cracks or holes: " << c.openEdges << " open edges, "
                                          << c.openEdgesOffBoundary << " off level 0's boundary";
    EXPECT_EQ(c.overusedEdges, 0u) << "edges used more often than in any level: a region drawn twice";
    EXPECT_LE(c.area, maxLevelArea() * 1.02) << "more area than any level: a region drawn twice";
    EXPECT_GE(c.area, minLevelArea() * 0.98) << "less area than any level: a hole";
}

}  // namespace vt::test
