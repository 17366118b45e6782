#include "net/http_source.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include <curl/curl.h>

namespace vt::net {
namespace {

// Status codes whose reason phrase HTTP/2 does not send but an error message should still name.
std::string_view reasonFor(long status) {
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) ==
                                                                std::tolower(static_cast<unsigned char>(y)); });
}

std::optional<uint64_t> parseUint(std::string_view s) {
    s = trim(s);
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

// "bytes FIRST-LAST/TOTAL" or, on 416, "bytes */TOTAL" (first/last absent). TOTAL "*" is unknown.
struct ContentRange {
    std::optional<uint64_t> first, last, total;
};
std::optional<ContentRange> parseContentRange(std::string_view s) {
    s = trim(s);
    if (s.size() < 6 || !equalsNoCase(s.substr(0, 6), "bytes ")) return std::nullopt;
    s.remove_prefix(6);
    const size_t slash = s.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    ContentRange range;
    const std::string_view span = s.substr(0, slash), total = s.substr(slash + 1);
    if (total != "*") {
        range.total = parseUint(total);
        if (!range.total) return std::nullopt;
    }
    if (span != "*") {
        const size_t dash = span.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        range.first = parseUint(span.substr(0, dash));
        range.last = parseUint(span.substr(dash + 1));
        if (!range.first || !range.last) return std::nullopt;
    }
    return range;
}

// One response as curl delivers it. Headers are reset at every status line, so only the final
// response after redirects (or a 100 Continue) remains.
struct Response {
    long status = 0;
    std::string reason;
    std::string contentRange, etag, lastModified, retryAfter;
    std::optional<uint64_t> contentLength;
    std::vector<uint8_t> body;
    uint64_t received = 0;  // all body bytes, kept or not

    // Set by the caller before the transfer: how much body each status may bring.
    uint64_t partialBytes = 0;       // exact 206 body size asked for
    uint64_t wholeLimit = 0;         // largest 200 body kept; a larger one aborts the transfer
    bool refusedWhole = false;       // aborted: a 200 body larger than wholeLimit
    bool overflow = false;           // aborted: more body than asked for

    std::string statusText() const {
        const std::string_view name = reason.empty() ? reasonFor(status) : std::string_view(reason);
        return name.empty() ? std::to_string(status) : std::format("{} {}", status, name);
    }
};

size_t onHeader(char* data, size_t size, size_t count, void* user) {
    auto& r = *static_cast<Response*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        const auto keep = std::pair{r.partialBytes, r.wholeLimit};
        r = Response{};
        std::tie(r.partialBytes, r.wholeLimit) = keep;
        // "HTTP/1.1 206 Partial Content" or "HTTP/2 206"
        const size_t space = line.find(' ');
        if (space != std::string_view::npos) {
            std::string_view rest = line.substr(space + 1);
            const size_t end = std::min(rest.find(' '), rest.size());
            r.status = static_cast<long>(parseUint(rest.substr(0, end)).value_or(0));
            if (end < rest.size()) r.reason = std::string(trim(rest.substr(end + 1)));
        }
        return line.size();
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return line.size();
    const std::string_view name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (equalsNoCase(name, "content-range")) r.contentRange = value;
    else if (equalsNoCase(name, "etag")) r.etag = value;
    else if (equalsNoCase(name, "last-modified")) r.lastModified = value;
    else if (equalsNoCase(name, "retry-after")) r.retryAfter = value;
    else if (equalsNoCase(name, "content-length")) r.contentLength = parseUint(value);
    return line.size();
}

size_t onBody(char* data, size_t size, size_t count, void* user) {
    auto& r = *static_cast<Response*>(user);
    const size_t n = size * count;
    r.received += n;
    uint64_t limit = 0;
    if (r.status == 206) {
        limit = r.partialBytes;
    } else if (r.status == 200) {
        // Checked on the declared length too, so a too-large whole body is refused before it downloads.
        if (r.body.empty() && (r.contentLength.value_or(0) > r.wholeLimit || r.wholeLimit == 0)) {
            r.refusedWhole = true;
            return 0;
        }
        limit = r.wholeLimit;
    } else {
        return n;  // an error page: drained so the connection stays reusable, not kept
    }
    if (n > limit - std::min<uint64_t>(limit, r.body.size())) {
        (r.status == 200 ? r.refusedWhole : r.overflow) = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    if (r.body.empty()) r.body.reserve(std::min(limit, r.contentLength.value_or(r.status == 206 ? limit : 0)));
    r.body.insert(r.body.end(), data, data + n);
    return n;
}

// curl failures that a retry cannot fix; every other one (connect, reset, timeout, stall, partial
// body, DNS hiccup) is worth another attempt.
bool isFinal(CURLcode code) {
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_LOGIN_DENIED: return true;
    default: return false;
    }
}

void globalInit() {
    // curl_global_init is not thread-safe on every build; once per process, never cleaned up
    // (sources may live until exit).
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

enum class Verdict { Ok, Retry, Fail };
struct Judgement {
    Verdict verdict = Verdict::Ok;
    std::string problem;
    std::chrono::milliseconds retryAfter{0};
};

Judgement retry(std::string problem) { return {Verdict::Retry, std::move(problem), {}}; }
Judgement failWith(std::string problem) { return {Verdict::Fail, std::move(problem), {}}; }

// What an HTTP status says about retrying, for statuses that are not a success.
Judgement judgeErrorStatus(const Response& r) {
    const std::string problem = std::format("server answered {}", r.statusText());
    if (r.status == 408 || r.status == 429 || (r.status >= 500 && r.status <= 599)) {
        Judgement j = retry(problem);
        if (r.status == 429 || r.status == 503) {
            // Only the delta-seconds form; an HTTP-date falls back to our own backoff.
            if (const auto seconds = parseUint(r.retryAfter)) j.retryAfter = std::chrono::seconds(*seconds);
        }
        return j;
    }
    if (r.status == 416) return failWith(problem + " (the file may have shrunk on the server)");
    return failWith(problem);
}

}  // namespace

struct HttpSource::Impl {
    struct Handle {
        CURL* curl = nullptr;
        std::array<char, CURL_ERROR_SIZE> error{};
    };

    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> shareLocks;

    std::mutex poolMutex;
    std::condition_variable poolFree;
    std::vector<std::unique_ptr<Handle>> handles;  // every handle made, owned here
    std::vector<Handle*> idle;

    std::mutex rngMutex;
    std::mt19937_64 rng{std::random_device{}()};

    std::atomic<uint64_t> requests{0}, retries{0}, failures{0}, bytesReceived{0}, connections{0};

    ~Impl() {
        for (auto& handle : handles) curl_easy_cleanup(handle->curl);
        if (share) curl_share_cleanup(share);
    }

    // Borrowed handle, returned to the pool on scope exit.
    class Lease {
    public:
        Lease(Impl& impl, Handle* handle) : impl_(impl), handle_(handle) {}
        ~Lease() {
            {
                std::lock_guard lock(impl_.poolMutex);
                impl_.idle.push_back(handle_);
            }
            impl_.poolFree.notify_one();
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Handle& operator*() const { return *handle_; }

    private:
        Impl& impl_;
        Handle* handle_;
    };

    std::chrono::milliseconds jitter(std::chrono::milliseconds d) {
        if (d.count() <= 1) return d;
        std::lock_guard lock(rngMutex);
        return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(d.count() / 2, d.count())(rng));
    }
};

HttpSource::HttpSource(std::string url, const HttpOptions& options)
    : url_(std::move(url)), options_(options), impl_(std::make_unique<Impl>()) {
    options_.maxConnections = std::max(options_.maxConnections, 1u);
    options_.maxAttempts = std::max(options_.maxAttempts, 1u);
    options_.firstRequestBytes = std::max<uint64_t>(options_.firstRequestBytes, 1);
}

HttpSource::~HttpSource() = default;

HttpStats HttpSource::stats() const {
    return {impl_->requests.load(), impl_->retries.load(), impl_->failures.load(), impl_->bytesReceived.load(),
            impl_->connections.load()};
}

namespace {

struct Request {
    uint64_t first = 0, last = 0;  // inclusive byte range
    uint32_t maxAttempts = 1;
};

std::string describe(const std::string& url, const Request& request) {
    return std::format("{}: bytes {}-{}", url, request.first, request.last);
}

}  // namespace

// Sends `request` with retries; `judge` decides for each answer. Returns the accepted response.
template <class Judge>
static Result<Response> exchange(HttpSource::Impl& impl, const std::string& url, const HttpOptions& options,
                                 const Request& request, Judge&& judge) {
    std::string problem;
    std::chrono::milliseconds retryAfter{0};  // the last answer's Retry-After, 0 if none
    uint32_t attempt = 0;
    for (; attempt < request.maxAttempts; ++attempt) {
        if (attempt > 0) {
            const auto exponent = std::min<uint32_t>(attempt - 1, 20);
            auto delay = impl.jitter(std::min(options.initialBackoff * (int64_t{1} << exponent), options.maxBackoff));
            delay = std::max(delay, std::min(retryAfter, options.maxRetryAfter));
            impl.retries.fetch_add(1);
            std::this_thread::sleep_for(delay);
        }
        // Borrow a handle: an idle one (warm connection), a new one under the limit, or wait.
        HttpSource::Impl::Handle* handle = nullptr;
        {
            std::unique_lock lock(impl.poolMutex);
            impl.poolFree.wait(lock, [&] { return !impl.idle.empty() || impl.handles.size() < options.maxConnections; });
            if (!impl.idle.empty()) {
                handle = impl.idle.back();
                impl.idle.pop_back();
            } else {
                auto made = std::make_unique<HttpSource::Impl::Handle>();
                made->curl = curl_easy_init();
                handle = made.get();
                impl.handles.push_back(std::move(made));
            }
        }
        HttpSource::Impl::Lease lease(impl, handle);
        CURL* curl = (*lease).curl;
        if (!curl) return fail("{}: cannot create a curl handle", describe(url, request));

        Response response;
        response.partialBytes = request.last - request.first + 1;
        response.wholeLimit = options.maxWholeBodyBytes;
        const std::string range = std::format("{}-{}", request.first, request.last);
        (*lease).error[0] = '\0';
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_SHARE, impl.share);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, (*lease).error.data());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");  // no redirect to file://
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(options.maxRedirects));
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connectTimeout.count()));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options.lowSpeedBytesPerSecond));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.lowSpeedTime.count()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.requestTimeout.count()));
        curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, options.userAgent.c_str());
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());

        impl.requests.fetch_add(1);
        const CURLcode code = curl_easy_perform(curl);
        long newConnections = 0;
        curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &newConnections);
        impl.connections.fetch_add(static_cast<uint64_t>(std::max(newConnections, 0L)));
        impl.bytesReceived.fetch_add(response.received);

        Judgement judgement;
        if (code == CURLE_WRITE_ERROR && (response.refusedWhole || response.overflow)) {
            judgement = judge(response, code);  // our own abort: the judge knows what it means
        } else if (code != CURLE_OK) {
            const std::string detail = (*lease).error[0] ? std::string((*lease).error.data()) : curl_easy_strerror(code);
            judgement = {isFinal(code) ? Verdict::Fail : Verdict::Retry, std::format("transfer failed: {}", detail), {}};
        } else {
            judgement = judge(response, code);
        }
        if (judgement.verdict == Verdict::Ok) return response;
        problem = std::move(judgement.problem);
        if (judgement.verdict == Verdict::Fail) {
            ++attempt;
            break;
        }
        retryAfter = judgement.retryAfter;
    }
    impl.failures.fetch_add(1);
    if (attempt > 1) return fail("{}: {} ({} attempts)", describe(url, request), problem, attempt);
    return fail("{}: {}", describe(url, request), problem);
}

Result<std::unique_ptr<HttpSource>> HttpSource::open(const std::string& url, const HttpOptions& options) {
    globalInit();
    std::unique_ptr<HttpSource> source(new HttpSource(url, options));
    Impl& impl = *source->impl_;
    impl.share = curl_share_init();
    if (!impl.share) return fail("{}: cannot create a curl share", url);
    // The handles share the DNS cache and TLS sessions (so a new connection resumes TLS cheaply);
    // curl calls these from whichever thread runs a transfer.
    curl_share_setopt(impl.share, CURLSHOPT_LOCKFUNC,
                      +[](CURL*, curl_lock_data data, curl_lock_access, void* user) {
                          static_cast<Impl*>(user)->shareLocks[static_cast<size_t>(data)].lock();
                      });
    curl_share_setopt(impl.share, CURLSHOPT_UNLOCKFUNC, +[](CURL*, curl_lock_data data, void* user) {
        static_cast<Impl*>(user)->shareLocks[static_cast<size_t>(data)].unlock();
    });
    curl_share_setopt(impl.share, CURLSHOPT_USERDATA, &impl);
    curl_share_setopt(impl.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(impl.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

    const HttpOptions& opts = source->options_;
    // No HEAD: the first bytes are wanted anyway, and their Content-Range names the size.
    const Request request{0, opts.firstRequestBytes - 1, opts.maxAttempts};
    auto opened = exchange(impl, url, opts, request, [&](const Response& r, CURLcode) -> Judgement {
        if (r.status == 206) {
            const auto range = parseContentRange(r.contentRange);
            if (!range || !range->first || !range->total || *range->total == 0) {
                return failWith(std::format("server answered 206 with a malformed Content-Range '{}'", r.contentRange));
            }
            // A file shorter than the request comes whole: the server ends the range at its last byte.
            const uint64_t last = std::min(request.last, *range->total - 1);
            if (*range->first != 0 || *range->last != last) {
                return failWith(std::format("server sent Content-Range '{}', not bytes 0-{}/{}", r.contentRange, last,
                                            *range->total));
            }
            if (r.overflow) return failWith(std::format("server sent more than the {} bytes asked for", last + 1));
            if (r.body.size() != last + 1) return retry(std::format("body ended after {} of {} bytes", r.body.size(), last + 1));
            return {};
        }
        if (r.status == 200) {
            // A server that ignores Range: its Content-Length is the size. The body is kept when it is
            // small enough; a larger one was refused unread, and reads will say why.
            if (!r.contentLength) return failWith("server ignores Range requests and sends no Content-Length");
            if (!r.refusedWhole && r.body.size() != *r.contentLength) {
                return retry(std::format("whole-file body ended after {} of {} bytes", r.body.size(), *r.contentLength));
            }
            return {};
        }
        // An empty file cannot satisfy bytes=0-N; a 416 names its total.
        if (r.status == 416) {
            const auto range = parseContentRange(r.contentRange);
            if (range && range->total && !range->first) return {};
        }
        return judgeErrorStatus(r);
    });
    if (!opened) return std::unexpected(opened.error());
    if (opened->status == 206) {
        source->size_ = *parseContentRange(opened->contentRange)->total;
        source->prefix_ = std::move(opened->body);
    } else if (opened->status == 200) {
        source->size_ = *opened->contentLength;
        if (!opened->refusedWhole) source->prefix_ = std::move(opened->body);
    } else {
        source->size_ = *parseContentRange(opened->contentRange)->total;
    }
    source->etag_ = opened->etag;
    source->lastModified_ = opened->lastModified;
    return source;
}

Result<std::vector<uint8_t>> HttpSource::read(uint64_t offset, uint64_t bytes) {
    if (offset > size_ || bytes > size_ - offset) {
        impl_->failures.fetch_add(1);
        return fail("{}: read of {} bytes at offset {} is past the end of the file ({} bytes)", url_, bytes, offset,
                    size_);
    }
    if (bytes == 0) return std::vector<uint8_t>{};
    const uint64_t held = prefix_.size(), end = offset + bytes;
    const auto at = [&](uint64_t i) { return prefix_.begin() + static_cast<std::ptrdiff_t>(i); };
    if (end <= held) return std::vector<uint8_t>(at(offset), at(end));
    if (offset >= held) return fetch(offset, bytes);
    // Starts inside the kept bytes: only the tail travels.
    auto tail = fetch(held, end - held);
    if (!tail) return std::unexpected(tail.error());
    std::vector<uint8_t> out;
    out.reserve(bytes);
    out.insert(out.end(), at(offset), prefix_.end());
    out.insert(out.end(), tail->begin(), tail->end());
    return out;
}

Result<std::vector<uint8_t>> HttpSource::fetch(uint64_t offset, uint64_t bytes) {
    const Request request{offset, offset + bytes - 1, options_.maxAttempts};
    auto checkValidators = [&](const Response& r) -> std::optional<Judgement> {
        if (!options_.checkValidators) return std::nullopt;
        if (!etag_.empty() && !r.etag.empty() && r.etag != etag_) {
            return failWith(std::format("the file changed on the server (ETag was {}, now {})", etag_, r.etag));
        }
        if (!lastModified_.empty() && !r.lastModified.empty() && r.lastModified != lastModified_) {
            return failWith(std::format("the file changed on the server (Last-Modified was {}, now {})", lastModified_,
                                        r.lastModified));
        }
        return std::nullopt;
    };
    auto judged = exchange(*impl_, url_, options_, request, [&](const Response& r, CURLcode) -> Judgement {
        if (r.status == 206) {
            const auto range = parseContentRange(r.contentRange);
            if (!range || !range->first || !range->total) {
                return failWith(std::format("server answered 206 with a malformed Content-Range '{}'", r.contentRange));
            }
            if (*range->total != size_) {
                return failWith(std::format("the file changed on the server (size was {} bytes, now {})", size_,
                                            *range->total));
            }
            if (*range->first != request.first || *range->last != request.last) {
                return failWith(std::format("server sent Content-Range '{}', not the range asked for", r.contentRange));
            }
            if (auto changed = checkValidators(r)) return *changed;
            if (r.overflow) return failWith(std::format("server sent more than the {} bytes asked for", bytes));
            if (r.body.size() != bytes) {
                return retry(std::format("body ended after {} of {} bytes", r.body.size(), bytes));
            }
            return {};
        }
        if (r.status == 200) {
            // A server (or proxy) that ignores Range: usable only as the whole, small enough, file.
            if (r.contentLength && *r.contentLength != size_) {
                return failWith(std::format("the file changed on the server (size was {} bytes, now {})", size_,
                                            *r.contentLength));
            }
            if (r.refusedWhole) {
                return failWith(std::format(
                    "server ignores Range requests (answered 200 with the whole file) and the file ({} bytes) is "
                    "larger than the {} bytes accepted that way",
                    size_, options_.maxWholeBodyBytes));
            }
            if (auto changed = checkValidators(r)) return *changed;
            if (r.body.size() != size_) {
                return retry(std::format("whole-file body ended after {} of {} bytes", r.body.size(), size_));
            }
            return {};
        }
        return judgeErrorStatus(r);
    });
    if (!judged) return std::unexpected(judged.error());
    if (judged->status == 200) {
        const auto begin = judged->body.begin() + static_cast<std::ptrdiff_t>(offset);
        return std::vector<uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(bytes));
    }
    return std::move(judged->body);
}

}  // namespace vt::net
