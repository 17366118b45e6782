// The readers on the corpus's real records (exact values for known objects), malformed input
// reported with file and line or JSON pointer and skipped, and the media path policy.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/collection/media_policy.h"
#include "tools/collection/readers.h"

namespace vt::collection {
namespace {

const std::string kCorpus = VITRINE_CORPUS_DIR "/metadata";
constexpr const char* kCc0 = "https://creativecommons.org/publicdomain/zero/1.0/";

const catalog::Record* find(const ReadResult& result, const std::string& id) {
    for (const auto& r : result.records)
        if (r.id == id) return &r;
    return nullptr;
}

std::string problems(const ReadResult& result) {
    std::string out;
    for (const auto& p : result.problems) out += p.format() + "\n";
    return out;
}

#define REQUIRE_CORPUS(path)                                                          \
    if (!std::filesystem::exists(path)) FAIL() << "corpus file missing (the shared corpus is a prerequisite): " << path

TEST(Lido, OneRecordFile) {
    const std::string file = kCorpus + "/lido/LIDO-Test.xml";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    EXPECT_EQ(r.id, "Museum of Civilization - DEVA:30505");
    EXPECT_EQ(r.objectNumber, "30505");
    EXPECT_EQ(r.title.at("ro"), "Denar republican");
    EXPECT_EQ(catalog::pick(r.creator), "C. Norbanus");
    EXPECT_EQ(r.date.at("ro"), "83 a.Chr.");
    EXPECT_EQ(r.earliestYear, -83);
    EXPECT_EQ(r.latestYear, -83);
    EXPECT_EQ(r.culture.at("en"), "workshop: Roma");
    EXPECT_EQ(r.medium.at("ro"), "Ag; batere");
    EXPECT_EQ(r.rights, kCc0);
    EXPECT_EQ(r.sourceUrl, "http://clasate.cimec.ro/detaliu.asp?k=000FBE0B1E2D4E48A4FEDAA8BE3C80F1");
    ASSERT_EQ(r.media.size(), 1u);
    EXPECT_EQ(r.media[0].uri, "http://clasate.cimec.ro/medium/NUM_6942500_787-173.jpg");
    EXPECT_EQ(r.media[0].kind, catalog::MediaKind::Image);
    EXPECT_NE(r.description.at("ro").find("Capul lui Venus"), std::string::npos);
}

TEST(Lido, ManyRecordsAndLanguages) {
    const std::string file = kCorpus + "/lido/LIDO-Extended-Example.xml";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 3u) << problems(result);
    const std::string institution = "Deutsches Dokumentationszentrum für Kunstgeschichte - Bildarchiv Foto Marburg";
    const catalog::Record* basin = find(result, institution + ":DE-Mb112/lido-obj20344012,T,001");
    ASSERT_NE(basin, nullptr) << problems(result);
    EXPECT_EQ(basin->title.at("en"), "Fontana del Moro — fountain basin with four tritons and masks");
    EXPECT_EQ(basin->title.at("de"), "Fontana del Moro — Brunnenbecken mit vier Tritonen und Masken");
    EXPECT_EQ(catalog::pick(basin->creator), "Porta, Giacomo della");
    EXPECT_EQ(basin->earliestYear, 1575);
    EXPECT_EQ(basin->latestYear, 1576);
    EXPECT_EQ(basin->sourceUrl, "http://www.bildindex.de/dokumente/html/obj20344012,T,001");
}

TEST(Iiif, ThreeDSceneWithModelsAndComments) {
    const std::string file = kCorpus + "/iiif3d-manifests/manifests/9_commenting_annotations/whale_comment.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    EXPECT_EQ(r.id, "example.org:/iiif/3d/whale_comment.json");
    EXPECT_EQ(r.sourceFormat, "iiif");
    EXPECT_EQ(r.title.at("en"), "Whale Cranium and Mandible with Point Comment Annotation");
    ASSERT_EQ(r.media.size(), 2u);
    EXPECT_EQ(r.media[0].kind, catalog::MediaKind::Model);
    EXPECT_EQ(r.media[1].kind, catalog::MediaKind::Model);
    EXPECT_EQ(r.media[0].uri, "https://raw.githubusercontent.com/IIIF/3d/main/assets/whale/whale_mandible.glb");
    EXPECT_EQ(r.media[1].uri, "https://raw.githubusercontent.com/IIIF/3d/main/assets/whale/whale_cranium.glb");
    EXPECT_EQ(r.media[0].format, "model/gltf-binary");
    ASSERT_EQ(r.comments.size(), 1u);
    EXPECT_EQ(r.comments[0].text.at("und"), "Right pterygoid hamulus");
    ASSERT_TRUE(r.comments[0].point.has_value());
    EXPECT_FLOAT_EQ((*r.comments[0].point)[1], 0.063f);
}

TEST(Iiif, MultilingualComments) {
    const std::string file = kCorpus + "/iiif3d-manifests/manifests/9_commenting_annotations/astronaut_multilingual_comment.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    ASSERT_GE(r.comments.size(), 2u);
    EXPECT_EQ(r.comments[0].text.at("en"), "Glove");
    EXPECT_EQ(r.comments[0].text.at("es"), "Guante");
    ASSERT_TRUE(r.comments[0].point.has_value());
    EXPECT_FLOAT_EQ((*r.comments[0].point)[0], 1.075f);
}

// Cameras and spot lights of IIIF 3D scenes (the draft's corpus examples), in scene coordinates.
TEST(Iiif, SceneCameraAndSpotLight) {
    const std::string cameraFile = kCorpus + "/iiif3d-manifests/manifests/2_cameras/positioned_camera_lookat_point.json";
    const std::string lightFile = kCorpus + "/iiif3d-manifests/manifests/3_lights/multiple_lights_with_intensities_and_colors.json";
    const std::string rotatedFile = kCorpus + "/iiif3d-manifests/manifests/9_commenting_annotations/whale_comment_camera.json";
    const std::string plainFile = kCorpus + "/iiif3d-manifests/manifests/2_cameras/perspective_camera.json";
    REQUIRE_CORPUS(cameraFile);
    REQUIRE_CORPUS(lightFile);
    REQUIRE_CORPUS(rotatedFile);
    REQUIRE_CORPUS(plainFile);

    // a PerspectiveCamera at its target's PointSelector, looking at a PointSelector
    ReadResult result = readSource(cameraFile, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    ASSERT_TRUE(result.records[0].camera.has_value());
    EXPECT_EQ(result.records[0].camera->position, (std::array<float, 3>{0.0f, 3.0f, -10.0f}));
    ASSERT_TRUE(result.records[0].camera->lookAt.has_value());
    EXPECT_EQ(*result.records[0].camera->lookAt, (std::array<float, 3>{2.0f, 1.0f, 0.0f}));
    EXPECT_TRUE(result.records[0].lights.empty());
    EXPECT_EQ(result.records[0].media.size(), 1u);  // the camera is not media

    // two SpotLights, in order: rotated, then translated to (0, 3.5, 3.5), red, 100 "relative", 5
    // degrees; and to (0, 2.5, 3.5), blue #0f00ff, 10 "relative", 5 degrees. The AmbientLight is not kept.
    result = readSource(lightFile, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    ASSERT_EQ(result.records[0].lights.size(), 2u);
    const catalog::SceneLight& light = result.records[0].lights[0];
    EXPECT_FLOAT_EQ(light.position[0], 0.0f);
    EXPECT_FLOAT_EQ(light.position[1], 3.5f);
    EXPECT_FLOAT_EQ(light.position[2], 3.5f);
    EXPECT_EQ(light.color, (std::array<float, 3>{1.0f, 0.0f, 0.0f}));
    EXPECT_EQ(light.intensity, 100.0f);
    EXPECT_EQ(light.angleDegrees, 5.0f);
    const catalog::SceneLight& blue = result.records[0].lights[1];
    EXPECT_FLOAT_EQ(blue.position[1], 2.5f);
    EXPECT_FLOAT_EQ(blue.position[2], 3.5f);
    EXPECT_NEAR(blue.color[0], 0.0048f, 1e-4f);  // sRGB 0x0f in linear
    EXPECT_EQ(blue.color[1], 0.0f);
    EXPECT_EQ(blue.color[2], 1.0f);
    EXPECT_EQ(blue.intensity, 10.0f);

    // a camera without lookAt looks along its rotated -z (x -15, y 215 degrees), from its point
    result = readSource(rotatedFile, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    ASSERT_TRUE(result.records[0].camera.has_value());
    const catalog::SceneCamera& camera = *result.records[0].camera;
    EXPECT_EQ(camera.position, (std::array<float, 3>{-0.25f, 0.0f, -0.5f}));
    EXPECT_EQ(camera.fieldOfViewDegrees, 50.0f);
    ASSERT_TRUE(camera.lookAt.has_value());
    const float pi = 3.14159265f, ry = 215 * pi / 180, rx = -15 * pi / 180;
    EXPECT_NEAR((*camera.lookAt)[0], -0.25f - std::sin(ry), 1e-5f);
    EXPECT_NEAR((*camera.lookAt)[1], -std::sin(rx) * -std::cos(ry), 1e-5f);
    EXPECT_NEAR((*camera.lookAt)[2], -0.5f + std::cos(rx) * -std::cos(ry), 1e-5f);

    // an unpositioned camera is the viewer's default: nothing kept
    result = readSource(plainFile, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    EXPECT_FALSE(result.records[0].camera.has_value());

    // the catalog's JSON keeps them; a record without them keeps its JSON unchanged
    const std::string json = catalog::toJson(result.records[0]);
    EXPECT_EQ(json.find("\"camera\""), std::string::npos);
    result = readSource(lightFile, {});
    catalog::Record back;
    ASSERT_TRUE(catalog::fromJson(catalog::toJson(result.records[0]), back));
    ASSERT_EQ(back.lights.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(back.lights[i].position, result.records[0].lights[i].position);
        EXPECT_EQ(back.lights[i].color, result.records[0].lights[i].color);
        EXPECT_EQ(back.lights[i].intensity, result.records[0].lights[i].intensity);
        EXPECT_EQ(back.lights[i].angleDegrees, 5.0f);
    }
    // a catalog written before kept one "light": it is still read
    catalog::Record older;
    ASSERT_TRUE(catalog::fromJson(R"({"id": "x:1", "light": {"position": [0, 3.5, 3.5], "color": [1, 0, 0], "intensity": 100}})",
                                  older));
    ASSERT_EQ(older.lights.size(), 1u);
    EXPECT_EQ(older.lights[0].position, (std::array<float, 3>{0.0f, 3.5f, 3.5f}));
    EXPECT_EQ(older.lights[0].intensity, 100.0f);
}

TEST(Iiif, Presentation3RightsAndTemplatedId) {
    const std::string file = kCorpus + "/iiif-cookbook/0008-rights/manifest.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    // the cookbook's id is a template, "{{ id.url }}": named after its file, with a warning on /id
    EXPECT_EQ(r.id, "iiif-file:0008-rights/manifest.json");
    ASSERT_FALSE(result.problems.empty());
    EXPECT_EQ(result.problems[0].pointer, "/id");
    EXPECT_EQ(result.problems[0].line, 3u);
    EXPECT_TRUE(result.problems[0].warning);
    EXPECT_EQ(r.rights, "http://creativecommons.org/licenses/by-sa/3.0/");
    EXPECT_EQ(r.title.at("en"), "Picture of Göttingen taken during the 2019 IIIF Conference");
    EXPECT_EQ(r.description.at("en"), "Picture taken by the IIIF Technical Coordinator");  // HTML stripped
    ASSERT_EQ(r.media.size(), 1u);
    EXPECT_EQ(r.media[0].kind, catalog::MediaKind::Image);
}

TEST(Iiif, CollectionMembersBesideIt) {
    const std::string file = kCorpus + "/iiif-cookbook/0032-collection/collection.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 2u) << problems(result);
    EXPECT_EQ(result.records[0].title.at("en"), "The Gulf Stream");  // manifest-01.json
    EXPECT_EQ(result.records[1].title.at("en"), "Northeaster");
    EXPECT_EQ(result.rejected, 0u);
}

TEST(Api, SmithsonianEdan) {
    const std::string file = kCorpus + "/openverse-museum-api/smithsonian/actual_record_data.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    EXPECT_EQ(r.id, "si.nmnhbirds:466243");
    EXPECT_EQ(r.title.at("en"), "Passerculus sandwichensis nevadensis");
    EXPECT_EQ(r.rights, kCc0);
    EXPECT_EQ(r.earliestYear, 1958);
    EXPECT_EQ(r.sourceUrl, "http://n2t.net/ark:/65665/34857ca78-9195-4156-849b-1ec47f7cd1ce");
    ASSERT_EQ(r.media.size(), 1u);
    EXPECT_EQ(r.media[0].kind, catalog::MediaKind::Image);
}

TEST(Api, MetCollection) {
    const std::string file = kCorpus + "/openverse-museum-api/metropolitan_museum_of_art/sample_response.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    EXPECT_EQ(r.id, "met:36.100.45");
    EXPECT_EQ(r.title.at("en"), "Quail and Millet");
    EXPECT_EQ(r.creator.at("en"), "Kiyohara Yukinobu");
    EXPECT_EQ(r.earliestYear, 1667);
    EXPECT_EQ(r.latestYear, 1682);
    ASSERT_TRUE(r.heightMm && r.widthMm);
    EXPECT_DOUBLE_EQ(*r.heightMm, 1184.0);
    EXPECT_DOUBLE_EQ(*r.widthMm, 476.0);
    EXPECT_EQ(r.rights, kCc0);
    EXPECT_EQ(r.media.size(), 3u);
}

TEST(Api, ClevelandMuseumOfArt) {
    const std::string file = kCorpus + "/openverse-museum-api/clevelandmuseum/complete_data.json";
    REQUIRE_CORPUS(file);
    const ReadResult result = readSource(file, {});
    ASSERT_EQ(result.records.size(), 1u) << problems(result);
    const catalog::Record& r = result.records[0];
    EXPECT_EQ(r.id, "cma:1335.1917");
    EXPECT_EQ(r.title.at("en"), "View of Schroon Mountain, Essex County, New York, After a Storm");
    EXPECT_EQ(r.creator.at("en"), "Thomas Cole (American, 1801-1848)");
    EXPECT_EQ(r.earliestYear, 1838);
    ASSERT_TRUE(r.heightMm && r.widthMm);
    EXPECT_DOUBLE_EQ(*r.heightMm, 998.0);  // unframed
    EXPECT_DOUBLE_EQ(*r.widthMm, 1606.0);
    EXPECT_EQ(r.rights, kCc0);
    EXPECT_EQ(r.sourceUrl, "https://clevelandart.org/art/1335.1917");
    ASSERT_EQ(r.media.size(), 1u);
}

TEST(Malformed, NonLidoXmlAndUnknownJsonAreReportedAndSkipped) {
    for (const std::string name : {"/europeana-edm/Item_35834473.xml", "/oai-pmh/getrecord.xml"}) {
        const std::string file = kCorpus + name;
        REQUIRE_CORPUS(file);
        const ReadResult result = readSource(file, {});
        EXPECT_TRUE(result.records.empty());
        ASSERT_EQ(result.problems.size(), 1u);
        EXPECT_EQ(result.problems[0].line, 2u);
        EXPECT_NE(result.problems[0].message.find("not LIDO"), std::string::npos);
    }
    const std::string europeana = kCorpus + "/openverse-museum-api/europeana/image_data_example.json";
    REQUIRE_CORPUS(europeana);
    const ReadResult result = readSource(europeana, {});
    EXPECT_TRUE(result.records.empty());
    EXPECT_EQ(result.rejected, 1u);
}

TEST(Malformed, BrokenJsonNamesItsLine) {
    JsonContext context;
    context.file = "broken.json";
    const ReadResult result = readJson("{\n  \"type\": \"Manifest\",\n  \"label\": {\"en\": [\"x\"]\n  \"items\": []\n}", context);
    EXPECT_TRUE(result.records.empty());
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 4u);
    EXPECT_NE(result.problems[0].format().find("broken.json:4: error: invalid JSON"), std::string::npos);
}

TEST(Malformed, BadRecordInAnArrayIsSkippedByPointer) {
    JsonContext context;
    context.file = "records.json";
    const std::string text = "\xEF\xBB\xBF[\n {\"objectID\": 1, \"accessionNumber\": \"1.2\", \"title\": \"Cup\"},\n 42,\n"
                             " {\"objectID\": 2, \"accessionNumber\": \"1.3\", \"title\": \"Bowl\"}\n]";
    const ReadResult result = readJson(text, context);
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].id, "met:1.3");
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].pointer, "/1");
    EXPECT_EQ(result.problems[0].line, 3u);
    EXPECT_EQ(result.rejected, 1u);
}

TEST(Malformed, BrokenXmlNamesItsLine) {
    const ReadResult result = readLido("<?xml version=\"1.0\"?>\n<lido:lidoWrap xmlns:lido=\"x\">\n<lido:lido>\n</lido:lidoWrap>", "bad.xml", ".");
    EXPECT_TRUE(result.records.empty());
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_GE(result.problems[0].line, 3u);
    EXPECT_NE(result.problems[0].message.find("invalid XML"), std::string::npos);
}

// The Met's Open Access columns, with a BOM, a quoted field holding a comma, quotes and a newline,
// and two broken rows between good ones.
const char* kMetCsv =
    "\xEF\xBB\xBFObject Number,Is Highlight,Is Public Domain,Object ID,Title,Artist Display Name,Object Date,Object Begin Date,"
    "Object End Date,Culture,Medium,Dimensions,Credit Line,Link Resource\r\n"
    "1975.1.1,False,True,1,\"Vase, with \"\"lid\"\"\nand stand\",Unknown,ca. 1700,1690,1710,China,Porcelain,H. 30 cm,Gift,"
    "http://www.metmuseum.org/art/collection/search/1\r\n"
    "1975.1.2,False,True,2,\"stray\" quote,Unknown,1700,1700,1700,,,,,\n"
    "1975.1.3,False,True,3,Short row\n"
    "1975.1.4,False,False,4,Plate,Unknown,1800,1800,1800,France,Faience,\"Diam. 9 1/4 in. (23.5 cm)\",Purchase,\n"
    "1975.1.5,False,True,5,\"never closed,Unknown,1700,1700,1700,,,,,\n"
    "1975.1.6,False,True,6,Cup,Unknown,1750,1750,1750,,,,,\n";

TEST(Csv, MetColumnsQuotesNewlinesBomAndBadRows) {
    const ReadResult result = readCsv(kMetCsv, "MetObjects.csv", metOpenAccessMapping());
    ASSERT_EQ(result.records.size(), 3u) << problems(result);
    const catalog::Record& vase = result.records[0];
    EXPECT_EQ(vase.id, "met:1975.1.1");
    EXPECT_EQ(vase.title.at("en"), "Vase, with \"lid\"\nand stand");
    EXPECT_EQ(vase.earliestYear, 1690);
    EXPECT_EQ(vase.rights, kCc0);
    ASSERT_TRUE(vase.heightMm);
    EXPECT_DOUBLE_EQ(*vase.heightMm, 300.0);
    EXPECT_EQ(result.records[1].id, "met:1975.1.4");
    EXPECT_TRUE(result.records[1].rights.empty());  // not public domain
    EXPECT_EQ(result.records[2].id, "met:1975.1.6");  // after the unclosed quote
    ASSERT_EQ(result.problems.size(), 3u) << problems(result);
    EXPECT_EQ(result.problems[0].file, "MetObjects.csv");
    EXPECT_EQ(result.problems[0].line, 4u);  // the stray quote, after the two-line field
    EXPECT_EQ(result.problems[1].line, 5u);  // too few fields
    EXPECT_EQ(result.problems[2].line, 7u);  // never closed
    EXPECT_NE(result.problems[2].message.find("never closed"), std::string::npos);
    EXPECT_EQ(result.rejected, 3u);
}

TEST(Csv, WrongFieldCountIsSkippedAndTheRestRead) {
    const std::string text =
        "Object Number,Title,Culture\n"
        "A.1,First,X\n"
        "A.2,Second\n"
        "A.3,\"Third\",Y\n";
    const ReadResult result = readCsv(text, "t.csv", metOpenAccessMapping());
    ASSERT_EQ(result.records.size(), 2u) << problems(result);
    EXPECT_EQ(result.records[1].id, "met:A.3");
    ASSERT_EQ(result.problems.size(), 1u);
    EXPECT_EQ(result.problems[0].line, 3u);
    EXPECT_EQ(result.rejected, 1u);
}

TEST(Csv, MappingWithLanguagesAndMedia) {
    CsvMapping mapping;
    mapping.institution = "demo";
    mapping.columns = {{"No", "objectNumber"}, {"Name", "title@en"}, {"名称", "title@zh"}, {"Scan", "model"}};
    const std::string text = "No,Name,名称,Scan\nD-1,Blue and white vase,青花瓷瓶,scans/vase.glb\n"
                             "D-2,Escape,逃逸,../outside.glb\nD-3,Absolute,绝对,/etc/passwd\nD-4,Scheme,方案,file:///etc/passwd\n";
    const ReadResult result = readCsv(text, "/data/export/objects.csv", mapping);
    ASSERT_EQ(result.records.size(), 4u) << problems(result);
    EXPECT_EQ(result.records[0].title.at("zh"), "青花瓷瓶");
    ASSERT_EQ(result.records[0].media.size(), 1u);
    EXPECT_EQ(result.records[0].media[0].uri, "/data/export/scans/vase.glb");
    for (size_t i = 1; i < 4; ++i) EXPECT_TRUE(result.records[i].media.empty()) << result.records[i].id;
    EXPECT_EQ(result.problems.size(), 3u) << problems(result);
    for (const auto& p : result.problems) EXPECT_TRUE(p.warning);
}

TEST(MediaPolicy, RefusesEscapesAbsolutePathsAndOtherSchemes) {
    const std::filesystem::path folder = "/data/export";
    EXPECT_EQ(*checkMediaReference("scans/a.glb", folder), "/data/export/scans/a.glb");
    EXPECT_EQ(*checkMediaReference("scans/../b.ply", folder), "/data/export/b.ply");
    EXPECT_EQ(*checkMediaReference("https://example.org/a.glb", folder), "https://example.org/a.glb");
    EXPECT_EQ(*checkMediaReference("HTTP://example.org/a.glb", folder), "HTTP://example.org/a.glb");
    for (const char* bad : {"../a.glb", "scans/../../a.glb", "%2e%2e/a.glb", "..\\a.glb", "/etc/passwd", "C:\\scan.glb",
                            "file:///etc/passwd", "ftp://example.org/a.glb", "javascript:alert(1)", "data:model/gltf,xx"})
        EXPECT_FALSE(checkMediaReference(bad, folder).has_value()) << bad;
    const std::vector<MediaMapping> mappings = {{"https://example.org/scans/", "/mirror"}};
    EXPECT_EQ(*localMediaPath("https://example.org/scans/a/b.glb", mappings), "/mirror/a/b.glb");
    EXPECT_FALSE(localMediaPath("https://example.org/scans/../../etc/passwd", mappings).has_value());
    EXPECT_FALSE(localMediaPath("https://other.org/a.glb", mappings).has_value());
    EXPECT_FALSE(parseMediaMapping("file:///x=/y").has_value());
}

TEST(Parsing, DimensionsAndYears) {
    std::optional<double> h, w, d;
    ASSERT_TRUE(catalog::parseDimensions("46 5/8 x 18 3/4 in. (118.4 x 47.6 cm)", h, w, d));
    EXPECT_DOUBLE_EQ(*h, 1184.0);
    EXPECT_DOUBLE_EQ(*w, 476.0);
    EXPECT_FALSE(d);
    h.reset(), w.reset(), d.reset();
    ASSERT_TRUE(catalog::parseDimensions("12 x 3 x 4 in.", h, w, d));
    EXPECT_NEAR(*d, 101.6, 1e-9);
    h.reset(), w.reset(), d.reset();
    EXPECT_FALSE(catalog::parseDimensions("17,5x18", h, w, d));
    ASSERT_TRUE(catalog::parseDimensions("17,5 x 18 mm", h, w, d));
    EXPECT_DOUBLE_EQ(*h, 17.5);

    std::optional<int> a, b;
    catalog::parseYears("ca. 1500 BCE", a, b);
    EXPECT_EQ(a, -1500);
    a.reset(), b.reset();
    catalog::parseYears("1575-76", a, b);
    EXPECT_EQ(a, 1575);
    EXPECT_EQ(b, 1576);
    a.reset(), b.reset();
    catalog::parseYears("late 17th century", a, b);
    EXPECT_EQ(a, 1666);
    EXPECT_EQ(b, 1699);
    a.reset(), b.reset();
    catalog::parseYears("1981-01-01", a, b);
    EXPECT_EQ(a, 1981);
    EXPECT_EQ(b, 1981);
}

}  // namespace
}  // namespace vt::collection

namespace vt::collection {
namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Every truncation (in steps) and a sweep of single-byte corruptions of real files: never a crash,
// and a truncated file is either reported or still yields records.
TEST(Adversarial, TruncationsAndCorruptionsOfRealRecords) {
    const std::string lidoFile = kCorpus + "/lido/LIDO-Test.xml";
    const std::string iiifFile = kCorpus + "/iiif3d-manifests/manifests/9_commenting_annotations/whale_comment.json";
    const std::string csvText = kMetCsv;
    REQUIRE_CORPUS(lidoFile);
    REQUIRE_CORPUS(iiifFile);
    const std::string lido = readAll(lidoFile), iiif = readAll(iiifFile);
    JsonContext context;
    context.file = "t.json";
    for (size_t n = 0; n < lido.size(); n += 7) {
        const ReadResult r = readLido(std::string_view(lido).substr(0, n), "t.xml", ".");
        EXPECT_TRUE(!r.problems.empty() || !r.records.empty()) << n;
    }
    for (size_t n = 0; n < iiif.size(); n += 5) {
        const ReadResult r = readJson(std::string_view(iiif).substr(0, n), context);
        if (n <= iiif.find_last_of('}')) {
            EXPECT_FALSE(r.problems.empty()) << n;  // a cut JSON document never parses
        }
    }
    for (size_t n = 0; n < csvText.size(); ++n) (void)readCsv(std::string_view(csvText).substr(0, n), "t.csv", metOpenAccessMapping());
    for (size_t i = 0; i < iiif.size(); i += 3) {
        std::string bad = iiif;
        bad[i] = char(bad[i] ^ 0x5A);
        (void)readJson(bad, context);
    }
    for (size_t i = 0; i < lido.size(); i += 3) {
        std::string bad = lido;
        bad[i] = char(bad[i] ^ 0x5A);
        (void)readLido(bad, "t.xml", ".");
    }
}

// Long runs and deep nesting that would overflow a recursive parser's stack.
TEST(Adversarial, LongStrings) {
    JsonContext context;
    context.file = "t.json";
    const std::string longHtml = "<" + std::string(1 << 20, 'a');
    const ReadResult manifest = readJson(std::format(R"({{"id": "https://x.org/{}", "type": "Manifest", "label": {{"en": ["{}"]}},
        "summary": {{"en": ["{}"]}}, "items": []}})", std::string(1 << 20, 'p'), std::string(1 << 20, ' '), longHtml), context);
    EXPECT_EQ(manifest.records.size(), 1u);
    const ReadResult met = readJson(std::format(R"({{"objectID": 1, "accessionNumber": "1", "dimensions": "{} cm", "objectDate": "{}"}})",
                                                std::string(100000, '9'), std::string(100000, '1')), context);
    EXPECT_EQ(met.records.size(), 1u);
    const std::string spaces = "<lido:lido xmlns:lido=\"x\"><lido:lidoRecID>" + std::string(1 << 20, ' ') + "</lido:lidoRecID></lido:lido>";
    (void)readLido(spaces, "spaces.xml", ".");
}

// A number beyond a double makes the JSON library throw a range error, not a parse error: the
// file is rejected with the line of the number, never a crash.
TEST(Adversarial, NumberBeyondADouble) {
    JsonContext context;
    context.file = "huge.json";
    const ReadResult r = readJson("{\n  \"objectID\": 1,\n  \"accessionNumber\": 1e400\n}", context);
    EXPECT_TRUE(r.records.empty());
    EXPECT_EQ(r.rejected, 1u);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].line, 3u);
    EXPECT_NE(r.problems[0].message.find("1e400"), std::string::npos) << r.problems[0].message;
}

TEST(Adversarial, DeepJson) {
    JsonContext context;
    context.file = "t.json";
    std::string deepJson = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_FALSE(readJson(deepJson, context).problems.empty());
}

TEST(Adversarial, DeepXml) {
    std::string deepXml = "<lido:lidoWrap xmlns:lido=\"http://www.lido-schema.org\"><lido:lido><lido:descriptiveMetadata>";
    for (int i = 0; i < 100000; ++i) deepXml += "<a>";
    for (int i = 0; i < 100000; ++i) deepXml += "</a>";
    deepXml += "</lido:descriptiveMetadata></lido:lido></lido:lidoWrap>";
    (void)readLido(deepXml, "deep.xml", ".");
}


// A record file named bare ("records.csv", as a curator types it in the file's folder) is in the
// current folder: its relative scan paths resolve there instead of being refused.
TEST(Csv, BareFileNameIsInTheCurrentFolder) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("vt_bare_csv_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::remove_all(dir);
    fs::create_directories(dir / "scans");
    std::ofstream(dir / "records.csv") << "No,Title,Scan\nb1,Bust,scans/x.glb\n";
    CsvMapping mapping;
    mapping.institution = "hall";
    mapping.columns = {{"No", "objectNumber"}, {"Title", "title"}, {"Scan", "model"}};
    const fs::path before = fs::current_path();
    fs::current_path(dir);
    SourceOptions options;
    options.mapping = mapping;
    const ReadResult result = readSource("records.csv", options);
    const ReadResult direct = readCsv("No,Title,Scan\nb1,Bust,scans/x.glb\n", "records.csv", mapping);
    fs::current_path(before);
    for (const ReadResult* r : {&result, &direct}) {
        ASSERT_EQ(r->records.size(), 1u) << problems(*r);
        EXPECT_TRUE(r->problems.empty()) << problems(*r);
        ASSERT_EQ(r->records[0].media.size(), 1u) << problems(*r);
        EXPECT_EQ(r->records[0].media[0].uri, (dir / "scans/x.glb").string());
    }
    fs::remove_all(dir);
}

// --media-map as most people write it: without the trailing slash, on a path-segment boundary, the
// scheme and host in any case; a URL no map covers says so and lists the maps.
TEST(MediaPolicy, MapPrefixWithOrWithoutItsSlash) {
    for (const char* map : {"https://host/repo/assets=/mirror", "https://host/repo/assets/=/mirror"}) {
        auto mapping = parseMediaMapping(map);
        ASSERT_TRUE(mapping.has_value()) << map;
        const std::vector<MediaMapping> mappings{*mapping};
        for (const char* url : {"https://host/repo/assets/x.glb", "HTTPS://Host/repo/assets/x.glb", "https://host/repo/assets/x.glb?v=2"}) {
            auto path = localMediaPath(url, mappings);
            ASSERT_TRUE(path.has_value()) << map << " " << url << ": " << path.error().message;
            EXPECT_EQ(*path, "/mirror/x.glb") << map << " " << url;
        }
        auto deeper = localMediaPath("https://host/repo/assets/a/b.glb", mappings);
        ASSERT_TRUE(deeper.has_value()) << map << ": " << deeper.error().message;
        EXPECT_EQ(*deeper, "/mirror/a/b.glb");
        // Not a prefix of "assets2": only whole path segments match.
        auto other = localMediaPath("https://host/repo/assets2/x.glb", mappings);
        ASSERT_FALSE(other.has_value()) << map << " matched " << *other;
        EXPECT_EQ(other.error().message.find("absolute"), std::string::npos) << other.error().message;
        EXPECT_NE(other.error().message.find("no --media-map prefix matches https://host/repo/assets2/x.glb; maps given: " +
                                             mapping->prefix),
                  std::string::npos)
            << other.error().message;
        EXPECT_FALSE(localMediaPath("https://host/repo/assets/../../etc/passwd", mappings).has_value());
    }
    auto none = localMediaPath("https://host/repo/assets/x.glb", {});
    ASSERT_FALSE(none.has_value());
    EXPECT_NE(none.error().message.find("no --media-map prefix matches https://host/repo/assets/x.glb; maps given: none"), std::string::npos)
        << none.error().message;
    EXPECT_TRUE(parseMediaMapping("HTTPS://host/repo=/mirror").has_value());
}

// The same record twice in one real LIDO file: one record is kept, and the repeat is reported at its
// own line, naming the line of the first.
TEST(Lido, RepeatedIdNamesTheLinesOfBothRecords) {
    const std::string file = kCorpus + "/lido/LIDO-Test.xml";
    REQUIRE_CORPUS(file);
    const std::string text = readAll(file);
    const size_t begin = text.find("  <lido:lido>");
    const size_t end = text.find("</lido:lido>", begin) + std::string("</lido:lido>\n").size();
    const size_t close = text.find("</lido:lidoWrap>");
    ASSERT_NE(close, std::string::npos);
    const std::string twice = text.substr(0, close) + text.substr(begin, end - begin) + "</lido:lidoWrap>\n";
    ReadResult result = readLido(twice, "twice.xml", ".");
    ASSERT_EQ(result.records.size(), 2u) << problems(result);
    ASSERT_EQ(result.origins.size(), 2u);
    EXPECT_EQ(result.origins[0].line, 4u);
    EXPECT_EQ(result.origins[1].line, 210u);
    const size_t before = result.problems.size();
    keepLatestById(result);
    ASSERT_EQ(result.records.size(), 1u);
    ASSERT_EQ(result.origins.size(), 1u);
    EXPECT_EQ(result.origins[0].line, 210u) << "the later record wins";
    ASSERT_EQ(result.problems.size(), before + 1) << problems(result);
    const Problem& repeat = result.problems.back();
    EXPECT_TRUE(repeat.warning);
    EXPECT_EQ(repeat.format(), "twice.xml:210: warning: id '" + result.records[0].id +
                                   "' was read before at twice.xml:4; this record replaces it");

    // The same file imported twice: each source's own line.
    ReadResult again = readSource(file, {});
    again.append(readSource(file, {}));
    keepLatestById(again);
    ASSERT_EQ(again.records.size(), 1u) << problems(again);
    ASSERT_FALSE(again.problems.empty());
    EXPECT_EQ(again.problems.back().format(), file + ":4: warning: id '" + again.records[0].id + "' was read before at " + file +
                                                  ":4; this record replaces it");
}

// Every reader says where each record starts: CSV its row, JSON its pointer and line.
TEST(Origins, EveryReaderSaysWhereEachRecordStarts) {
    const ReadResult csv = readCsv("Object Number,Title\nA.1,First\n\"A.2\",\"Second\nline\"\nA.3,Third\n", "t.csv", metOpenAccessMapping());
    ASSERT_EQ(csv.origins.size(), 3u) << problems(csv);
    EXPECT_EQ(csv.origins[0].line, 2u);
    EXPECT_EQ(csv.origins[1].line, 3u);
    EXPECT_EQ(csv.origins[2].line, 5u);
    JsonContext context;
    context.file = "met.json";
    const ReadResult json = readJson("[\n{\"objectID\": 1, \"title\": \"a\"},\n\n{\"objectID\": 2, \"title\": \"b\"}\n]", context);
    ASSERT_EQ(json.records.size(), 2u) << problems(json);
    ASSERT_EQ(json.origins.size(), 2u);
    EXPECT_EQ(json.origins[1].pointer, "/1");
    EXPECT_EQ(json.origins[1].line, 4u);
    EXPECT_EQ(json.origins[1].format(), "met.json:4 (/1)");
}

}  // namespace
}  // namespace vt::collection
