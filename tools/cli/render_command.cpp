#include "render_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <glm/gtc/matrix_transform.hpp>

#include "asset/image_io.h"
#include "core/log.h"
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
};

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
    auto model = scan::importScan(options.model);
    if (!model) {
        log::error("{}", model.error().message);
        return 1;
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
    {
        const render::GpuModel gpuModel = (*renderer)->upload(*model);
        const glm::mat4 worldFromModel = *up;
        const Bounds bounds = transformBounds(model->bounds(), worldFromModel);

        const float fovY = glm::radians(35.0f);
        const float aspect = float(size->x) / float(size->y);
        const scene::Orbit orbit = scene::frameBounds(bounds, fovY, aspect, angles->yawDegrees, angles->pitchDegrees);
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
        render::HeadlessFrame frame = render::renderHeadless(**context, **renderer, input, {size->x, size->y});
        const asset::Image image =
            options.stereo ? render::sideBySide(frame.views[0], frame.views[1]) : frame.views[0];
        if (auto written = asset::writePng(options.out, image); !written) {
            log::error("{}", written.error().message);
            return 1;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s\n", std::filesystem::absolute(options.out).c_str());
        log::info("rendered {} ({} triangles, {} meshes, {} textures) at {}x{}{} on {} with {}x MSAA in {:.2f} s",
                  options.model, model->triangleCount(), model->meshes.size(), model->images.size(), size->x, size->y,
                  options.stereo ? " per eye" : "", (*context)->deviceName(), (*renderer)->msaaSamples(), seconds);
    }
    (*context)->waitIdle();
    const gpu::ValidationCounts counts = (*context)->validationCounts();
    if (counts.errors + counts.warnings > 0) {
        log::error("Vulkan validation reported {} errors and {} warnings", counts.errors, counts.warnings);
        return 3;
    }
    return 0;
}

}  // namespace

void addRenderCommand(CLI::App& app, int& exitCode) {
    auto options = std::make_shared<RenderOptions>();
    CLI::App* command = app.add_subcommand("render", "Render a scan or model to a PNG, framed and lit automatically");
    command->add_option("model", options->model, "glTF/GLB (incl. Draco), OBJ, PLY, STL, FBX, ...")->required();
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
    command->callback([options, &exitCode] { exitCode = runRender(*options); });
}

}  // namespace vt::cli
