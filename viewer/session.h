#pragma once
// What a running viewer owns, made in order by create() and destroyed in reverse by its members:
// the window (none offscreen), the Vulkan device, the swapchain (none offscreen), the renderer, the
// exhibit scene, the viewer's state (App) and the Dear ImGui layer. No teardown list: dropping the
// Session is the teardown (after the frame's own objects, FrameOutput, have gone).

#include <memory>

#include "core/result.h"
#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "render/renderer.h"
#include "ui/imgui_layer.h"
#include "viewer/app.h"
#include "viewer/exhibit_source.h"
#include "viewer/options.h"
#include "viewer/window.h"

namespace vt::viewer {

struct Session {
    static constexpr float kBaseFontPixels = 17.0f;  // the panels' text at UI scale 1 on a 1x display

    // Offscreen when `windowed` is false (no display, or --headless): then the renderer and the
    // panels draw RGBA8 sRGB. Fails as a value (no device, no window, no usable swapchain).
    static Result<std::unique_ptr<Session>> create(const OpenedExhibit& opened, const Options& options, bool windowed);

    float contentScale() const { return window ? window->contentScale() : 1.0f; }  // HiDPI
    float fontPixels(float uiScale) const { return kBaseFontPixels * uiScale * contentScale(); }
    VkFormat colorFormat() const { return swapchain ? swapchain->format() : VK_FORMAT_R8G8B8A8_SRGB; }

    std::unique_ptr<Window> window;
    std::unique_ptr<gpu::Context> context;
    std::unique_ptr<Swapchain> swapchain;
    std::unique_ptr<render::Renderer> renderer;
    std::unique_ptr<gallery::ExhibitScene> scene;
    std::unique_ptr<App> app;
    std::unique_ptr<ui::ImGuiLayer> ui;
};

}  // namespace vt::viewer
