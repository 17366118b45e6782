// Batch conversion of real corpus scans: a failing scan is reported and the rest go on; kill -9 at
// several points and rerun finishes with nothing lost and nothing converted twice; two shards side
// by side give the same catalog and packs as one run. Then exhibits generated from that catalog.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "exhibit/exhibit.h"
#include "exhibit/placement.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "tools/catalog/catalog.h"
#include "tools/collection/batch_convert.h"
#include "tools/collection/exhibit_generator.h"
#include "tools/collection/readers.h"

namespace vt::collection {
namespace {

namespace fs = std::filesystem;
const fs::path kMeshes = VITRINE_CORPUS_DIR "/meshes";

struct Scan {
    const char* number;
    const char* title;
    const char* date;
    const char* file;  // in the source folder
};
// Four small real scans (1.6k-3.9k triangles), one shared by two records, a broken file, a refused path.
const Scan kScans[] = {
    {"B-1", "Astronaut", "1969", "astronaut.glb"},
    {"B-2", "Tipped astronaut", "1970", "tipped_astronaut.glb"},
    {"B-3", "Bunny (coarse)", "1994", "bun_zipper_res4.ply"},
    {"B-4", "Bunny", "1993", "bun_zipper_res3.ply"},
    {"B-5", "Broken scan", "2000", "broken.glb"},
    {"B-6", "Bunny again", "1995", "bun_zipper_res4.ply"},
    {"B-7", "Escaping scan", "2001", "../outside.glb"},
};

class Batch : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("vitrine_batch_test_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_ / "src");
        const std::pair<fs::path, const char*> copies[] = {
            {kMeshes / "iiif3d-assets/assets/astronaut/astronaut.glb", "astronaut.glb"},
            {kMeshes / "iiif3d-assets/assets/astronaut/tipped_astronaut.glb", "tipped_astronaut.glb"},
            {kMeshes / "stanford-bunny/bunny/reconstruction/bun_zipper_res4.ply", "bun_zipper_res4.ply"},
            {kMeshes / "stanford-bunny/bunny/reconstruction/bun_zipper_res3.ply", "bun_zipper_res3.ply"},
        };
        for (const auto& [from, to] : copies) {
            if (!fs::exists(from)) {
                missing_ = from.string();
                return;
            }
            fs::copy_file(from, root_ / "src" / to);
        }
        std::ofstream(root_ / "src/broken.glb") << "glTF but not really a binary glTF file";
        std::ofstream csv(root_ / "src/objects.csv");
        csv << "No,Title,Date,Scan,Dimensions\n";
        for (const Scan& s : kScans)
            csv << s.number << ",\"" << s.title << "\"," << s.date << "," << s.file << ","
                << (std::string(s.number) == "B-4" ? "H. 15 cm" : "") << "\n";
    }
    static void TearDownTestSuite() { fs::remove_all(root_); }

    void SetUp() override {
        if (!missing_.empty()) FAIL() << "corpus file missing (the shared corpus is a prerequisite): " << missing_;
    }

    // A catalog with the fixture's records.
    static catalog::Catalog importFixture(const fs::path& path) {
        CsvMapping mapping;
        mapping.institution = "test";
        mapping.columns = {{"No", "objectNumber"}, {"Title", "title@en"}, {"Date", "date@en"}, {"Scan", "model"},
                           {"Dimensions", "dimensions@en"}};
        SourceOptions options;
        options.mapping = mapping;
        const ReadResult result = readSource((root_ / "src/objects.csv").string(), options);
        EXPECT_EQ(result.records.size(), 7u);
        EXPECT_EQ(result.problems.size(), 1u);  // ../outside.glb refused
        auto catalog = catalog::Catalog::open(path);
        EXPECT_TRUE(catalog) << catalog.error().message;
        for (const auto& r : result.records) EXPECT_TRUE(catalog->upsert(r));
        return std::move(*catalog);
    }

    // Runs the batch in a child process (as a shard of a job would); returns its pid.
    static pid_t startBatch(const fs::path& catalogPath, const fs::path& store, uint32_t shard, uint32_t shards, unsigned jobs) {
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        if (pid == 0) {
            auto catalog = catalog::Catalog::open(catalogPath);
            if (!catalog) ::_exit(2);
            BatchOptions options;
            options.store = store;
            options.shardIndex = shard;
            options.shardCount = shards;
            options.jobs = jobs;
            auto summary = convertCollection(*catalog, options);
            ::_exit(summary ? 0 : 1);
        }
        return pid;
    }

    static int finish(pid_t pid) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    static std::map<std::string, std::string> storeFiles(const fs::path& store) {
        std::map<std::string, std::string> files;  // relative path -> bytes
        for (const auto& entry : fs::recursive_directory_iterator(store / "packs")) {
            if (!entry.is_regular_file()) continue;
            const std::string name = entry.path().filename().string();
            if (name.starts_with(".")) continue;  // a converter's temporary file, left by kill -9
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            files[entry.path().lexically_relative(store).generic_string()] = bytes.str();
        }
        return files;
    }

    static void expectComplete(catalog::Catalog& catalog, const fs::path& store) {
        auto packs = catalog.packs();
        ASSERT_TRUE(packs);
        std::map<std::string, catalog::PackEntry> byId;
        for (const auto& p : *packs) byId[p.objectId] = p;
        ASSERT_EQ(byId.size(), 6u);  // B-7 has no model left
        for (const char* id : {"test:B-1", "test:B-2", "test:B-3", "test:B-4", "test:B-6"}) {
            ASSERT_TRUE(byId.contains(id)) << id;
            EXPECT_EQ(byId[id].status, catalog::PackStatus::Converted) << id << ": " << byId[id].error;
            EXPECT_TRUE(fs::exists(store / byId[id].pack)) << id;
            EXPECT_GT(byId[id].triangles, 900u);
        }
        EXPECT_EQ(byId["test:B-3"].pack, byId["test:B-6"].pack);  // the same scan, one pack
        EXPECT_EQ(byId["test:B-5"].status, catalog::PackStatus::Failed);
        EXPECT_NE(byId["test:B-5"].error.find("broken.glb"), std::string::npos) << byId["test:B-5"].error;
    }

    static fs::path root_;
    static std::string missing_;
};

fs::path Batch::root_;
std::string Batch::missing_;

TEST_F(Batch, KilledAnywhereThenResumedLosesNothingAndConvertsNothingTwice) {
    const fs::path catalogPath = root_ / "kill.db", store = root_ / "kill-store";
    importFixture(catalogPath);
    // kill -9 the batch (and with it its converters) at several points, then let it finish
    for (const int milliseconds : {30, 250, 500, 900}) {
        const pid_t pid = startBatch(catalogPath, store, 0, 1, 2);
        std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
        ::kill(pid, SIGKILL);
        finish(pid);
    }
    ASSERT_EQ(finish(startBatch(catalogPath, store, 0, 1, 2)), 0);
    auto catalog = catalog::Catalog::open(catalogPath);
    ASSERT_TRUE(catalog);
    expectComplete(*catalog, store);

    // every conversion the log records happened once
    std::ifstream log(conversionLogPath(store));
    std::map<std::string, int> conversions;
    for (std::string line; std::getline(log, line);) ++conversions[line.substr(0, line.find(' '))];
    for (const auto& [key, count] : conversions) EXPECT_EQ(count, 1) << key;
    EXPECT_LE(conversions.size(), 4u);

    // one more run converts nothing and changes nothing
    const std::string digest = *catalog->contentDigest();
    BatchOptions options;
    options.store = store;
    auto again = convertCollection(*catalog, options);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->converted, 0u);
    size_t keys = 0;  // one remembered key per scan set, so the rerun read no scan again
    for (const auto& entry : fs::directory_iterator(store / "keys")) keys += entry.path().extension() == ".key";
    EXPECT_EQ(keys, 5u);
    EXPECT_EQ(again->reused, 4u);
    EXPECT_EQ(again->failed, 1u);
    EXPECT_EQ(*catalog->contentDigest(), digest);
}

// Records that name their scans by URL, converted through a --media-map written as most curators
// write it: without the trailing slash. Every URL under the prefix converts (the scheme and host in
// any case); one beside it ("assets2") is not taken for it, and its failure names the maps given.
TEST_F(Batch, MediaMapWithoutItsTrailingSlash) {
    const fs::path path = root_ / "map.db", store = root_ / "map-store";
    {
        auto catalog = catalog::Catalog::open(path);
        ASSERT_TRUE(catalog) << catalog.error().message;
        const std::pair<const char*, const char*> records[] = {
            {"test:U-1", "https://host/repo/assets/bun_zipper_res4.ply"},
            {"test:U-2", "HTTPS://Host/repo/assets/tipped_astronaut.glb"},
            {"test:U-3", "https://host/repo/assets2/bun_zipper_res4.ply"},
        };
        for (const auto& [id, url] : records) {
            catalog::Record r;
            r.id = id;
            r.institution = "test";
            r.objectNumber = std::string(id).substr(5);
            r.title["en"] = id;
            r.media.push_back({url, catalog::MediaKind::Model, "", ""});
            ASSERT_TRUE(catalog->upsert(r));
        }
    }
    auto mapping = parseMediaMapping("https://host/repo/assets=" + (root_ / "src").string());
    ASSERT_TRUE(mapping) << mapping.error().message;
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        auto catalog = catalog::Catalog::open(path);
        if (!catalog) ::_exit(2);
        BatchOptions options;
        options.store = store;
        options.jobs = 1;
        options.mediaMap = {*mapping};
        auto summary = convertCollection(*catalog, options);
        ::_exit(summary ? 0 : 1);
    }
    ASSERT_EQ(finish(pid), 0);
    auto catalog = catalog::Catalog::open(path);
    ASSERT_TRUE(catalog);
    auto packs = catalog->packs();
    ASSERT_TRUE(packs);
    std::map<std::string, catalog::PackEntry> byId;
    for (const auto& p : *packs) byId[p.objectId] = p;
    for (const char* id : {"test:U-1", "test:U-2"}) {
        ASSERT_TRUE(byId.contains(id)) << id;
        EXPECT_EQ(byId[id].status, catalog::PackStatus::Converted) << id << ": " << byId[id].error;
    }
    ASSERT_TRUE(byId.contains("test:U-3"));
    EXPECT_EQ(byId["test:U-3"].status, catalog::PackStatus::Failed);
    EXPECT_NE(byId["test:U-3"].error.find("no --media-map prefix matches https://host/repo/assets2/bun_zipper_res4.ply; "
                                          "maps given: https://host/repo/assets"),
              std::string::npos)
        << byId["test:U-3"].error;
}

TEST_F(Batch, TwoShardsSideBySideEqualOneRun) {
    const fs::path sharded = root_ / "sharded.db", single = root_ / "single.db";
    const fs::path shardStore = root_ / "shard-store", singleStore = root_ / "single-store";
    importFixture(sharded);
    importFixture(single);
    const pid_t a = startBatch(sharded, shardStore, 0, 2, 1), b = startBatch(sharded, shardStore, 1, 2, 1);
    EXPECT_EQ(finish(a), 0);
    EXPECT_EQ(finish(b), 0);
    ASSERT_EQ(finish(startBatch(single, singleStore, 0, 1, 2)), 0);

    auto one = catalog::Catalog::open(single), two = catalog::Catalog::open(sharded);
    ASSERT_TRUE(one && two);
    expectComplete(*one, singleStore);
    expectComplete(*two, shardStore);
    EXPECT_EQ(*one->contentDigest(), *two->contentDigest());
    const auto packsOne = storeFiles(singleStore), packsTwo = storeFiles(shardStore);
    EXPECT_EQ(packsOne.size(), 5u);  // four packs and one failure note
    EXPECT_TRUE(packsOne == packsTwo) << "the sharded store differs from the single run's";
    // each shard took a part: the slices are disjoint and cover everything
    size_t inShards = 0;
    for (const char* id : {"test:B-1", "test:B-2", "test:B-3", "test:B-4", "test:B-5", "test:B-6"}) inShards += shardOf(id, 2);
    EXPECT_GT(inShards, 0u);
    EXPECT_LT(inShards, 6u);
}

TEST_F(Batch, ExhibitFromTheCatalogOpensAndIsWalkable) {
    const fs::path catalogPath = root_ / "exhibit.db", store = root_ / "exhibit-store";
    importFixture(catalogPath);
    ASSERT_EQ(finish(startBatch(catalogPath, store, 0, 1, 2)), 0);
    auto catalog = catalog::Catalog::open(catalogPath);
    ASSERT_TRUE(catalog);
    fs::create_directories(root_ / "site");
    for (const Layout layout : {Layout::Chronological, Layout::Grid, Layout::Linear}) {
        ExhibitOptions options;
        options.layout = layout;
        options.store = store;
        options.exhibitPath = root_ / "site/exhibit.json";
        options.perRoom = 3;
        options.title = "Test collection";
        auto generated = generateExhibit(*catalog, options);
        ASSERT_TRUE(generated) << generated.error().message;
        const exhibit::Exhibit& e = generated->exhibit;
        ASSERT_EQ(e.artifacts.size(), 5u);  // the broken scan is left out, with a note
        // notes: the broken scan, B-7 without a scan, and the bunny whose PLY is in metres, not the
        // millimetres the converter assumes: its record's 15 cm wins
        EXPECT_EQ(generated->notes.size(), 3u);
        const exhibit::Artifact* bunny = e.findArtifact("test:B-4");
        ASSERT_NE(bunny, nullptr);
        EXPECT_NEAR(bunny->scale, 990.0f, 40.0f);  // 150 mm / 0.154 "mm"
        EXPECT_GT(bunny->stand.size.x, 0.2f);
        EXPECT_EQ(e.rooms.size(), 2u);
        EXPECT_EQ(e.tour.stops.size(), e.artifacts.size());

        // what the viewer reads: no diagnostics at all
        const std::string json = exhibit::toJson(e);
        const exhibit::ParseResult parsed = exhibit::parseExhibit(json, "exhibit.json");
        for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.format();
        EXPECT_EQ(parsed.exhibit.artifacts.size(), e.artifacts.size());

        for (const exhibit::Artifact& a : e.artifacts) {
            EXPECT_TRUE(fs::exists(exhibit::resolveResource(options.exhibitPath.string(), a.pack))) << a.pack;
            const exhibit::Room* room = e.findRoom(a.room);
            ASSERT_NE(room, nullptr);
            // the plinth stands inside its room's rectangle
            const glm::vec2 lo = room->floor[0], hi = room->floor[2];
            EXPECT_GE(a.positionXZ.x - a.stand.size.x / 2, lo.x);
            EXPECT_LE(a.positionXZ.x + a.stand.size.x / 2, hi.x);
            EXPECT_GE(a.positionXZ.y - a.stand.size.z / 2, lo.y);
            EXPECT_LE(a.positionXZ.y + a.stand.size.z / 2, hi.y);
            EXPECT_GT(a.stand.size.y, 0.1f);
        }
        // an aisle of at least 1.5 m between the rows (or the row and the far wall)
        for (const exhibit::Room& room : e.rooms) {
            float northFront = room.floor[0].y, southBack = room.floor[2].y;
            for (const exhibit::Artifact& a : e.artifacts) {
                if (a.room != room.id) continue;
                if (a.rotationDegrees.y == 0.0f) northFront = std::max(northFront, a.positionXZ.y + a.stand.size.z / 2);
                else southBack = std::min(southBack, a.positionXZ.y - a.stand.size.z / 2);
            }
            EXPECT_GE(southBack - northFront, 1.5f) << room.id;
        }
        // the tour follows the layout's order: chronological by year
        if (layout == Layout::Chronological) {
            std::vector<std::string> order;
            for (const auto& stop : e.tour.stops) order.push_back(stop.artifact);
            EXPECT_EQ(order, (std::vector<std::string>{"test:B-1", "test:B-2", "test:B-4", "test:B-3", "test:B-6"}));
            EXPECT_EQ(e.rooms[0].name.get("en"), "1969–1993");
        }

        // open data: a IIIF Presentation 3 manifest of the exhibit
        const nlohmann::json manifest = nlohmann::json::parse(iiifManifest(e, "https://museum.example/exhibits/test"));
        EXPECT_EQ(manifest["@context"], "http://iiif.io/api/presentation/3/context.json");
        EXPECT_EQ(manifest["type"], "Manifest");
        EXPECT_EQ(manifest["id"], "https://museum.example/exhibits/test/manifest.json");
        ASSERT_EQ(manifest["items"].size(), e.artifacts.size());
        for (const auto& canvas : manifest["items"]) {
            EXPECT_EQ(canvas["type"], "Canvas");
            EXPECT_GT(canvas["width"].get<int>(), 0);
            const auto& annotation = canvas["items"][0]["items"][0];
            EXPECT_EQ(annotation["motivation"], "painting");
            EXPECT_EQ(annotation["body"]["type"], "Model");
            EXPECT_TRUE(annotation["body"]["id"].get<std::string>().starts_with("https://museum.example/exhibits/test/"));
            EXPECT_EQ(annotation["target"], canvas["id"]);
        }
        EXPECT_EQ(manifest["structures"].size(), e.rooms.size());
    }
}

TEST(FramedFieldOfView, AMovedInCameraWidensToKeepTheObjectsShareOfThePicture) {
    // authored 40 degrees at 4 m; at 2 m the half-height seen at the target, d * tan(fov / 2), holds
    const float wider = framedFieldOfView(40.0f, 4.0f, 2.0f);
    EXPECT_NEAR(2.0f * std::tan(glm::radians(wider) / 2), 4.0f * std::tan(glm::radians(40.0f) / 2), 1e-4f);
    EXPECT_NEAR(wider, 72.10f, 0.01f);
    EXPECT_FLOAT_EQ(framedFieldOfView(40.0f, 4.0f, 4.0f), 40.0f);   // not moved
    EXPECT_FLOAT_EQ(framedFieldOfView(40.0f, 2.0f, 4.0f), 40.0f);   // never narrowed
    EXPECT_FLOAT_EQ(framedFieldOfView(50.0f, 10.0f, 1.0f), 120.0f);  // the widest the format takes
    EXPECT_FLOAT_EQ(framedFieldOfView(5.0f, 1.0f, 1.0f), 10.0f);     // the narrowest
}

// A IIIF 3D manifest's camera and spot light follow the object onto its plinth: model coordinates
// through the artifact's placement (worldFromModel), walked in along the same line towards the
// object's centre when they would stand outside the room.
TEST_F(Batch, IiifCameraAndSpotLightFollowThePlacement) {
    const std::string manifests = VITRINE_CORPUS_DIR "/metadata/iiif3d-manifests/manifests/";
    const std::string cameraFile = manifests + "2_cameras/positioned_camera_lookat_point.json";
    const std::string lightFile = manifests + "3_lights/multiple_lights_with_intensities_and_colors.json";
    // the same camera with a 50 degree field of view, offered as the first of a Choice of cameras
    const std::string fovFile = manifests + "2_cameras/zz_choice_of_cameras.json";
    const std::vector<std::string> files{cameraFile, lightFile, fovFile};
    for (const std::string& f : files)
        if (!fs::exists(f)) FAIL() << "corpus file missing (the shared corpus is a prerequisite): " << f;
    const fs::path catalogPath = root_ / "scene.db", store = root_ / "scene-store";
    {
        auto catalog = catalog::Catalog::open(catalogPath);
        ASSERT_TRUE(catalog) << catalog.error().message;
        for (const std::string& f : files) {
            const ReadResult read = readSource(f, {});
            ASSERT_EQ(read.records.size(), 1u);
            ASSERT_TRUE(catalog->upsert(read.records[0]));
        }
        BatchOptions options;
        options.store = store;
        options.jobs = 1;
        options.mediaMap = {{"https://raw.githubusercontent.com/IIIF/3d/main/", kMeshes / "iiif3d-assets"}};
        auto summary = convertCollection(*catalog, options);
        ASSERT_TRUE(summary) << summary.error().message;
    }
    auto catalog = catalog::Catalog::open(catalogPath);
    ASSERT_TRUE(catalog);
    ExhibitOptions options;
    options.store = store;
    options.exhibitPath = root_ / "site/scene.json";
    options.layout = Layout::Linear;
    auto generated = generateExhibit(*catalog, options);
    ASSERT_TRUE(generated) << generated.error().message;
    const exhibit::Exhibit& e = generated->exhibit;
    ASSERT_EQ(e.artifacts.size(), 3u);
    const exhibit::ParseResult parsed = exhibit::parseExhibit(exhibit::toJson(e), "scene.json");
    for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.format();

    const auto frameOf = [&](const exhibit::Artifact& a) {
        const fs::path packPath = (options.exhibitPath.parent_path() / a.pack).lexically_normal();
        auto source = pack::openFile(packPath);
        EXPECT_TRUE(source);
        auto reader = pack::PackReader::open(**source, packPath.string());
        EXPECT_TRUE(reader);
        const pack::PackHeader& h = reader->header();
        exhibit::ModelFrame frame;
        frame.millimetresPerUnit = h.millimetresPerUnit;
        frame.orientation = glm::quat(h.orientation.w, h.orientation.x, h.orientation.y, h.orientation.z);
        frame.bounds = h.bounds;
        return frame;
    };
    const auto inside = [](const exhibit::Room& room, glm::vec3 p) {
        return p.x >= room.floor[0].x && p.x <= room.floor[2].x && p.z >= room.floor[0].y && p.z <= room.floor[2].y && p.y > 0 &&
               p.y < room.height;
    };
    const auto expectSameLine = [](glm::vec3 centre, glm::vec3 got, glm::vec3 wanted) {
        const glm::vec3 a = glm::normalize(got - centre), b = glm::normalize(wanted - centre);
        EXPECT_GT(glm::dot(a, b), 0.9999f) << "direction from the object's centre changed";
        EXPECT_LE(glm::length(got - centre), glm::length(wanted - centre) + 1e-4f);
    };

    // the camera: at (0, 3, -10) looking at (2, 1, 0) in the astronaut's model coordinates
    // artifact ids are made safe from the record ids; the label keeps the object number
    const auto byNumber = [&](const std::string& number) -> const exhibit::Artifact* {
        for (const auto& artifact : e.artifacts)
            if (artifact.label.objectNumber == number) return &artifact;
        return nullptr;
    };
    const exhibit::Artifact* a = byNumber("/iiif/3d/positioned_camera_lookat_point.json");
    ASSERT_NE(a, nullptr);
    const glm::mat4 m = exhibit::worldFromModel(*a, frameOf(*a));
    const exhibit::TourStop* stop = nullptr;
    for (const auto& s : e.tour.stops)
        if (s.artifact == a->id) stop = &s;
    ASSERT_NE(stop, nullptr);
    const glm::vec3 lookAt = glm::vec3(m * glm::vec4(2, 1, 0, 1)), camera = glm::vec3(m * glm::vec4(0, 3, -10, 1));
    EXPECT_NEAR(glm::length(stop->camera.target - lookAt), 0.0f, 1e-4f);
    const float height = exhibit::objectBounds(*a, frameOf(*a)).max.y;
    const glm::vec3 centre{a->positionXZ.x, a->baseY() + height / 2, a->positionXZ.y};
    expectSameLine(centre, stop->camera.position, camera);
    EXPECT_TRUE(inside(*e.findRoom(a->room), stop->camera.position));
    std::printf("camera: model (0,3,-10)->(2,1,0); world %.4f %.4f %.4f (unwalked %.4f %.4f %.4f) -> %.4f %.4f %.4f\n",
                stop->camera.position.x, stop->camera.position.y, stop->camera.position.z, camera.x, camera.y, camera.z,
                stop->camera.target.x, stop->camera.target.y, stop->camera.target.z);
    EXPECT_FALSE(stop->camera.fieldOfViewDegrees) << "no fieldOfView: the viewer's own";

    // the 50 degree camera: walked in closer, its view widens so the object fills the same share
    // of the picture: the half-height seen at the target, distance x tan(fov / 2), is unchanged
    const exhibit::Artifact* chosen = byNumber("/iiif/3d/choice_of_cameras.json");
    ASSERT_NE(chosen, nullptr);
    const exhibit::TourStop* fovStop = nullptr;
    for (const auto& s : e.tour.stops)
        if (s.artifact == chosen->id) fovStop = &s;
    ASSERT_NE(fovStop, nullptr);
    ASSERT_TRUE(fovStop->camera.fieldOfViewDegrees);
    const glm::mat4 mc = exhibit::worldFromModel(*chosen, frameOf(*chosen));
    const glm::vec3 authored = glm::vec3(mc * glm::vec4(0, 3, -10, 1)), aimed = glm::vec3(mc * glm::vec4(2, 1, 0, 1));
    const float placedDistance = glm::length(fovStop->camera.target - fovStop->camera.position);
    const float authoredDistance = glm::length(aimed - authored);
    ASSERT_LT(placedDistance, authoredDistance) << "this camera stands outside the room and is walked in";
    // (up to the widest view the exhibit format takes, 120 degrees)
    const float sameShare = glm::degrees(2 * std::atan(authoredDistance * std::tan(glm::radians(50.0f) / 2) / placedDistance));
    EXPECT_NEAR(*fovStop->camera.fieldOfViewDegrees, std::min(sameShare, 120.0f), 1e-2f);
    EXPECT_GT(*fovStop->camera.fieldOfViewDegrees, 50.0f);
    const exhibit::Artifact* parsedChosen = parsed.exhibit.findArtifact(chosen->id);
    ASSERT_NE(parsedChosen, nullptr);
    for (const auto& s : parsed.exhibit.tour.stops) {
        if (s.artifact != chosen->id) continue;
        ASSERT_TRUE(s.camera.fieldOfViewDegrees);
        EXPECT_NEAR(*s.camera.fieldOfViewDegrees, *fovStop->camera.fieldOfViewDegrees, 1e-3f);
    }
    std::printf("camera with fieldOfView 50: %.2f m from its target as authored, %.2f m once inside the room -> %.1f degrees "
                "(%.1f for the same share)\n",
                authoredDistance, placedDistance, *fovStop->camera.fieldOfViewDegrees, sameShare);

    // the spot light: red at (0, 3.5, 3.5), 100 "relative" (10x the usual spot at most), 5 degrees
    const exhibit::Artifact* lit = byNumber("/iiif/3d/model_origin.json");
    ASSERT_NE(lit, nullptr);
    ASSERT_TRUE(lit->light.position.has_value());
    const glm::mat4 ml = exhibit::worldFromModel(*lit, frameOf(*lit));
    const glm::vec3 light = glm::vec3(ml * glm::vec4(0, 3.5f, 3.5f, 1));
    const float litHeight = exhibit::objectBounds(*lit, frameOf(*lit)).max.y;
    expectSameLine({lit->positionXZ.x, lit->baseY() + litHeight / 2, lit->positionXZ.y}, *lit->light.position, light);
    EXPECT_TRUE(inside(*e.findRoom(lit->room), *lit->light.position));
    EXPECT_EQ(lit->light.color, glm::vec3(1, 0, 0));
    EXPECT_FLOAT_EQ(lit->light.intensity, exhibit::ArtifactLight{}.intensity * 10.0f);
    EXPECT_FLOAT_EQ(lit->light.coneDegrees, 5.0f);
    std::printf("light: model (0,3.5,3.5); world %.4f %.4f %.4f (unwalked %.4f %.4f %.4f) intensity %.1f cone %.1f\n",
                lit->light.position->x, lit->light.position->y, lit->light.position->z, light.x, light.y, light.z,
                lit->light.intensity, lit->light.coneDegrees);
    // the second, blue spot light at (0, 2.5, 3.5), 10 "relative": one of the exhibit's lights, aimed
    // at the object's centre
    const glm::vec3 litCentre{lit->positionXZ.x, lit->baseY() + litHeight / 2, lit->positionXZ.y};
    ASSERT_EQ(e.lights.size(), 1u);
    const exhibit::SpotLight& blue = e.lights[0];
    expectSameLine(litCentre, blue.position, glm::vec3(ml * glm::vec4(0, 2.5f, 3.5f, 1)));
    EXPECT_TRUE(inside(*e.findRoom(lit->room), blue.position));
    EXPECT_NEAR(glm::length(blue.target - litCentre), 0.0f, 1e-4f);
    EXPECT_EQ(blue.color.z, 1.0f);
    EXPECT_FLOAT_EQ(blue.intensity, exhibit::ArtifactLight{}.intensity * 10.0f);
    EXPECT_FLOAT_EQ(blue.coneDegrees, 5.0f);
    ASSERT_EQ(parsed.exhibit.lights.size(), 1u);
    EXPECT_NEAR(glm::length(parsed.exhibit.lights[0].position - blue.position), 0.0f, 1e-3f);
    // the parsed exhibit keeps them
    const exhibit::Artifact* back = parsed.exhibit.findArtifact(lit->id);
    ASSERT_NE(back, nullptr);
    ASSERT_TRUE(back->light.position.has_value());
    EXPECT_NEAR(glm::length(*back->light.position - *lit->light.position), 0.0f, 1e-3f);
    EXPECT_FLOAT_EQ(back->light.coneDegrees, 5.0f);
}

}  // namespace
}  // namespace vt::collection
