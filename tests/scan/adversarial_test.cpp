// Other projects' malformed-file suites: every file returns a value or an error within the
// timeout, and none takes the test process down.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <format>
#include <map>

#include "import.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

using namespace std::chrono_literals;

TEST(Adversarial, EveryFileLoadsOrFailsCleanly) {
    const std::filesystem::path root = test::corpusDir() / "adversarial";
    if (test::corpusDir().empty() || !std::filesystem::is_directory(root)) FAIL() << "the shared corpus is missing at " << root;
    // The default deadline, scaled with each file's size: these files are small, so a hang ends in
    // seconds (a fixed 120 s once kept a curator waiting two minutes on a 1 KB IQM file).
    const ImportOptions options;
    struct Tally {
        size_t loaded = 0, rejected = 0, crashed = 0, timedOut = 0;
    };
    std::map<std::string, Tally> bySuite;
    // VITRINE_SCAN_VERBOSE=1 prints every file's outcome, to review the messages by eye.
    const bool verbose = std::getenv("VITRINE_SCAN_VERBOSE") != nullptr;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().filename().string();
        // The validator's expected reports, licences and READMEs are not models.
        if (name.ends_with(".report.json") || name == "LICENSE" || name.ends_with(".md")) continue;
        const std::string suite = std::filesystem::relative(entry.path(), root).begin()->string();
        Tally& tally = bySuite[suite];
        const Result<asset::Model> model = importScan(entry.path(), options);
        if (verbose)
            std::printf("%s\n", model ? std::format("{}: loaded, {} triangles", entry.path().string(), model->triangleCount()).c_str()
                                      : model.error().message.c_str());
        if (model) {
            ++tally.loaded;
            EXPECT_GE(model->triangleCount(), 1u) << entry.path();
            continue;
        }
        ++tally.rejected;
        const std::string& message = model.error().message;
        EXPECT_TRUE(message.starts_with(entry.path().string() + ":")) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        if (message.find("crashed") != std::string::npos) ++tally.crashed;
        if (message.find("did not finish") != std::string::npos) ++tally.timedOut;
    }
    for (const auto& [suite, t] : bySuite)
        std::printf("%-40s loaded %4zu  rejected %4zu  (crashed in child %zu, timed out %zu)\n", suite.c_str(), t.loaded,
                    t.rejected, t.crashed, t.timedOut);
    std::printf("sweep took %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    EXPECT_GT(bySuite["gltf-validator"].loaded, 0u);
}

TEST(ParserDeadline, ScalesWithTheFileSize) {
    EXPECT_EQ(parserDeadlineFor(1024), 10003ms);  // a 1 KB broken file: about ten seconds, not minutes
    EXPECT_EQ(parserDeadlineFor(100u << 20), 410000ms);  // a 100 MiB scan: almost seven minutes
    EXPECT_EQ(parserDeadlineFor(uint64_t(100) << 30), kParserDeadlineMax);
}

}  // namespace
}  // namespace vt::scan
