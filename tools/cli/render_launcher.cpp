#include "render_launcher.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/log.h"

namespace vt::cli {
namespace {

// The renderer lives next to this executable (the build folder, or an installed bin/).
std::filesystem::path rendererPath() {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (ec ? std::filesystem::path("vitrine") : self).parent_path() / "vitrine-render";
}

int execRenderer(const std::vector<std::string>& arguments) {
    const std::filesystem::path renderer = rendererPath();
    std::vector<std::string> argv{renderer.string(), "render"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::vector<char*> pointers;
    for (std::string& argument : argv) pointers.push_back(argument.data());
    pointers.push_back(nullptr);
    std::fflush(nullptr);
    ::execv(renderer.c_str(), pointers.data());
    log::error("{}: cannot start the renderer: {} (vitrine render needs vitrine-render beside vitrine)",
               renderer.string(), std::strerror(errno));
    return 1;
}

}  // namespace

void addRenderLauncher(CLI::App& app, int& exitCode) {
    CLI::App* command = app.add_subcommand(
        "render", "Render a scan, model or pack to a PNG, framed and lit automatically (runs vitrine-render; "
                  "`vitrine render --help` lists its options)");
    // Everything after `render`, --help included, belongs to vitrine-render.
    command->prefix_command();
    command->set_help_flag();
    command->callback([command, &exitCode] { exitCode = execRenderer(command->remaining()); });
}

}  // namespace vt::cli
