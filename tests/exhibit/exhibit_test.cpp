#include "exhibit/exhibit.h"

#include <gtest/gtest.h>

#include "exhibit/placement.h"

namespace vt::exhibit {
namespace {

// A small but complete exhibit: two rooms joined by a doorway, two artifacts, a light, a tour.
const char* kGood = R"({
  "format": "vitrine-exhibit",
  "version": 1,
  "id": "whales",
  "title": {"en": "Whales", "zh": "鲸"},
  "languages": ["zh", "en"],
  "rooms": [
    {"id": "hall", "name": "Hall", "floor": [[0, 0], [8, 0], [8, 6], [0, 6]], "height": 4,
     "openings": [{"edge": 1, "center": 3, "width": 1.6}]},
    {"id": "annex", "floor": [[8, 0], [12, 0], [12, 6], [8, 6]]}
  ],
  "artifacts": [
    {"id": "cranium", "pack": "packs/whale.vpk", "position": [2, 3], "rotationDegrees": [0, 90, 0],
     "stand": {"kind": "vitrine", "size": [0.8, 0.9, 0.6]},
     "label": {"title": {"en": "Pilot whale cranium", "zh": "领航鲸头骨"}, "objectNumber": "USNM VZ 20957",
               "license": "https://creativecommons.org/publicdomain/zero/1.0/"},
     "annotations": [{"position": [0, 0.2, 0.1], "text": "Blowhole"}]},
    {"id": "sax", "pack": "https://example.org/sax.vpk", "position": [10, 3], "scale": 2, "light": false}
  ],
  "lights": [{"position": [4, 3.5, 3], "target": [4, 0, 3]}],
  "tour": {"title": "Highlights", "stops": [
    {"artifact": "cranium", "text": {"en": "A skull", "zh": "头骨"},
     "audio": {"en": "audio/1.en.wav", "zh": "audio/1.zh.wav"}},
    {"camera": {"position": [10, 1.6, 5], "target": [10, 1, 3], "fieldOfViewDegrees": 35},
     "audio": "audio/2.ogg", "durationSeconds": 5}
  ]}
})";

std::string messages(const ParseResult& r) {
    std::string out;
    for (const Diagnostic& d : r.diagnostics) out += d.format() + "\n";
    return out;
}

TEST(ExhibitTest, ParsesAGoodExhibitWithoutDiagnostics) {
    const ParseResult r = parseExhibit(kGood, "good.json");
    ASSERT_TRUE(r.usable);
    EXPECT_TRUE(r.diagnostics.empty()) << messages(r);
    const Exhibit& e = r.exhibit;
    ASSERT_EQ(e.rooms.size(), 2u);
    ASSERT_EQ(e.rooms[0].openings.size(), 1u);
    EXPECT_EQ(e.rooms[0].openings[0].edge, 1u);
    EXPECT_EQ(e.rooms[0].name.get("zh"), "Hall");  // a plain string is in the default language (zh here)
    ASSERT_EQ(e.artifacts.size(), 2u);
    EXPECT_EQ(e.artifacts[0].room, "hall");  // found from its position
    EXPECT_EQ(e.artifacts[1].room, "annex");
    EXPECT_EQ(e.artifacts[0].stand.kind, StandKind::Vitrine);
    EXPECT_FLOAT_EQ(e.artifacts[0].baseY(), 0.9f);
    EXPECT_EQ(e.artifacts[0].label.title.get("zh"), "领航鲸头骨");
    EXPECT_EQ(e.artifacts[0].label.title.get("zh-Hans"), "领航鲸头骨");
    EXPECT_EQ(e.artifacts[0].label.title.get("fr"), "Pilot whale cranium");  // falls back to English
    EXPECT_FALSE(e.artifacts[1].light.enabled);
    ASSERT_EQ(e.tour.stops.size(), 2u);
    // A stop that names only an artifact looks at it from its front (+x after a 90° yaw).
    EXPECT_GT(e.tour.stops[0].camera.position.x, 3.0f);
    EXPECT_NEAR(e.tour.stops[0].camera.position.z, 3.0f, 1e-4f);
    EXPECT_FALSE(e.tour.stops[0].camera.fieldOfViewDegrees);  // the viewer's own
    EXPECT_EQ(e.tour.stops[1].camera.fieldOfViewDegrees, 35.0f);
    EXPECT_EQ(resolveResource("/data/ex/exhibit.json", e.artifacts[0].pack), "/data/ex/packs/whale.vpk");
    EXPECT_EQ(resolveResource("/data/ex/exhibit.json", e.artifacts[1].pack), "https://example.org/sax.vpk");
    // Narration per language, like text; a plain path is in the default language (zh here).
    EXPECT_EQ(e.tour.stops[0].audio.get("en"), "audio/1.en.wav");
    EXPECT_EQ(e.tour.stops[0].audio.get("zh-Hans"), "audio/1.zh.wav");
    EXPECT_EQ(e.tour.stops[0].audio.get("fr"), "audio/1.en.wav");
    EXPECT_EQ(e.tour.stops[1].audio.byLanguage, (std::map<std::string, std::string>{{"zh", "audio/2.ogg"}}));
    EXPECT_EQ(e.tour.stops[1].audio.get("en"), "audio/2.ogg");  // the only narration there is
    EXPECT_EQ(resolveResource("/data/ex/exhibit.json", e.tour.stops[0].audio.get("zh")), "/data/ex/audio/1.zh.wav");
}

// A URL is a URL whatever the case of its scheme (RFC 3986; the predicate is core/url.h, tested in
// engine_tests): the pack is kept and not resolved as a path.
TEST(ExhibitTest, UrlSchemesInAnyCase) {
    const ParseResult result = parseExhibit(R"({"rooms": [{"id": "r", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]]}],
        "artifacts": [{"id": "a", "pack": "HTTPS://example.org/a.vpk", "position": [2, 2]}]})", "t.json");
    ASSERT_EQ(result.errorCount(), 0u) << result.diagnostics.front().format();
    ASSERT_EQ(result.exhibit.artifacts.size(), 1u);
    EXPECT_EQ(resolveResource("/data/ex/exhibit.json", result.exhibit.artifacts[0].pack), "HTTPS://example.org/a.vpk");
}

TEST(ExhibitTest, NarrationMustBeLocalFilesPerLanguage) {
    const char* text = R"({
  "rooms": [{"id": "r", "floor": [[0, 0], [5, 0], [5, 5], [0, 5]]}],
  "tour": {"stops": [
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2]}, "audio": "https://example.org/1.wav"},
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2]},
     "audio": {"en": "audio/2.en.wav", "zh": "http://example.org/2.zh.wav", "x!": "a.wav"}},
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2]}, "audio": 3},
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2]}, "audio": {"en": false}}
  ]}
})";
    const ParseResult r = parseExhibit(text, "audio.json");
    ASSERT_TRUE(r.usable);
    const std::string all = messages(r);
    auto has = [&](const std::string& needle) { return all.find(needle) != std::string::npos; };
    EXPECT_TRUE(has("audio.json:4:73: error: /tour/stops/0/audio: narration must be a file next to the exhibit, not a URL"))
        << all;
    EXPECT_TRUE(has("audio.json:6:46: error: /tour/stops/1/audio/zh: narration must be a file next to the exhibit, not a URL; left out")) << all;
    EXPECT_TRUE(has("/tour/stops/1/audio/x!: \"x!\" is not a language tag")) << all;
    EXPECT_TRUE(has("/tour/stops/2/audio: expected a narration file path, or an object of language -> path, got 3"))
        << all;
    EXPECT_TRUE(has("/tour/stops/3/audio/en: expected a string, got false")) << all;
    EXPECT_EQ(r.errorCount(), 5u) << all;
    // Every stop is kept; only the bad narrations are left out.
    ASSERT_EQ(r.exhibit.tour.stops.size(), 4u);
    EXPECT_TRUE(r.exhibit.tour.stops[0].audio.empty());
    EXPECT_EQ(r.exhibit.tour.stops[1].audio.byLanguage, (std::map<std::string, std::string>{{"en", "audio/2.en.wav"}}));
    EXPECT_TRUE(r.exhibit.tour.stops[2].audio.empty());
    EXPECT_TRUE(r.exhibit.tour.stops[3].audio.empty());
}

TEST(ExhibitTest, AnAbsurdFieldOfViewIsReportedAndTheStopKeepsTheViewersOwn) {
    const char* text = R"({
  "rooms": [{"id": "r", "floor": [[0, 0], [5, 0], [5, 5], [0, 5]]}],
  "tour": {"stops": [
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2], "fieldOfViewDegrees": 170}},
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2], "fieldOfViewDegrees": "wide"}},
    {"camera": {"position": [1, 1.6, 1], "target": [2, 1, 2], "fieldOfViewDegrees": 10}}
  ]}
})";
    const ParseResult r = parseExhibit(text, "fov.json");
    ASSERT_TRUE(r.usable);
    const std::string all = messages(r);
    EXPECT_NE(all.find("fov.json:4:85: error: /tour/stops/0/camera/fieldOfViewDegrees: 170 is out of range (expected from 10 to 120)"), std::string::npos) << all;
    EXPECT_NE(all.find("/tour/stops/1/camera/fieldOfViewDegrees: expected a number"), std::string::npos) << all;
    EXPECT_EQ(r.errorCount(), 2u) << all;
    ASSERT_EQ(r.exhibit.tour.stops.size(), 3u);
    EXPECT_FALSE(r.exhibit.tour.stops[0].camera.fieldOfViewDegrees);
    EXPECT_FALSE(r.exhibit.tour.stops[1].camera.fieldOfViewDegrees);
    EXPECT_EQ(r.exhibit.tour.stops[2].camera.fieldOfViewDegrees, 10.0f);
}

TEST(ExhibitTest, RoundTripsThroughJson) {
    const ParseResult first = parseExhibit(kGood, "good.json");
    const std::string written = toJson(first.exhibit);
    const ParseResult second = parseExhibit(written, "written.json");
    EXPECT_TRUE(second.diagnostics.empty()) << messages(second);
    EXPECT_EQ(toJson(second.exhibit), written);
    EXPECT_EQ(second.exhibit.artifacts.size(), 2u);
    EXPECT_EQ(second.exhibit.tour.stops[0].audio.byLanguage, first.exhibit.tour.stops[0].audio.byLanguage);
    EXPECT_EQ(second.exhibit.tour.stops[1].audio.byLanguage, first.exhibit.tour.stops[1].audio.byLanguage);
    EXPECT_EQ(second.exhibit.tour.stops[1].camera.fieldOfViewDegrees, 35.0f);
    EXPECT_FALSE(second.exhibit.tour.stops[0].camera.fieldOfViewDegrees);
    EXPECT_NE(written.find(R"("audio": {
          "en": "audio/1.en.wav",
          "zh": "audio/1.zh.wav"
        })"), std::string::npos) << written;
}

TEST(ExhibitTest, SyntaxErrorNamesLineAndColumn) {
    const ParseResult r = parseExhibit("{\n  \"rooms\": [\n    {\"id\": \"a\",}\n  ]\n}", "broken.json");
    EXPECT_FALSE(r.usable);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].line, 3u);
    EXPECT_EQ(r.diagnostics[0].column, 16u);
    EXPECT_NE(r.diagnostics[0].format().find("broken.json:3:16: error: not valid JSON"), std::string::npos)
        << r.diagnostics[0].format();
}

TEST(ExhibitTest, BadArtifactsAreSkippedWithLocationsAndTheRestIsKept) {
    const char* text = R"({
  "rooms": [{"id": "r", "floor": [[0, 0], [5, 0], [5, 5], [0, 5]]}],
  "artifacts": [
    {"id": "ok", "pack": "a.vpk", "position": [1, 1]},
    {"id": "neg", "pack": "b.vpk", "position": [2, 2], "scale": -1},
    {"id": "typo", "pack": "c.vpk", "position": [3, 3], "scael": 2},
    {"id": "ftp", "pack": "ftp://x/y.vpk", "position": [3, 3]},
    {"id": "ok", "pack": "d.vpk", "position": [4, 4]},
    {"id": "far", "pack": "e.vpk", "position": [50, 50]},
    {"pack": "f.vpk", "position": [1, 4]},
    {"id": "nan", "pack": "g.vpk", "position": [1, "x"]}
  ],
  "tour": {"stops": [{"artifact": "missing"}, {"artifact": "ok", "durationSeconds": 5}]}
})";
    const ParseResult r = parseExhibit(text, "bad.json");
    ASSERT_TRUE(r.usable);
    std::vector<std::string> ids;
    for (const Artifact& a : r.exhibit.artifacts) ids.push_back(a.id);
    // "typo" keeps loading (the unknown key is reported), "far" too (reported outside every room).
    EXPECT_EQ(ids, (std::vector<std::string>{"ok", "typo", "far"}));
    const std::string all = messages(r);
    auto has = [&](const std::string& needle) { return all.find(needle) != std::string::npos; };
    EXPECT_TRUE(has("bad.json:5:65: error: /artifacts/1/scale: -1 is out of range")) << all;
    EXPECT_TRUE(has("bad.json:6:66: error: /artifacts/2/scael: unknown key \"scael\"")) << all;
    EXPECT_TRUE(has("/artifacts/3/pack: \"ftp://x/y.vpk\": only http:// and https://")) << all;
    EXPECT_TRUE(has("/artifacts/4/id: the id \"ok\" is already used")) << all;
    EXPECT_TRUE(has("/artifacts/5/position: (50, 50) is outside every room")) << all;
    EXPECT_TRUE(has("bad.json:10:5: error: /artifacts/6: an artifact needs an \"id\"")) << all;
    EXPECT_TRUE(has("/artifacts/7/position/1: expected a number, got \"x\"")) << all;
    EXPECT_TRUE(has("/tour/stops/0/artifact: no artifact has the id \"missing\"")) << all;
    ASSERT_EQ(r.exhibit.tour.stops.size(), 1u);
    EXPECT_EQ(r.exhibit.tour.stops[0].artifact, "ok");
    // Diagnostics come in document order.
    for (size_t i = 1; i < r.diagnostics.size(); ++i) EXPECT_LE(r.diagnostics[i - 1].line, r.diagnostics[i].line);
}

TEST(ExhibitTest, RejectsAbsurdRooms) {
    const char* text = R"({
  "rooms": [
    {"id": "bowtie", "floor": [[0, 0], [4, 4], [4, 0], [0, 4]]},
    {"id": "tiny", "floor": [[0, 0], [0.5, 0], [0.5, 0.5]]},
    {"id": "tall", "floor": [[0, 0], [4, 0], [4, 4]], "height": 1e9},
    {"id": "door", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]], "openings": [{"edge": 7}, {"edge": 0, "center": 0.2, "width": 1}, {"width": 1}, {"edge": 1.5}]},
    {"id": "dup", "id": "dup2", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]]}
  ]
})";
    const ParseResult r = parseExhibit(text, "rooms.json");
    const std::string all = messages(r);
    auto has = [&](const std::string& needle) { return all.find(needle) != std::string::npos; };
    EXPECT_TRUE(has("/rooms/0/floor: the floor outline crosses itself")) << all;
    EXPECT_TRUE(has("/rooms/1/floor: the floor is 0.12 m², less than 1 m²")) << all;
    EXPECT_TRUE(has("/rooms/2/height: 1000000000.0 is out of range")) << all;
    EXPECT_TRUE(has("/rooms/3/openings/0/edge: 7 is out of range")) << all;
    EXPECT_TRUE(has("/rooms/3/openings/1: the opening (1.00 m wide at 0.20 m) runs past")) << all;
    EXPECT_TRUE(has("/rooms/3/openings/2: an opening needs an \"edge\" (wall index); opening skipped")) << all;
    EXPECT_TRUE(has("/rooms/3/openings/3/edge: expected a whole wall index; opening skipped")) << all;
    EXPECT_TRUE(has("/rooms/4/id: key given twice")) << all;
    ASSERT_EQ(r.exhibit.rooms.size(), 2u);  // door (without its openings) and dup
    EXPECT_TRUE(r.exhibit.rooms[0].openings.empty());
}

TEST(ExhibitTest, NotAnExhibit) {
    EXPECT_FALSE(parseExhibit("[1, 2]", "a.json").usable);
    EXPECT_FALSE(parseExhibit("", "a.json").usable);
    const ParseResult newer = parseExhibit(R"({"format": "vitrine-exhibit", "version": 9, "rooms": []})", "n.json");
    EXPECT_TRUE(newer.usable);
    EXPECT_NE(messages(newer).find("version 9 was written by a newer Vitrine"), std::string::npos);
    EXPECT_NE(messages(newer).find("no usable room"), std::string::npos);
    EXPECT_FALSE(loadExhibit("/nonexistent/exhibit.json").usable);
}

TEST(PlacementTest, StandsTheObjectLifeSizeOnItsBase) {
    Artifact a;
    a.positionXZ = {2, 3};
    a.stand.size = {0.6f, 1.0f, 0.6f};
    a.rotationDegrees = {0, 90, 0};
    ModelFrame frame;
    frame.millimetresPerUnit = 10.0f;  // centimetre units
    // Z-up model: rotate -90° about X to make +Z point up.
    frame.orientation = glm::angleAxis(glm::radians(-90.0f), glm::vec3(1, 0, 0));
    frame.bounds = {{-10, -20, 0}, {10, 20, 50}};  // 20 x 40 cm footprint, 50 cm tall
    const Bounds object = objectBounds(a, frame);
    EXPECT_NEAR(object.min.y, 0.0f, 1e-5f);
    EXPECT_NEAR(object.max.y, 0.5f, 1e-5f);
    EXPECT_NEAR(object.max.x - object.min.x, 0.2f, 1e-5f);
    EXPECT_NEAR(object.max.z - object.min.z, 0.4f, 1e-5f);
    const glm::mat4 world = worldFromModel(a, frame);
    const glm::vec3 top = world * glm::vec4(0, 0, 50, 1);      // top centre of the model
    EXPECT_NEAR(top.x, 2.0f, 1e-5f);
    EXPECT_NEAR(top.y, 1.5f, 1e-5f);  // plinth 1 m + object 0.5 m
    EXPECT_NEAR(top.z, 3.0f, 1e-5f);
    const glm::vec3 side = world * glm::vec4(10, 0, 0, 1);     // +x model = +x object; a 90° yaw sends it to -z
    EXPECT_NEAR(side.z, 3.0f - 0.1f, 1e-5f);
    a.scale = 2.0f;
    EXPECT_NEAR(objectBounds(a, frame).max.y, 1.0f, 1e-5f);
}

}  // namespace
}  // namespace vt::exhibit
