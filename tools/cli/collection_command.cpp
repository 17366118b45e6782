#include "collection_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include <fstream>
#include <thread>

#include "core/log.h"
#include "exhibit/exhibit.h"
#include "net/http_source.h"
#include "pack/pack_reader.h"
#include "tools/catalog/catalog.h"
#include "tools/collection/batch_convert.h"
#include "tools/collection/exhibit_generator.h"
#include "tools/collection/readers.h"

namespace vt::cli {

namespace {

struct ImportOptions {
    std::vector<std::string> sources;
    std::string catalog;
    std::string mapping;  // a mapping file, or "met"
    bool allowNetwork = false;
    bool quiet = false;
};

// A folder stands for every record file below it (.csv, .json, .jsonld, .xml; hidden files and
// folders skipped, links to folders not followed), in path order, so an export folder imports as it
// is and in the same order every time.
std::vector<std::string> expandFolders(const std::vector<std::string>& sources) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const std::string& source : sources) {
        std::error_code error;
        if (!fs::is_directory(source, error)) {
            out.push_back(source);
            continue;
        }
        std::vector<std::string> files;
        fs::recursive_directory_iterator it(source, fs::directory_options::skip_permission_denied, error), end;
        for (; !error && it != end; it.increment(error)) {
            const fs::path& path = it->path();
            if (path.filename().string().starts_with(".")) {
                if (it->is_directory(error)) it.disable_recursion_pending();
                continue;
            }
            std::string extension = path.extension().string();
            std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            if (it->is_regular_file(error) && (extension == ".csv" || extension == ".json" || extension == ".jsonld" || extension == ".xml"))
                files.push_back(path.string());
        }
        if (error) log::warn("{}: {}; importing the {} files listed before it", source, error.message(), files.size());
        if (files.empty()) {
            out.push_back(source);  // reported by the reader as not a record file
            continue;
        }
        std::ranges::sort(files);
        out.insert(out.end(), files.begin(), files.end());
    }
    return out;
}

int runImport(ImportOptions options) {
    options.sources = expandFolders(options.sources);
    collection::SourceOptions sourceOptions;
    sourceOptions.allowNetwork = options.allowNetwork;
    if (!options.mapping.empty() && options.mapping != "met") {
        auto mapping = collection::loadCsvMapping(options.mapping);
        if (!mapping) {
            log::error("{}", mapping.error().message);
            return 2;
        }
        sourceOptions.mapping = *mapping;
    }
    collection::ReadResult all;
    for (const std::string& source : options.sources) all.append(collection::readSource(source, sourceOptions));
    collection::keepLatestById(all);  // a later source replaces an earlier one: the order of the sources decides
    size_t inserted = 0, updated = 0, unchanged = 0, failed = 0;
    const auto report = [&] {
        size_t errors = 0, warnings = 0;
        for (const collection::Problem& p : all.problems) {
            (p.warning ? warnings : errors) += 1;
            if (!options.quiet || !p.warning) std::fprintf(stderr, "%s\n", p.format().c_str());
        }
        std::printf("%zu records read from %zu sources: %zu new, %zu updated, %zu unchanged; %zu rejected; %zu errors, %zu warnings\n",
                    all.records.size(), options.sources.size(), inserted, updated, unchanged, all.rejected + failed, errors,
                    warnings);
        if (all.records.empty() && errors > 0) {
            log::error("no records imported from {} source(s)", options.sources.size());
            return 1;
        }
        return 0;
    };
    // Nothing to import: say why, and leave no catalog behind that the command would have created.
    if (all.records.empty()) return report();
    auto catalog = catalog::Catalog::open(options.catalog);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    if (auto r = catalog->begin(); !r) {
        log::error("{}", r.error().message);
        return 1;
    }
    // In id order, so the catalog file is the same whatever order the sources were read in.
    std::vector<const catalog::Record*> byId;
    for (const catalog::Record& record : all.records) byId.push_back(&record);
    std::ranges::sort(byId, {}, &catalog::Record::id);
    for (const catalog::Record* record : byId) {
        auto outcome = catalog->upsert(*record);
        if (!outcome) {
            all.problems.push_back({options.catalog, 0, "", outcome.error().message});
            ++failed;
            continue;
        }
        switch (*outcome) {
        case catalog::UpsertOutcome::Inserted: ++inserted; break;
        case catalog::UpsertOutcome::Updated: ++updated; break;
        case catalog::UpsertOutcome::Unchanged: ++unchanged; break;
        }
    }
    if (auto r = catalog->commit(); !r) {
        log::error("{}", r.error().message);
        return 1;
    }
    return report();
}

void printText(const char* name, const catalog::Text& text) {
    for (const auto& [language, value] : text) std::printf("%-12s [%s] %s\n", name, language.c_str(), value.c_str());
}

int runSearch(const std::string& path, const std::string& query, size_t limit) {
    auto catalog = catalog::Catalog::open(path);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    auto hits = catalog->search(query, limit);
    if (!hits) {
        log::error("{}", hits.error().message);
        return 1;
    }
    for (const catalog::SearchHit& hit : *hits)
        std::printf("%s\t%s\t%s\t%s\n", hit.id.c_str(), hit.title.c_str(), hit.creator.c_str(), hit.date.c_str());
    std::fprintf(stderr, "%zu match(es) for \"%s\"\n", hits->size(), query.c_str());
    return 0;
}

int runShow(const std::string& path, const std::string& id, bool json) {
    auto catalog = catalog::Catalog::open(path);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    auto record = catalog->get(id);
    if (!record) {
        log::error("{}", record.error().message);
        return 1;
    }
    if (!*record) {
        log::error("{}: no object with id '{}'", path, id);
        return 1;
    }
    const catalog::Record& r = **record;
    if (json) {
        std::printf("%s\n", catalog::toJson(r).c_str());
        return 0;
    }
    std::printf("%-12s %s\n%-12s %s\n%-12s %s\n", "id", r.id.c_str(), "institution", r.institution.c_str(), "number", r.objectNumber.c_str());
    printText("title", r.title);
    printText("creator", r.creator);
    printText("date", r.date);
    if (r.earliestYear || r.latestYear)
        std::printf("%-12s %s to %s\n", "years", r.earliestYear ? std::to_string(*r.earliestYear).c_str() : "?",
                    r.latestYear ? std::to_string(*r.latestYear).c_str() : "?");
    printText("culture", r.culture);
    printText("medium", r.medium);
    printText("dimensions", r.dimensions);
    if (r.heightMm || r.widthMm || r.depthMm)
        std::printf("%-12s %s x %s x %s mm\n", "size", r.heightMm ? std::format("{:g}", *r.heightMm).c_str() : "-",
                    r.widthMm ? std::format("{:g}", *r.widthMm).c_str() : "-", r.depthMm ? std::format("{:g}", *r.depthMm).c_str() : "-");
    printText("description", r.description);
    printText("credit", r.creditLine);
    std::printf("%-12s %s\n%-12s %s\n%-12s %s\n", "rights", r.rights.c_str(), "source", r.sourceUrl.c_str(), "format", r.sourceFormat.c_str());
    for (const catalog::Media& m : r.media)
        std::printf("%-12s %s %s%s%s\n", "media", catalog::mediaKindName(m.kind).c_str(), m.uri.c_str(), m.format.empty() ? "" : " ",
                    m.format.c_str());
    for (const catalog::Comment& c : r.comments) std::printf("%-12s %s\n", "comment", catalog::pick(c.text).c_str());
    if (auto pack = catalog->pack(r.id); pack && *pack) {
        const catalog::PackEntry& p = **pack;
        if (p.status == catalog::PackStatus::Converted)
            std::printf("%-12s %s (%llu triangles)\n", "pack", p.pack.c_str(), static_cast<unsigned long long>(p.triangles));
        else
            std::printf("%-12s failed: %s\n", "pack", p.error.c_str());
    }
    return 0;
}

struct ConvertOptions {
    std::string catalog;
    std::string store;
    std::string shard = "0/1";
    unsigned jobs = 0;
    std::vector<std::string> mediaMap;
    bool retryFailed = false;
    uint32_t maxTexture = 0;
};

int runConvert(const ConvertOptions& options) {
    collection::BatchOptions batch;
    batch.store = options.store;
    batch.jobs = options.jobs;
    batch.retryFailed = options.retryFailed;
    batch.maxTextureSize = options.maxTexture;
    auto shard = collection::parseShard(options.shard);
    if (!shard) {
        log::error("{}", shard.error().message);
        return 2;
    }
    batch.shardIndex = shard->first;
    batch.shardCount = shard->second;
    for (const std::string& text : options.mediaMap) {
        auto mapping = collection::parseMediaMapping(text);
        if (!mapping) {
            log::error("{}", mapping.error().message);
            return 2;
        }
        batch.mediaMap.push_back(*mapping);
    }
    batch.progress = [](const std::string& line) { std::printf("  %s\n", line.c_str()); std::fflush(stdout); };
    auto catalog = catalog::Catalog::open(options.catalog);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    auto summary = collection::convertCollection(*catalog, batch);
    if (!summary) {
        log::error("{}", summary.error().message);
        return 1;
    }
    const auto& s = *summary;
    std::printf("shard %u/%u: %zu of %zu objects with scans; %zu scan sets converted, %zu found in the store, %zu objects failed\n",
                batch.shardIndex, batch.shardCount, s.objectsInShard, s.objectsWithScans, s.converted, s.reused, s.failed);
    if (s.converted > 0)
        std::printf("throughput: %llu triangles in %.2f s = %.0f triangles/s, %.1f scans/min (%u jobs)\n",
                    static_cast<unsigned long long>(s.trianglesConverted), s.seconds, double(s.trianglesConverted) / std::max(s.seconds, 1e-6),
                    double(s.converted) * 60.0 / std::max(s.seconds, 1e-6), batch.jobs ? batch.jobs : std::max(1u, std::thread::hardware_concurrency()));
    for (const auto& f : s.failures) std::fprintf(stderr, "%s: warning: %s\n", f.objectId.c_str(), f.reason.c_str());
    return 0;
}

struct GenerateOptions {
    std::string catalog;
    std::string query;
    std::string layout = "chronological";
    std::string output;
    std::string store;
    std::string title;
    std::string iiif;
    std::string baseUrl;
    size_t perRoom = 8;
    size_t maxObjects = 200;
};

Result<void> writeFile(const std::string& path, const std::string& text) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code made;
    if (!folder.empty()) std::filesystem::create_directories(folder, made);
    const std::string temp = path + ".partial";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) return fail("{}: cannot write", path);
        out << text;
        if (!out) return fail("{}: write failed", path);
    }
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) return fail("{}: {}", path, error.message());
    return {};
}

int runGenerate(const GenerateOptions& options) {
    auto layout = collection::parseLayout(options.layout);
    if (!layout) {
        log::error("{}", layout.error().message);
        return 2;
    }
    auto catalog = catalog::Catalog::open(options.catalog);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    collection::ExhibitOptions exhibitOptions;
    exhibitOptions.query = options.query;
    exhibitOptions.layout = *layout;
    exhibitOptions.exhibitPath = options.output;
    exhibitOptions.store = options.store.empty() ? std::filesystem::path(options.catalog).parent_path() / "store" : std::filesystem::path(options.store);
    exhibitOptions.title = options.title;
    exhibitOptions.perRoom = options.perRoom;
    exhibitOptions.maxObjects = options.maxObjects;
    auto generated = collection::generateExhibit(*catalog, exhibitOptions);
    if (!generated) {
        log::error("{}", generated.error().message);
        return 1;
    }
    for (const std::string& note : generated->notes) std::fprintf(stderr, "note: %s\n", note.c_str());
    const std::string json = exhibit::toJson(generated->exhibit);
    // what is written must read back without a single diagnostic
    const exhibit::ParseResult check = exhibit::parseExhibit(json, options.output);
    if (!check.diagnostics.empty()) {
        for (const auto& d : check.diagnostics) std::fprintf(stderr, "%s\n", d.format().c_str());
        log::error("{}: the generated exhibit does not validate ({} diagnostics); nothing written", options.output, check.diagnostics.size());
        return 1;
    }
    if (auto r = writeFile(options.output, json); !r) {
        log::error("{}", r.error().message);
        return 1;
    }
    const auto& e = generated->exhibit;
    std::printf("%s: %zu objects in %zu rooms, %zu tour stops\n", options.output.c_str(), e.artifacts.size(), e.rooms.size(), e.tour.stops.size());
    if (!options.iiif.empty()) {
        const std::string base = options.baseUrl.empty() ? "https://example.org/exhibits/" + e.id : options.baseUrl;
        if (auto r = writeFile(options.iiif, collection::iiifManifest(e, base)); !r) {
            log::error("{}", r.error().message);
            return 1;
        }
        std::printf("%s: IIIF Presentation 3 manifest\n", options.iiif.c_str());
    }
    return 0;
}

int runValidate(const std::string& path) {
    const exhibit::ParseResult result = exhibit::loadExhibit(path);
    size_t errors = 0;
    for (const auto& d : result.diagnostics) {
        std::fprintf(stderr, "%s\n", d.format().c_str());
        if (d.severity == exhibit::Severity::Error) ++errors;
    }
    if (!result.usable) {
        log::error("{}: not a readable exhibit", path);
        return 1;
    }
    // every pack must open: the header and directory are read and checked
    for (size_t i = 0; i < result.exhibit.artifacts.size(); ++i) {
        const exhibit::Artifact& a = result.exhibit.artifacts[i];
        const std::string location = exhibit::resolveResource(path, a.pack);
        auto source = net::openSource(location);
        std::string problem;
        if (!source) problem = source.error().message;
        else if (auto reader = pack::PackReader::open(**source, location); !reader) problem = reader.error().message;
        if (!problem.empty()) {
            std::fprintf(stderr, "%s: error: artifact '%s': pack '%s': %s\n", path.c_str(), a.id.c_str(), a.pack.c_str(), problem.c_str());
            ++errors;
        }
    }
    if (errors > 0) {
        log::error("{}: {} error(s)", path, errors);
        return 1;
    }
    std::printf("%s: ok: %zu rooms, %zu artifacts (every pack opens), %zu tour stops, %zu warnings\n", path.c_str(),
                result.exhibit.rooms.size(), result.exhibit.artifacts.size(), result.exhibit.tour.stops.size(), result.diagnostics.size());
    return 0;
}

}  // namespace

void addCollectionCommand(CLI::App& app, int& exitCode) {
    CLI::App* collection = app.add_subcommand("collection", "Museum records: import, search, show, convert scans");
    collection->require_subcommand(1);

    auto import = std::make_shared<ImportOptions>();
    CLI::App* importCommand = collection->add_subcommand("import", "Read CSV, IIIF, LIDO or museum API records into a catalog");
    importCommand->add_option("sources", import->sources, "files, folders (every .csv/.json/.jsonld/.xml below) or URLs: CSV, IIIF manifest/collection JSON, LIDO XML, EDAN/Met JSON")->required();
    importCommand->add_option("--catalog", import->catalog, "catalog file (SQLite; created when missing)")->required();
    importCommand->add_option("--mapping", import->mapping, "CSV column mapping: a JSON file, or 'met' (The Met's Open Access columns, the default)");
    importCommand->add_flag("--allow-network", import->allowNetwork, "read http(s) sources (off by default)");
    importCommand->add_flag("-q,--quiet", import->quiet, "print errors only, not warnings");
    importCommand->callback([import, &exitCode] { exitCode = runImport(*import); });

    auto search = std::make_shared<std::tuple<std::string, std::string, size_t>>("", "", 50);
    CLI::App* searchCommand = collection->add_subcommand("search", "Full-text search over titles, creators, descriptions");
    searchCommand->add_option("catalog", std::get<0>(*search), "catalog file")->required();
    searchCommand->add_option("query", std::get<1>(*search), "words (any language); all must match")->required();
    searchCommand->add_option("--limit", std::get<2>(*search), "most matches to list")->capture_default_str();
    searchCommand->callback([search, &exitCode] { exitCode = runSearch(std::get<0>(*search), std::get<1>(*search), std::get<2>(*search)); });

    auto show = std::make_shared<std::tuple<std::string, std::string, bool>>("", "", false);
    CLI::App* showCommand = collection->add_subcommand("show", "Print one object's record");
    showCommand->add_option("catalog", std::get<0>(*show), "catalog file")->required();
    showCommand->add_option("id", std::get<1>(*show), "object id (institution:number)")->required();
    showCommand->add_flag("--json", std::get<2>(*show), "print the stored JSON");
    showCommand->callback([show, &exitCode] { exitCode = runShow(std::get<0>(*show), std::get<1>(*show), std::get<2>(*show)); });

    auto convert = std::make_shared<ConvertOptions>();
    CLI::App* c = collection->add_subcommand("convert", "Convert every scan the records name into content-addressed packs");
    c->add_option("--catalog", convert->catalog, "catalog file")->required();
    c->add_option("--store", convert->store, "pack store folder (shared by all shards)")->required();
    c->add_option("--shard", convert->shard, "I/N: convert only shard I of N (deterministic by object id)")->capture_default_str();
    c->add_option("-j,--jobs", convert->jobs, "converter processes at once (0 = all cores)")->capture_default_str();
    c->add_option("--media-map", convert->mediaMap, "PREFIX=DIR: read URLs starting with PREFIX from DIR instead (repeatable; nothing is downloaded)");
    c->add_flag("--retry-failed", convert->retryFailed, "convert again scans that failed before");
    c->add_option("--max-texture", convert->maxTexture, "cap texture size (pixels, 0 = keep)")->capture_default_str();
    c->callback([convert, &exitCode] { exitCode = runConvert(*convert); });
}

void addExhibitCommand(CLI::App& app, int& exitCode) {
    CLI::App* exhibitCommand = app.add_subcommand("exhibit", "Exhibits: generate from a catalog, validate");
    exhibitCommand->require_subcommand(1);

    auto generate = std::make_shared<GenerateOptions>();
    CLI::App* g = exhibitCommand->add_subcommand("generate", "Lay the objects a query finds out in walkable rooms");
    g->add_option("--catalog", generate->catalog, "catalog file")->required();
    g->add_option("--query", generate->query, "catalog search (default: every object)");
    g->add_option("--layout", generate->layout, "chronological, grid or linear")->capture_default_str();
    g->add_option("-o,--out", generate->output, "exhibit JSON to write")->required();
    g->add_option("--store", generate->store, "pack store of the conversion (default: 'store' beside the catalog)");
    g->add_option("--title", generate->title, "exhibit title (default: the query)");
    g->add_option("--per-room", generate->perRoom, "objects per room")->capture_default_str()->check(CLI::Range(1, 64));
    g->add_option("--max-objects", generate->maxObjects, "most objects in the exhibit")->capture_default_str();
    g->add_option("--iiif", generate->iiif, "also write a IIIF Presentation 3 manifest of the exhibit here");
    g->add_option("--base-url", generate->baseUrl, "where the exhibit will be published (IIIF ids; default https://example.org/exhibits/ID)");
    g->callback([generate, &exitCode] { exitCode = runGenerate(*generate); });

    auto validate = std::make_shared<std::string>();
    CLI::App* v = exhibitCommand->add_subcommand("validate", "Check an exhibit file and that every pack it names opens");
    v->add_option("exhibit", *validate, "exhibit JSON")->required();
    v->callback([validate, &exitCode] { exitCode = runValidate(*validate); });
}

}  // namespace vt::cli
