#pragma once
// `vitrine collection import|search|show|convert` and `vitrine exhibit generate|validate`:
// museum records into a catalog, scans into packs, catalog queries into walkable exhibits.

#include <CLI/CLI.hpp>

namespace vt::cli {

void addCollectionCommand(CLI::App& app, int& exitCode);
void addExhibitCommand(CLI::App& app, int& exitCode);

}  // namespace vt::cli
