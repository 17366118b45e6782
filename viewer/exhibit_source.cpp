#include "viewer/exhibit_source.h"

#include <filesystem>
#include <format>
#include <fstream>
#include <sstream>

#include "core/json_locator.h"
#include "exhibit/packs_exhibit.h"

namespace vt::viewer {
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
        opened.path = (std::filesystem::current_path() / "packs.json").string();
        parsed = exhibit::exhibitForPacks(inputs);
    }
    for (const exhibit::Diagnostic& d : parsed.diagnostics) opened.problems.push_back(d.format());
    opened.usable = parsed.usable && !parsed.exhibit.rooms.empty();
    if (parsed.usable && parsed.exhibit.rooms.empty())
        opened.problems.push_back(opened.path + ": the exhibit has no usable room, so there is nothing to walk in");
    opened.exhibit = std::move(parsed.exhibit);
    return opened;
}

}  // namespace vt::viewer
