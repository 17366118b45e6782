#pragma once
// `vitrine import-scan SCAN... -o ARTIFACT.vpk`: scans in, one streaming artifact pack out.

#include <CLI/CLI.hpp>

namespace vt::cli {

void addImportCommand(CLI::App& app, int& exitCode);

}  // namespace vt::cli
