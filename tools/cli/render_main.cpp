// vitrine-render: the part of the `vitrine` command that draws (`vitrine render` runs it), in its
// own executable so the converter and collection tools link no Vulkan (render_launcher.h).
#include <CLI/CLI.hpp>

#include "render_command.h"

int main(int argc, char** argv) {
    CLI::App app{"Vitrine: render a scan, model or pack to a PNG"};
    app.require_subcommand(1);
    int exitCode = 0;
    vt::cli::addRenderCommand(app, exitCode);
    CLI11_PARSE(app, argc, argv);
    return exitCode;
}
