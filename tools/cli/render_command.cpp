#include "render_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include <glm/gtc/matrix_transform.hpp>

#include "asset/image_io.h"
#include "net/http_source.h"
#include "stream/streaming_scene.h"
#include "stream_gpu/gpu_streamer.h"
#include "core/log.h"
#include "core/url.h"
#include "render/headless.h"
#include "render/renderer.h"
#include "tools/scan/import.h"
#include "scene/camera.h"
#include "scene/lighting.h"
#include "view_spec.h"

namespace vt::cli {

namespace {

// Debug builds always validate; release builds on request (--validation or VITRINE_VALIDATION).
#ifdef NDEBUG
constexpr bool kDebugBuild = false;
#else
constexpr bool kDebugBuild = true;
#endif

struct RenderOptions {
    std::string model;
    std::string out;
    std::string size = "1024x768";
    std::string view = "three-quarter";
    std::string up = "y";
    std::string toneMapper = "neutral";
    bool stereo = false;
    float ipd = 0.064f;
    uint32_t msaa = 4;
    float exposure = 1.0f;
    bool validation = false;
    float threshold = 1.0f;
};

bool isStreamed(const std::string& input) {
    return isHttpUrl(input) || input.ends_with(".vpk");
}

// An artifact pack, from a file or a URL: streamed like a viewer would, frame by frame, until nothing
// is left to refine at this view; then the picture. Reports how long the first frame and settling took.
int runStreamedRender(const RenderOptions& options, const glm::uvec2 size, const ViewAngles& angles,
                      const glm::mat4& worldFromModel, gpu::Context& context, render::Renderer& renderer) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto source = net::openSource(options.model);
    if (!source) {
        log::error("{}", source.error().message);
        return 1;
    }
    stream::StreamOptions streamOptions;
    streamOptions.pixelErrorThreshold = options.threshold;
    stream::StreamingScene scene(streamOptions);
    stream::GpuStreamer streamer(context, renderer, scene);
    const std::string input = options.model;
    const stream::ArtifactId id = streamer.add(std::move(*source), input, worldFromModel);
    const float fovY = glm::radians(35.0f);
    const float aspect = float(size.x) / float(size.y);
    std::vector<scene::View> views{scene::orbitView({}, fovY, aspect)};
    // Until the directory arrives there is nothing to frame; the scene opens it on its own threads.
    while (!scene.reader(id) && scene.status(id).state == stream::ArtifactState::Opening) {
        scene.update(views, size);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (const std::string& error : scene.takeErrors()) log::error("{}", error);
    if (!scene.reader(id)) return 1;
    const Bounds bounds = transformBounds(scene.reader(id)->header().bounds, worldFromModel);
    const scene::View center =
        scene::orbitView(scene::frameBounds(bounds, fovY, aspect, angles.yawDegrees, angles.pitchDegrees), fovY, aspect);
    views = {center};
    if (options.stereo) {
        const auto eyes = scene::stereoPair(center, options.ipd);
        views = {eyes[0], eyes[1]};
    }
    scene::Lighting lighting = scene::objectLighting(bounds);
    lighting.exposure = options.exposure;
    lighting.toneMapper = options.toneMapper == "aces" ? scene::ToneMapper::AcesFilmic : scene::ToneMapper::PbrNeutral;
    constexpr uint64_t kUploadBytesPerFrame = 32ull << 20;  // a burst of arrivals spreads over frames
    constexpr int kMaxFrames = 100000;
    int frames = 0;
    std::span<const render::ClusterDraw> draws;
    for (; frames < kMaxFrames; ++frames) {
        scene.update(views, size);
        draws = streamer.prepareFrame(kUploadBytesPerFrame);
        for (const std::string& error : scene.takeErrors()) log::warn("{}", error);
        if (scene.settled() && !streamer.texturesPending()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    render::FrameInput frameInput{views, {}, draws, &lighting};
    render::HeadlessFrame frame = render::renderHeadless(context, renderer, frameInput, {size.x, size.y});
    const asset::Image image = options.stereo ? render::sideBySide(frame.views[0], frame.views[1]) : frame.views[0];
    if (auto written = asset::writePng(options.out, image); !written) {
        log::error("{}", written.error().message);
        return 1;
    }
    const stream::StreamStats stats = scene.stats();
    std::printf("%s\n", std::filesystem::absolute(options.out).c_str());
    log::info("streamed {}: first draw after {:.3f} s, settled after {:.3f} s ({} frames); {} triangles in {} "
              "clusters drawn, {} pages resident ({:.1f} MiB on the GPU), {:.1f} KiB fetched; total {:.2f} s",
              options.model, stats.timeToFirstDrawSeconds, stats.timeToSettledSeconds, frames, stats.trianglesDrawn,
              stats.clustersDrawn, stats.pagesResident, double(stats.residentGpuBytes) / 1048576.0,
              double(stats.bytesFetched) / 1024.0, std::chrono::duration<double>(Clock::now() - start).count());
    return 0;
}

int renderModel(const RenderOptions& options, const asset::Model& model, const glm::uvec2 size,
                const ViewAngles& angles, const glm::mat4& worldFromModel, std::chrono::steady_clock::time_point start,
                gpu::Context& context, render::Renderer& renderer);

int runRender(const RenderOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    auto size = parseSize(options.size);
    auto angles = parseView(options.view);
    auto up = parseUpAxis(options.up);
    for (const Error* error : {size ? nullptr : &size.error(), angles ? nullptr : &angles.error(),
                               up ? nullptr : &up.error()})
        if (error) {
            log::error("{}", error->message);
            return 2;
        }
    if (options.toneMapper != "neutral" && options.toneMapper != "aces") {
        log::error("--tonemap '{}': expected neutral or aces", options.toneMapper);
        return 2;
    }

    // Import first: the importer may fork, which is simplest before any driver threads exist.
    std::optional<asset::Model> model;
    if (!isStreamed(options.model)) {
        auto imported = scan::importScan(options.model);
        if (!imported) {
            log::error("{}", imported.error().message);
            return 1;
        }
        model = std::move(*imported);
    }

    gpu::ContextOptions contextOptions;
    contextOptions.validation = kDebugBuild || options.validation || std::getenv("VITRINE_VALIDATION") != nullptr;
    auto context = gpu::Context::create(contextOptions);
    if (!context) {
        log::error("no usable GPU: {}", context.error().message);
        return 1;
    }
    render::RendererOptions rendererOptions;
    rendererOptions.msaaSamples = options.msaa;
    auto renderer = render::Renderer::create(**context, rendererOptions);
    if (!renderer) {
        log::error("{}", renderer.error().message);
        return 1;
    }
    const int status = model ? renderModel(options, *model, *size, *angles, *up, start, **context, **renderer)
                             : runStreamedRender(options, *size, *angles, *up, **context, **renderer);
    renderer->reset();
    (*context)->waitIdle();
    const gpu::ValidationCounts counts = (*context)->validationCounts();
    if (status == 0 && counts.errors + counts.warnings > 0) {
        log::error("Vulkan validation reported {} errors and {} warnings", counts.errors, counts.warnings);
        return 3;
    }
    return status;
}

// A whole model, imported in full: one frame.
int renderModel(const RenderOptions& options, const asset::Model& model, const glm::uvec2 size,
                const ViewAngles& angles, const glm::mat4& worldFromModel, std::chrono::steady_clock::time_point start,
                gpu::Context& context, render::Renderer& renderer) {
    const render::GpuModel gpuModel = renderer.upload(model);
    const Bounds bounds = transformBounds(model.bounds(), worldFromModel);
    const float fovY = glm::radians(35.0f);
    const float aspect = float(size.x) / float(size.y);
    const scene::Orbit orbit = scene::frameBounds(bounds, fovY, aspect, angles.yawDegrees, angles.pitchDegrees);
    const scene::View center = scene::orbitView(orbit, fovY, aspect);
    std::vector<scene::View> views{center};
    if (options.stereo) {
        const auto eyes = scene::stereoPair(center, options.ipd);
        views = {eyes[0], eyes[1]};
    }
    scene::Lighting lighting = scene::objectLighting(bounds);
    lighting.exposure = options.exposure;
    lighting.toneMapper = options.toneMapper == "aces" ? scene::ToneMapper::AcesFilmic : scene::ToneMapper::PbrNeutral;
    const render::DrawItem item{&gpuModel, worldFromModel};
    render::FrameInput input{views, std::span(&item, 1), {}, &lighting};
    render::HeadlessFrame frame = render::renderHeadless(context, renderer, input, {size.x, size.y});
    const asset::Image image = options.stereo ? render::sideBySide(frame.views[0], frame.views[1]) : frame.views[0];
    if (auto written = asset::writePng(options.out, image); !written) {
        log::error("{}", written.error().message);
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s\n", std::filesystem::absolute(options.out).c_str());
    log::info("rendered {} ({} triangles, {} meshes, {} textures) at {}x{}{} on {} with {}x MSAA in {:.2f} s",
              options.model, model.triangleCount(), model.meshes.size(), model.images.size(), size.x, size.y,
              options.stereo ? " per eye" : "", context.deviceName(), renderer.msaaSamples(), seconds);
    return 0;
}

}  // namespace

void addRenderCommand(CLI::App& app, int& exitCode) {
    auto options = std::make_shared<RenderOptions>();
    CLI::App* command = app.add_subcommand("render", "Render a scan or model to a PNG, framed and lit automatically");
    command->add_option("model", options->model, "a scan (glTF/GLB incl. Draco, OBJ, PLY, STL, FBX, ...) or an artifact pack (.vpk file or http(s) URL)")->required();
    command->add_option("-o,--out", options->out, "PNG file to write")->required();
    command->add_option("--size", options->size, "image size WIDTHxHEIGHT (per eye with --stereo)")
        ->capture_default_str();
    command->add_option("--view", options->view, "front, back, left, right, top, bottom, three-quarter, or YAW,PITCH")
        ->capture_default_str();
    command->add_option("--up", options->up, "the model's up axis: y, z, -y, -z, x, -x")->capture_default_str();
    command->add_flag("--stereo", options->stereo, "render both eyes in one multiview pass, side by side");
    command->add_option("--ipd", options->ipd, "eye separation in model units (metres for glTF)")
        ->capture_default_str();
    command->add_option("--msaa", options->msaa, "samples per pixel (1 disables)")->capture_default_str();
    command->add_option("--exposure", options->exposure, "linear exposure multiplier")->capture_default_str();
    command->add_option("--tonemap", options->toneMapper, "neutral (Khronos PBR Neutral) or aces")
        ->capture_default_str();
    command->add_flag("--validation", options->validation, "enable Vulkan validation; any message fails the run");
    command->add_option("--threshold", options->threshold,
                        "streamed packs: screen-space error allowed, in pixels")
        ->capture_default_str();
    command->callback([options, &exitCode] { exitCode = runRender(*options); });
}

}  // namespace vt::cli
