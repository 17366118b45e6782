#pragma once
// Readers that turn museum exports into catalog records: CSV (with a column mapping), IIIF
// Presentation 3 manifests and collections and the IIIF 3D draft (Presentation 4 scenes), LIDO XML,
// and museum API JSON (Smithsonian EDAN, The Met). docs/collections.md maps each source's fields.
//
// Readers never stop at a bad record: each problem is reported with the file and a line (CSV, XML)
// or a JSON pointer (with its line), the record at fault is skipped, and the rest are read.
// Media paths that escape the source folder, absolute paths and non-http(s) URLs are refused when
// the record is read (media_policy.h); the record is kept without them.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tools/catalog/record.h"

namespace vt::collection {

struct Problem {
    std::string file;
    uint32_t line = 0;     // 1-based; 0 when unknown
    std::string pointer;   // JSON pointer of the record or value at fault; "" when not JSON
    std::string message;
    bool warning = false;  // warnings keep the record

    // "file:12: error: /rows/3: no object number"
    std::string format() const;
};

// Where a record was read: its file (or URL), the line it starts on, and in JSON its pointer.
struct RecordOrigin {
    std::string file;
    uint32_t line = 0;    // 1-based; 0 when unknown
    std::string pointer;  // "" when not JSON

    // "records.xml:210", "records.json:4 (/1)"
    std::string format() const;
};

struct ReadResult {
    std::vector<catalog::Record> records;
    std::vector<RecordOrigin> origins;  // where each record was read, in the order of records
    std::vector<Problem> problems;
    size_t rejected = 0;  // records skipped because of an error

    void add(catalog::Record record, RecordOrigin origin);
    void append(ReadResult&& other);
};

// One record per id: where an id is read again (a repeat in one file, or the same record in a later
// source), the later record replaces the earlier, so the order of the sources decides. Each repeat is
// a warning at its own line that names the line of the record it replaces:
// "b.xml:210: warning: id 'x' was read before at a.xml:4; this record replaces it". The records kept
// stay in the order they were read.
void keepLatestById(ReadResult& result);

// CSV: which column fills which record field. Field names: objectNumber, institution, title,
// description, creator, date, earliestYear, latestYear, culture, medium, dimensions, creditLine,
// rights, publicDomain, sourceUrl, model, image, media. A field may carry a language:
// "title@zh". Several columns may fill one text field; they are joined with "; ".
struct CsvMapping {
    std::string institution;                    // used when no column gives one
    std::map<std::string, std::string> columns; // header text -> field
};

// The Met's Open Access CSV (MetObjects.csv) columns.
CsvMapping metOpenAccessMapping();
// A mapping file: {"institution": "...", "columns": {"Header": "field", ...}}.
Result<CsvMapping> loadCsvMapping(const std::filesystem::path& path);

ReadResult readCsv(std::string_view text, const std::string& file, const CsvMapping& mapping);

// Loads the text of a file or, when allowed, an http(s) URL (IIIF collections name their manifests).
using Loader = std::function<Result<std::string>(const std::string& pathOrUrl)>;

struct JsonContext {
    std::string file;               // for messages and to resolve relative paths
    std::filesystem::path folder;   // the source's folder ("" for URLs)
    Loader load;                    // resolves IIIF collection members; may be empty
    int depth = 0;                  // collections nest at most kMaxCollectionDepth deep
};
constexpr int kMaxCollectionDepth = 4;

// IIIF manifests/collections, EDAN and Met records, or arrays of them (also {"rows": [...]}).
ReadResult readJson(std::string_view text, const JsonContext& context);
ReadResult readLido(std::string_view text, const std::string& file, const std::filesystem::path& folder);

struct SourceOptions {
    std::optional<CsvMapping> mapping;  // CSV sources need one (default: The Met's)
    bool allowNetwork = false;          // read URL sources and URL members of collections
};

// Detects the format (by content, then extension) and reads a file or URL.
ReadResult readSource(const std::string& pathOrUrl, const SourceOptions& options);

// The folder a source's relative media paths resolve against: its file's folder, "." for a bare file
// name (it is in the current folder), "" for a URL (relative media are then refused).
std::filesystem::path sourceFolder(const std::string& pathOrUrl);

// Strips a UTF-8 byte-order mark.
std::string_view stripBom(std::string_view text);

}  // namespace vt::collection
