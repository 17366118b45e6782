#pragma once
// Streams any number of artifact packs at the detail the screen needs, within GPU and CPU memory
// budgets, without the frame loop ever waiting on I/O. The CPU half of streaming: no Vulkan. The GPU
// side uploads what this hands over and draws the cut.
//
// The frame, on the frame thread (every member function must be called from that one thread):
//
//     scene.update(views, viewportPixels);                 // select, cull, request, collect; never blocks
//     for (PageKey key : scene.takeEvictions()) ...        // free these pages' GPU memory (after the
//                                                          //   frames still using them retire)
//     for (ReadyPage& page : scene.takeReadyPages(32 << 20)) {
//         ... upload page.clusters ...
//         scene.markResident(page.artifact, page.page);    // may come frames later
//     }
//     draw scene.cut();                                    // clusters of resident pages only
//     for (std::string& error : scene.takeErrors()) log / show it
//
// Residency is per page (a page holds whole groups). The cut is chosen once per artifact for all
// views and is crack-free and hole-free under any residency (see lod_cut.h for the rule and the
// argument): a missing finer page leaves its coarser stand-in on screen. Each artifact's root page is
// fetched with its directory when it opens, pinned, and never evicted.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "asset/cluster_lod.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "scene/camera.h"

namespace vt::stream {

using ArtifactId = uint32_t;

struct StreamOptions {
    float pixelErrorThreshold = 1.0f;        // projected simplification error allowed on screen, pixels
    uint64_t gpuBudgetBytes = 512ull << 20;  // geometry and textures on the GPU (a mid-range GPU's share)
    uint64_t cpuCacheBytes = 256ull << 20;   // compressed page bytes kept so evicted pages return without a fetch
    uint32_t ioThreads = 4;                  // fetch + decode threads
    uint32_t maxRequestsInFlight = 16;       // opens and page jobs submitted and not yet completed
    uint32_t maxAttempts = 3;                // per page (and per open) before it is marked failed
    float retryBackoffSeconds = 0.05f;       // wait before retry n: this * 2^(n-1)
};

struct PageKey {
    ArtifactId artifact = 0;
    uint32_t page = 0;
    bool operator==(const PageKey&) const = default;
};

// One cluster to draw this frame.
struct DrawCluster {
    ArtifactId artifact = 0;
    uint32_t page = 0;
    uint32_t clusterInPage = 0;  // index into the ReadyPage::clusters of that page
    uint32_t material = 0;       // index into reader(artifact)->materials()
    uint32_t triangles = 0;
    uint32_t viewMask = 0;       // bit v: intersects view v's frustum (never 0: culled clusters are left out)
    glm::mat4 worldFromModel{1.0f};
};

// A decoded page for the GPU side to upload; then it calls markResident(artifact, page).
struct ReadyPage {
    ArtifactId artifact = 0;
    uint32_t page = 0;
    std::vector<asset::Cluster> clusters;  // in directory order; DrawCluster::clusterInPage indexes this
    uint64_t gpuBytes = 0;                 // what the GPU side allocates (gpuByteEstimate in lod_cut.h)
};

enum class ArtifactState { Opening, Open, Failed };

struct ArtifactStatus {
    ArtifactState state = ArtifactState::Opening;
    std::string label;
    uint32_t pageCount = 0;      // 0 until open
    uint32_t pagesResident = 0;
    uint32_t pagesFailed = 0;
    double timeToFirstDrawSeconds = -1.0;  // add() to the first frame it drew something; -1 until then
    double timeToSettledSeconds = -1.0;    // add() to the first frame nothing it needs is missing or pending
};

struct StreamStats {
    uint64_t trianglesDrawn = 0;
    uint64_t clustersDrawn = 0;
    uint64_t residentGpuBytes = 0;  // pages marked resident or handed over and not yet marked, and textures
    uint64_t cachedCpuBytes = 0;
    uint32_t pendingRequests = 0;   // opens and page jobs in flight
    uint32_t failedRequests = 0;    // pages and opens given up on after maxAttempts
    uint32_t retries = 0;           // failed attempts that were retried
    uint64_t bytesFetched = 0;      // read from the sources (cache hits cost nothing)
    uint32_t pagesResident = 0;
    uint32_t artifactsOpen = 0;
    // Scene-wide, measured from the first add() after the scene last settled (-1 until reached): to
    // the first frame whose cut is non-empty, and to the first frame where, for every artifact,
    // nothing the cut wants is missing (failed pages excepted) and nothing is pending.
    double timeToFirstDrawSeconds = -1.0;
    double timeToSettledSeconds = -1.0;
};

// For tests and tools: where a page stands.
enum class PageState { Absent, Requested, Ready, Uploading, Resident, Failed };

class StreamingScene {
public:
    explicit StreamingScene(StreamOptions options = {});
    ~StreamingScene();  // waits for reads in progress to return (a slow source delays it)
    StreamingScene(const StreamingScene&) = delete;
    StreamingScene& operator=(const StreamingScene&) = delete;

    // Starts opening an artifact (header, directory, root page) on the I/O threads; until that is done
    // it draws nothing and reports ArtifactState::Opening. source->read() must be safe to call from
    // several threads at once (openFile and memorySource are; wrap others in serializedSource()).
    // worldFromModel must be a similarity (rotation, translation, uniform scale).
    ArtifactId add(std::unique_ptr<pack::ByteSource> source, std::string label, glm::mat4 worldFromModel);
    void setWorldFromModel(ArtifactId artifact, const glm::mat4& worldFromModel);

    // Per frame. Never blocks on I/O. views: 1..32 (e.g. two XR eyes); viewportPixels: per view.
    void update(std::span<const scene::View> views, glm::uvec2 viewportPixels);

    // What to draw this frame (valid until the next update()).
    std::span<const DrawCluster> cut() const { return cut_; }

    // Decoded pages, oldest request first, up to maxBytes of gpuBytes in total; a single page larger
    // than maxBytes is handed over alone, so no page can be stuck.
    std::vector<ReadyPage> takeReadyPages(uint64_t maxBytes);
    // The GPU side has uploaded a page from takeReadyPages(): the cut may use it from the next update().
    void markResident(ArtifactId artifact, uint32_t page);
    // Pages the GPU side must free to stay within gpuBudgetBytes, least recently useful first. They
    // have already left the cut. Never a root page.
    std::vector<PageKey> takeEvictions();
    // Textures (the GPU side streams them; see stream_gpu/gpu_streamer.h) share the GPU budget:
    // pixels per model unit at the nearest point of the artifact's bounds this frame, the larger over
    // the views (0 while unseen or not open), to choose the mip the screen needs;
    float pixelsPerUnit(ArtifactId artifact) const;
    // room for `bytes` more of the artifact's texture memory, made by evicting pages with the same
    // rule as a page request of `priority` (the texel error it removes, in pixels: comparable with a
    // page's projected geometric error). False, with nothing reserved, when it does not fit.
    bool reserveTextureBytes(ArtifactId artifact, uint64_t bytes, float priority);
    // Gives back texture memory reserved before (a texture dropped to fewer mips, or freed).
    void releaseTextureBytes(ArtifactId artifact, uint64_t bytes);

    // Failures, each reported once (a page or an open given up on), for the app to show or log.
    std::vector<std::string> takeErrors();

    // This frame, for every artifact: open (or failed for good), nothing the ideal cut needs is missing
    // (failed pages excepted) and nothing is on its way. Headless renders and thumbnails wait for it.
    bool settled() const { return settled_; }

    StreamStats stats() const;
    ArtifactStatus status(ArtifactId artifact) const;
    // The artifact's reader once open (materials, textures, directory); null before. Use only from
    // the frame thread; its page readers are for the I/O threads.
    const pack::PackReader* reader(ArtifactId artifact) const;
    // The artifact's source, for reads of its own beside the scene's (textures, on a worker thread):
    // safe from any thread (add() requires it); its bytes count in stats().bytesFetched.
    pack::ByteSource& source(ArtifactId artifact);
    PageState pageState(ArtifactId artifact, uint32_t page) const;
    uint64_t pageLastUsedFrame(ArtifactId artifact, uint32_t page) const;  // the last update() that needed it
    uint64_t frameIndex() const { return frame_; }                       // updates so far
    const StreamOptions& options() const { return options_; }
    void setOptions(const StreamOptions& options);  // threshold and budgets; ioThreads is fixed at construction

private:
    struct Artifact;
    struct Impl;
    void collectCompletions();
    void submitOpens();
    void selectRequestAndCut(std::span<const scene::View> views, glm::uvec2 viewportPixels);

    StreamOptions options_;
    std::unique_ptr<Impl> impl_;
    std::vector<DrawCluster> cut_;
    uint64_t frame_ = 0;
    bool settled_ = false;
};

}  // namespace vt::stream
