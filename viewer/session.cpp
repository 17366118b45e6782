#include "viewer/session.h"

#include <algorithm>

#include <imgui.h>

namespace vt::viewer {
namespace {

Result<std::unique_ptr<gpu::Context>> createContext(const Options& options, bool windowed) {
    gpu::ContextOptions contextOptions;
    contextOptions.applicationName = "vitrine-viewer";
    contextOptions.validation = options.validation;
    if (windowed) {
        contextOptions.instanceExtensions = Window::requiredInstanceExtensions();
        contextOptions.deviceExtensions = {VK_KHR_SWAPCHAIN_EXTENSION_NAME};
    }
    return gpu::Context::create(contextOptions);
}

// The window, titled with the exhibit's title, and its swapchain.
Result<void> openWindow(Session& s, const OpenedExhibit& opened, const Options& options, const std::string& language) {
    const std::string& exhibitTitle = opened.exhibit.title.get(language);
    const std::string title = exhibitTitle.empty() ? "Vitrine" : "Vitrine - " + exhibitTitle;
    auto window = Window::create(title.c_str(), options.size);
    if (!window) return std::unexpected(window.error());
    s.window = std::move(*window);
    auto swapchain = Swapchain::create(*s.context, s.window->handle(), s.window->framebufferSize(), options.settings.vsync);
    if (!swapchain) return std::unexpected(swapchain.error());
    s.swapchain = std::move(*swapchain);
    return {};
}

}  // namespace

Result<std::unique_ptr<Session>> Session::create(const OpenedExhibit& opened, const Options& options, bool windowed) {
    auto s = std::make_unique<Session>();
    Settings settings = options.settings;
    if (settings.language.empty()) settings.language = opened.exhibit.languages.front();
    auto context = createContext(options, windowed);
    if (!context) return std::unexpected(context.error());
    s->context = std::move(*context);
    if (windowed)
        if (auto window = openWindow(*s, opened, options, settings.language); !window) return std::unexpected(window.error());

    render::RendererOptions rendererOptions;
    rendererOptions.colorFormat = s->colorFormat();
    auto renderer = render::Renderer::create(*s->context, rendererOptions);
    if (!renderer) return std::unexpected(renderer.error());
    s->renderer = std::move(*renderer);

    gallery::SceneOptions sceneOptions;
    sceneOptions.stream.pixelErrorThreshold = settings.quality;
    sceneOptions.stream.gpuBudgetBytes = uint64_t(settings.budgetMiB) << 20;
    auto scene = gallery::ExhibitScene::create(*s->context, *s->renderer, opened.exhibit, opened.path, sceneOptions);
    if (!scene) return std::unexpected(scene.error());
    s->scene = std::move(*scene);
    s->app = std::make_unique<App>(*s->scene, opened.path, settings, opened.problems);

    ui::ImGuiLayerOptions uiOptions;
    uiOptions.colorFormat = s->colorFormat();
    uiOptions.imageCount = std::max(2u, s->swapchain ? s->swapchain->imageCount() : 2u);
    uiOptions.fontPixels = s->fontPixels(settings.uiScale);
    uiOptions.extraGlyphs = s->app->allText();
    auto layer = ui::ImGuiLayer::create(*s->context, uiOptions);
    if (!layer) return std::unexpected(layer.error());
    s->ui = std::move(*layer);
    ImGui::GetIO().FontGlobalScale = 1.0f / s->contentScale();  // the atlas is built at the display's scale
    return s;
}

}  // namespace vt::viewer
