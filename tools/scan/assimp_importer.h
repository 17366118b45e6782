#pragma once
// Import with Assimp 5.4: OBJ+MTL, STL, FBX and every other format it reads.
//
// Triangulates, drops points and lines, joins identical vertices and bakes node transforms. Does
// not generate normals (Assimp's GenNormals splits vertices; normalize.cpp welds instead). Maps
// materials to metallic-roughness (diffuse -> base colour; PBR keys when present) and loads their
// textures, embedded or relative to the model file; a missing texture file is an error naming it.
//
// Assimp segfaults or hangs on some malformed files: importScan runs this in a child process.

#include <filesystem>
#include <string_view>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

Result<asset::Model> importWithAssimp(const std::filesystem::path& path, std::string_view label);

}  // namespace vt::scan
