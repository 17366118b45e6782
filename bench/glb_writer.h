#pragma once
// A minimal, uncompressed GLB writer for benchmark inputs: every peer reads plain glTF, while
// gltfpack cannot read Draco. Positions, normals, optional texcoords, 32-bit indices; no textures.

#include <filesystem>

#include "asset/model.h"
#include "core/result.h"

namespace vt::bench {

Result<void> writePlainGlb(const std::filesystem::path& path, const asset::Model& model);

// Splits every triangle into four at its edge midpoints (shared midpoints, so the mesh stays
// connected), `times` times: a real scan at 4^times its triangle count.
asset::Model subdivide(const asset::Model& model, int times);

}  // namespace vt::bench
