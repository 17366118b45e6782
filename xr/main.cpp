// vitrine-xr: an exhibit in a headset. See xr_app.h and docs/xr.md.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "xr/xr_app.h"

int main(int argc, char** argv) {
    vt::xr::AppOptions options;
    CLI::App cli{"vitrine-xr: walk through an exhibit in an OpenXR headset"};
    cli.add_option("exhibit", options.exhibitPath, "exhibit JSON file, or one artifact pack (.vpk)")->required();
    cli.add_option("--frames", options.frames, "submit this many frames, then ask the runtime to end the session (0: run until it ends)");
    cli.add_option("--capture-frame", options.captureFrame, "write both eyes of this frame (the first settled one from it) as PNGs");
    cli.add_option("--capture-dir", options.captureDir, "folder for left.png and right.png");
    std::string headPath = "tracked";
    cli.add_option("--head-path", headPath, "tracked (the runtime's head pose) or scripted (a fixed path by frame, for tests)")
        ->check(CLI::IsMember({"tracked", "scripted"}));
    std::string inputScript;
    cli.add_flag("--input-script{interact}", inputScript,
                 "replace the controllers by a fixed sequence (tests): interact (the default: teleport, snap turn, grab and release, "
                 "recentre, point and select) or, as --input-script=tour with --tour, the tour's controls (previous, next, pause, resume)")
        ->check(CLI::IsMember({"interact", "tour"}));
    cli.add_flag("--validation", options.validation, "Vulkan validation; any error or warning makes the exit code 1");
    cli.add_option("--eye-size", [&](const CLI::results_t& r) {
        return std::sscanf(r[0].c_str(), "%ux%u", &options.eyeWidth, &options.eyeHeight) == 2;
    }, "swapchain size per eye, WxH (default: the runtime's recommendation)");
    cli.add_option("--msaa", options.msaa, "MSAA samples (1 disables)");
    cli.add_option("--language", options.language, "labels and tour text: en or zh")->check(CLI::IsMember({"en", "zh"}));
    std::string mode = "gallery";
    cli.add_option("--mode", mode, "gallery, or ar: one artifact on a virtual plinth without the room (see-through when the runtime offers it)")
        ->check(CLI::IsMember({"gallery", "ar"}));
    cli.add_option("--ar-artifact", options.arArtifact, "artifact id shown in AR mode (default: the first)");
    cli.add_option("--snap-turn", options.comfort.snapTurnDegrees, "snap turn angle, degrees");
    cli.add_flag("--seated", options.comfort.seated, "seated: raise the view to the exhibit's standing eye height");
    cli.add_option("--vignette", options.comfort.vignetteStrength, "vignette strength while moving, 0 (off) to 1");
    std::string panels = "auto";
    cli.add_option("--panels", panels, "label panels: auto (quad layers where the runtime has room), quad, scene (drawn in the scene), off")
        ->check(CLI::IsMember({"auto", "quad", "scene", "off"}));
    cli.add_flag("--tour", options.tour, "start the exhibit's guided tour: each stop's place and caption; point at nothing and select for the next");
    cli.add_option("--open-label", options.openLabel, "artifact id whose label panel is open from the start");
    cli.add_option("--retry", options.retrySeconds, "after losing the runtime, wait this many seconds for it to come back and start again (0: exit)");
    cli.add_option("--idle-timeout", options.idleTimeoutSeconds, "seconds to wait for the session to start before giving up");
    CLI11_PARSE(cli, argc, argv);
    options.scriptedHead = headPath == "scripted";
    options.inputScript = inputScript == "tour"       ? vt::xr::InputScript::Tour
                          : inputScript == "interact" ? vt::xr::InputScript::Interact
                                                      : vt::xr::InputScript::None;
    options.mode = mode == "ar" ? vt::xr::Mode::Ar : vt::xr::Mode::Gallery;
    options.comfort.vignette = options.comfort.vignetteStrength > 0.0f;
    options.panelMode = panels == "quad"    ? vt::xr::PanelMode::Quad
                        : panels == "scene" ? vt::xr::PanelMode::Scene
                        : panels == "off"   ? vt::xr::PanelMode::Off
                                            : vt::xr::PanelMode::Auto;
    return vt::xr::runApp(options);
}
