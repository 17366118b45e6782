#pragma once
// `vitrine render ...` runs `vitrine-render`, the executable beside `vitrine` that draws.
//
// Rendering is the only command that needs Vulkan. Keeping it in its own executable lets the
// converter and the collection tools (import-scan, pack, collection, exhibit: what deploy/ runs on
// cluster nodes) link no Vulkan at all, so they start on a machine with no GPU driver.

#include <CLI/CLI.hpp>

namespace vt::cli {

// Adds a `render` subcommand that passes every argument after it to `vitrine-render render ...`
// (replacing this process). `exitCode` receives 1 if that executable cannot be started.
void addRenderLauncher(CLI::App& app, int& exitCode);

}  // namespace vt::cli
