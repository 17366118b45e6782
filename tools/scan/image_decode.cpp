#include "image_decode.h"

#include <cstring>
#include <fstream>
#include <limits>

#include <stb_image.h>

namespace vt::scan {

Result<asset::Image> decodeImage(std::span<const uint8_t> bytes, std::string name) {
    if (bytes.empty()) return fail("image '{}' is empty", name);
    if (bytes.size() > size_t(std::numeric_limits<int>::max())) return fail("image '{}' is too large", name);
    int width = 0, height = 0, channels = 0;
    const int size = int(bytes.size());
    if (!stbi_info_from_memory(bytes.data(), size, &width, &height, &channels))
        return fail("image '{}' could not be decoded ({})", name, stbi_failure_reason());
    // 16k x 16k RGBA is 1 GiB: anything larger is a lying header, not a texture.
    constexpr int kMaxDimension = 16384;
    if (width <= 0 || height <= 0 || width > kMaxDimension || height > kMaxDimension)
        return fail("image '{}' has unsupported size {}x{}", name, width, height);
    stbi_uc* pixels = stbi_load_from_memory(bytes.data(), size, &width, &height, &channels, 4);
    if (!pixels) return fail("image '{}' could not be decoded ({})", name, stbi_failure_reason());
    asset::Image image;
    image.name = std::move(name);
    image.width = uint32_t(width);
    image.height = uint32_t(height);
    image.rgba.assign(pixels, pixels + size_t(width) * size_t(height) * 4);
    stbi_image_free(pixels);
    // JPEG (start-of-image marker, then any marker): kept, so the converter can store the scan's own
    // stream instead of encoding the texels a second time.
    if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff) image.jpeg.assign(bytes.begin(), bytes.end());
    return image;
}

Result<asset::Image> loadImageFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return fail("texture '{}' not found", path.string());
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail("texture '{}' cannot be opened", path.string());
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return decodeImage(bytes, path.filename().string());
}

}  // namespace vt::scan
