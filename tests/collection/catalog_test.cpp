// The catalog: idempotent upserts, updates, search in English and Chinese (trigram index and the
// LIKE fallback for one- and two-character words), migrations from version 1.
#include <gtest/gtest.h>

#include <filesystem>

#include "tools/catalog/catalog.h"
#include "tools/collection/readers.h"

namespace vt::catalog {
namespace {

const std::string kCorpus = VITRINE_CORPUS_DIR "/metadata";

std::filesystem::path freshPath(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("vitrine_catalog_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path;
}

// The corpus's LIDO, IIIF and API samples plus a small fixture with Chinese titles.
std::vector<Record> corpusRecords() {
    std::vector<Record> records;
    const std::vector<std::string> sources = {
        kCorpus + "/lido/LIDO-Test.xml",
        kCorpus + "/lido/LIDO-Extended-Example.xml",
        kCorpus + "/iiif3d-manifests/manifests/9_commenting_annotations/whale_comment.json",
        kCorpus + "/iiif3d-manifests/manifests/1_basic_model_in_scene/model_origin.json",
        kCorpus + "/iiif-cookbook/0008-rights/manifest.json",
        kCorpus + "/openverse-museum-api/smithsonian/actual_record_data.json",
        kCorpus + "/openverse-museum-api/metropolitan_museum_of_art/sample_response.json",
    };
    for (const auto& source : sources) {
        auto result = collection::readSource(source, {});
        for (auto& r : result.records) records.push_back(std::move(r));
    }
    collection::CsvMapping mapping;
    mapping.institution = "palace";
    mapping.columns = {{"编号", "objectNumber"}, {"名称", "title@zh"}, {"Title", "title@en"}, {"作者", "creator@zh"}, {"说明", "description@zh"}};
    auto fixture = collection::readCsv(
        "编号,名称,Title,作者,说明\n"
        "故00001,青花缠枝莲纹瓶,Blue-and-white vase with lotus scrolls,景德镇窑,明代永乐年间烧制的青花瓷器\n"
        "故00002,鲸,Whale skeleton model,佚名,鲸鱼骨骼模型\n"
        "故00003,清明上河图,Along the River During the Qingming Festival,张择端,北宋风俗画\n",
        "fixture.csv", mapping);
    EXPECT_EQ(fixture.records.size(), 3u);
    for (auto& r : fixture.records) records.push_back(std::move(r));
    return records;
}

std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.id);
    return out;
}

TEST(Catalog, ImportTwiceChangesNothing) {
    const auto path = freshPath("twice.db");
    const std::vector<Record> records = corpusRecords();
    ASSERT_EQ(records.size(), 12u);
    auto catalog = Catalog::open(path);
    ASSERT_TRUE(catalog) << catalog.error().message;
    EXPECT_EQ(catalog->schemaVersion(), kSchemaVersion);
    ASSERT_TRUE(catalog->begin());
    for (const auto& r : records) EXPECT_EQ(*catalog->upsert(r), UpsertOutcome::Inserted) << r.id;
    ASSERT_TRUE(catalog->commit());
    const std::string digest = *catalog->contentDigest();
    const size_t count = *catalog->count();
    EXPECT_EQ(count, records.size());
    for (const auto& r : records) EXPECT_EQ(*catalog->upsert(r), UpsertOutcome::Unchanged) << r.id;
    EXPECT_EQ(*catalog->contentDigest(), digest);
    EXPECT_EQ(*catalog->count(), count);

    // a changed record updates its row and its index entry, nothing else
    Record changed = records.front();
    changed.title["en"] = "Denarius of C. Norbanus";
    EXPECT_EQ(*catalog->upsert(changed), UpsertOutcome::Updated);
    EXPECT_EQ(*catalog->count(), count);
    EXPECT_NE(*catalog->contentDigest(), digest);
    EXPECT_EQ((*catalog->get(changed.id))->title.at("en"), "Denarius of C. Norbanus");
    EXPECT_EQ(ids(*catalog->search("Norbanus denarius")), std::vector<std::string>{changed.id});
    EXPECT_EQ(*catalog->upsert(records.front()), UpsertOutcome::Updated);
    EXPECT_EQ(*catalog->contentDigest(), digest);  // back to the first import exactly
}

TEST(Catalog, SearchEnglishAndChinese) {
    const auto path = freshPath("search.db");
    auto catalog = Catalog::open(path);
    ASSERT_TRUE(catalog);
    for (const auto& r : corpusRecords()) ASSERT_TRUE(catalog->upsert(r));

    EXPECT_EQ(ids(*catalog->search("quail")), std::vector<std::string>{"met:36.100.45"});
    EXPECT_EQ(ids(*catalog->search("Kiyohara")), std::vector<std::string>{"met:36.100.45"});  // creator
    EXPECT_EQ(ids(*catalog->search("FONTANA tritons")).size(), 1u);                           // case, two words
    EXPECT_EQ(ids(*catalog->search("Brunnenbecken")).size(), 1u);                              // German title
    EXPECT_EQ(ids(*catalog->search("Capul lui Venus")), std::vector<std::string>{"Museum of Civilization - DEVA:30505"});  // description
    EXPECT_EQ(ids(*catalog->search("whale")).size(), 2u);  // the IIIF 3D whale and the fixture's model
    EXPECT_TRUE(catalog->search("zeppelin")->empty());

    // Chinese: three or more characters use the trigram index; one or two fall back to LIKE
    EXPECT_EQ(ids(*catalog->search("青花缠枝")), std::vector<std::string>{"palace:故00001"});
    EXPECT_EQ(ids(*catalog->search("青花")), std::vector<std::string>{"palace:故00001"});
    EXPECT_EQ(ids(*catalog->search("鲸")), std::vector<std::string>{"palace:故00002"});
    EXPECT_EQ(ids(*catalog->search("张择端")), std::vector<std::string>{"palace:故00003"});  // creator
    EXPECT_EQ(ids(*catalog->search("永乐")), std::vector<std::string>{"palace:故00001"});    // description
    EXPECT_EQ(ids(*catalog->search("清明 river")), std::vector<std::string>{"palace:故00003"});  // mixed
    EXPECT_TRUE(catalog->search("宋元")->empty());
    // LIKE wildcards in a query are literal
    EXPECT_TRUE(catalog->search("%")->empty());
    EXPECT_TRUE(catalog->search("\"")->empty());
}

TEST(Catalog, MigratesFromVersionOne) {
    const auto path = freshPath("v1.db");
    const std::vector<Record> records = corpusRecords();
    {
        OpenOptions v1;
        v1.targetVersion = 1;
        auto old = Catalog::open(path, v1);
        ASSERT_TRUE(old) << old.error().message;
        EXPECT_EQ(old->schemaVersion(), 1);
        for (const auto& r : records) ASSERT_TRUE(old->upsert(r));
        EXPECT_FALSE(old->search("quail").has_value());  // no index yet
    }
    auto catalog = Catalog::open(path);
    ASSERT_TRUE(catalog) << catalog.error().message;
    EXPECT_EQ(catalog->schemaVersion(), kSchemaVersion);
    EXPECT_EQ(*catalog->count(), records.size());
    EXPECT_EQ(ids(*catalog->search("quail")), std::vector<std::string>{"met:36.100.45"});
    EXPECT_EQ(ids(*catalog->search("鲸")), std::vector<std::string>{"palace:故00002"});
    EXPECT_TRUE(catalog->packs()->empty());
    // the migrated file equals one made at the latest version
    const auto fresh = freshPath("v3.db");
    auto direct = Catalog::open(fresh);
    for (const auto& r : records) ASSERT_TRUE(direct->upsert(r));
    EXPECT_EQ(*direct->contentDigest(), *catalog->contentDigest());
}

TEST(Catalog, RefusesNewerSchemaAndGarbage) {
    const auto path = freshPath("garbage.db");
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        std::fputs("this is not a database, just text long enough to fill a header of a sqlite file.....", f);
        std::fclose(f);
    }
    auto catalog = Catalog::open(path);
    ASSERT_FALSE(catalog);
    EXPECT_NE(catalog.error().message.find("garbage.db"), std::string::npos);
}

}  // namespace
}  // namespace vt::catalog
