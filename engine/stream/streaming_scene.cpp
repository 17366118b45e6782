#include "stream/streaming_scene.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <format>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/check.h"
#include "stream/io_pool.h"
#include "stream/lod_cut.h"

namespace vt::stream {
namespace {

using Clock = std::chrono::steady_clock;

// A page that is needed now may be evicted only for a request whose priority (projected error it
// removes, pixels) is this many times larger; without the margin two pages of similar priority
// would evict each other every frame.
constexpr float kEvictHysteresis = 2.0f;

double secondsBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

struct PageKeyHash {
    size_t operator()(const PageKey& k) const { return (size_t{k.artifact} << 32) ^ k.page; }
};

// Compressed page bytes, least recently used dropped first.
class PageCache {
public:
    std::shared_ptr<const std::vector<uint8_t>> find(const PageKey& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->bytes;
    }
    void insert(const PageKey& key, std::shared_ptr<const std::vector<uint8_t>> bytes, uint64_t capacity) {
        if (!bytes || bytes->size() > capacity || index_.contains(key)) return;
        bytes_ += bytes->size();
        order_.push_front({key, std::move(bytes)});
        index_[key] = order_.begin();
        trim(capacity);
    }
    void trim(uint64_t capacity) {
        while (bytes_ > capacity && !order_.empty()) {
            bytes_ -= order_.back().bytes->size();
            index_.erase(order_.back().key);
            order_.pop_back();
        }
    }
    uint64_t bytes() const { return bytes_; }

private:
    struct Entry {
        PageKey key;
        std::shared_ptr<const std::vector<uint8_t>> bytes;
    };
    std::list<Entry> order_;
    std::unordered_map<PageKey, std::list<Entry>::iterator, PageKeyHash> index_;
    uint64_t bytes_ = 0;
};

bool committed(PageState s) {
    return s == PageState::Requested || s == PageState::Ready || s == PageState::Uploading || s == PageState::Resident;
}
bool onGpu(PageState s) { return s == PageState::Uploading || s == PageState::Resident; }

}  // namespace

struct StreamingScene::Artifact {
    std::shared_ptr<detail::ArtifactIo> io;
    glm::mat4 worldFromModel{1.0f};
    ArtifactState state = ArtifactState::Opening;
    Clock::time_point added;
    uint32_t openAttempts = 0;
    Clock::time_point openRetryAt;
    bool openInFlight = false;

    // Once open. The layout lives in `io`, written by the open job before its completion was seen.
    const ArtifactLayout* layout = nullptr;
    std::vector<PageState> pages;
    std::vector<uint32_t> attempts;
    std::vector<Clock::time_point> retryAt;
    std::vector<uint64_t> lastUsed;  // frame index
    std::vector<float> priority;     // this frame; -1 when not needed
    std::vector<uint8_t> resident;
    std::vector<uint8_t> usable;
    std::vector<PageClusters> pageClusters;  // cluster records of pages that arrived and were not evicted since
    bool usableDirty = true;
    uint32_t pagesResident = 0;
    uint32_t pagesFailed = 0;
    uint64_t textureBytes = 0;       // GPU bytes the GPU side holds for this artifact's textures
    float pixelsPerUnit = 0.0f;      // this frame, at the nearest point of the bounds; 0 when unseen

    // Per-frame scratch, kept to avoid reallocating.
    std::vector<ModelView> views;
    GroupErrors groupErrors;
    std::vector<SelectedCluster> selected;

    double firstDrawSeconds = -1.0;
    double settledSeconds = -1.0;
};

struct StreamingScene::Impl {
    std::vector<std::unique_ptr<Artifact>> artifacts;
    std::deque<ReadyPage> ready;
    std::vector<PageKey> evictions;
    std::vector<std::string> errors;
    PageCache cache;
    uint64_t committedBytes = 0;  // requested + ready + uploading + resident: what the GPU will hold
    uint64_t gpuBytes = 0;        // uploading + resident
    uint32_t inFlight = 0;
    uint32_t failed = 0;
    uint32_t retries = 0;
    uint32_t pagesResident = 0;
    uint64_t trianglesDrawn = 0;
    std::optional<Clock::time_point> firstAdd;
    std::optional<Clock::time_point> burstStart;  // first add() since the scene last settled
    double firstDrawSeconds = -1.0;
    double settledSeconds = -1.0;
    detail::IoPool pool;  // last: destroyed first, so no worker outlives the state above

    explicit Impl(uint32_t threads) : pool(threads) {}

    // Resident pages in eviction order: least recently useful first; among pages needed now, the
    // least useful (lowest priority, then finest) first, so a page goes before the coarser pages it
    // depends on. Root pages never.
    struct Evictable {
        uint64_t lastUsed;
        float priority;
        uint32_t level;
        ArtifactId artifact;
        uint32_t page;
    };
    std::vector<Evictable> evictionOrder() const {
        std::vector<Evictable> out;
        for (uint32_t id = 0; id < artifacts.size(); ++id) {
            const Artifact& a = *artifacts[id];
            for (uint32_t p = 1; p < a.pages.size(); ++p) {
                if (a.pages[p] == PageState::Resident)
                    out.push_back({a.lastUsed[p], a.priority[p], a.layout->pageCoarsestLevel[p], id, p});
            }
        }
        std::sort(out.begin(), out.end(), [](const Evictable& x, const Evictable& y) {
            if (x.lastUsed != y.lastUsed) return x.lastUsed < y.lastUsed;
            if (x.priority != y.priority) return x.priority < y.priority;
            if (x.level != y.level) return x.level < y.level;
            if (x.artifact != y.artifact) return x.artifact < y.artifact;
            return x.page < y.page;
        });
        return out;
    }
    void evict(const Evictable& e) {
        setState(*artifacts[e.artifact], e.page, PageState::Absent);
        evictions.push_back({e.artifact, e.page});
    }

    void setState(Artifact& a, uint32_t page, PageState next) {
        PageState& current = a.pages[page];
        const uint64_t bytes = a.layout->pageGpuBytes[page];
        if (committed(current)) committedBytes -= bytes;
        if (onGpu(current)) gpuBytes -= bytes;
        if (current == PageState::Resident) {
            --pagesResident;
            --a.pagesResident;
            a.resident[page] = 0;
            a.usableDirty = true;
        }
        current = next;
        if (next == PageState::Absent || next == PageState::Failed) a.pageClusters[page] = {};  // records leave with the page
        if (committed(next)) committedBytes += bytes;
        if (onGpu(next)) gpuBytes += bytes;
        if (next == PageState::Resident) {
            ++pagesResident;
            ++a.pagesResident;
            a.resident[page] = 1;
            a.usableDirty = true;
        }
    }
};

StreamingScene::StreamingScene(StreamOptions options)
    : options_(options), impl_(std::make_unique<Impl>(std::max(options.ioThreads, 1u))) {}

StreamingScene::~StreamingScene() = default;

ArtifactId StreamingScene::add(std::unique_ptr<pack::ByteSource> source, std::string label, glm::mat4 worldFromModel) {
    VT_CHECK(source != nullptr, "StreamingScene::add needs a source");
    auto artifact = std::make_unique<Artifact>();
    artifact->io = std::make_shared<detail::ArtifactIo>(std::move(source), std::move(label));
    artifact->worldFromModel = worldFromModel;
    artifact->added = Clock::now();
    if (!impl_->firstAdd) impl_->firstAdd = artifact->added;
    if (!impl_->burstStart) impl_->burstStart = artifact->added;
    impl_->settledSeconds = -1.0;
    impl_->artifacts.push_back(std::move(artifact));
    return static_cast<ArtifactId>(impl_->artifacts.size() - 1);
}

void StreamingScene::setWorldFromModel(ArtifactId artifact, const glm::mat4& worldFromModel) {
    VT_CHECK(artifact < impl_->artifacts.size(), "unknown artifact");
    impl_->artifacts[artifact]->worldFromModel = worldFromModel;
}

void StreamingScene::setOptions(const StreamOptions& options) {
    const uint32_t threads = options_.ioThreads;
    options_ = options;
    options_.ioThreads = threads;
    impl_->cache.trim(options_.cpuCacheBytes);
}

void StreamingScene::update(std::span<const scene::View> views, glm::uvec2 viewportPixels) {
    VT_CHECK(views.size() <= 32, "at most 32 views (DrawCluster::viewMask)");
    ++frame_;
    collectCompletions();
    submitOpens();
    selectRequestAndCut(views, viewportPixels);
}

void StreamingScene::collectCompletions() {
    Impl& s = *impl_;
    const Clock::time_point now = Clock::now();
    for (detail::Completion& done : s.pool.drain()) {
        --s.inFlight;
        Artifact& a = *s.artifacts[done.artifact];
        if (done.kind == detail::JobKind::Open) {
            a.openInFlight = false;
            if (done.error) {
                if (++a.openAttempts >= options_.maxAttempts) {
                    a.state = ArtifactState::Failed;
                    ++s.failed;
                    s.errors.push_back(std::format("{} (gave up after {} attempts; the artifact is not shown)",
                                                   *done.error, a.openAttempts));
                } else {
                    ++s.retries;
                    a.openRetryAt = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                              options_.retryBackoffSeconds * std::ldexp(1.0, static_cast<int>(a.openAttempts) - 1)));
                }
                continue;
            }
            a.state = ArtifactState::Open;
            a.layout = &a.io->layout;
            const size_t pageCount = a.layout->pageGpuBytes.size();
            a.pages.assign(pageCount, PageState::Absent);
            a.attempts.assign(pageCount, 0);
            a.retryAt.assign(pageCount, Clock::time_point{});
            a.lastUsed.assign(pageCount, 0);
            a.priority.assign(pageCount, -1.0f);
            a.resident.assign(pageCount, 0);
            a.pageClusters.assign(pageCount, {});
            a.pageClusters[0] = std::move(done.infos);
            s.setState(a, 0, PageState::Ready);
            const uint64_t bytes = gpuByteEstimate(done.clusters);
            s.ready.push_back({done.artifact, 0, std::move(done.clusters), bytes});
            continue;
        }
        const PageKey key{done.artifact, done.page};
        if (a.pages[done.page] != PageState::Requested) continue;  // not expected; keep the state machine whole
        if (done.error) {
            if (++a.attempts[done.page] >= options_.maxAttempts) {
                s.setState(a, done.page, PageState::Failed);
                ++a.pagesFailed;
                ++s.failed;
                s.errors.push_back(std::format("{} (gave up after {} attempts; coarser levels stay on screen)", *done.error,
                                               a.attempts[done.page]));
            } else {
                s.setState(a, done.page, PageState::Absent);
                ++s.retries;
                a.retryAt[done.page] = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                                 options_.retryBackoffSeconds * std::ldexp(1.0, static_cast<int>(a.attempts[done.page]) - 1)));
            }
            continue;
        }
        s.cache.insert(key, std::move(done.compressed), options_.cpuCacheBytes);
        a.pageClusters[done.page] = std::move(done.infos);
        s.setState(a, done.page, PageState::Ready);
        const uint64_t bytes = gpuByteEstimate(done.clusters);
        s.ready.push_back({done.artifact, done.page, std::move(done.clusters), bytes});
    }
}

void StreamingScene::submitOpens() {
    // Opens first: an artifact draws nothing until its directory and root page are in.
    Impl& s = *impl_;
    const Clock::time_point now = Clock::now();
    for (uint32_t id = 0; id < s.artifacts.size() && s.inFlight < options_.maxRequestsInFlight; ++id) {
        Artifact& a = *s.artifacts[id];
        if (a.state != ArtifactState::Opening || a.openInFlight || now < a.openRetryAt) continue;
        a.openInFlight = true;
        ++s.inFlight;
        s.pool.submit({detail::JobKind::Open, id, 0, a.io, nullptr});
    }
}

void StreamingScene::selectRequestAndCut(std::span<const scene::View> views, glm::uvec2 viewportPixels) {
    Impl& s = *impl_;
    const Clock::time_point now = Clock::now();
    const float threshold = options_.pixelErrorThreshold;

    // Pass 1, per artifact: which groups the ideal cut (everything resident) needs, and so which pages
    // are useful now and how much projected error each missing one would remove.
    struct Candidate {
        float priority;
        uint32_t level;
        ArtifactId artifact;
        uint32_t page;
    };
    std::vector<Candidate> candidates;
    for (uint32_t id = 0; id < s.artifacts.size(); ++id) {
        Artifact& a = *s.artifacts[id];
        if (a.state != ArtifactState::Open) continue;
        const ArtifactLayout& layout = *a.layout;
        a.views.clear();
        for (const scene::View& view : views) a.views.push_back(toModelSpace(view, a.worldFromModel, viewportPixels.y));
        projectGroups(layout, a.views, threshold, a.groupErrors);
        a.pixelsPerUnit = visibleMask(a.views, layout.bounds) ? projectedError(a.views, layout.bounds, 1.0f) : 0.0f;
        std::fill(a.priority.begin(), a.priority.end(), -1.0f);
        a.lastUsed[0] = frame_;  // pinned
        for (uint32_t g = 0; g < layout.groups.size(); ++g) {
            // Every coarse group is needed, not only those drawn: a finer group is usable only when the
            // groups its simplification fed are resident (lod_cut.h).
            if (!a.groupErrors.coarse[g] || visibleMask(a.views, layout.groups[g].simplifiedBounds) == 0) continue;
            const uint32_t page = layout.groupPage[g];
            a.lastUsed[page] = frame_;
            a.priority[page] = std::max(a.priority[page], a.groupErrors.projected[g]);
        }
        for (uint32_t p = 0; p < a.pages.size(); ++p) {
            if (a.lastUsed[p] == frame_ && a.pages[p] == PageState::Absent && now >= a.retryAt[p]) {
                candidates.push_back({a.priority[p], layout.pageCoarsestLevel[p], id, p});
            }
        }
    }

    // Requests: most projected error removed first (the priority is monotonic up the hierarchy, so
    // coarse pages come before the finer pages that depend on them), then coarser, then older artifacts.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
        if (x.priority != y.priority) return x.priority > y.priority;
        if (x.level != y.level) return x.level > y.level;
        if (x.artifact != y.artifact) return x.artifact < y.artifact;
        return x.page < y.page;
    });
    std::vector<Impl::Evictable> evictable;
    size_t evictCursor = 0;
    bool evictableBuilt = false;
    auto buildEvictable = [&] {
        evictableBuilt = true;
        evictable = s.evictionOrder();
    };
    auto evictNext = [&] { s.evict(evictable[evictCursor++]); };
    const uint64_t budget = options_.gpuBudgetBytes;
    for (const Candidate& c : candidates) {
        if (s.inFlight >= options_.maxRequestsInFlight) break;
        Artifact& a = *s.artifacts[c.artifact];
        const uint64_t bytes = a.layout->pageGpuBytes[c.page];
        if (s.committedBytes + bytes > budget) {
            if (!evictableBuilt) buildEvictable();
            while (s.committedBytes + bytes > budget && evictCursor < evictable.size()) {
                const Impl::Evictable& e = evictable[evictCursor];
                if (e.lastUsed == frame_ && !(e.priority * kEvictHysteresis < c.priority)) break;
                evictNext();
            }
            if (s.committedBytes + bytes > budget) continue;  // a smaller, less useful page may still fit
        }
        const PageKey key{c.artifact, c.page};
        s.setState(a, c.page, PageState::Requested);
        ++s.inFlight;
        s.pool.submit({detail::JobKind::Page, c.artifact, c.page, a.io, s.cache.find(key)});
    }
    // A lowered budget: give back pages until within it (requested and uploading pages cannot be).
    if (s.committedBytes > budget) {
        if (!evictableBuilt) buildEvictable();
        while (s.committedBytes > budget && evictCursor < evictable.size()) evictNext();
    }

    // Pass 2: the cut from what is resident now.
    cut_.clear();
    bool allSettled = true;
    for (uint32_t id = 0; id < s.artifacts.size(); ++id) {
        Artifact& a = *s.artifacts[id];
        if (a.state == ArtifactState::Opening) allSettled = false;
        if (a.state != ArtifactState::Open) continue;
        const ArtifactLayout& layout = *a.layout;
        if (a.usableDirty) {
            computeUsableGroups(layout, a.resident, a.usable);
            a.usableDirty = false;
        }
        selectClusters(layout, a.pageClusters, a.views, threshold, a.groupErrors, a.usable, Culling::Frustum, a.selected);
        for (const SelectedCluster& selected : a.selected) {
            const pack::ClusterInfo& info = a.pageClusters[selected.page][selected.clusterInPage];
            cut_.push_back({id, selected.page, selected.clusterInPage, info.material, info.triangleCount, selected.viewMask,
                            a.worldFromModel});
        }
        const double sinceAdd = secondsBetween(a.added, now);
        if (a.firstDrawSeconds < 0 && !a.selected.empty()) a.firstDrawSeconds = sinceAdd;
        // Settled: every page the ideal cut needs is resident (or failed for good) and nothing is on its way.
        bool pending = false;
        for (uint32_t p = 0; p < a.pages.size() && !pending; ++p) {
            const PageState state = a.pages[p];
            pending = state == PageState::Requested || state == PageState::Ready || state == PageState::Uploading ||
                      (a.lastUsed[p] == frame_ && state == PageState::Absent);
        }
        if (!pending && a.settledSeconds < 0) a.settledSeconds = sinceAdd;
        allSettled = allSettled && !pending;
    }
    s.trianglesDrawn = 0;
    for (const DrawCluster& draw : cut_) s.trianglesDrawn += draw.triangles;
    if (s.firstDrawSeconds < 0 && !cut_.empty() && s.firstAdd) s.firstDrawSeconds = secondsBetween(*s.firstAdd, now);
    settled_ = allSettled;
    if (allSettled && s.burstStart) {
        s.settledSeconds = secondsBetween(*s.burstStart, now);
        s.burstStart.reset();
    }
}

std::vector<ReadyPage> StreamingScene::takeReadyPages(uint64_t maxBytes) {
    Impl& s = *impl_;
    std::vector<ReadyPage> out;
    uint64_t total = 0;
    while (!s.ready.empty() && (out.empty() || total + s.ready.front().gpuBytes <= maxBytes)) {
        ReadyPage& page = s.ready.front();
        total += page.gpuBytes;
        s.setState(*s.artifacts[page.artifact], page.page, PageState::Uploading);
        out.push_back(std::move(page));
        s.ready.pop_front();
    }
    return out;
}

void StreamingScene::markResident(ArtifactId artifact, uint32_t page) {
    Impl& s = *impl_;
    VT_CHECK(artifact < s.artifacts.size(), "markResident: unknown artifact");
    Artifact& a = *s.artifacts[artifact];
    VT_CHECK(page < a.pages.size() && a.pages[page] == PageState::Uploading,
             "markResident: the page was not handed over by takeReadyPages (or was already marked)");
    s.setState(a, page, PageState::Resident);
}

float StreamingScene::pixelsPerUnit(ArtifactId artifact) const {
    VT_CHECK(artifact < impl_->artifacts.size(), "pixelsPerUnit: unknown artifact");
    const Artifact& a = *impl_->artifacts[artifact];
    return a.state == ArtifactState::Open ? a.pixelsPerUnit : 0.0f;
}

bool StreamingScene::reserveTextureBytes(ArtifactId artifact, uint64_t bytes, float priority) {
    Impl& s = *impl_;
    VT_CHECK(artifact < s.artifacts.size(), "reserveTextureBytes: unknown artifact");
    const uint64_t budget = options_.gpuBudgetBytes;
    if (s.committedBytes + bytes > budget) {
        // The same rule as a page request: pages not needed now go first, a page needed now only for a
        // texture level kEvictHysteresis times more useful.
        for (const Impl::Evictable& e : s.evictionOrder()) {
            if (s.committedBytes + bytes <= budget) break;
            if (e.lastUsed == frame_ && !(e.priority * kEvictHysteresis < priority)) break;
            s.evict(e);
        }
        if (s.committedBytes + bytes > budget) return false;
    }
    s.artifacts[artifact]->textureBytes += bytes;
    s.committedBytes += bytes;
    s.gpuBytes += bytes;
    return true;
}

void StreamingScene::releaseTextureBytes(ArtifactId artifact, uint64_t bytes) {
    Impl& s = *impl_;
    VT_CHECK(artifact < s.artifacts.size(), "releaseTextureBytes: unknown artifact");
    Artifact& a = *s.artifacts[artifact];
    VT_CHECK(bytes <= a.textureBytes, "releaseTextureBytes: more than was reserved");
    a.textureBytes -= bytes;
    s.committedBytes -= bytes;
    s.gpuBytes -= bytes;
}

std::vector<PageKey> StreamingScene::takeEvictions() { return std::exchange(impl_->evictions, {}); }

std::vector<std::string> StreamingScene::takeErrors() { return std::exchange(impl_->errors, {}); }

StreamStats StreamingScene::stats() const {
    const Impl& s = *impl_;
    StreamStats out;
    out.trianglesDrawn = s.trianglesDrawn;
    out.clustersDrawn = cut_.size();
    out.residentGpuBytes = s.gpuBytes;
    out.cachedCpuBytes = s.cache.bytes();
    out.pendingRequests = s.inFlight;
    out.failedRequests = s.failed;
    out.retries = s.retries;
    for (const auto& a : s.artifacts) {
        out.bytesFetched += a->io->source.fetched();
        out.artifactsOpen += a->state == ArtifactState::Open;
    }
    out.pagesResident = s.pagesResident;
    out.timeToFirstDrawSeconds = s.firstDrawSeconds;
    out.timeToSettledSeconds = s.settledSeconds;
    return out;
}

ArtifactStatus StreamingScene::status(ArtifactId artifact) const {
    VT_CHECK(artifact < impl_->artifacts.size(), "status: unknown artifact");
    const Artifact& a = *impl_->artifacts[artifact];
    return {a.state, a.io->label, static_cast<uint32_t>(a.pages.size()), a.pagesResident, a.pagesFailed,
            a.firstDrawSeconds, a.settledSeconds};
}

const pack::PackReader* StreamingScene::reader(ArtifactId artifact) const {
    VT_CHECK(artifact < impl_->artifacts.size(), "reader: unknown artifact");
    const Artifact& a = *impl_->artifacts[artifact];
    return a.state == ArtifactState::Open ? &*a.io->reader : nullptr;
}

pack::ByteSource& StreamingScene::source(ArtifactId artifact) {
    VT_CHECK(artifact < impl_->artifacts.size(), "source: unknown artifact");
    return impl_->artifacts[artifact]->io->source;
}

PageState StreamingScene::pageState(ArtifactId artifact, uint32_t page) const {
    VT_CHECK(artifact < impl_->artifacts.size(), "pageState: unknown artifact");
    const Artifact& a = *impl_->artifacts[artifact];
    return page < a.pages.size() ? a.pages[page] : PageState::Absent;
}

uint64_t StreamingScene::pageLastUsedFrame(ArtifactId artifact, uint32_t page) const {
    VT_CHECK(artifact < impl_->artifacts.size(), "pageLastUsedFrame: unknown artifact");
    const Artifact& a = *impl_->artifacts[artifact];
    return page < a.lastUsed.size() ? a.lastUsed[page] : 0;
}

}  // namespace vt::stream
