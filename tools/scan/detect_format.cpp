#include "detect_format.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include <assimp/Importer.hpp>

namespace vt::scan {
namespace {

bool startsWith(std::span<const uint8_t> head, std::string_view magic) {
    return head.size() >= magic.size() && std::memcmp(head.data(), magic.data(), magic.size()) == 0;
}

std::string lowerExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::ranges::transform(ext, ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

// A JSON document whose first non-blank byte is '{' and which mentions "asset" early is glTF.
bool looksLikeGltfJson(std::span<const uint8_t> head) {
    size_t i = 0;
    if (startsWith(head, "\xEF\xBB\xBF")) i = 3;  // UTF-8 BOM
    while (i < head.size() && std::isspace(head[i])) ++i;
    if (i >= head.size() || head[i] != '{') return false;
    std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    return text.find("\"asset\"") != std::string_view::npos || text.find("\"scene") != std::string_view::npos ||
           text.find("\"accessors\"") != std::string_view::npos || text.find("\"buffers\"") != std::string_view::npos;
}

}  // namespace

Format detectFormat(const std::filesystem::path& path, std::span<const uint8_t> head, uint64_t fileSize) {
    if (startsWith(head, "glTF")) return Format::Glb;
    if (startsWith(head, "ply\n") || startsWith(head, "ply\r\n")) return Format::Ply;
    if (startsWith(head, "Kaydara FBX Binary")) return Format::Fbx;
    // Binary STL: an 80-byte header, a triangle count, then exactly 50 bytes per triangle.
    if (fileSize >= 84 && head.size() >= 84) {
        uint32_t triangles = 0;
        std::memcpy(&triangles, head.data() + 80, 4);
        if (fileSize == 84 + uint64_t(triangles) * 50) return Format::Stl;
    }
    if (startsWith(head, "solid") && fileSize > 5 && (head.size() <= 5 || std::isspace(head[5]))) return Format::Stl;
    if (looksLikeGltfJson(head)) return Format::Gltf;

    const std::string ext = lowerExtension(path);
    if (ext == ".gltf") return Format::Gltf;
    if (ext == ".glb") return Format::Glb;
    if (ext == ".ply") return Format::Ply;
    if (ext == ".stl") return Format::Stl;
    if (ext == ".fbx") return Format::Fbx;
    // Asking Assimp about an extension parses nothing, so it is safe in-process.
    if (!ext.empty() && Assimp::Importer().IsExtensionSupported(ext)) return Format::Assimp;
    return Format::Unknown;
}

std::string_view formatName(Format format) {
    switch (format) {
        case Format::Unknown: return "unknown";
        case Format::Gltf: return "glTF";
        case Format::Glb: return "GLB";
        case Format::Ply: return "PLY";
        case Format::Stl: return "STL";
        case Format::Fbx: return "FBX";
        case Format::Assimp: return "Assimp";
    }
    return "unknown";
}

std::string_view supportedFormatsText() {
    return "supported formats: glTF 2.0 (.gltf, .glb, Draco), PLY (.ply), OBJ (.obj), STL (.stl), FBX (.fbx) "
           "and the other formats Assimp reads (.dae, .3ds, .off, ...)";
}

}  // namespace vt::scan
