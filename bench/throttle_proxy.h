#pragma once
// A throttling TCP proxy for benchmarks: a slow link in front of a fast local server (nginx).
//
// It models one rural link shared by every connection:
//  - Responses (server -> client) go through one shared pipe of `bytesPerSecond`, from their first
//    byte: each chunk read from the server is reserved on the pipe after whatever is already queued
//    on it (any connection), and handed to the client when its last byte would have arrived. An idle
//    pipe stores up nothing (no burst), so N parallel connections share the rate instead of
//    multiplying it. The one exception: a connection whose own previous chunk was the last on the
//    pipe, back within min(kCatchUp, requestLatency / 2), continues where that chunk ended, so a
//    relay thread that wakes late on a busy machine does not slow its transfer down (a real link
//    would not have paused). A new response can never pass for such a continuation: its request
//    alone takes requestLatency to reach the server. (With no latency there is no catch-up, and a
//    loaded machine may deliver a little less than the rate; the measurement shows it.)
//  - Requests (client -> server) are held `requestLatency` before they reach the server: every
//    request pays one round trip of latency. They are not throttled (a GET is a few hundred bytes).
// Connection setup is free (a warm keep-alive connection is the common case over HTTP/1.1).
//
// It also measures what it did, from real clock readings rather than its own bookkeeping: every
// chunk's interval from the moment it was available from the server to the moment it was handed to
// the client; bytes over the union of those intervals is the throughput the link delivered while it
// had something to deliver, which must match bytesPerSecond (a pipe that throttles per connection,
// or lets a response's first bytes through unthrottled, measures higher).
//
// Threads: one listener thread and two threads per connection; the destructor stops and joins them.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace vt::bench {

struct LinkOptions {
    double bytesPerSecond = 1e6;
    std::chrono::milliseconds requestLatency{0};
};

// What crossed the link since the last resetMeasurement().
struct LinkMeasurement {
    uint64_t bytes = 0;          // response bytes handed to clients (headers included)
    double busySeconds = 0.0;    // union of the chunks' [available, delivered] intervals
    uint32_t connections = 0;    // client connections accepted
    double bytesPerSecond() const { return busySeconds > 0.0 ? double(bytes) / busySeconds : 0.0; }
};

class ThrottleProxy {
public:
    // Listens on 127.0.0.1 at a free port and forwards every connection to 127.0.0.1:upstreamPort.
    static Result<std::unique_ptr<ThrottleProxy>> start(uint16_t upstreamPort, LinkOptions link);
    ~ThrottleProxy();
    ThrottleProxy(const ThrottleProxy&) = delete;
    ThrottleProxy& operator=(const ThrottleProxy&) = delete;

    uint16_t port() const { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + path; }
    const LinkOptions& link() const { return link_; }

    void resetMeasurement();
    LinkMeasurement measurement() const;

    // Longest a relay thread may be late and still continue its transfer back to back (capped at half
    // the request latency, see above).
    static constexpr std::chrono::milliseconds kCatchUp{50};
    // Largest chunk reserved on the pipe at a time, bytes: small enough that connections interleave
    // finely (4 KiB is 4 ms at 1 MB/s, 16 ms at 2 Mbit/s).
    static constexpr size_t kChunkBytes = 4096;

private:
    using Clock = std::chrono::steady_clock;
    struct Connection;
    ThrottleProxy() = default;
    void acceptLoop();
    void relayRequests(Connection& connection);   // client -> server, delayed
    void relayResponses(Connection& connection);  // server -> client, through the shared pipe
    // When `bytes` queued now by `connection` would have arrived.
    Clock::time_point reserve(Connection& connection, size_t bytes);

    LinkOptions link_;
    uint16_t upstreamPort_ = 0;
    uint16_t port_ = 0;
    int listenFd_ = -1;
    std::thread listener_;

    mutable std::mutex mutex_;  // guards everything below
    bool stopping_ = false;
    Clock::time_point pipeFree_{};  // when the pipe finishes what is queued on it
    std::vector<std::unique_ptr<Connection>> connections_;
    std::vector<std::pair<Clock::time_point, Clock::time_point>> intervals_;
    uint64_t bytes_ = 0;
    uint32_t accepted_ = 0;
};

}  // namespace vt::bench
