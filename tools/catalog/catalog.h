#pragma once
// The collection catalog: one SQLite file (WAL) holding every imported record, a full-text index
// over titles, creators and descriptions that works for Chinese as well as European languages, and
// the artifact pack converted for each object. docs/collections.md lists the schema.
//
// The schema is versioned with PRAGMA user_version; open() migrates an older file step by step, each
// step in one transaction. Upserts are idempotent: a record equal to the stored one changes nothing
// (not even a timestamp), a changed record replaces its row and its index entry.
//
// A Catalog is one connection: use it from one thread. Several processes may open the same file
// (WAL, a 30 s busy timeout), e.g. the shards of a batch conversion on one machine.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "record.h"

struct sqlite3;

namespace vt::catalog {

constexpr int kSchemaVersion = 3;

enum class UpsertOutcome { Inserted, Updated, Unchanged };

struct SearchHit {
    std::string id;
    std::string title;    // in the preferred language
    std::string creator;
    std::string date;
};

enum class PackStatus { Converted, Failed };

// The artifact pack made from an object's scans.
struct PackEntry {
    std::string objectId;
    std::string sourceKey;  // hash of the scans' bytes and the converter settings
    std::string pack;       // path relative to the pack store, e.g. "ab/ab12...f0.vpk"
    std::string packHash;   // XXH3-128 of the pack file, hex
    uint64_t triangles = 0;
    PackStatus status = PackStatus::Converted;
    std::string error;      // why it failed
};

struct OpenOptions {
    // Stop migrating at this version (tests build old files with it); 0 = the latest.
    int targetVersion = 0;
    bool readOnly = false;
};

class Catalog {
public:
    static Result<Catalog> open(const std::filesystem::path& path, const OpenOptions& options = {});
    Catalog(Catalog&& other) noexcept;
    Catalog& operator=(Catalog&& other) noexcept;
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;
    ~Catalog();

    int schemaVersion() const { return version_; }

    // Transactions around many upserts (one fsync per batch instead of per record).
    Result<void> begin();
    Result<void> commit();

    Result<UpsertOutcome> upsert(const Record& record);
    Result<std::optional<Record>> get(const std::string& id);
    Result<std::vector<Record>> all();  // ordered by id
    Result<size_t> count();

    // Every whitespace-separated term must occur in the title, creator or description (any
    // language, case-insensitive). Terms of three or more characters use the trigram index; shorter
    // ones (a one- or two-character Chinese word) fall back to a scan with LIKE.
    Result<std::vector<SearchHit>> search(const std::string& query, size_t limit = 100);

    Result<void> setPack(const PackEntry& entry);
    Result<std::optional<PackEntry>> pack(const std::string& objectId);
    Result<std::vector<PackEntry>> packs();  // ordered by object id

    // A digest of every stored row (records and packs), to compare catalogs.
    Result<std::string> contentDigest();

private:
    explicit Catalog(sqlite3* db) : db_(db) {}
    Result<void> exec(const std::string& sql);
    Result<void> migrate(int target);
    Result<void> indexRecord(const Record& record, bool replace);

    sqlite3* db_ = nullptr;
    int version_ = 0;
    std::string path_;
};

}  // namespace vt::catalog
