#include <format>
#include <fstream>
#include <map>
#include <sstream>

#include "core/check.h"
#include "media_policy.h"
#include "net/http_source.h"
#include "readers.h"

namespace vt::collection {

namespace {

constexpr uint64_t kMaxSourceBytes = 512ull << 20;  // a source file larger than this is refused

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path.substr(0, path.find_first_of("?#"))).extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

std::string Problem::format() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    out += warning ? ": warning: " : ": error: ";
    if (!pointer.empty()) out += pointer + ": ";
    return out + message;
}

std::string RecordOrigin::format() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (!pointer.empty()) out += " (" + pointer + ")";
    return out;
}

void ReadResult::add(catalog::Record record, RecordOrigin origin) {
    records.push_back(std::move(record));
    origins.push_back(std::move(origin));
}

void ReadResult::append(ReadResult&& other) {
    for (auto& r : other.records) records.push_back(std::move(r));
    for (auto& o : other.origins) origins.push_back(std::move(o));
    for (auto& p : other.problems) problems.push_back(std::move(p));
    rejected += other.rejected;
}

void keepLatestById(ReadResult& result) {
    VT_CHECK(result.origins.size() == result.records.size(), "every record is added with its origin (ReadResult::add)");
    std::map<std::string, size_t> latest;  // id -> index of its latest record
    std::vector<bool> replaced(result.records.size(), false);
    for (size_t i = 0; i < result.records.size(); ++i) {
        auto [it, inserted] = latest.emplace(result.records[i].id, i);
        if (inserted) continue;
        const RecordOrigin& before = result.origins[it->second];
        const RecordOrigin& now = result.origins[i];
        result.problems.push_back({now.file, now.line, now.pointer,
                                   std::format("id '{}' was read before at {}; this record replaces it", result.records[i].id,
                                               before.format()),
                                   true});
        replaced[it->second] = true;
        it->second = i;
    }
    size_t kept = 0;
    for (size_t i = 0; i < result.records.size(); ++i) {
        if (replaced[i]) continue;
        if (kept != i) {
            result.records[kept] = std::move(result.records[i]);
            result.origins[kept] = std::move(result.origins[i]);
        }
        ++kept;
    }
    result.records.resize(kept);
    result.origins.resize(kept);
}

std::filesystem::path sourceFolder(const std::string& pathOrUrl) {
    if (isHttpUrl(pathOrUrl)) return {};
    const std::filesystem::path folder = std::filesystem::path(pathOrUrl).parent_path();
    return folder.empty() ? std::filesystem::path(".") : folder;
}

std::string_view stripBom(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    return text;
}

Result<std::string> loadText(const std::string& pathOrUrl, bool allowNetwork) {
    if (isHttpUrl(pathOrUrl)) {
        if (!allowNetwork) return fail("{}: reading URLs is off (pass --allow-network)", pathOrUrl);
        auto source = net::openSource(pathOrUrl);
        if (!source) return std::unexpected(source.error());
        if ((*source)->size() > kMaxSourceBytes) return fail("{}: larger than {} MiB", pathOrUrl, kMaxSourceBytes >> 20);
        auto bytes = (*source)->read(0, (*source)->size());
        if (!bytes) return std::unexpected(bytes.error());
        return std::string(bytes->begin(), bytes->end());
    }
    std::error_code error;
    if (!std::filesystem::is_regular_file(pathOrUrl, error)) return fail("{}: not found (or not a file)", pathOrUrl);
    if (std::filesystem::file_size(pathOrUrl, error) > kMaxSourceBytes)
        return fail("{}: larger than {} MiB", pathOrUrl, kMaxSourceBytes >> 20);
    std::ifstream in(pathOrUrl, std::ios::binary);
    if (!in) return fail("{}: cannot read", pathOrUrl);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

ReadResult readSource(const std::string& pathOrUrl, const SourceOptions& options) {
    ReadResult result;
    auto text = loadText(pathOrUrl, options.allowNetwork);
    if (!text) {
        result.problems.push_back({pathOrUrl, 0, "", text.error().message});
        ++result.rejected;
        return result;
    }
    const std::filesystem::path folder = sourceFolder(pathOrUrl);
    const std::string_view body = stripBom(*text);
    const size_t first = body.find_first_not_of(" \t\r\n");
    const char lead = first == std::string_view::npos ? '\0' : body[first];
    const std::string ext = lowerExtension(pathOrUrl);
    if (ext == ".csv" || ext == ".tsv") {
        return readCsv(*text, pathOrUrl, options.mapping ? *options.mapping : metOpenAccessMapping());
    }
    if (lead == '{' || lead == '[') {
        JsonContext context;
        context.file = pathOrUrl;
        context.folder = folder;
        const bool allowNetwork = options.allowNetwork;
        context.load = [allowNetwork](const std::string& location) { return loadText(location, allowNetwork); };
        return readJson(*text, context);
    }
    if (lead == '<') return readLido(*text, pathOrUrl, folder);
    if (lead == '\0') result.problems.push_back({pathOrUrl, 1, "", "empty file"});
    else result.problems.push_back({pathOrUrl, 1, "", "unknown format: expected JSON (IIIF, EDAN, Met), LIDO XML or a .csv file"});
    ++result.rejected;
    return result;
}

}  // namespace vt::collection
