#pragma once
// The scan converter: scan files in, one artifact pack out.
//
// import (tools/scan) -> merge -> cluster LOD hierarchy (tools/lod) -> texture block compression
// (texture_compress) -> pack writer (engine/pack, atomic). Several input files, or several meshes in
// one file, become one artifact with all their materials.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/gtc/quaternion.hpp>

#include "core/result.h"
#include "pack/pack_writer.h"
#include "texture_compress.h"
#include "tools/lod/cluster_lod_builder.h"
#include "tools/scan/import.h"

namespace vt::convert {

struct ConvertOptions {
    scan::ImportOptions import;
    lod::LodOptions lod;
    pack::WriteOptions write;
    // Millimetres per model unit; 0 = from the format (glTF: metres; others: millimetres, the usual
    // unit of scanner exports).
    float millimetresPerUnit = 0.0f;
    glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};  // model -> Y-up
    uint32_t maxTextureSize = 0;  // cap on the top mip's larger side; 0 keeps the source size
    texture::WireOptions wire;    // how each texture usage's mips are stored (JPEG, WebP, zstd over blocks)
    std::string name;             // display name; default: the first input's file stem
    // Called on the calling thread: the stage ("import", "hierarchy", "textures", "write") and the
    // overall progress in [0, 1].
    std::function<void(std::string_view stage, float progress01)> progress;
};

struct TextureSummary {
    pack::TextureFormat format;
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t mips = 0;
    uint64_t storedBytes = 0;  // in the pack, all mips
    uint64_t blockBytes = 0;   // the same mips as GPU blocks
    pack::MipEncoding topEncoding = pack::MipEncoding::Raw;  // mip 0's
};

struct ConvertSummary {
    size_t inputTriangles = 0;
    size_t inputVertices = 0;
    size_t inputFiles = 0;
    uint32_t materials = 0;
    uint32_t levels = 0;
    std::vector<size_t> trianglesPerLevel;
    pack::WriteStats pack;
    std::vector<TextureSummary> textures;
    double importSeconds = 0, hierarchySeconds = 0, textureSeconds = 0, writeSeconds = 0, totalSeconds = 0;
    uint64_t peakMemoryBytes = 0;  // this process and its importer children
    float millimetresPerUnit = 0.0f;
};

Result<ConvertSummary> convertScans(const std::vector<std::filesystem::path>& inputs,
                                    const std::filesystem::path& output, const ConvertOptions& options);

// A one-screen summary for the terminal.
std::string formatSummary(const ConvertSummary& summary, const std::filesystem::path& output);

}  // namespace vt::convert
