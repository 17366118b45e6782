#pragma once
// Pack bytes over HTTP(S) range requests, from any static file server or CDN (nothing special
// server-side: the server must answer `Range: bytes=a-b` with 206, as nginx, Apache, S3 and every
// CDN do).
//
// open() sends no HEAD: one GET for `Range: bytes=0-(firstRequestBytes-1)`, whose Content-Range names
// the total size, and keeps the bytes it brings (for a pack: header, directory and root page, so a
// first frame needs this one round trip). A server that ignores Range answers 200: its
// Content-Length is the size, and when the file is at most maxWholeBodyBytes the whole body is kept.
// A 416 means an empty file. It also remembers the ETag and Last-Modified validators.
//
// read() answers from the kept bytes without a request when it can; a read that starts inside them
// and ends past them requests only the missing tail. Otherwise it sends `Range: bytes=a-b` and
// trusts nothing in the answer:
//  - 206 must carry a Content-Range naming exactly a-b and the total size learned at open; the body
//    must be exactly b-a+1 bytes (a connection closed mid-body is an error, retried).
//  - 200 (a server or proxy that ignores Range) is accepted only when the body is the whole file
//    and the file is at most HttpOptions::maxWholeBodyBytes; the asked range is sliced from it.
//    A larger file is refused at the first body byte ("server ignores Range requests"), since
//    streaming by downloading the whole pack per page would silently cost orders of magnitude.
//  - A different total size, ETag or Last-Modified than at open means the pack changed under us:
//    an error, never retried, because mixing bytes of two versions would corrupt the reader.
// Errors name the URL, the range and what was wrong, e.g.
//   "https://x/whale.vpk: bytes 100000-199999: server answered 500 Internal Server Error (3 attempts)".
// open() checks its answer the same way (a 206 must name bytes 0-b/SIZE, b the last byte asked for
// or the file's last byte), retries the same failures, and its errors name bytes 0-(firstRequestBytes-1).
//
// Transient failures (connection errors, timeouts, a stalled or truncated transfer, 5xx, 408, 429)
// are retried up to maxAttempts with exponential backoff and jitter, honouring Retry-After (in
// seconds) on 429/503. Other 4xx answers are final.
//
// Threads: read() may be called from any number of threads at once (the kept bytes never change
// after open). Each request borrows one of up to maxConnections curl handles; each handle keeps its
// own keep-alive connection, so N threads get N parallel requests (up to maxConnections) and
// sequential reads reuse warm connections. DNS and TLS sessions are shared between the handles. The
// source must outlive every read() call.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "pack/byte_source.h"
#include "pack/pack_format.h"

namespace vt::net {

struct HttpOptions {
    // Bytes open() asks for (from byte 0) and keeps in memory for the source's lifetime; at least 1.
    // The pack format's first read by default: it holds a pack's header, directory and root page
    // unless the pack is very large (then the reader asks for exactly the rest, in one more request).
    uint64_t firstRequestBytes = pack::kFirstRequestBytes;
    // Most requests in flight at once (= most curl handles, each with its own connection).
    uint32_t maxConnections = 6;
    // Tries per request, the first included; 1 disables retries.
    uint32_t maxAttempts = 4;
    // TCP (and TLS) connect limit for one attempt.
    std::chrono::milliseconds connectTimeout{5000};
    // A transfer slower than lowSpeedBytesPerSecond for lowSpeedTime (whole seconds, curl's
    // granularity) is abandoned as stalled, which also bounds the wait for a response that never comes.
    uint32_t lowSpeedBytesPerSecond = 1024;
    std::chrono::seconds lowSpeedTime{15};
    // Hard limit on one attempt, headers to last byte; 0 = none (the low-speed check still applies).
    std::chrono::milliseconds requestTimeout{0};
    // Backoff before retry k (k = 1, 2, ...): a random time in [d/2, d], d = min(initial * 2^(k-1), max).
    std::chrono::milliseconds initialBackoff{100};
    std::chrono::milliseconds maxBackoff{2000};
    // A Retry-After longer than this is clamped to it (a museum visitor will not wait minutes).
    std::chrono::milliseconds maxRetryAfter{5000};
    // Largest file accepted from a server that ignores Range and answers 200 with the whole body.
    uint64_t maxWholeBodyBytes = 8ull << 20;
    uint32_t maxRedirects = 5;
    // Compare ETag/Last-Modified of every answer with those seen at open (a changed pack is an
    // error). Turn off for server farms whose nodes disagree on validators for the same file.
    bool checkValidators = true;
    std::string userAgent = "vitrine";
};

// Counters over the source's lifetime, updated atomically by every read() and by open().
struct HttpStats {
    uint64_t requests = 0;       // HTTP requests sent, retries included
    uint64_t retries = 0;        // requests that were retries of a failed attempt
    uint64_t failures = 0;       // calls that returned an error (after their retries)
    uint64_t bytesReceived = 0;  // body bytes received, retries and discarded error bodies included
    uint64_t connections = 0;    // new TCP connections opened (the rest reused a kept-alive one)
};

class HttpSource final : public pack::ByteSource {
public:
    // Errors: malformed URL, unreachable server, 4xx/5xx after retries, no usable size.
    static Result<std::unique_ptr<HttpSource>> open(const std::string& url, const HttpOptions& options = {});
    ~HttpSource() override;
    HttpSource(const HttpSource&) = delete;
    HttpSource& operator=(const HttpSource&) = delete;

    uint64_t size() const override { return size_; }
    // Thread-safe. Exactly `bytes` bytes at `offset`; a 0-byte read, or one inside the bytes kept
    // at open, succeeds without a request.
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override;
    // The bytes kept from open's answer: min(firstRequestBytes, size()), the whole file when a server
    // that ignores Range sent it, or 0 when it was refused as too large.
    uint64_t heldPrefixBytes() const override { return prefix_.size(); }

    const std::string& url() const { return url_; }
    const std::string& etag() const { return etag_; }  // empty when the server sends none
    HttpStats stats() const;

    struct Impl;  // curl state; public only so the .cpp's helpers can name it

private:
    HttpSource(std::string url, const HttpOptions& options);
    // One ranged GET (with retries) for bytes [offset, offset + bytes), all of them past the prefix.
    Result<std::vector<uint8_t>> fetch(uint64_t offset, uint64_t bytes);

    std::string url_;
    HttpOptions options_;
    uint64_t size_ = 0;
    std::string etag_, lastModified_;
    std::vector<uint8_t> prefix_;  // bytes [0, prefix_.size()) of the file, from open(); never changed after
    std::unique_ptr<Impl> impl_;
};

// http:// and https:// (any case) to HttpSource with default options; anything else to pack::openFile.
Result<std::unique_ptr<pack::ByteSource>> openSource(const std::string& pathOrUrl);

}  // namespace vt::net
