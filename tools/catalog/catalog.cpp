#include "catalog.h"

#include <sqlite3.h>

#include <cstdio>
#include <format>

namespace vt::catalog {

namespace {

// One prepared statement, finalized on scope exit.
class Statement {
public:
    Statement(sqlite3* db, const std::string& sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), int(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
            error_ = sqlite3_errmsg(db);
            stmt_ = nullptr;
        }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return stmt_ != nullptr; }
    const std::string& error() const { return error_; }
    Statement& bind(int index, const std::string& text) {
        sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int index, int64_t value) {
        sqlite3_bind_int64(stmt_, index, value);
        return *this;
    }
    Statement& bindNull(int index) {
        sqlite3_bind_null(stmt_, index);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(stmt_); }
    std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string lastError() const { return sqlite3_errmsg(db_); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string error_;
};

std::string allLanguages(const Text& text) {
    std::string out;
    for (const auto& [language, value] : text) {
        if (!out.empty()) out += '\n';
        out += value;
    }
    return out;
}

size_t utf8Length(const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::vector<std::string> splitTerms(const std::string& query) {
    std::vector<std::string> terms;
    std::string current;
    for (char c : query) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!current.empty()) terms.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) terms.push_back(current);
    return terms;
}

std::string quoteFts(const std::string& term) {
    std::string out = "\"";
    for (char c : term) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string likePattern(const std::string& term) {
    std::string out = "%";
    for (char c : term) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

const char* statusName(PackStatus status) { return status == PackStatus::Converted ? "converted" : "failed"; }

}  // namespace

Result<Catalog> Catalog::open(const std::filesystem::path& path, const OpenOptions& options) {
    sqlite3* db = nullptr;
    const int flags = options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return fail("{}: cannot open the catalog: {}", path.string(), message);
    }
    Catalog catalog(db);
    catalog.path_ = path.string();
    sqlite3_busy_timeout(db, 30000);
    if (!options.readOnly) {
        if (auto r = catalog.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !r) return std::unexpected(r.error());
    }
    {
        Statement version(db, "PRAGMA user_version");
        if (!version.ok() || version.step() != SQLITE_ROW)
            return fail("{}: not a catalog (cannot read the schema version): {}", path.string(), sqlite3_errmsg(db));
        catalog.version_ = int(version.integer(0));
    }
    if (catalog.version_ > kSchemaVersion)
        return fail("{}: schema version {} is newer than this vitrine knows ({})", path.string(), catalog.version_, kSchemaVersion);
    const int target = options.targetVersion > 0 ? options.targetVersion : kSchemaVersion;
    if (catalog.version_ < target) {
        if (options.readOnly) return fail("{}: schema version {} needs migrating; open it writable once", path.string(), catalog.version_);
        if (auto r = catalog.migrate(target); !r) return std::unexpected(r.error());
    }
    return catalog;
}

Catalog::Catalog(Catalog&& other) noexcept : db_(other.db_), version_(other.version_), path_(std::move(other.path_)) {
    other.db_ = nullptr;
}

Catalog& Catalog::operator=(Catalog&& other) noexcept {
    if (this != &other) {
        sqlite3_close(db_);
        db_ = other.db_;
        version_ = other.version_;
        path_ = std::move(other.path_);
        other.db_ = nullptr;
    }
    return *this;
}

Catalog::~Catalog() { sqlite3_close(db_); }

Result<void> Catalog::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        return fail("{}: {}", path_, text);
    }
    return {};
}

Result<void> Catalog::begin() { return exec("BEGIN IMMEDIATE"); }
Result<void> Catalog::commit() { return exec("COMMIT"); }

Result<void> Catalog::migrate(int target) {
    while (version_ < target) {
        const int next = version_ + 1;
        if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
        Result<void> step;
        switch (next) {
        case 1:  // the records
            step = exec(
                "CREATE TABLE objects ("
                " id TEXT PRIMARY KEY NOT NULL,"
                " institution TEXT NOT NULL,"
                " object_number TEXT NOT NULL,"
                " title TEXT NOT NULL,"
                " creator TEXT NOT NULL,"
                " earliest_year INTEGER,"
                " latest_year INTEGER,"
                " record TEXT NOT NULL)");
            break;
        case 2: {  // full-text search; trigrams index CJK text, which has no spaces between words
            step = exec(
                "CREATE VIRTUAL TABLE objects_fts USING fts5(id UNINDEXED, title, creator, description,"
                " tokenize='trigram')");
            if (!step) break;
            Statement rows(db_, "SELECT record FROM objects");
            while (step && rows.step() == SQLITE_ROW) {
                Record record;
                if (fromJson(rows.text(0), record)) step = indexRecord(record, false);
            }
            break;
        }
        case 3:  // converted packs
            step = exec(
                "CREATE TABLE packs ("
                " object_id TEXT PRIMARY KEY NOT NULL,"
                " source_key TEXT NOT NULL,"
                " pack TEXT NOT NULL,"
                " pack_hash TEXT NOT NULL,"
                " triangles INTEGER NOT NULL,"
                " status TEXT NOT NULL,"
                " error TEXT NOT NULL)");
            break;
        default: step = fail("{}: no migration to schema version {}", path_, next);
        }
        if (step) step = exec(std::format("PRAGMA user_version = {}", next));
        if (!step) {
            (void)exec("ROLLBACK");
            return fail("migrating the catalog to version {}: {}", next, step.error().message);
        }
        if (auto r = exec("COMMIT"); !r) return r;
        version_ = next;
    }
    return {};
}

Result<void> Catalog::indexRecord(const Record& record, bool replace) {
    if (replace) {
        Statement del(db_, "DELETE FROM objects_fts WHERE id = ?");
        if (!del.ok()) return fail("{}: {}", path_, del.error());
        del.bind(1, record.id);
        if (del.step() != SQLITE_DONE) return fail("{}: {}", path_, del.lastError());
    }
    Statement insert(db_, "INSERT INTO objects_fts (id, title, creator, description) VALUES (?, ?, ?, ?)");
    if (!insert.ok()) return fail("{}: {}", path_, insert.error());
    insert.bind(1, record.id)
        .bind(2, allLanguages(record.title))
        .bind(3, allLanguages(record.creator))
        .bind(4, allLanguages(record.description));
    if (insert.step() != SQLITE_DONE) return fail("{}: {}", path_, insert.lastError());
    return {};
}

Result<UpsertOutcome> Catalog::upsert(const Record& record) {
    if (record.id.empty()) return fail("a record without an id cannot be stored");
    const std::string json = toJson(record);
    bool exists = false;
    {
        Statement find(db_, "SELECT record FROM objects WHERE id = ?");
        if (!find.ok()) return fail("{}: {}", path_, find.error());
        find.bind(1, record.id);
        if (find.step() == SQLITE_ROW) {
            if (find.text(0) == json) return UpsertOutcome::Unchanged;
            exists = true;
        }
    }
    Statement write(db_,
                    "INSERT INTO objects (id, institution, object_number, title, creator, earliest_year, latest_year, record)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET"
                    " institution = ?2, object_number = ?3, title = ?4, creator = ?5, earliest_year = ?6,"
                    " latest_year = ?7, record = ?8");
    if (!write.ok()) return fail("{}: {}", path_, write.error());
    write.bind(1, record.id).bind(2, record.institution).bind(3, record.objectNumber).bind(4, pick(record.title)).bind(5, pick(record.creator));
    if (record.earliestYear) write.bind(6, int64_t{*record.earliestYear}); else write.bindNull(6);
    if (record.latestYear) write.bind(7, int64_t{*record.latestYear}); else write.bindNull(7);
    write.bind(8, json);
    if (write.step() != SQLITE_DONE) return fail("{}: storing {}: {}", path_, record.id, write.lastError());
    if (version_ >= 2)
        if (auto r = indexRecord(record, exists); !r) return std::unexpected(r.error());
    return exists ? UpsertOutcome::Updated : UpsertOutcome::Inserted;
}

Result<std::optional<Record>> Catalog::get(const std::string& id) {
    Statement find(db_, "SELECT record FROM objects WHERE id = ?");
    if (!find.ok()) return fail("{}: {}", path_, find.error());
    find.bind(1, id);
    if (find.step() != SQLITE_ROW) return std::optional<Record>();
    Record record;
    std::string error;
    if (!fromJson(find.text(0), record, &error)) return fail("{}: {}: stored record unreadable: {}", path_, id, error);
    return std::optional<Record>(std::move(record));
}

Result<std::vector<Record>> Catalog::all() {
    Statement rows(db_, "SELECT record FROM objects ORDER BY id");
    if (!rows.ok()) return fail("{}: {}", path_, rows.error());
    std::vector<Record> out;
    while (rows.step() == SQLITE_ROW) {
        Record record;
        if (fromJson(rows.text(0), record)) out.push_back(std::move(record));
    }
    return out;
}

Result<size_t> Catalog::count() {
    Statement rows(db_, "SELECT count(*) FROM objects");
    if (!rows.ok() || rows.step() != SQLITE_ROW) return fail("{}: {}", path_, sqlite3_errmsg(db_));
    return size_t(rows.integer(0));
}

Result<std::vector<SearchHit>> Catalog::search(const std::string& query, size_t limit) {
    const std::vector<std::string> terms = splitTerms(query);
    if (terms.empty()) return std::vector<SearchHit>();
    if (version_ < 2) return fail("{}: schema version {} has no search index", path_, version_);
    std::vector<std::string> ftsTerms, likeTerms;
    for (const std::string& term : terms) (utf8Length(term) >= 3 ? ftsTerms : likeTerms).push_back(term);
    // Trigram MATCH narrows the candidates; LIKE checks the short terms the index cannot answer.
    std::string sql = "SELECT o.record FROM objects_fts f JOIN objects o ON o.id = f.id WHERE 1";
    if (!ftsTerms.empty()) sql += " AND objects_fts MATCH ?";
    for (size_t i = 0; i < likeTerms.size(); ++i)
        sql += " AND (f.title LIKE ? ESCAPE '\\' OR f.creator LIKE ? ESCAPE '\\' OR f.description LIKE ? ESCAPE '\\')";
    sql += ftsTerms.empty() ? " ORDER BY o.id" : " ORDER BY bm25(objects_fts, 0, 10.0, 5.0, 1.0), o.id";
    sql += std::format(" LIMIT {}", limit);
    Statement rows(db_, sql);
    if (!rows.ok()) return fail("{}: search: {}", path_, rows.error());
    int index = 1;
    if (!ftsTerms.empty()) {
        std::string match;
        for (const std::string& term : ftsTerms) match += (match.empty() ? "" : " ") + quoteFts(term);
        rows.bind(index++, match);
    }
    for (const std::string& term : likeTerms)
        for (int column = 0; column < 3; ++column) rows.bind(index++, likePattern(term));
    std::vector<SearchHit> hits;
    int status;
    while ((status = rows.step()) == SQLITE_ROW) {
        Record record;
        if (!fromJson(rows.text(0), record)) continue;
        hits.push_back({record.id, pick(record.title), pick(record.creator), pick(record.date)});
    }
    if (status != SQLITE_DONE) return fail("{}: search '{}': {}", path_, query, rows.lastError());
    return hits;
}

Result<void> Catalog::setPack(const PackEntry& entry) {
    Statement write(db_,
                    "INSERT INTO packs (object_id, source_key, pack, pack_hash, triangles, status, error)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(object_id) DO UPDATE SET"
                    " source_key = ?2, pack = ?3, pack_hash = ?4, triangles = ?5, status = ?6, error = ?7");
    if (!write.ok()) return fail("{}: {}", path_, write.error());
    write.bind(1, entry.objectId).bind(2, entry.sourceKey).bind(3, entry.pack).bind(4, entry.packHash)
        .bind(5, int64_t(entry.triangles)).bind(6, std::string(statusName(entry.status))).bind(7, entry.error);
    if (write.step() != SQLITE_DONE) return fail("{}: {}", path_, write.lastError());
    return {};
}

namespace {
PackEntry readPackRow(const Statement& row) {
    PackEntry entry;
    entry.objectId = row.text(0);
    entry.sourceKey = row.text(1);
    entry.pack = row.text(2);
    entry.packHash = row.text(3);
    entry.triangles = uint64_t(row.integer(4));
    entry.status = row.text(5) == "converted" ? PackStatus::Converted : PackStatus::Failed;
    entry.error = row.text(6);
    return entry;
}
}  // namespace

Result<std::optional<PackEntry>> Catalog::pack(const std::string& objectId) {
    if (version_ < 3) return std::optional<PackEntry>();
    Statement row(db_, "SELECT object_id, source_key, pack, pack_hash, triangles, status, error FROM packs WHERE object_id = ?");
    if (!row.ok()) return fail("{}: {}", path_, row.error());
    row.bind(1, objectId);
    if (row.step() != SQLITE_ROW) return std::optional<PackEntry>();
    return std::optional<PackEntry>(readPackRow(row));
}

Result<std::vector<PackEntry>> Catalog::packs() {
    std::vector<PackEntry> out;
    if (version_ < 3) return out;
    Statement rows(db_, "SELECT object_id, source_key, pack, pack_hash, triangles, status, error FROM packs ORDER BY object_id");
    if (!rows.ok()) return fail("{}: {}", path_, rows.error());
    while (rows.step() == SQLITE_ROW) out.push_back(readPackRow(rows));
    return out;
}

Result<std::string> Catalog::contentDigest() {
    // FNV-1a over every row in a fixed order: enough to tell two catalogs apart in tests and logs.
    uint64_t hash = 1469598103934665603ull;
    const auto mix = [&](const std::string& text) {
        for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
        hash = (hash ^ 0xFF) * 1099511628211ull;
    };
    {
        Statement rows(db_, "SELECT id, institution, object_number, title, creator, earliest_year, latest_year, record FROM objects ORDER BY id");
        if (!rows.ok()) return fail("{}: {}", path_, rows.error());
        while (rows.step() == SQLITE_ROW)
            for (int c = 0; c < 8; ++c) mix(rows.text(c));
    }
    if (version_ >= 2) {
        Statement rows(db_, "SELECT id, title, creator, description FROM objects_fts ORDER BY id");
        if (!rows.ok()) return fail("{}: {}", path_, rows.error());
        while (rows.step() == SQLITE_ROW)
            for (int c = 0; c < 4; ++c) mix(rows.text(c));
    }
    auto entries = packs();
    if (!entries) return std::unexpected(entries.error());
    for (const PackEntry& e : *entries) {
        mix(e.objectId); mix(e.sourceKey); mix(e.pack); mix(e.packHash); mix(std::to_string(e.triangles));
        mix(statusName(e.status)); mix(e.error);
    }
    return std::format("{:016x}", hash);
}

}  // namespace vt::catalog
