// vitrine: the command-line tool for curators and pipelines. Links no Vulkan: `render` runs
// vitrine-render (render_launcher.h).
#include <CLI/CLI.hpp>

#include "collection_command.h"
#include "import_command.h"
#include "pack_command.h"
#include "render_launcher.h"

int main(int argc, char** argv) {
    CLI::App app{"Vitrine: virtual museum tools"};
    app.require_subcommand(1);
    int exitCode = 0;
    vt::cli::addRenderLauncher(app, exitCode);
    vt::cli::addImportCommand(app, exitCode);
    vt::cli::addPackCommand(app, exitCode);
    vt::cli::addCollectionCommand(app, exitCode);
    vt::cli::addExhibitCommand(app, exitCode);
    CLI11_PARSE(app, argc, argv);
    return exitCode;
}
