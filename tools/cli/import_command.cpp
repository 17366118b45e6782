#include "import_command.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include <glm/gtc/quaternion.hpp>

#include "convert_scan.h"
#include "core/log.h"
#include "tools/scan/point_cloud_import.h"
#include "view_spec.h"

namespace vt::cli {

namespace {

struct ImportOptions {
    std::vector<std::string> inputs;
    std::string output;
    std::string units;
    std::string up = "y";
    std::string uvSeams = "auto";
    std::string name;
    uint32_t maxTexture = 0;
    int compression = 9;
    uint32_t rootPageKiB = 32;
    double parserTimeoutSeconds = 0.0;  // 0: scaled with each file's size
};

// A single-line progress bar redrawn in place; only on a terminal, so logs stay clean.
class ProgressBar {
public:
    ProgressBar() : enabled_(isatty(STDERR_FILENO) != 0) {}
    ~ProgressBar() { finish(); }
    void update(std::string_view stage, float progress) {
        if (!enabled_) return;
        constexpr int kWidth = 32;
        const int filled = int(std::lround(std::clamp(progress, 0.0f, 1.0f) * kWidth));
        std::fprintf(stderr, "\r  %-10.*s [%s%s] %3d%%", int(stage.size()), stage.data(),
                     std::string(size_t(filled), '#').c_str(), std::string(size_t(kWidth - filled), '.').c_str(),
                     int(std::lround(progress * 100.0f)));
        std::fflush(stderr);
        drawn_ = true;
    }
    void finish() {
        if (drawn_) std::fprintf(stderr, "\n");
        drawn_ = false;
    }

private:
    bool enabled_;
    bool drawn_ = false;
};

Result<float> parseUnits(const std::string& units) {
    if (units.empty()) return 0.0f;
    if (units == "mm") return 1.0f;
    if (units == "cm") return 10.0f;
    if (units == "m") return 1000.0f;
    if (units == "in") return 25.4f;
    return fail("--units '{}': expected mm, cm, m or in", units);
}

// Point clouds are read (tools/scan) but not yet converted: say so, with what was read.
// Returns the exit code, or nothing when no input is a point cloud.
std::optional<int> reportPointClouds(const std::vector<std::string>& inputs) {
    std::vector<std::string> clouds;
    for (const std::string& input : inputs)
        if (scan::isPointCloudFile(input)) clouds.push_back(input);
    if (clouds.empty()) return std::nullopt;
    for (const std::string& input : clouds) {
        const auto start = std::chrono::steady_clock::now();
        Result<asset::PointCloud> cloud = scan::readPointCloud(input);
        if (!cloud) {
            log::error("{}", cloud.error().message);
            return 1;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s  read in %.2f s (%.1f M points/s)\n", scan::describePointCloud(*cloud).c_str(), seconds,
                    double(cloud->pointCount()) / std::max(seconds, 1e-9) / 1e6);
    }
    log::error("{}: point clouds are read but not yet converted into packs; no pack was written", clouds.front());
    return 1;
}

int runImport(const ImportOptions& options) {
    if (std::optional<int> code = reportPointClouds(options.inputs)) return *code;
    convert::ConvertOptions convertOptions;
    auto units = parseUnits(options.units);
    auto up = parseUpAxis(options.up);
    if (!units || !up) {
        log::error("{}", (!units ? units.error() : up.error()).message);
        return 2;
    }
    if (options.uvSeams == "preserve") convertOptions.lod.uvSeams = lod::UvSeams::Preserve;
    else if (options.uvSeams == "collapse") convertOptions.lod.uvSeams = lod::UvSeams::Collapse;
    else if (options.uvSeams == "auto") convertOptions.lod.uvSeams = lod::UvSeams::CollapseWhenStuck;
    else {
        log::error("--uv-seams '{}': expected preserve, collapse or auto", options.uvSeams);
        return 2;
    }
    convertOptions.millimetresPerUnit = *units;
    convertOptions.orientation = glm::quat_cast(glm::mat3(*up));
    convertOptions.maxTextureSize = options.maxTexture;
    convertOptions.write.zstdLevel = options.compression;
    convertOptions.write.rootPageBytes = options.rootPageKiB * 1024;
    convertOptions.name = options.name;
    if (options.parserTimeoutSeconds > 0.0)
        convertOptions.import.parserTimeout = std::chrono::milliseconds(int64_t(options.parserTimeoutSeconds * 1000.0));
    ProgressBar bar;
    convertOptions.progress = [&](std::string_view stage, float progress) { bar.update(stage, progress); };
    std::vector<std::filesystem::path> inputs(options.inputs.begin(), options.inputs.end());
    auto summary = convert::convertScans(inputs, options.output, convertOptions);
    bar.finish();
    if (!summary) {
        log::error("{}", summary.error().message);
        return 1;
    }
    std::printf("%s", convert::formatSummary(*summary, options.output).c_str());
    return 0;
}

}  // namespace

void addImportCommand(CLI::App& app, int& exitCode) {
    auto options = std::make_shared<ImportOptions>();
    CLI::App* command = app.add_subcommand("import-scan", "Convert scans into one streaming artifact pack");
    command->add_option("scans", options->inputs, "glTF/GLB (incl. Draco), OBJ, PLY, STL, FBX, ...; point clouds (LAS, LAZ, COPC, E57, vertex-only PLY) are read and summarized, not yet converted")->required();
    command->add_option("-o,--out", options->output, "artifact pack to write (.vpk)")->required();
    command->add_option("--units", options->units, "model units: mm, cm, m or in (default: m for glTF, else mm)");
    command->add_option("--up", options->up, "the model's up axis: y, z, -y, -z, x, -x")->capture_default_str();
    command->add_option("--uv-seams", options->uvSeams,
                        "preserve, collapse, or auto (collapse seams only where they stall simplification)")
        ->capture_default_str();
    command->add_option("--max-texture", options->maxTexture, "cap texture size (pixels, 0 = keep)")
        ->capture_default_str();
    command->add_option("--name", options->name, "display name (default: the first file's name)");
    command->add_option("--compression", options->compression, "zstd level for geometry pages, 1..22")
        ->capture_default_str()
        ->check(CLI::Range(1, 22));
    command->add_option("--root-page-kib", options->rootPageKiB,
                        "largest root page (what a viewer reads before its first frame), KiB")
        ->capture_default_str()
        ->check(CLI::Range(4, 64));
    command->add_option("--parser-timeout", options->parserTimeoutSeconds,
                        "seconds a third-party parser may take per file (default: 10 s + 4 s per MiB)")
        ->check(CLI::Range(0.1, 86400.0));
    command->callback([options, &exitCode] { exitCode = runImport(*options); });
}

}  // namespace vt::cli
