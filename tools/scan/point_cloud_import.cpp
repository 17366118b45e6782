#include "point_cloud_import.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <format>
#include <fstream>
#include <vector>

#include "e57_reader.h"
#include "las_reader.h"
#include "ply_reader.h"

namespace vt::scan {
namespace {

namespace fs = std::filesystem;

// Enough for any real PLY header (the PLY reader allows up to 1 MiB; ours are a few hundred bytes).
constexpr size_t kHeadBytes = 64 * 1024;

bool startsWith(std::span<const uint8_t> head, std::string_view magic) {
    return head.size() >= magic.size() && std::memcmp(head.data(), magic.data(), magic.size()) == 0;
}

Result<std::vector<uint8_t>> readBytes(const fs::path& path, uint64_t maxBytes) {
    const std::string label = path.string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return fail("{}: not found or not a regular file", label);
    const uint64_t size = fs::file_size(path, ec);
    if (ec) return fail("{}: cannot read its size: {}", label, ec.message());
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail("{}: cannot be opened for reading: {}", label, std::strerror(errno));
    std::vector<uint8_t> bytes(size_t(std::min(size, maxBytes)));
    file.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
    bytes.resize(size_t(file.gcount()));
    if (file.bad()) return fail("{}: read error", label);
    return bytes;
}

std::string extensionOf(const fs::path& path) {
    std::string ext = path.extension().string();
    std::ranges::transform(ext, ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

}  // namespace

PointCloudFormat detectPointCloud(const fs::path& path, std::span<const uint8_t> head) {
    if (startsWith(head, "LASF")) return PointCloudFormat::Las;
    if (startsWith(head, "ASTM-E57")) return PointCloudFormat::E57;
    if (startsWith(head, "ply")) return plyIsPointCloud(head) ? PointCloudFormat::Ply : PointCloudFormat::None;
    const std::string ext = extensionOf(path);
    if (ext == ".las" || ext == ".laz") return PointCloudFormat::Las;
    if (ext == ".e57") return PointCloudFormat::E57;
    return PointCloudFormat::None;
}

bool isPointCloudFile(const fs::path& path) {
    Result<std::vector<uint8_t>> head = readBytes(path, kHeadBytes);
    return head && detectPointCloud(path, *head) != PointCloudFormat::None;
}

Result<asset::PointCloud> readPointCloud(const fs::path& path) {
    const std::string label = path.string();
    Result<std::vector<uint8_t>> bytes = readBytes(path, UINT64_MAX);
    if (!bytes) return std::unexpected(bytes.error());
    if (bytes->empty()) return fail("{}: file is empty", label);
    switch (detectPointCloud(path, std::span(*bytes).first(std::min(bytes->size(), kHeadBytes)))) {
        case PointCloudFormat::Las: return readLas(*bytes, label);
        case PointCloudFormat::E57: return readE57(*bytes, label);
        case PointCloudFormat::Ply: return parsePlyPoints(*bytes, label);
        case PointCloudFormat::None: break;
    }
    return fail("{}: not a point cloud we read (LAS, LAZ, COPC, E57, or PLY with vertices and no faces)", label);
}

std::string describePointCloud(const asset::PointCloud& cloud) {
    const asset::DoubleBounds& b = cloud.bounds;
    std::string text = std::format("{}: {} point cloud, {} points\n", cloud.source, cloud.metadata.format, cloud.pointCount());
    text += std::format("  bounds  min ({:.3f}, {:.3f}, {:.3f})  max ({:.3f}, {:.3f}, {:.3f})\n", b.min.x, b.min.y,
                        b.min.z, b.max.x, b.max.y, b.max.z);
    text += std::format("  size    {:.3f} x {:.3f} x {:.3f} (file units)\n", b.size().x, b.size().y, b.size().z);
    std::string attributes;
    if (!cloud.colors.empty()) attributes += " rgb";
    if (!cloud.intensity.empty()) attributes += " intensity";
    if (!cloud.classification.empty()) attributes += " classification";
    text += std::format("  attributes{}\n", attributes.empty() ? std::string(" none") : attributes);
    if (!cloud.metadata.crsWkt.empty())
        text += std::format("  crs     {}\n", cloud.metadata.crsWkt.substr(0, 72) + (cloud.metadata.crsWkt.size() > 72 ? "..." : ""));
    else if (cloud.metadata.hasGeoTiffKeys)
        text += "  crs     given as GeoTIFF keys\n";
    if (cloud.metadata.octreeNodes > 0)
        text += std::format("  octree  {} nodes with points in {} levels, root spacing {:.4f} (streamable as it is)\n",
                            cloud.metadata.octreeNodes, cloud.metadata.octreeLevels, cloud.metadata.octreeRootSpacing);
    if (cloud.scans.size() > 1) text += std::format("  scans   {}\n", cloud.scans.size());
    return text;
}

}  // namespace vt::scan
