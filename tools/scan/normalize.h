#pragma once
// The one place every imported model is checked and brought to the guarantees of asset/model.h.
//
// Errors (one line, starting with `label`): non-finite position (mesh and vertex index), index out
// of range, index count not a multiple of 3, malformed images, no triangles left ("empty mesh").
// Repairs: drops degenerate triangles (an index used twice) and meshes left without triangles;
// replaces absent or invalid normals with smooth area-weighted normals computed on vertices welded
// by position (so UV seams do not show as creases); renormalizes; drops attribute arrays of the
// wrong length or with non-finite values; adds a default material if none; clamps material and
// texture indices.

#include <string_view>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

Result<void> normalizeModel(asset::Model& model, std::string_view label);

// Smooth normals for one mesh, area-weighted, welded by exact position. Exposed for tests.
std::vector<glm::vec3> smoothNormals(const asset::Mesh& mesh);

}  // namespace vt::scan
