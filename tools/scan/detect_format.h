#pragma once
// Which importer reads a file: by magic bytes first, by extension second.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace vt::scan {

enum class Format : uint8_t {
    Unknown,
    Gltf,    // JSON glTF 2.0
    Glb,     // binary glTF container
    Ply,
    Stl,     // ascii or binary; read by Assimp
    Fbx,     // read by Assimp
    Assimp,  // any other extension Assimp claims (OBJ, DAE, 3DS, ...)
};

// head: the first bytes of the file (up to 256 suffice); fileSize: its full size.
Format detectFormat(const std::filesystem::path& path, std::span<const uint8_t> head, uint64_t fileSize);

std::string_view formatName(Format format);

// One line listing what importScan reads, for "unknown format" messages.
std::string_view supportedFormatsText();

}  // namespace vt::scan
