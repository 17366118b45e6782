#include "viewer/exhibit_source.h"

#include <filesystem>
#include <format>
#include <fstream>
#include <sstream>

#include "core/json_locator.h"

namespace vt::viewer {
namespace {

constexpr float kSpacing = 2.5f;  // metres between plinths

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (uint8_t(c) < 0x20) {
            out += std::format("\\u{:04x}", int(c));
            continue;
        }
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string exhibitJsonForPacks(const std::vector<std::string>& packs) {
    const float length = kSpacing * float(packs.size() - 1);
    std::string artifacts, stops;
    for (size_t i = 0; i < packs.size(); ++i) {
        const std::string& pack = packs[i];
        std::string stem = isHttpUrl(pack) ? pack.substr(pack.find_last_of('/') + 1) : std::filesystem::path(pack).stem().string();
        if (auto dot = stem.rfind(".vpk"); dot != std::string::npos) stem.erase(dot);
        const std::string id = std::format("artifact-{}", i + 1);
        artifacts += std::format("{}{{\"id\": \"{}\", \"pack\": {}, \"position\": [{}, 0], \"label\": {{\"title\": {}}}}}",
                                 i ? ",\n    " : "", id, jsonString(pack), kSpacing * float(i), jsonString(stem));
        stops += std::format("{}{{\"artifact\": \"{}\", \"title\": {}}}", i ? ", " : "", id, jsonString(stem));
    }
    return std::format(R"({{
  "format": "vitrine-exhibit", "version": 1, "id": "packs", "title": "Packs",
  "languages": ["en", "zh"],
  "rooms": [{{"id": "room", "floor": [[{}, -3], [{}, -3], [{}, 5], [{}, 5]], "height": 4}}],
  "artifacts": [
    {}
  ],
  "start": {{"position": [{}, 1.6, 3.5], "target": [{}, 1.2, 0]}},
  "tour": {{"title": "Packs", "stops": [{}]}}
}}
)",
                       -2.0f, length + 2.0f, length + 2.0f, -2.0f, artifacts, length * 0.5f, length * 0.5f, stops);
}

std::string locateArtifactProblem(const OpenedExhibit& opened, const std::string& problem) {
    constexpr std::string_view kPrefix = "artifact '";
    if (opened.text.empty() || !problem.starts_with(kPrefix)) return problem;
    const size_t end = problem.find('\'', kPrefix.size());
    if (end == std::string::npos) return problem;
    const std::string id = problem.substr(kPrefix.size(), end - kPrefix.size());
    const JsonLocator locator(opened.text);
    const TextLocation array = locator.find("/artifacts");
    // The artifact's index in the file (skipped artifacts shift the parsed list, so match the id).
    for (size_t i = 0; i < 100000; ++i) {
        const std::string item = std::format("/artifacts/{}", i);
        const TextLocation at = locator.find(item);
        if (at.line == 0 || at.offset == array.offset) break;
        const TextLocation idAt = locator.find(item + "/id");
        if (idAt.offset == at.offset) continue;  // no "id": the parser skipped it
        const std::string quoted = "\"" + id + "\"";
        if (opened.text.compare(idAt.offset, quoted.size(), quoted) != 0) continue;
        const TextLocation packAt = locator.find(item + "/pack");
        return std::format("{}:{}:{}: error: {}/pack: {}", opened.path, packAt.line, packAt.column, item, problem);
    }
    return problem;
}

OpenedExhibit openInputs(const std::vector<std::string>& inputs) {
    OpenedExhibit opened;
    exhibit::ParseResult parsed;
    if (inputs.size() == 1 && inputs[0].ends_with(".json")) {
        opened.path = inputs[0];
        parsed = exhibit::loadExhibit(inputs[0]);
        if (parsed.usable) {
            std::ifstream file(inputs[0], std::ios::binary);
            std::ostringstream text;
            text << file.rdbuf();
            opened.text = text.str();
        }
    } else {
        std::vector<std::string> packs;
        for (const std::string& input : inputs) {
            std::error_code error;
            packs.push_back(isHttpUrl(input) ? input : std::filesystem::absolute(input, error).string());
        }
        opened.path = (std::filesystem::current_path() / "packs.json").string();
        parsed = exhibit::parseExhibit(exhibitJsonForPacks(packs), "(packs)");
    }
    for (const exhibit::Diagnostic& d : parsed.diagnostics) opened.problems.push_back(d.format());
    opened.usable = parsed.usable && !parsed.exhibit.rooms.empty();
    if (parsed.usable && parsed.exhibit.rooms.empty())
        opened.problems.push_back(opened.path + ": the exhibit has no usable room, so there is nothing to walk in");
    opened.exhibit = std::move(parsed.exhibit);
    return opened;
}

}  // namespace vt::viewer
