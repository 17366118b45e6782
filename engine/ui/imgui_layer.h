#pragma once
// Dear ImGui (1.90) drawn with Vulkan dynamic rendering over an image the caller owns: a swapchain
// image (viewer/), an OpenXR swapchain image or quad layer (xr/), or an offscreen image (tests).
//
// The layer owns the ImGui context, the Vulkan backend, its descriptor pool and the font atlas (Noto
// Sans CJK, so Chinese and English labels both render). It knows nothing about windows or input: a
// platform backend (imgui_impl_glfw in the viewer, controller rays in XR) feeds ImGuiIO between
// beginFrame() and render().
//
// Per frame:
//     layer.beginFrame(extent, deltaSeconds);      // io.DisplaySize = extent (unless a platform backend
//                                                  // set it), ImGui::NewFrame()
//     ImGui::Begin(...); ui::drawLabelPanel(label, "zh"); ImGui::End();
//     // image in COLOR_ATTACHMENT_OPTIMAL, after the renderer wrote it (its finalLayout):
//     layer.render(commands, image.view(), extent);  // ImGui::Render() + one LOAD/STORE rendering pass
//
// Offscreen (no window): create the layer with the image's format, call beginFrame() with the image's
// extent, build the UI, render() into the image, then read it back as render/headless.cpp does. With
// an sRGB colour format the layer converts ImGui's sRGB vertex colours to linear, so panels look the
// same on sRGB and UNORM targets.

#include <memory>
#include <string>
#include <vector>

#include <imgui.h>
#include <vulkan/vulkan.h>

#include "core/result.h"
#include "gpu/context.h"
#include "gpu/resources.h"

namespace vt::ui {

// Debian's fonts-noto-cjk; face 2 of the collection is Simplified Chinese (Latin included).
constexpr const char* kNotoCjkPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr int kNotoCjkSimplifiedChineseFace = 2;

struct ImGuiLayerOptions {
    VkFormat colorFormat = VK_FORMAT_B8G8R8A8_SRGB;  // format of the images render() draws into
    uint32_t imageCount = 2;                         // images in flight (>= 2)
    float fontPixels = 18.0f;                        // font size in physical pixels (UI scale included)
    // UTF-8 text whose characters must be in the atlas beyond ASCII, Latin-1 and the 2,500 common
    // simplified Chinese characters (e.g. every label of the exhibit).
    std::string extraGlyphs;
    std::string fontPath = kNotoCjkPath;
};

class ImGuiLayer {
public:
    // Fails (as a value) when the font cannot be read.
    static Result<std::unique_ptr<ImGuiLayer>> create(gpu::Context& context, const ImGuiLayerOptions& options);
    ~ImGuiLayer();
    ImGuiLayer(const ImGuiLayer&) = delete;
    ImGuiLayer& operator=(const ImGuiLayer&) = delete;

    // Rebuilds the atlas at a new pixel size (UI scale) and/or with more characters. Waits for the
    // GPU. Call between frames.
    Result<void> setFont(float fontPixels, const std::string& extraGlyphs);
    float fontPixels() const { return fontPixels_; }

    void beginFrame(VkExtent2D extent, float deltaSeconds);
    // Ends the ImGui frame and records its draw into `view` (COLOR_ATTACHMENT_OPTIMAL before and after;
    // the caller orders earlier writes with a barrier, as the renderer's finalLayout does).
    void render(VkCommandBuffer commands, VkImageView view, VkExtent2D extent);
    ImGuiContext* imguiContext() const { return imgui_; }

private:
    explicit ImGuiLayer(gpu::Context& context) : context_(context) {}
    Result<void> loadFont();

    gpu::Context& context_;
    ImGuiLayerOptions options_;
    ImGuiContext* imgui_ = nullptr;
    gpu::DescriptorPool pool_;
    bool backendReady_ = false;
    float fontPixels_ = 18.0f;
    std::string extraGlyphs_;
    ImVector<ImWchar> glyphRanges_;  // must outlive the atlas build
};

}  // namespace vt::ui
