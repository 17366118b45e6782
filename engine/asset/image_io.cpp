#include "asset/image_io.h"

#include <cstdio>
#include <system_error>

#include <stb_image.h>
#include <stb_image_write.h>

namespace vt::asset {

Result<void> writePng(const std::filesystem::path& path, const Image& image) {
    if (image.width == 0 || image.height == 0 || image.rgba.size() != size_t(image.width) * image.height * 4)
        return fail("{}: cannot write a {}x{} image with {} bytes", path.string(), image.width, image.height,
                    image.rgba.size());
    std::filesystem::path temp = path;
    temp += ".partial";
    const int stride = static_cast<int>(image.width * 4);
    if (!stbi_write_png(temp.c_str(), static_cast<int>(image.width), static_cast<int>(image.height), 4,
                        image.rgba.data(), stride)) {
        std::filesystem::remove(temp);
        return fail("{}: could not write PNG (is the folder writable?)", path.string());
    }
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) {
        std::filesystem::remove(temp);
        return fail("{}: could not move the finished PNG into place: {}", path.string(), error.message());
    }
    return {};
}

Result<Image> readImage(const std::filesystem::path& path) {
    int width = 0, height = 0, channels = 0;
    stbi_uc* pixels = stbi_load(path.c_str(), &width, &height, &channels, 4);
    if (!pixels) return fail("{}: cannot read image: {}", path.string(), stbi_failure_reason());
    Image image;
    image.name = path.filename().string();
    image.width = static_cast<uint32_t>(width);
    image.height = static_cast<uint32_t>(height);
    image.rgba.assign(pixels, pixels + size_t(width) * height * 4);
    stbi_image_free(pixels);
    return image;
}

}  // namespace vt::asset
