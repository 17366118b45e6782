#pragma once
// `vitrine render MODEL --out shot.png`: a headless, automatically framed and lit picture of a scan.

#include <CLI/CLI.hpp>

namespace vt::cli {

// Adds the `render` subcommand to `app`; `exitCode` receives its result when it runs.
void addRenderCommand(CLI::App& app, int& exitCode);

}  // namespace vt::cli
