#include "import.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <vector>

#include "assimp_importer.h"
#include "detect_format.h"
#include "gltf_importer.h"
#include "isolated_process.h"
#include "normalize.h"
#include "ply_reader.h"
#include "point_cloud_import.h"

namespace vt::scan {
namespace {

namespace fs = std::filesystem;

// Bytes read to detect the format: binary STL needs 84, glTF JSON needs its first keys.
constexpr size_t kHeadBytes = 512;

Result<std::vector<uint8_t>> readFile(const fs::path& path, std::string_view label, uint64_t maxBytes) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail("{}: cannot be opened for reading: {}", label, std::strerror(errno));
    std::vector<uint8_t> bytes(static_cast<size_t>(maxBytes));
    file.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
    bytes.resize(size_t(file.gcount()));
    if (file.bad()) return fail("{}: read error", label);
    return bytes;
}

}  // namespace

std::chrono::milliseconds parserDeadlineFor(uint64_t bytes) {
    const double mib = double(bytes) / double(1 << 20);
    const double ms = double(kParserDeadlineBase.count()) + mib * double(kParserDeadlinePerMiB.count());
    return std::chrono::milliseconds(int64_t(std::min(ms, double(kParserDeadlineMax.count()))));
}

Result<asset::Model> importScan(const fs::path& path, const ImportOptions& options) {
    const std::string label = path.string();
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        if (ec && ec != std::errc::no_such_file_or_directory) return fail("{}: cannot be accessed: {}", label, ec.message());
        return fail("{}: file not found", label);
    }
    if (fs::is_directory(status)) return fail("{}: is a directory, not a model file", label);
    if (!fs::is_regular_file(status)) return fail("{}: is not a regular file", label);
    const uint64_t size = fs::file_size(path, ec);
    if (ec) return fail("{}: cannot read its size: {}", label, ec.message());
    if (size == 0) return fail("{}: file is empty", label);

    Result<std::vector<uint8_t>> head = readFile(path, label, std::min<uint64_t>(size, kHeadBytes));
    if (!head) return std::unexpected(head.error());
    const Format format = detectFormat(path, *head, size);

    const std::chrono::milliseconds deadline = options.parserTimeout.value_or(parserDeadlineFor(size));
    Result<asset::Model> model = fail("{}: not imported", label);
    switch (format) {
        case Format::Unknown:
            if (detectPointCloud(path, *head) != PointCloudFormat::None)
                return fail("{}: a point cloud (LAS, LAZ, COPC or E57): point clouds are read but not yet converted or "
                            "drawn (`vitrine import-scan` prints its summary)",
                            label);
            return fail("{}: unknown file format (the content is not glTF, GLB, PLY, STL or FBX, and the extension "
                        "'{}' is not one we read); {}",
                        label, path.extension().string(), supportedFormatsText());
        case Format::Ply: {
            // Our own parser: exact, bounds-checked, so it runs in-process.
            Result<std::vector<uint8_t>> bytes = readFile(path, label, size);
            if (!bytes) return std::unexpected(bytes.error());
            model = parsePly(*bytes, label, path.parent_path());
            break;
        }
        case Format::Gltf:
        case Format::Glb:
            model = runIsolated({label, "the glTF importer (tinygltf)", deadline},
                                [&] { return importGltf(path, label); });
            break;
        case Format::Stl:
        case Format::Fbx:
        case Format::Assimp:
            model = runIsolated({label, "the Assimp importer", deadline},
                                [&] { return importWithAssimp(path, label); });
            break;
    }
    if (!model) return model;
    model->source = label;
    if (Result<void> normalized = normalizeModel(*model, label); !normalized) return std::unexpected(normalized.error());
    return model;
}

}  // namespace vt::scan
