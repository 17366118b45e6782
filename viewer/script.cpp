#include "viewer/script.h"

#include <charconv>
#include <cmath>
#include <format>
#include <fstream>
#include <sstream>

namespace vt::viewer {
namespace {

// Argument kinds: n = number, w = word (any token), k = keyword from `keywords`, t = rest of the line.
struct Spec {
    const char* name;
    const char* kinds;     // one letter per argument
    int optional;          // how many trailing arguments may be left out
    const char* usage;
    const char* keywords;  // for 'k', space separated; "|n" in it also allows a number
};

constexpr Spec kSpecs[] = {
    {"settle", "n", 1, "[SECONDS]", ""},
    {"wait", "n", 0, "FRAMES", ""},
    {"sleep", "n", 0, "SECONDS", ""},
    {"size", "nn", 0, "W H", ""},
    {"camera", "nnnnnn", 0, "PX PY PZ TX TY TZ", ""},
    {"walk", "nnn", 0, "FORWARD RIGHT SECONDS", ""},
    {"look", "nn", 0, "DX DY", ""},
    {"mode", "k", 0, "walk|inspect|tour|browse", "walk inspect tour browse"},
    {"inspect", "w", 0, "ARTIFACT", ""},
    {"orbit", "nn", 0, "YAW PITCH", ""},
    {"zoom", "n", 0, "STEPS", ""},
    {"pan", "nn", 0, "DX DY", ""},
    {"tour", "k", 0, "N|next|previous|pause|resume|end", "next previous pause resume end |n"},
    {"open", "k", 0, "PANEL", "info settings stats browse measure annotations tour"},
    {"close", "k", 0, "PANEL", "info settings stats browse measure annotations tour"},
    {"set", "kw", 0, "KEY VALUE", "language ui-scale sensitivity invert quality budget vsync"},
    {"search", "t", 1, "TEXT...", ""},
    {"click", "nn", 0, "X Y", ""},
    {"measure", "nnnn", 0, "X1 Y1 X2 Y2", ""},
    {"measure-span", "w", 0, "ARTIFACT", ""},
    {"screenshot", "w", 0, "PATH", ""},
    {"print", "t", 1, "TEXT...", ""},
    {"key", "k", 0, "NAME", "T N P Right Left Up Down Space Escape Tab B I M H L F1 F3 F12"},
    {"quit", "n", 1, "[CODE]", ""},
};

bool parseNumber(const std::string& s, float& value) {
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    return ec == std::errc() && ptr == end && std::isfinite(value);
}

bool hasKeyword(std::string_view keywords, std::string_view word) {
    std::istringstream in{std::string(keywords)};
    for (std::string k; in >> k;)
        if (k == word) return true;
    return false;
}

}  // namespace

float ScriptAction::number(size_t i) const {
    float value = 0.0f;
    if (i < args.size()) parseNumber(args[i], value);
    return value;
}

std::string ScriptAction::rest(size_t from) const {
    std::string text;
    for (size_t i = from; i < args.size(); ++i) text += (i > from ? " " : "") + args[i];
    return text;
}

Result<std::vector<ScriptAction>> parseScript(std::string_view text, const std::string& fileName) {
    std::vector<ScriptAction> actions;
    std::istringstream in{std::string(text)};
    std::string lineText;
    for (uint32_t line = 1; std::getline(in, lineText); ++line) {
        if (auto hash = lineText.find('#'); hash != std::string::npos) lineText.erase(hash);
        std::istringstream words(lineText);
        ScriptAction action;
        action.line = line;
        if (!(words >> action.name)) continue;
        for (std::string word; words >> word;) action.args.push_back(word);
        const Spec* spec = nullptr;
        for (const Spec& s : kSpecs)
            if (action.name == s.name) spec = &s;
        if (!spec) {
            std::string names;
            for (const Spec& s : kSpecs) names += (names.empty() ? "" : ", ") + std::string(s.name);
            return fail("{}:{}: unknown action '{}' (expected one of: {})", fileName, line, action.name, names);
        }
        const std::string_view kinds = spec->kinds;
        const bool restOfLine = !kinds.empty() && kinds.back() == 't';
        const size_t most = kinds.size(), least = kinds.size() - size_t(spec->optional);
        if (action.args.size() < least || (!restOfLine && action.args.size() > most)) {
            const std::string count = least == most ? std::to_string(most) : std::format("{} to {}", least, most);
            return fail("{}:{}: '{}' takes {} argument{} ({}), got {}", fileName, line, action.name, count,
                        most == 1 ? "" : "s", spec->usage, action.args.size());
        }
        for (size_t i = 0; i < action.args.size() && i < kinds.size(); ++i) {
            const std::string& arg = action.args[i];
            float value = 0.0f;
            switch (kinds[i]) {
            case 'n':
                if (!parseNumber(arg, value))
                    return fail("{}:{}: '{}': '{}' is not a number ({})", fileName, line, action.name, arg, spec->usage);
                break;
            case 'k':
                if (!hasKeyword(spec->keywords, arg) &&
                    !(hasKeyword(spec->keywords, "|n") && parseNumber(arg, value)))
                    return fail("{}:{}: '{}': unknown '{}' (expected {})", fileName, line, action.name, arg,
                                spec->name == std::string_view("set") || spec->name == std::string_view("open") ||
                                        spec->name == std::string_view("close")
                                    ? std::string(spec->keywords)
                                    : std::string(spec->usage));
                break;
            default:
                break;
            }
        }
        actions.push_back(std::move(action));
    }
    return actions;
}

std::vector<std::string_view> scriptActionNames() {
    std::vector<std::string_view> names;
    for (const Spec& spec : kSpecs) names.push_back(spec.name);
    return names;
}

Result<std::vector<ScriptAction>> loadScript(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail("{}: cannot read the script", path);
    std::ostringstream text;
    text << file.rdbuf();
    return parseScript(text.str(), path);
}

std::vector<ScriptAction> screenshotScript(const std::string& path) {
    return {{"settle", {}, 0}, {"screenshot", {path}, 0}, {"quit", {}, 0}};
}

std::vector<ScriptAction> tourPicturesScript(size_t stopCount, const std::string& dir) {
    std::vector<ScriptAction> actions;
    for (size_t i = 0; i < stopCount; ++i) {
        actions.push_back({"tour", {std::to_string(i + 1)}, 0});
        actions.push_back({"tour", {"pause"}, 0});
        actions.push_back({"settle", {}, 0});
        actions.push_back({"screenshot", {std::format("{}/stop-{:02}.png", dir, i + 1)}, 0});
    }
    if (stopCount == 0) {
        actions.push_back({"settle", {}, 0});
        actions.push_back({"screenshot", {dir + "/entrance.png"}, 0});
    }
    actions.push_back({"quit", {}, 0});
    return actions;
}

}  // namespace vt::viewer
