#include "exhibit/packs_exhibit.h"

#include <filesystem>
#include <format>

namespace vt::exhibit {
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
    const float length = packs.empty() ? 0.0f : kSpacing * float(packs.size() - 1);
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

ParseResult exhibitForPacks(const std::vector<std::string>& inputs) {
    std::vector<std::string> packs;
    for (const std::string& input : inputs) {
        std::error_code error;
        packs.push_back(isHttpUrl(input) ? input : std::filesystem::absolute(input, error).string());
    }
    return parseExhibit(exhibitJsonForPacks(packs), "(packs)");
}

}  // namespace vt::exhibit
