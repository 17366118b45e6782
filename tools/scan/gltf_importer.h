#pragma once
// glTF 2.0 / GLB import with tinygltf and Draco (KHR_draco_mesh_compression).
//
// Every primitive of every mesh instanced by the scene's nodes becomes one asset::Mesh, in world
// space (normals by the inverse-transpose, winding flipped under a mirroring transform). Triangle
// strips and fans become lists; points and lines are skipped. A scene without nodes uses the
// meshes as they are. Materials map field by field; textures used by materials are decoded to
// RGBA8. Every accessor is bounds-checked against its buffer before it is read.
//
// Third-party code on untrusted bytes: importScan runs this in a child process (isolated_process.h).

#include <filesystem>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

// label starts error messages.
Result<asset::Model> importGltf(const std::filesystem::path& path, std::string_view label);

}  // namespace vt::scan
