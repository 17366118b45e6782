#pragma once
// `vitrine pack inspect FILE` and `vitrine pack verify FILE`.

#include <CLI/CLI.hpp>

namespace vt::cli {

void addPackCommand(CLI::App& app, int& exitCode);

}  // namespace vt::cli
