// `vitrine collection import URL --allow-network` against a real nginx (the net tests' fixture)
// serving corpus record files: a IIIF 3D manifest, a IIIF collection whose members are URLs on the
// same server (one of them missing: 404), and a LIDO file. Records arrive with their source URLs,
// the 404 member is reported with its URL and skipped, and without --allow-network a URL is refused
// with a clear message and nothing is requested.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <format>
#include <map>
#include <memory>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "nginx_server.h"
#include "tools/catalog/catalog.h"

namespace vt::collection {
namespace {

namespace fs = std::filesystem;
const fs::path kMetadata = VITRINE_CORPUS_DIR "/metadata";

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Outcome {
    int status = -1;
    std::string out, err;
};

// Runs the vitrine CLI with stdout and stderr in files (no shell).
Outcome vitrine(const std::vector<std::string>& args, const fs::path& work) {
    const fs::path out = work / "stdout.txt", err = work / "stderr.txt";
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* o = std::freopen(out.c_str(), "w", stdout);
        std::FILE* e = std::freopen(err.c_str(), "w", stderr);
        if (!o || !e) ::_exit(127);
        std::vector<char*> argv;
        std::string binary = VITRINE_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copies = args;
        for (std::string& a : copies) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    Outcome run;
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = readAll(out);
    run.err = readAll(err);
    return run;
}

class NetworkImport : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path manifest = kMetadata / "iiif3d-manifests/manifests/2_cameras/positioned_camera_lookat_point.json";
        const fs::path whale = kMetadata / "iiif3d-manifests/manifests/9_commenting_annotations/whale_comment.json";
        const fs::path lido = kMetadata / "lido/LIDO-Test.xml";
        for (const fs::path& f : {manifest, whale, lido})
            if (!fs::exists(f)) FAIL() << "corpus file missing (the shared corpus is a prerequisite): " << f;
        work_ = fs::temp_directory_path() / ("vitrine_network_import_" + std::to_string(::getpid()));
        fs::remove_all(work_);
        fs::create_directories(work_ / "served/members");
        fs::copy_file(manifest, work_ / "served/camera.json");
        fs::copy_file(lido, work_ / "served/lido.xml");
        fs::copy_file(whale, work_ / "served/members/whale_comment.json");
        auto started = vt::net::test::NginxServer::start(work_ / "served", work_ / "nginx");
        if (!started) FAIL() << "nginx did not start: " << started.error().message;
        nginx_ = std::move(*started);
        // a member whose id is where it is served: its record's source URL is that URL
        nlohmann::json self = nlohmann::json::parse(readAll(manifest));
        self["id"] = nginx_->url("members/self.json");
        self.erase("homepage");
        std::ofstream(work_ / "served/members/self.json") << self.dump(2);
        const nlohmann::json collection = {
            {"@context", "http://iiif.io/api/presentation/3/context.json"},
            {"id", nginx_->url("collection.json")},
            {"type", "Collection"},
            {"label", {{"en", {"Served collection"}}}},
            {"items",
             {{{"id", nginx_->url("members/whale_comment.json")}, {"type", "Manifest"}},
              {{"id", nginx_->url("members/missing.json")}, {"type", "Manifest"}},
              {{"id", nginx_->url("members/self.json")}, {"type", "Manifest"}}}}};
        std::ofstream(work_ / "served/collection.json") << collection.dump(2);
    }
    void TearDown() override {
        nginx_.reset();
        if (!work_.empty()) fs::remove_all(work_);
    }

    // Requests nginx logged; a request it had not finished logging shows within the grace period.
    size_t requests() const { return nginx_->accessLogLines("", 1, std::chrono::milliseconds(300)).size(); }

    fs::path work_;
    std::unique_ptr<vt::net::test::NginxServer> nginx_;
};

TEST_F(NetworkImport, RecordsArriveByUrlAndA404MemberIsSkipped) {
    const std::string db = (work_ / "catalog.db").string();
    const Outcome run = vitrine({"collection", "import", nginx_->url("camera.json"), nginx_->url("collection.json"),
                             nginx_->url("lido.xml"), "--allow-network", "--catalog", db},
                            work_);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    // the missing member: one error naming its URL and where the collection lists it; the rest go on
    const std::string missing = nginx_->url("members/missing.json");
    EXPECT_NE(run.err.find(std::format("{}:9: error: /items/1: {}: bytes 0-65535: server answered 404 Not Found; record skipped",
                                       nginx_->url("collection.json"), missing)),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.out.find("1 rejected; 1 errors"), std::string::npos) << run.out;

    auto catalog = catalog::Catalog::open(db);
    ASSERT_TRUE(catalog) << catalog.error().message;
    auto all = catalog->all();
    ASSERT_TRUE(all);
    std::map<std::string, catalog::Record> byId;
    for (const auto& r : *all) byId[r.id] = r;
    EXPECT_NE(run.out.find(std::format("{} records read from 3 sources: {} new", byId.size(), byId.size())), std::string::npos)
        << run.out;

    // the served manifest keeps the identity it publishes
    ASSERT_TRUE(byId.contains("example.org:/iiif/3d/positioned_camera_lookat_point.json"));
    const catalog::Record& camera = byId["example.org:/iiif/3d/positioned_camera_lookat_point.json"];
    EXPECT_EQ(camera.sourceUrl, "https://example.org/iiif/3d/positioned_camera_lookat_point.json");
    EXPECT_EQ(camera.sourceFormat, "iiif");
    ASSERT_EQ(camera.media.size(), 1u);
    EXPECT_EQ(camera.media[0].uri, "https://raw.githubusercontent.com/IIIF/3d/main/assets/astronaut/astronaut.glb");
    EXPECT_TRUE(camera.camera.has_value());
    // collection members fetched from the server
    ASSERT_TRUE(byId.contains("example.org:/iiif/3d/whale_comment.json"));
    EXPECT_EQ(byId["example.org:/iiif/3d/whale_comment.json"].sourceUrl, "https://example.org/iiif/3d/whale_comment.json");
    EXPECT_FALSE(byId["example.org:/iiif/3d/whale_comment.json"].comments.empty());
    const std::string selfUrl = nginx_->url("members/self.json");
    bool self = false;
    for (const auto& [id, r] : byId)
        if (r.sourceUrl == selfUrl) {
            self = true;
            EXPECT_EQ(r.objectNumber, "/members/self.json");
        }
    EXPECT_TRUE(self) << "no record with source URL " << selfUrl;
    // the LIDO file: its records, with their recordInfoLink
    size_t lido = 0;
    for (const auto& [id, r] : byId)
        if (r.sourceFormat == "lido") {
            ++lido;
            EXPECT_TRUE(r.sourceUrl.empty() || r.sourceUrl.starts_with("http")) << r.sourceUrl;
        }
    EXPECT_GE(lido, 1u);
    EXPECT_EQ(byId.size(), 3u + lido);

    // every file was requested over HTTP, the missing one answered 404
    nginx_->accessLogLines("GET ", 6);  // wait until nginx has logged the last of the six files
    std::string log;
    for (const std::string& line : nginx_->accessLogLines("", 0)) log += line + "\n";
    EXPECT_NE(log.find(" 206 "), std::string::npos) << log;  // each file whole in open's one ranged GET
    for (const char* path : {"/camera.json", "/collection.json", "/lido.xml", "/members/whale_comment.json", "/members/self.json"})
        EXPECT_NE(log.find(std::string("GET ") + path), std::string::npos) << path << "\n" << log;
    EXPECT_NE(log.find(" 404 "), std::string::npos) << log;
    EXPECT_NE(log.find("/members/missing.json"), std::string::npos) << log;
}

TEST_F(NetworkImport, WithoutAllowNetworkAUrlIsRefused) {
    const std::string db = (work_ / "refused.db").string();
    const std::string url = nginx_->url("camera.json");
    const Outcome run = vitrine({"collection", "import", url, "--catalog", db}, work_);
    EXPECT_EQ(run.status, 1) << run.out << run.err;
    EXPECT_NE(run.err.find(url + ": error: " + url + ": reading URLs is off (pass --allow-network)"), std::string::npos) << run.err;
    EXPECT_EQ(requests(), 0u) << "nothing may be requested without --allow-network";
    // a local collection that lists URL members: refused member by member, also without a request
    const Outcome collection = vitrine({"collection", "import", (work_ / "served/collection.json").string(), "--catalog", db}, work_);
    EXPECT_EQ(collection.status, 1) << collection.out << collection.err;
    EXPECT_NE(collection.err.find("reading URLs is off (pass --allow-network)"), std::string::npos) << collection.err;
    EXPECT_EQ(requests(), 0u);
}

}  // namespace
}  // namespace vt::collection
