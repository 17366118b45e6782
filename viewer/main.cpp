// vitrine-viewer: walk an exhibit on a desktop, follow its tour, search and inspect its objects.
//
//   vitrine-viewer EXHIBIT.json | PACK... [--script FILE] [--screenshot PNG] [--size WxH] [--output DIR]
//                  [--headless] [--language en|zh] [--ui-scale F] [--quality PIXELS] [--no-vsync] [--validation]
//
// Without a display (no DISPLAY, glfwInit fails) or with --headless it renders each tour stop to
// DIR/stop-NN.png (default out/tour) once streaming has settled, and prints the paths; with --script
// it runs the script offscreen instead. How it is put together: docs/viewer.md.
#include "viewer/options.h"
#include "viewer/runner.h"

int main(int argc, char** argv) {
    auto options = vt::viewer::parseOptions(argc, argv);
    if (!options) return options.error();
    vt::viewer::Runner runner(std::move(*options));
    return runner.run();
}
