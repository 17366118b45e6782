// HttpSource against a real nginx serving a pack converted from a corpus scan (bytes, PackReader,
// verifyPack, 8 threads, a throttled link), and against a fault-injecting server (every way a
// server or network breaks: the expected error, in bounded time, with bounded retries).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "convert_scan.h"
#include "fault_server.h"
#include "file_lock.h"
#include "net/http_source.h"
#include "nginx_server.h"
#include "pack/pack_reader.h"
#include "pack/pack_verify.h"

namespace vt::net::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const std::filesystem::path kCorpus = VITRINE_CORPUS_DIR;
const std::filesystem::path kWhale = kCorpus / "meshes/iiif3d-assets/assets/whale/whale_cranium.glb";
const std::filesystem::path kOutput = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "net";

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<uint8_t> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The whale pack, converted once and kept between test processes (ctest runs each test alone);
// reconverted when the kept one no longer opens (e.g. after a format change). Returns "" or why not.
// Under a lock: test processes start in parallel, and one converting while another already serves
// the pack would replace the file under that one's nginx.
std::string ensureWhalePack(const std::filesystem::path& pack) {
    if (!std::filesystem::exists(kWhale)) return "corpus scan missing: " + kWhale.string();
    const ::vt::test::FileLock lock(pack.parent_path().parent_path() / (pack.filename().string() + ".lock"));
    if (std::filesystem::exists(pack)) {
        if (auto source = pack::openFile(pack)) {
            if (pack::PackReader::open(**source, "whale.vpk")) return "";
        }
    }
    std::filesystem::create_directories(pack.parent_path());
    auto converted = convert::convertScans({kWhale}, pack, {});
    return converted ? "" : converted.error().message;
}

class NginxTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // Convert before any thread exists: the converter forks importer children.
        const std::filesystem::path served = kOutput / "www";
        setupError() = ensureWhalePack(served / "whale.vpk");
        if (!setupError().empty()) return;
        workDir() = kOutput / std::format("nginx-{}", ::getpid());  // ctest runs test processes in parallel
        auto started = NginxServer::start(served, workDir());
        if (!started) {
            setupError() = started.error().message;
            return;
        }
        server() = std::move(*started);
        packBytes() = readFile(served / "whale.vpk");
    }
    static void TearDownTestSuite() {
        server().reset();
        std::error_code ignored;
        if (!workDir().empty() && !::testing::UnitTest::GetInstance()->Failed()) {
            std::filesystem::remove_all(workDir(), ignored);  // kept after a failure: config and logs
        }
    }
    void SetUp() override {
        if (!setupError().empty()) FAIL() << "test server setup failed: " << setupError();
    }

    static std::string& setupError() {
        static std::string error;
        return error;
    }
    static std::filesystem::path& workDir() {
        static std::filesystem::path path;
        return path;
    }
    static std::unique_ptr<NginxServer>& server() {
        static std::unique_ptr<NginxServer> instance;
        return instance;
    }
    static std::vector<uint8_t>& packBytes() {
        static std::vector<uint8_t> bytes;
        return bytes;
    }
};

TEST_F(NginxTest, WholePackIsByteIdenticalToTheFile) {
    auto source = HttpSource::open(server()->url("whale.vpk"));
    ASSERT_TRUE(source) << source.error().message;
    ASSERT_EQ((*source)->size(), packBytes().size());
    EXPECT_FALSE((*source)->etag().empty()) << "nginx sends an ETag for static files";

    auto whole = (*source)->read(0, (*source)->size());
    ASSERT_TRUE(whole) << whole.error().message;
    EXPECT_TRUE(*whole == packBytes());

    // The same bytes again in odd-sized pieces on one kept-alive connection.
    std::vector<uint8_t> pieces;
    constexpr uint64_t kPiece = 300'007;
    for (uint64_t offset = 0; offset < packBytes().size(); offset += kPiece) {
        auto piece = (*source)->read(offset, std::min<uint64_t>(kPiece, packBytes().size() - offset));
        ASSERT_TRUE(piece) << piece.error().message;
        pieces.insert(pieces.end(), piece->begin(), piece->end());
    }
    EXPECT_TRUE(pieces == packBytes());
    const HttpStats stats = (*source)->stats();
    EXPECT_EQ(stats.connections, 1u) << "sequential reads must reuse one keep-alive connection";
    EXPECT_EQ(stats.retries, 0u);
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_EQ(stats.bytesReceived, 2 * packBytes().size());

    // The last byte, an empty read, and a read past the end (refused without a request).
    auto last = (*source)->read(packBytes().size() - 1, 1);
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_EQ(last->at(0), packBytes().back());
    EXPECT_TRUE((*source)->read(packBytes().size(), 0).has_value());
    auto past = (*source)->read(packBytes().size() - 1, 2);
    ASSERT_FALSE(past);
    EXPECT_NE(past.error().message.find("past the end"), std::string::npos) << past.error().message;
}

TEST_F(NginxTest, PackReaderAndVerifyWorkOverHttp) {
    auto source = HttpSource::open(server()->url("whale.vpk"));
    ASSERT_TRUE(source) << source.error().message;
    auto reader = pack::PackReader::open(**source, "whale.vpk");
    ASSERT_TRUE(reader) << reader.error().message;
    auto root = reader->readPage(0);
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_FALSE(root->empty());

    const pack::VerifyReport report = pack::verifyPack(*reader);
    for (const auto& fault : report.faults) ADD_FAILURE() << fault;
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.pagesDecoded, reader->pages().size());
    EXPECT_EQ(report.mipsChecked, reader->mips().size());

    // The same pack read from disk decodes to the same root page.
    auto file = pack::openFile(kOutput / "www/whale.vpk");
    ASSERT_TRUE(file);
    auto fileReader = pack::PackReader::open(**file, "whale.vpk");
    ASSERT_TRUE(fileReader);
    auto fileRoot = fileReader->readPage(0);
    ASSERT_TRUE(fileRoot);
    ASSERT_EQ(fileRoot->size(), root->size());
    for (size_t i = 0; i < root->size(); ++i) EXPECT_EQ((*root)[i].indices, (*fileRoot)[i].indices);
    std::printf("verifyPack over HTTP: %u pages, %u mips, %llu requests, %llu bytes, %llu connections\n",
                report.pagesDecoded, report.mipsChecked,
                static_cast<unsigned long long>((*source)->stats().requests),
                static_cast<unsigned long long>((*source)->stats().bytesReceived),
                static_cast<unsigned long long>((*source)->stats().connections));
}

// Access-log lines are "CONNECTION STATUS BYTES "REQUEST"": how many, on how many connections.
struct LogSummary {
    size_t requests = 0;
    std::set<uint64_t> connections;
};
LogSummary summarizeLog(const std::vector<std::string>& lines) {
    LogSummary summary;
    for (const std::string& line : lines) {
        ++summary.requests;
        summary.connections.insert(std::stoull(line));
    }
    return summary;
}

TEST_F(NginxTest, EightThreadsReadInParallelOverReusedConnections) {
    constexpr int kThreads = 8, kReadsPerThread = 40;
    // A query only this test sends, so its log lines can be told from other tests' on this server.
    const std::string marker = "whale.vpk?eight-threads";
    HttpOptions options;
    options.maxConnections = kThreads;
    auto source = HttpSource::open(server()->url(marker), options);
    ASSERT_TRUE(source) << source.error().message;
    HttpSource& http = **source;
    const std::vector<uint8_t>& expected = packBytes();

    std::atomic<int> wrong{0}, errors{0}, inFlight{0}, mostInFlight{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937_64 random(static_cast<uint64_t>(t) * 7919u + 1);
            for (int i = 0; i < kReadsPerThread; ++i) {
                const uint64_t offset = random() % expected.size();
                const uint64_t bytes = 1 + random() % std::min<uint64_t>(200'000, expected.size() - offset);
                const int now = inFlight.fetch_add(1) + 1;
                for (int seen = mostInFlight.load(); now > seen && !mostInFlight.compare_exchange_weak(seen, now);) {}
                auto got = http.read(offset, bytes);
                inFlight.fetch_sub(1);
                if (!got) {
                    ++errors;
                    std::printf("%s\n", got.error().message.c_str());
                } else if (!std::equal(got->begin(), got->end(), expected.begin() + static_cast<std::ptrdiff_t>(offset))) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(wrong.load(), 0);

    const HttpStats stats = http.stats();
    constexpr size_t kRequests = kThreads * kReadsPerThread + 1;  // + the HEAD
    const LogSummary log = summarizeLog(server()->accessLogLines(marker, kRequests));
    std::printf("8 threads: %llu requests on %llu connections (nginx log: %zu requests on %zu connections), "
                "most reads in flight at once: %d\n",
                static_cast<unsigned long long>(stats.requests), static_cast<unsigned long long>(stats.connections),
                log.requests, log.connections.size(), mostInFlight.load());
    EXPECT_EQ(stats.requests, uint64_t{kRequests});
    EXPECT_LE(stats.connections, uint64_t{kThreads});
    EXPECT_EQ(log.requests, kRequests);
    EXPECT_LE(log.connections.size(), size_t{kThreads});
    EXPECT_GT(log.connections.size(), 1u) << "reads from 8 threads should run on several connections";
}

TEST_F(NginxTest, ThrottledLinkRootPageArrivesLongBeforeTheWholeFile) {
    // What a viewer needs to show the object (header, directory, root page) against the whole pack,
    // both over the 1 MB/s location.
    const auto start = Clock::now();
    auto source = HttpSource::open(server()->slowUrl("whale.vpk"));
    ASSERT_TRUE(source) << source.error().message;
    auto reader = pack::PackReader::open(**source, "whale.vpk");
    ASSERT_TRUE(reader) << reader.error().message;
    auto root = reader->readPage(0);
    ASSERT_TRUE(root) << root.error().message;
    const double firstSeconds = secondsSince(start);
    const uint64_t firstBytes = (*source)->stats().bytesReceived;
    const uint64_t firstRequests = (*source)->stats().requests;  // HEAD, header+directory, root page

    const auto wholeStart = Clock::now();
    auto whole = (*source)->read(0, (*source)->size());
    ASSERT_TRUE(whole) << whole.error().message;
    const double wholeSeconds = secondsSince(wholeStart);
    EXPECT_TRUE(*whole == packBytes());

    // nginx lets each response burst one second's worth (1 MB) before throttling, so the small
    // first requests run at loopback speed; the byte ratio is what a link that never bursts would see.
    std::printf("limit_rate 1m: header+directory+root page: %llu bytes in %.3f s (%llu requests); whole file: %zu "
                "bytes in %.3f s; %.1fx faster, %.1fx fewer bytes\n",
                static_cast<unsigned long long>(firstBytes), firstSeconds,
                static_cast<unsigned long long>(firstRequests), whole->size(), wholeSeconds,
                wholeSeconds / firstSeconds, static_cast<double>(whole->size()) / static_cast<double>(firstBytes));
    // After the 1 MB burst the rest comes at 1 MB/s (the whale's pack is 2.3 MB since pack format 3
    // stores its textures as WebP; it was 9.8 MB).
    const double throttledSeconds = (static_cast<double>(whole->size()) - 1e6) / 1e6;
    EXPECT_GT(wholeSeconds, 0.8 * throttledSeconds) << "the throttle is not in effect";
    EXPECT_GT(wholeSeconds / firstSeconds, 10.0);
}

TEST_F(NginxTest, MissingFileIsA404WithoutRetries) {
    const std::string url = server()->url("no_such.vpk");
    auto source = HttpSource::open(url);
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().message, url + ": bytes 0-0: server answered 404 Not Found");
}

TEST_F(NginxTest, OpenSourceDispatchesUrlsAndPaths) {
    auto http = openSource(server()->url("whale.vpk"));
    ASSERT_TRUE(http) << http.error().message;
    EXPECT_EQ((*http)->size(), packBytes().size());
    EXPECT_NE(dynamic_cast<HttpSource*>(http->get()), nullptr);

    auto upper = openSource("HTTP://127.0.0.1:1/x.vpk");  // scheme is case-insensitive: an HTTP error
    ASSERT_FALSE(upper);
    EXPECT_NE(upper.error().message.find("HTTP://127.0.0.1:1/x.vpk: bytes 0-0: transfer failed"), std::string::npos)
        << upper.error().message;

    auto file = openSource((kOutput / "www/whale.vpk").string());
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ((*file)->size(), packBytes().size());
    EXPECT_EQ(dynamic_cast<HttpSource*>(file->get()), nullptr);

    auto missing = openSource((kOutput / "www/none.vpk").string());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("none.vpk"), std::string::npos);
}

// ---- faults ---------------------------------------------------------------------------------

std::vector<uint8_t> patternBytes(size_t size) {
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
    return bytes;
}

class FaultTest : public ::testing::Test {
protected:
    static constexpr size_t kSize = 256 * 1024;
    FaultTest() : content_(patternBytes(kSize)), server_(content_) {
        options_.maxAttempts = 3;
        options_.initialBackoff = milliseconds(20);
        options_.maxBackoff = milliseconds(80);
        options_.connectTimeout = milliseconds(1000);
        options_.lowSpeedTime = std::chrono::seconds(1);
    }
    std::unique_ptr<HttpSource> openOk() {
        auto source = HttpSource::open(server_.url(), options_);
        EXPECT_TRUE(source) << source.error().message;
        return source ? std::move(*source) : nullptr;
    }
    bool matches(const std::vector<uint8_t>& got, uint64_t offset) const {
        return got.size() <= content_.size() - offset &&
               std::equal(got.begin(), got.end(), content_.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    std::vector<uint8_t> content_;
    FaultServer server_;
    HttpOptions options_;
};

TEST_F(FaultTest, NotFoundFailsAtOnceAndNamesUrlAndStatus) {
    server_.setFault(Fault::NotFound);
    auto source = HttpSource::open(server_.url(), options_);
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().message, server_.url() + ": bytes 0-0: server answered 404 Not Found");
    EXPECT_EQ(server_.requests(), 2) << "HEAD, then one GET, no retries";
}

TEST_F(FaultTest, NotFoundOnReadIsFinal) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::NotFound);
    auto got = source->read(1000, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message, server_.url() + ": bytes 1000-1999: server answered 404 Not Found");
    EXPECT_EQ(source->stats().retries, 0u);
    EXPECT_EQ(source->stats().failures, 1u);
}

TEST_F(FaultTest, ServerErrorThenSuccessIsRetried) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ServerError, 2);
    auto got = source->read(1000, 1000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, 1000));
    const HttpStats stats = source->stats();
    EXPECT_EQ(stats.retries, 2u);
    EXPECT_EQ(stats.requests, 4u);  // HEAD + 500 + 500 + 206
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_EQ(stats.connections, 1u) << "a 500 with a body keeps the connection";
}

TEST_F(FaultTest, PersistentServerErrorGivesUpAfterMaxAttempts) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ServerError);
    const auto start = Clock::now();
    auto got = source->read(1000, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              server_.url() + ": bytes 1000-1999: server answered 500 Internal Server Error (3 attempts)");
    EXPECT_LT(secondsSince(start), 1.0);
    EXPECT_EQ(source->stats().retries, 2u);
    EXPECT_EQ(server_.requests(), 4);
}

TEST_F(FaultTest, TooManyRequestsHonoursRetryAfter) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::TooManyRequests, 1);
    const auto start = Clock::now();
    auto got = source->read(0, 100);
    const double seconds = secondsSince(start);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, 0));
    EXPECT_GE(seconds, 0.95) << "Retry-After: 1 must be waited out";
    EXPECT_LT(seconds, 3.0);

    // A Retry-After beyond maxRetryAfter is clamped.
    options_.maxRetryAfter = milliseconds(100);
    auto impatient = openOk();
    server_.setFault(Fault::TooManyRequests, 1);
    const auto clamped = Clock::now();
    ASSERT_TRUE(impatient->read(0, 100));
    EXPECT_LT(secondsSince(clamped), 0.5);
}

TEST_F(FaultTest, ConnectionClosedMidBodyIsRetriedThenReported) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::CloseMidBody, 1);
    auto got = source->read(0, 100'000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, 0));
    EXPECT_EQ(source->stats().retries, 1u);

    server_.setFault(Fault::CloseMidBody);
    const auto start = Clock::now();
    auto broken = source->read(0, 100'000);
    ASSERT_FALSE(broken);
    const std::string& message = broken.error().message;
    EXPECT_TRUE(message.starts_with(server_.url() + ": bytes 0-99999: transfer failed: ")) << message;
    EXPECT_NE(message.find("(3 attempts)"), std::string::npos) << message;
    EXPECT_LT(secondsSince(start), 2.0);
    EXPECT_EQ(source->stats().retries, 3u);
}

TEST_F(FaultTest, WrongContentRangeIsRefused) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::WrongContentRange);
    auto got = source->read(1000, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message, std::format("{}: bytes 1000-1999: server sent Content-Range 'bytes 1001-2000/{}', "
                                               "not the range asked for",
                                               server_.url(), kSize));
    EXPECT_EQ(source->stats().retries, 0u);
}

TEST_F(FaultTest, IgnoredRangeIsSlicedFromASmallWholeBody) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::IgnoreRange);
    auto got = source->read(5000, 3000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->size(), 3000u);
    EXPECT_TRUE(matches(*got, 5000));
}

TEST_F(FaultTest, IgnoredRangeIsRefusedForALargeFile) {
    options_.maxWholeBodyBytes = kSize - 1;
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::IgnoreRange);
    auto got = source->read(5000, 3000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              std::format("{}: bytes 5000-7999: server ignores Range requests (answered 200 with the whole file) and "
                          "the file ({} bytes) is larger than the {} bytes accepted that way",
                          server_.url(), kSize, kSize - 1));
    EXPECT_LT(source->stats().bytesReceived, kSize / 2) << "the whole body must be refused, not downloaded";
}

TEST_F(FaultTest, StalledServerTimesOutInBoundedTime) {
    options_.maxAttempts = 2;
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::Stall);
    const auto start = Clock::now();
    auto got = source->read(0, 1000);
    const double seconds = secondsSince(start);
    ASSERT_FALSE(got);
    EXPECT_TRUE(got.error().message.starts_with(server_.url() + ": bytes 0-999: transfer failed: "))
        << got.error().message;
    EXPECT_NE(got.error().message.find("(2 attempts)"), std::string::npos) << got.error().message;
    EXPECT_LT(seconds, 6.0) << "two attempts with a 1 s low-speed limit";
    std::printf("stalled server: gave up after %.2f s: %s\n", seconds, got.error().message.c_str());
}

TEST_F(FaultTest, ChangedSizeIsAnError) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ChangeSize);
    auto got = source->read(0, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              std::format("{}: bytes 0-999: the file changed on the server (size was {} bytes, now {})", server_.url(),
                          kSize, kSize + 100));
    EXPECT_EQ(source->stats().retries, 0u);
}

TEST_F(FaultTest, ChangedEtagIsAnError) {
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->etag(), "\"v1\"");
    server_.setFault(Fault::ChangeEtag);
    auto got = source->read(0, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              server_.url() + ": bytes 0-999: the file changed on the server (ETag was \"v1\", now \"v2\")");
}

TEST_F(FaultTest, SizeFromRangeProbeWhenHeadLacksLengthOrIsRefused) {
    for (const Fault fault : {Fault::HeadWithoutLength, Fault::HeadNotAllowed}) {
        server_.setFault(fault);
        auto source = openOk();
        ASSERT_TRUE(source);
        EXPECT_EQ(source->size(), kSize);
        EXPECT_EQ(source->stats().failures, 0u);
        auto got = source->read(kSize - 10, 10);
        ASSERT_TRUE(got) << got.error().message;
        EXPECT_TRUE(matches(*got, kSize - 10));
    }
}

TEST_F(FaultTest, ParallelReadsGetParallelConnections) {
    options_.maxConnections = 4;
    auto source = openOk();
    ASSERT_TRUE(source);
    std::vector<std::thread> threads;
    std::atomic<int> bad{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const uint64_t offset = static_cast<uint64_t>(t * 1000 + i * 37);
                auto got = source->read(offset, 5000);
                if (!got || !matches(*got, offset)) ++bad;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_LE(server_.connections(), 4);
    EXPECT_EQ(source->stats().requests, 201u);
}

TEST_F(FaultTest, RefusedConnectionIsRetriedThenReported) {
    // A port nobody listens on: bound here and never listened on, so connections to it are refused
    // and no other process (ctest runs them in parallel) can start listening on it meanwhile.
    const int bound = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(bound, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(bound, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::getsockname(bound, reinterpret_cast<sockaddr*>(&address), &length), 0);
    const std::string url = std::format("http://127.0.0.1:{}/pack.vpk", ntohs(address.sin_port));
    const auto start = Clock::now();
    auto source = HttpSource::open(url, options_);
    ASSERT_FALSE(source);
    EXPECT_TRUE(source.error().message.starts_with(url + ": bytes 0-0: transfer failed: ")) << source.error().message;
    EXPECT_NE(source.error().message.find("(3 attempts)"), std::string::npos) << source.error().message;
    EXPECT_LT(secondsSince(start), 2.0);
    ::close(bound);
}

}  // namespace
}  // namespace vt::net::test
