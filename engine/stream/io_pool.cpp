#include "stream/io_pool.h"

#include <format>

namespace vt::stream::detail {

IoPool::IoPool(uint32_t threads) {
    threads_.reserve(std::max(threads, 1u));
    for (uint32_t i = 0; i < std::max(threads, 1u); ++i) threads_.emplace_back([this] { run(); });
}

IoPool::~IoPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
}

void IoPool::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
}

std::vector<Completion> IoPool::drain() {
    std::vector<Completion> out;
    std::lock_guard lock(mutex_);
    out.swap(done_);
    return out;
}

void IoPool::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        Completion completion = execute(job);
        std::lock_guard lock(mutex_);
        done_.push_back(std::move(completion));
    }
}

namespace {

Completion executeOpen(const Job& job) {
    Completion out{JobKind::Open, job.artifact, 0, std::nullopt, {}, nullptr};
    ArtifactIo& io = *job.io;
    // A retry starts from scratch: the previous attempt may have failed half way.
    io.reader.reset();
    auto reader = pack::PackReader::open(io.source, io.label);
    if (!reader) {
        out.error = reader.error().message;
        return out;
    }
    auto layout = buildLayout(*reader);
    if (!layout) {
        out.error = layout.error().message;
        return out;
    }
    // The root page comes with the open: without it the artifact has nothing to draw.
    auto clusters = reader->readPage(0, &out.infos);
    if (!clusters) {
        out.error = clusters.error().message;
        return out;
    }
    io.reader.emplace(std::move(*reader));
    io.layout = std::move(*layout);
    out.clusters = std::move(*clusters);
    return out;
}

Completion executePage(const Job& job) {
    Completion out{JobKind::Page, job.artifact, job.page, std::nullopt, {}, nullptr};
    const ArtifactIo& io = *job.io;
    const pack::PackReader& reader = *io.reader;
    std::shared_ptr<const std::vector<uint8_t>> bytes = job.cached;
    if (!bytes) {
        const pack::PageInfo& info = reader.pages()[job.page];
        auto fetched = job.io->source.read(info.offset, info.compressedBytes);
        if (!fetched) {
            out.error = std::format("{}: byte {}: page {}: {}", io.label, info.offset, job.page, fetched.error().message);
            return out;
        }
        bytes = std::make_shared<const std::vector<uint8_t>>(std::move(*fetched));
        out.compressed = bytes;
    }
    auto clusters = reader.decodePage(job.page, *bytes, &out.infos);
    if (!clusters) {
        out.error = clusters.error().message;
        out.compressed = nullptr;  // never cache bytes that do not decode
        return out;
    }
    out.clusters = std::move(*clusters);
    return out;
}

}  // namespace

Completion execute(const Job& job) { return job.kind == JobKind::Open ? executeOpen(job) : executePage(job); }

}  // namespace vt::stream::detail
