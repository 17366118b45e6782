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
    // open's first bytes travel once: both passes fetch only what lies past them.
    const uint64_t held = (*source)->heldPrefixBytes();
    EXPECT_EQ(held, pack::kFirstRequestBytes);
    EXPECT_EQ(stats.bytesReceived, held + 2 * (packBytes().size() - held));

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

// Access-log lines are `CONNECTION STATUS BYTES "REQUEST" "RANGE"`: how many, on how many connections.
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
                // Past the bytes open() kept, so that every read is one request.
                const uint64_t held = http.heldPrefixBytes();
                const uint64_t offset = held + random() % (expected.size() - held);
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
    constexpr size_t kRequests = kThreads * kReadsPerThread + 1;  // + open's GET
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
    const uint64_t firstRequests = (*source)->stats().requests;  // one: header, directory and root page

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
    EXPECT_EQ(firstRequests, 1u);
    // After the 1 MB burst the rest comes at 1 MB/s (the whale's pack is 2.3 MB since pack format 3
    // stores its textures as WebP; it was 9.8 MB).
    const double throttledSeconds = (static_cast<double>(whole->size()) - 1e6) / 1e6;
    EXPECT_GT(wholeSeconds, 0.8 * throttledSeconds) << "the throttle is not in effect";
    EXPECT_GT(wholeSeconds / firstSeconds, 10.0);
}

// A pack's first frame costs one request: open's GET brings the header, the directory and the root
// page (nginx's log shows the one range), and the reader asks for none of them again.
TEST_F(NginxTest, OpeningAPackAndReadingItsRootPageIsOneRequest) {
    const std::string marker = "whale.vpk?one-trip";
    auto source = HttpSource::open(server()->url(marker));
    ASSERT_TRUE(source) << source.error().message;
    auto reader = pack::PackReader::open(**source, "whale.vpk");
    ASSERT_TRUE(reader) << reader.error().message;
    const pack::PageInfo& root = reader->pages()[0];
    ASSERT_LE(root.offset + root.compressedBytes, pack::kFirstRequestBytes) << "the whale no longer fits the first request";
    auto clusters = reader->readPage(0);
    ASSERT_TRUE(clusters) << clusters.error().message;
    EXPECT_FALSE(clusters->empty());

    EXPECT_EQ((*source)->stats().requests, 1u);
    EXPECT_EQ((*source)->stats().bytesReceived, pack::kFirstRequestBytes);
    const std::vector<std::string> log = server()->accessLogLines(marker, 2, milliseconds(300));
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find(std::format("\"GET /{} HTTP/1.1\" \"bytes=0-65535\"", marker)), std::string::npos) << log[0];
}

// A first request too short for the pack: each further request asks for exactly what is missing
// (the rest of the directory, then the rest of the root page), and no byte travels twice.
TEST_F(NginxTest, AfterAShortFirstRequestOnlyWhatIsMissingIsRequested) {
    auto file = pack::openFile(kOutput / "www/whale.vpk");
    ASSERT_TRUE(file);
    auto fileReader = pack::PackReader::open(**file, "whale.vpk");
    ASSERT_TRUE(fileReader) << fileReader.error().message;
    const uint64_t dataStart = fileReader->dataOffset();
    const uint64_t rootEnd = fileReader->pages()[0].offset + fileReader->pages()[0].compressedBytes;
    ASSERT_GT(dataStart, 4096u) << "the whale's directory should not fit in 4 KiB";

    const std::vector<std::pair<uint64_t, std::vector<std::string>>> cases = {
        // The directory does not fit: its rest, then the root page.
        {4096, {"0-4095", std::format("4096-{}", dataStart - 1), std::format("{}-{}", dataStart, rootEnd - 1)}},
        // The directory fits, the root page does not: the root page's rest.
        {dataStart + 100, {std::format("0-{}", dataStart + 99), std::format("{}-{}", dataStart + 100, rootEnd - 1)}},
    };
    for (const auto& [firstBytes, ranges] : cases) {
        SCOPED_TRACE(std::format("firstRequestBytes {}", firstBytes));
        const std::string marker = std::format("whale.vpk?first={}", firstBytes);
        HttpOptions options;
        options.firstRequestBytes = firstBytes;
        auto source = HttpSource::open(server()->url(marker), options);
        ASSERT_TRUE(source) << source.error().message;
        auto reader = pack::PackReader::open(**source, "whale.vpk");
        ASSERT_TRUE(reader) << reader.error().message;
        auto clusters = reader->readPage(0);
        ASSERT_TRUE(clusters) << clusters.error().message;
        auto again = reader->readPage(0);
        ASSERT_TRUE(again) << again.error().message;
        auto fromFile = fileReader->readPage(0);
        ASSERT_TRUE(fromFile);
        ASSERT_EQ(clusters->size(), fromFile->size());
        for (size_t i = 0; i < clusters->size(); ++i) EXPECT_EQ((*clusters)[i].indices, (*fromFile)[i].indices);

        EXPECT_EQ((*source)->stats().requests, ranges.size());
        EXPECT_EQ((*source)->stats().bytesReceived, rootEnd) << "a byte travelled twice";
        const std::vector<std::string> log = server()->accessLogLines(marker, ranges.size() + 1, milliseconds(300));
        ASSERT_EQ(log.size(), ranges.size());
        for (size_t i = 0; i < ranges.size(); ++i) {
            EXPECT_NE(log[i].find(std::format("\"bytes={}\"", ranges[i])), std::string::npos) << log[i];
        }
    }
}

TEST_F(NginxTest, MissingFileIsA404WithoutRetries) {
    const std::string url = server()->url("no_such.vpk");
    auto source = HttpSource::open(url);
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().message, url + ": bytes 0-65535: server answered 404 Not Found");
}

TEST_F(NginxTest, OpenSourceDispatchesUrlsAndPaths) {
    auto http = openSource(server()->url("whale.vpk"));
    ASSERT_TRUE(http) << http.error().message;
    EXPECT_EQ((*http)->size(), packBytes().size());
    EXPECT_NE(dynamic_cast<HttpSource*>(http->get()), nullptr);

    auto upper = openSource("HTTP://127.0.0.1:1/x.vpk");  // scheme is case-insensitive: an HTTP error
    ASSERT_FALSE(upper);
    EXPECT_NE(upper.error().message.find("HTTP://127.0.0.1:1/x.vpk: bytes 0-65535: transfer failed"), std::string::npos)
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
    // Reads at kPast lie beyond the bytes open() keeps, so each is a request.
    static constexpr uint64_t kPast = 100'000;
    static_assert(kPast > pack::kFirstRequestBytes);
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
    EXPECT_EQ(source.error().message, server_.url() + ": bytes 0-65535: server answered 404 Not Found");
    EXPECT_EQ(server_.requests(), 1) << "one GET, no HEAD, no retries";
}

TEST_F(FaultTest, NotFoundOnReadIsFinal) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::NotFound);
    auto got = source->read(kPast, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message, server_.url() + ": bytes 100000-100999: server answered 404 Not Found");
    EXPECT_EQ(source->stats().retries, 0u);
    EXPECT_EQ(source->stats().failures, 1u);
}

TEST_F(FaultTest, ServerErrorThenSuccessIsRetried) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ServerError, 2);
    auto got = source->read(kPast, 1000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, kPast));
    const HttpStats stats = source->stats();
    EXPECT_EQ(stats.retries, 2u);
    EXPECT_EQ(stats.requests, 4u);  // open's GET + 500 + 500 + 206
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_EQ(stats.connections, 1u) << "a 500 with a body keeps the connection";
}

TEST_F(FaultTest, PersistentServerErrorGivesUpAfterMaxAttempts) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ServerError);
    const auto start = Clock::now();
    auto got = source->read(kPast, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              server_.url() + ": bytes 100000-100999: server answered 500 Internal Server Error (3 attempts)");
    EXPECT_LT(secondsSince(start), 1.0);
    EXPECT_EQ(source->stats().retries, 2u);
    EXPECT_EQ(server_.requests(), 4);
}

TEST_F(FaultTest, TooManyRequestsHonoursRetryAfter) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::TooManyRequests, 1);
    const auto start = Clock::now();
    auto got = source->read(kPast, 100);
    const double seconds = secondsSince(start);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, kPast));
    EXPECT_GE(seconds, 0.95) << "Retry-After: 1 must be waited out";
    EXPECT_LT(seconds, 3.0);

    // A Retry-After beyond maxRetryAfter is clamped.
    options_.maxRetryAfter = milliseconds(100);
    auto impatient = openOk();
    server_.setFault(Fault::TooManyRequests, 1);
    const auto clamped = Clock::now();
    ASSERT_TRUE(impatient->read(kPast, 100));
    EXPECT_LT(secondsSince(clamped), 0.5);
}

TEST_F(FaultTest, ConnectionClosedMidBodyIsRetriedThenReported) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::CloseMidBody, 1);
    auto got = source->read(kPast, 100'000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, kPast));
    EXPECT_EQ(source->stats().retries, 1u);

    server_.setFault(Fault::CloseMidBody);
    const auto start = Clock::now();
    auto broken = source->read(kPast, 100'000);
    ASSERT_FALSE(broken);
    const std::string& message = broken.error().message;
    EXPECT_TRUE(message.starts_with(server_.url() + ": bytes 100000-199999: transfer failed: ")) << message;
    EXPECT_NE(message.find("(3 attempts)"), std::string::npos) << message;
    EXPECT_LT(secondsSince(start), 2.0);
    EXPECT_EQ(source->stats().retries, 3u);
}

TEST_F(FaultTest, WrongContentRangeIsRefused) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::WrongContentRange);
    auto got = source->read(kPast, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message, std::format("{}: bytes 100000-100999: server sent Content-Range 'bytes 100001-101000/{}', "
                                               "not the range asked for",
                                               server_.url(), kSize));
    EXPECT_EQ(source->stats().retries, 0u);
}

TEST_F(FaultTest, IgnoredRangeIsSlicedFromASmallWholeBody) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::IgnoreRange);
    auto got = source->read(kPast, 3000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->size(), 3000u);
    EXPECT_TRUE(matches(*got, kPast));
}

TEST_F(FaultTest, IgnoredRangeIsRefusedForALargeFile) {
    options_.maxWholeBodyBytes = kSize - 1;
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::IgnoreRange);
    auto got = source->read(kPast, 3000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              std::format("{}: bytes 100000-102999: server ignores Range requests (answered 200 with the whole file) and "
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
    auto got = source->read(kPast, 1000);
    const double seconds = secondsSince(start);
    ASSERT_FALSE(got);
    EXPECT_TRUE(got.error().message.starts_with(server_.url() + ": bytes 100000-100999: transfer failed: "))
        << got.error().message;
    EXPECT_NE(got.error().message.find("(2 attempts)"), std::string::npos) << got.error().message;
    EXPECT_LT(seconds, 6.0) << "two attempts with a 1 s low-speed limit";
    std::printf("stalled server: gave up after %.2f s: %s\n", seconds, got.error().message.c_str());
}

TEST_F(FaultTest, ChangedSizeIsAnError) {
    auto source = openOk();
    ASSERT_TRUE(source);
    server_.setFault(Fault::ChangeSize);
    auto got = source->read(kPast, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              std::format("{}: bytes 100000-100999: the file changed on the server (size was {} bytes, now {})", server_.url(),
                          kSize, kSize + 100));
    EXPECT_EQ(source->stats().retries, 0u);
}

TEST_F(FaultTest, ChangedEtagIsAnError) {
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->etag(), "\"v1\"");
    server_.setFault(Fault::ChangeEtag);
    auto got = source->read(kPast, 1000);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              server_.url() + ": bytes 100000-100999: the file changed on the server (ETag was \"v1\", now \"v2\")");
}

// open() is one ranged GET, never a HEAD; reads inside what it brought cost nothing, and a read
// that starts inside and ends past it asks for the tail alone.
TEST_F(FaultTest, OpenIsOneRangedGetAndItsBytesAreNotFetchedAgain) {
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->size(), kSize);
    EXPECT_EQ(source->etag(), "\"v1\"");
    EXPECT_EQ(source->heldPrefixBytes(), pack::kFirstRequestBytes);
    EXPECT_EQ(server_.heads(), 0);
    EXPECT_EQ(server_.ranges(), std::vector<std::string>{"0-65535"});

    for (const auto& [offset, bytes] : {std::pair<uint64_t, uint64_t>{0, 192}, {1000, 30'000}, {0, 65536}, {65535, 1}}) {
        auto got = source->read(offset, bytes);
        ASSERT_TRUE(got) << got.error().message;
        EXPECT_EQ(got->size(), bytes);
        EXPECT_TRUE(matches(*got, offset));
    }
    EXPECT_EQ(server_.requests(), 1);

    auto spanning = source->read(60'000, 10'000);
    ASSERT_TRUE(spanning) << spanning.error().message;
    EXPECT_EQ(spanning->size(), 10'000u);
    EXPECT_TRUE(matches(*spanning, 60'000));
    EXPECT_EQ(server_.ranges(), (std::vector<std::string>{"0-65535", "65536-69999"}));
    EXPECT_EQ(source->stats().bytesReceived, 70'000u) << "no byte fetched twice";

    // A failed tail names the range that was asked for.
    server_.setFault(Fault::NotFound);
    auto failed = source->read(65'000, 1000);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, server_.url() + ": bytes 65536-65999: server answered 404 Not Found");
}

TEST_F(FaultTest, FirstRequestBytesIsWhatOpenAsksFor) {
    options_.firstRequestBytes = 1000;
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->size(), kSize);
    EXPECT_EQ(source->heldPrefixBytes(), 1000u);
    EXPECT_EQ(server_.ranges(), std::vector<std::string>{"0-999"});
}

// A file shorter than the first request comes whole with it (the server ends the range at its last
// byte); then no read costs a request.
TEST_F(FaultTest, ShortFileComesWholeWithTheFirstRequest) {
    FaultServer small(patternBytes(1000));
    auto source = HttpSource::open(small.url(), options_);
    ASSERT_TRUE(source) << source.error().message;
    EXPECT_EQ((*source)->size(), 1000u);
    EXPECT_EQ((*source)->heldPrefixBytes(), 1000u);
    auto got = (*source)->read(10, 990);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(std::equal(got->begin(), got->end(), content_.begin() + 10));
    EXPECT_EQ(small.requests(), 1);
}

// bytes=0-65535 of an empty file is 416 naming the total, 0.
TEST_F(FaultTest, EmptyFileIsRangeNotSatisfiable) {
    FaultServer empty({});
    auto source = HttpSource::open(empty.url(), options_);
    ASSERT_TRUE(source) << source.error().message;
    EXPECT_EQ((*source)->size(), 0u);
    EXPECT_TRUE((*source)->read(0, 0).has_value());
    EXPECT_FALSE((*source)->read(0, 1).has_value());
    EXPECT_EQ(empty.requests(), 1);
}

// A server that ignores Range at open: the size from Content-Length, and a small file is kept whole.
TEST_F(FaultTest, IgnoredRangeAtOpenKeepsASmallWholeFile) {
    server_.setFault(Fault::IgnoreRange, 1);
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->size(), kSize);
    EXPECT_EQ(source->heldPrefixBytes(), kSize);
    auto got = source->read(kPast, 1000);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(matches(*got, kPast));
    EXPECT_EQ(server_.requests(), 1);
}

// ... and a large one is refused unread: open still learns the size, reads say what is wrong.
TEST_F(FaultTest, IgnoredRangeAtOpenRefusesALargeWholeFile) {
    options_.maxWholeBodyBytes = kSize - 1;
    server_.setFault(Fault::IgnoreRange);
    auto source = openOk();
    ASSERT_TRUE(source);
    EXPECT_EQ(source->size(), kSize);
    EXPECT_EQ(source->heldPrefixBytes(), 0u);
    EXPECT_LT(source->stats().bytesReceived, kSize / 2) << "the whole body must be refused, not downloaded";
    auto got = source->read(0, 100);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              std::format("{}: bytes 0-99: server ignores Range requests (answered 200 with the whole file) and "
                          "the file ({} bytes) is larger than the {} bytes accepted that way",
                          server_.url(), kSize, kSize - 1));
}

// open's answer is checked like any read's: a wrong range is final, 5xx and a cut body are retried.
TEST_F(FaultTest, OpenChecksItsAnswer) {
    server_.setFault(Fault::WrongContentRange);
    auto wrong = HttpSource::open(server_.url(), options_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().message, std::format("{}: bytes 0-65535: server sent Content-Range 'bytes 1-65536/{}', not "
                                                 "bytes 0-65535/{}",
                                                 server_.url(), kSize, kSize));
    EXPECT_EQ(server_.requests(), 1) << "a wrong range is not retried";

    for (const Fault fault : {Fault::ServerError, Fault::CloseMidBody, Fault::TooManyRequests}) {
        server_.setFault(fault, 1);
        options_.maxRetryAfter = milliseconds(50);
        auto source = openOk();
        ASSERT_TRUE(source);
        EXPECT_EQ(source->size(), kSize);
        EXPECT_EQ(source->stats().retries, 1u);
        EXPECT_EQ(source->heldPrefixBytes(), pack::kFirstRequestBytes);
        auto got = source->read(0, 65536);
        ASSERT_TRUE(got);
        EXPECT_TRUE(matches(*got, 0));
    }

    server_.setFault(Fault::ServerError);
    auto failed = HttpSource::open(server_.url(), options_);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, server_.url() + ": bytes 0-65535: server answered 500 Internal Server Error (3 attempts)");

    options_.maxAttempts = 1;
    server_.setFault(Fault::Stall);
    const auto start = Clock::now();
    auto stalled = HttpSource::open(server_.url(), options_);
    ASSERT_FALSE(stalled);
    EXPECT_TRUE(stalled.error().message.starts_with(server_.url() + ": bytes 0-65535: transfer failed: "))
        << stalled.error().message;
    EXPECT_LT(secondsSince(start), 4.0) << "a 1 s low-speed limit";
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
                const uint64_t offset = kPast + static_cast<uint64_t>(t * 1000 + i * 37);
                auto got = source->read(offset, 5000);
                if (!got || !matches(*got, offset)) ++bad;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_LE(server_.connections(), 4);
    EXPECT_EQ(source->stats().requests, 201u);  // + open's GET
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
    EXPECT_TRUE(source.error().message.starts_with(url + ": bytes 0-65535: transfer failed: ")) << source.error().message;
    EXPECT_NE(source.error().message.find("(3 attempts)"), std::string::npos) << source.error().message;
    EXPECT_LT(secondsSince(start), 2.0);
    ::close(bound);
}

}  // namespace
}  // namespace vt::net::test
