// CSV (RFC 4180): quoted fields may hold commas, doubled quotes and newlines; a UTF-8 BOM is skipped.
#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "media_policy.h"
#include "readers.h"

namespace vt::collection {

namespace {

struct Row {
    std::vector<std::string> fields;
    uint32_t line = 0;  // where the row starts
    std::string error;  // malformed quoting
};

// Splits the whole text into rows; a malformed row keeps its line and an error.
std::vector<Row> splitRows(std::string_view text) {
    std::vector<Row> rows;
    size_t i = 0;
    uint32_t line = 1;
    while (i < text.size()) {
        Row row;
        row.line = line;
        const size_t rowStart = i;
        std::string field;
        bool endOfRow = false;
        while (!endOfRow) {
            field.clear();
            if (i < text.size() && text[i] == '"') {
                ++i;
                bool closed = false;
                while (i < text.size()) {
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < text.size() && text[i] == '"') {
                            field += '"';
                            ++i;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        if (c == '\n') ++line;
                        field += c;
                    }
                }
                if (!closed) {
                    // an unclosed quote would swallow the rest of the file: give up on this row's
                    // first line only and go on with the next
                    row.error = std::format("a quoted field (field {}) is never closed", row.fields.size() + 1);
                    const size_t newline = text.find('\n', rowStart);
                    i = newline == std::string_view::npos ? text.size() : newline + 1;
                    line = row.line + 1;
                    break;
                }
                // after the closing quote only a delimiter or the end of the row may follow; a stray
                // quote costs this row's first line only, as above
                if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    row.error = std::format("text after the closing quote of field {}", row.fields.size() + 1);
                    const size_t newline = text.find('\n', rowStart);
                    i = newline == std::string_view::npos ? text.size() : newline + 1;
                    line = row.line + 1;
                    break;
                }
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
            }
            row.fields.push_back(field);
            if (i >= text.size()) {
                endOfRow = true;
            } else if (text[i] == ',') {
                ++i;
            } else {
                if (text[i] == '\r') ++i;
                if (i < text.size() && text[i] == '\n') ++i;
                ++line;
                endOfRow = true;
            }
        }
        const bool blank = row.fields.size() == 1 && row.fields[0].empty() && row.error.empty();
        if (!blank) rows.push_back(std::move(row));
    }
    return rows;
}

std::string trim(const std::string& text) {
    size_t a = 0, b = text.size();
    while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
    return text.substr(a, b - a);
}

void appendText(catalog::Text& text, const std::string& language, const std::string& value) {
    if (value.empty()) return;
    std::string& slot = text[language];
    slot += (slot.empty() ? "" : "; ") + value;
}

std::optional<int> parseInt(const std::string& text) {
    try {
        size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size()) return value;
    } catch (...) {
    }
    return std::nullopt;
}

constexpr const char* kCc0 = "https://creativecommons.org/publicdomain/zero/1.0/";

}  // namespace

CsvMapping metOpenAccessMapping() {
    CsvMapping mapping;
    mapping.institution = "met";
    mapping.columns = {
        {"Object Number", "objectNumber"},     {"Title", "title"},
        {"Artist Display Name", "creator"},    {"Object Date", "date"},
        {"Object Begin Date", "earliestYear"}, {"Object End Date", "latestYear"},
        {"Culture", "culture"},                {"Medium", "medium"},
        {"Dimensions", "dimensions"},          {"Credit Line", "creditLine"},
        {"Link Resource", "sourceUrl"},        {"Is Public Domain", "publicDomain"},
        {"Object Name", "description"},        {"Rights and Reproduction", "rights"},
    };
    return mapping;
}

Result<CsvMapping> loadCsvMapping(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("{}: cannot read the column mapping", path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text(stripBom(buffer.str()));
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("columns") || !json["columns"].is_object())
        return fail("{}: expected {{\"institution\": \"...\", \"columns\": {{\"Header\": \"field\"}}}}", path.string());
    CsvMapping mapping;
    if (json.contains("institution") && json["institution"].is_string()) mapping.institution = json["institution"];
    for (const auto& [header, field] : json["columns"].items()) {
        if (!field.is_string()) return fail("{}: /columns/{}: the field must be a string", path.string(), header);
        mapping.columns[header] = field.get<std::string>();
    }
    return mapping;
}

ReadResult readCsv(std::string_view text, const std::string& file, const CsvMapping& mapping) {
    ReadResult result;
    const std::filesystem::path folder = sourceFolder(file);
    std::vector<Row> rows = splitRows(stripBom(text));
    if (rows.empty()) {
        result.problems.push_back({file, 1, "", "empty CSV: no header row"});
        return result;
    }
    const Row& header = rows[0];
    if (!header.error.empty()) {
        result.problems.push_back({file, header.line, "", "header row: " + header.error});
        return result;
    }
    // column index -> (field, language)
    std::vector<std::pair<std::string, std::string>> fieldOf(header.fields.size());
    bool haveNumber = false;
    for (size_t c = 0; c < header.fields.size(); ++c) {
        auto it = mapping.columns.find(trim(header.fields[c]));
        if (it == mapping.columns.end()) continue;
        std::string field = it->second, language = "und";
        if (const size_t at = field.find('@'); at != std::string::npos) {
            language = field.substr(at + 1);
            field = field.substr(0, at);
        } else if (mapping.institution == "met") {
            language = "en";
        }
        fieldOf[c] = {field, language};
        haveNumber = haveNumber || field == "objectNumber";
    }
    if (!haveNumber) {
        result.problems.push_back({file, header.line, "", "no column maps to objectNumber; check the column mapping"});
        return result;
    }
    for (size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (!row.error.empty()) {
            result.problems.push_back({file, row.line, "", row.error + "; row skipped"});
            ++result.rejected;
            continue;
        }
        if (row.fields.size() != header.fields.size()) {
            result.problems.push_back({file, row.line, "",
                                       std::format("{} fields where the header has {}; row skipped", row.fields.size(),
                                                   header.fields.size())});
            ++result.rejected;
            continue;
        }
        catalog::Record record;
        record.sourceFormat = "csv";
        record.institution = mapping.institution;
        bool publicDomain = false;
        std::vector<std::pair<std::string, catalog::MediaKind>> media;
        for (size_t c = 0; c < row.fields.size(); ++c) {
            const auto& [field, language] = fieldOf[c];
            const std::string value = trim(row.fields[c]);
            if (field.empty() || value.empty()) continue;
            if (field == "objectNumber") record.objectNumber = value;
            else if (field == "institution") record.institution = value;
            else if (field == "title") appendText(record.title, language, value);
            else if (field == "description") appendText(record.description, language, value);
            else if (field == "creator") appendText(record.creator, language, value);
            else if (field == "date") appendText(record.date, language, value);
            else if (field == "culture") appendText(record.culture, language, value);
            else if (field == "medium") appendText(record.medium, language, value);
            else if (field == "dimensions") appendText(record.dimensions, language, value);
            else if (field == "creditLine") appendText(record.creditLine, language, value);
            else if (field == "earliestYear") record.earliestYear = parseInt(value);
            else if (field == "latestYear") record.latestYear = parseInt(value);
            else if (field == "rights") { if (isHttpUrl(value)) record.rights = value; }
            else if (field == "publicDomain") publicDomain = value == "True" || value == "true" || value == "1" || value == "yes";
            else if (field == "sourceUrl") record.sourceUrl = value;
            else if (field == "model" || field == "image" || field == "media") {
                // several files in one cell are separated by '|'
                size_t start = 0;
                while (start <= value.size()) {
                    const size_t bar = value.find('|', start);
                    const std::string item = trim(value.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
                    if (!item.empty())
                        media.push_back({item, field == "image" ? catalog::MediaKind::Image : catalog::MediaKind::Model});
                    if (bar == std::string::npos) break;
                    start = bar + 1;
                }
            }
        }
        record.id = catalog::makeId(record.institution, record.objectNumber);
        if (record.id.empty() || record.institution.empty()) {
            result.problems.push_back({file, row.line, "", record.objectNumber.empty() ? "no object number; row skipped" : "no institution; row skipped"});
            ++result.rejected;
            continue;
        }
        if (publicDomain && record.rights.empty()) record.rights = kCc0;
        if (!record.earliestYear && !record.date.empty())
            catalog::parseYears(catalog::pick(record.date), record.earliestYear, record.latestYear);
        if (!record.dimensions.empty())
            catalog::parseDimensions(catalog::pick(record.dimensions), record.heightMm, record.widthMm, record.depthMm);
        for (const auto& [uri, kind] : media) {
            auto checked = checkMediaReference(uri, folder);
            if (!checked) {
                result.problems.push_back({file, row.line, "", checked.error().message + "; media refused", true});
                continue;
            }
            record.media.push_back({*checked, kind, "", ""});
        }
        result.add(std::move(record), {file, row.line, ""});
    }
    return result;
}

}  // namespace vt::collection
