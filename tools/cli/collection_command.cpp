#include "collection_command.h"

#include <cstdio>
#include <map>
#include <memory>

#include "core/log.h"
#include "tools/catalog/catalog.h"
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

int runImport(const ImportOptions& options) {
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
    auto catalog = catalog::Catalog::open(options.catalog);
    if (!catalog) {
        log::error("{}", catalog.error().message);
        return 1;
    }
    collection::ReadResult all;
    for (const std::string& source : options.sources) all.append(collection::readSource(source, sourceOptions));

    // One record per id: a later source replaces an earlier one, so the order of the sources decides.
    std::map<std::string, size_t> latest;
    std::vector<std::string> where(all.records.size());
    for (size_t i = 0; i < all.records.size(); ++i) {
        auto [it, inserted] = latest.emplace(all.records[i].id, i);
        if (!inserted) {
            all.problems.push_back({"", 0, "", std::format("{} is read twice; the later record replaces the earlier", all.records[i].id), true});
            it->second = i;
        }
    }
    size_t inserted = 0, updated = 0, unchanged = 0, failed = 0;
    if (auto r = catalog->begin(); !r) {
        log::error("{}", r.error().message);
        return 1;
    }
    for (const auto& [id, index] : latest) {
        auto outcome = catalog->upsert(all.records[index]);
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
    size_t errors = 0, warnings = 0;
    for (const collection::Problem& p : all.problems) {
        (p.warning ? warnings : errors) += 1;
        if (!options.quiet || !p.warning) std::fprintf(stderr, "%s\n", p.format().c_str());
    }
    std::printf("%zu records read from %zu sources: %zu new, %zu updated, %zu unchanged; %zu rejected; %zu errors, %zu warnings\n",
                latest.size(), options.sources.size(), inserted, updated, unchanged, all.rejected + failed, errors, warnings);
    if (latest.empty() && errors > 0) {
        log::error("no records imported from {} source(s)", options.sources.size());
        return 1;
    }
    return 0;
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

}  // namespace

void addCollectionCommand(CLI::App& app, int& exitCode) {
    CLI::App* collection = app.add_subcommand("collection", "Museum records: import, search, show, convert scans");
    collection->require_subcommand(1);

    auto import = std::make_shared<ImportOptions>();
    CLI::App* importCommand = collection->add_subcommand("import", "Read CSV, IIIF, LIDO or museum API records into a catalog");
    importCommand->add_option("sources", import->sources, "files or URLs: .csv, IIIF manifest/collection JSON, LIDO XML, EDAN/Met JSON")->required();
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
}

void addExhibitCommand(CLI::App&, int&) {}

}  // namespace vt::cli
