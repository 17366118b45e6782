#include "viewer/capture.h"

#include <cstdio>
#include <filesystem>
#include <format>

#include "asset/image_io.h"

namespace vt::viewer {

void Capture::request(std::string path, int delayFrames) {
    path_ = std::move(path);
    delay_ = delayFrames;
}

void Capture::cancel() {
    path_.clear();
    delay_ = -1;
}

void Capture::frameDrawn() {
    if (delay_ > 0) --delay_;
}

std::optional<std::string> Capture::write(const asset::Image& shot) {
    std::string path = std::exchange(path_, {});
    delay_ = -1;
    if (path.empty()) path = std::format("out/screenshots/vitrine-{:03}.png", ++count_);
    std::error_code error;
    if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty())
        std::filesystem::create_directories(parent, error);
    if (auto written = asset::writePng(path, shot); !written) return written.error().message;
    std::printf("screenshot: %s\n", path.c_str());
    std::fflush(stdout);
    return std::nullopt;
}

}  // namespace vt::viewer
