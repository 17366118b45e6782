#pragma once
// The I/O threads of the streaming core (internal to engine/stream): open artifacts (header,
// directory, root page) and fetch + checksum + decode pages, off the frame thread.
//
// The frame thread submits Jobs and drains Completions; it never waits on a job. Workers share an
// artifact's ByteSource and its PackReader: PackReader::decodePage is const and keeps no state
// between calls (zstd's one-shot ZSTD_decompress, XXH3 and meshoptimizer's decoders are reentrant),
// and ByteSource::read must be safe to call from several threads at once (see StreamingScene::add).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "asset/cluster_lod.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "stream/lod_cut.h"

namespace vt::stream::detail {

// Counts the bytes read through it (for StreamStats::bytesFetched); reads pass straight through.
class CountingSource final : public pack::ByteSource {
public:
    explicit CountingSource(std::unique_ptr<pack::ByteSource> inner) : inner_(std::move(inner)) {}
    uint64_t size() const override { return inner_->size(); }
    uint64_t heldPrefixBytes() const override { return inner_->heldPrefixBytes(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        auto data = inner_->read(offset, bytes);
        if (data) fetched_.fetch_add(data->size(), std::memory_order_relaxed);
        return data;
    }
    uint64_t fetched() const { return fetched_.load(std::memory_order_relaxed); }

private:
    std::unique_ptr<pack::ByteSource> inner_;
    std::atomic<uint64_t> fetched_{0};
};

// What the workers share about one artifact. `reader` and `layout` are written once by the open job
// and read by page jobs only after the frame thread has seen the open job complete (the pool's
// mutexes order the accesses).
struct ArtifactIo {
    CountingSource source;
    std::string label;
    std::optional<pack::PackReader> reader;
    ArtifactLayout layout;

    ArtifactIo(std::unique_ptr<pack::ByteSource> inner, std::string name) : source(std::move(inner)), label(std::move(name)) {}
};

enum class JobKind { Open, Page };

struct Job {
    JobKind kind = JobKind::Page;
    uint32_t artifact = 0;
    uint32_t page = 0;
    std::shared_ptr<ArtifactIo> io;
    // Compressed page bytes from the CPU cache: decode only, no fetch.
    std::shared_ptr<const std::vector<uint8_t>> cached;
};

struct Completion {
    JobKind kind = JobKind::Page;
    uint32_t artifact = 0;
    uint32_t page = 0;
    std::optional<std::string> error;  // set on failure (the job may be retried)
    std::vector<asset::Cluster> clusters;  // the decoded page (page 0 for an open job)
    std::shared_ptr<const std::vector<uint8_t>> compressed;  // fetched bytes, for the CPU cache (null when cached)
    std::vector<pack::ClusterInfo> infos;  // the page's cluster records (selection metadata)
};

class IoPool {
public:
    explicit IoPool(uint32_t threads);
    ~IoPool();  // finishes the jobs being run (a slow read delays it), drops the queued ones
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    void submit(Job job);
    std::vector<Completion> drain();  // never blocks for long: one short lock

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    std::vector<Completion> done_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// Runs one job on the calling thread (what a worker does).
Completion execute(const Job& job);

}  // namespace vt::stream::detail
