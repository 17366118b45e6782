#include "viewer/options.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <format>

namespace vt::viewer {
namespace {

int usage(const char* message) {
    if (message) std::fprintf(stderr, "vitrine-viewer: %s\n", message);
    std::fprintf(stderr,
                 "usage: vitrine-viewer EXHIBIT.json | PACK... [--script FILE] [--screenshot PNG] [--size WxH]\n"
                 "       [--output DIR] [--headless] [--language en|zh] [--ui-scale F] [--quality PIXELS]\n"
                 "       [--no-vsync] [--validation]\n");
    return 2;
}

}  // namespace

std::expected<Options, int> parseOptions(int argc, char** argv) {
    Options o;
    o.settings.language.clear();  // the exhibit's first language unless --language says otherwise
    const char* env = std::getenv("VITRINE_VALIDATION");
    o.validation = env && std::strcmp(env, "1") == 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (arg == "--help" || arg == "-h") return std::unexpected(usage(nullptr));
        else if (arg == "--script" && (v = value())) o.script = v;
        else if (arg == "--screenshot" && (v = value())) o.screenshot = v;
        else if (arg == "--output" && (v = value())) o.output = v;
        else if (arg == "--language" && (v = value())) o.settings.language = v;
        else if (arg == "--ui-scale" && (v = value())) o.settings.uiScale = std::clamp(float(std::atof(v)), 0.5f, 4.0f);
        else if (arg == "--quality" && (v = value())) o.settings.quality = std::clamp(float(std::atof(v)), 0.25f, 64.0f);
        else if (arg == "--size" && (v = value())) {
            unsigned w = 0, h = 0;
            if (std::sscanf(v, "%ux%u", &w, &h) != 2 || w < 64 || h < 64 || w > 8192 || h > 8192)
                return std::unexpected(usage("--size takes WxH, e.g. 1280x800 (64 to 8192)"));
            o.size = {w, h};
        } else if (arg == "--headless") o.headless = true;
        else if (arg == "--no-vsync") o.settings.vsync = false;
        else if (arg == "--validation") o.validation = true;
        else if (arg.starts_with("--")) return std::unexpected(usage(std::format("unknown or incomplete option {}", arg).c_str()));
        else o.inputs.push_back(arg);
    }
    if (o.inputs.empty()) return std::unexpected(usage("give an exhibit file or one or more packs"));
    return o;
}

}  // namespace vt::viewer
