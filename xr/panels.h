#pragma once
// World-space text panels: the label of the artifact the visitor pointed at, or a hotspot's text,
// drawn with Dear ImGui (ui::ImGuiLayer, Noto CJK: Chinese and English) into an image whenever the
// text or the language changes, and shown
//   - as an OpenXR quad composition layer (Mode::Quad): the compositor samples the text once, so it
//     stays sharp; it is composited over the scene, or
//   - in the scene (Mode::Scene, when the runtime offers no room for a second layer, or on request):
//     an emissive quad drawn by the renderer, so it is also in the eye images (tests).
//
// Per frame: update() before recording (builds the panel when it changed), record() into the frame's
// command buffer before the renderer's pass (the scene quad samples the image), afterSubmit() after
// the queue submission (releases the quad swapchain image), then draws() / appendLayers().

#include <memory>
#include <optional>
#include <vector>

#include "core/result.h"
#include "exhibit/exhibit.h"
#include "gpu/context.h"
#include "gpu/resources.h"
#include "render/renderer.h"
#include "ui/imgui_layer.h"
#include "xr/interaction.h"
#include "xr/openxr_include.h"

namespace vt::xr {

class Panels {
public:
    enum class Mode { Quad, Scene };

    static Result<std::unique_ptr<Panels>> create(gpu::Context& context, render::Renderer& renderer,
                                                  XrInstance instance, XrSession session, XrSystemId system,
                                                  const exhibit::Exhibit& exhibit, std::optional<Mode> forced);
    ~Panels();
    Panels(const Panels&) = delete;
    Panels& operator=(const Panels&) = delete;

    Mode mode() const { return mode_; }

    // Chooses the text to show and where (world) from the interaction; `headWorld` places it.
    void update(const Interaction& interaction, const glm::vec3& headWorld, float dtSeconds);
    // Records the panel's redraw, if it changed. Returns false when the runtime is gone.
    bool record(VkCommandBuffer commands);
    bool afterSubmit();
    // Scene mode: the panel quad as a draw (empty when nothing is open).
    void appendDraws(std::vector<render::ClusterDraw>& draws) const;
    // Quad mode: the panel as a quad layer in `space` (empty when nothing is open).
    void appendLayers(XrSpace space, const glm::mat4& worldFromTracking,
                      std::vector<const XrCompositionLayerBaseHeader*>& layers);
    // Destroys the OpenXR swapchain (before the session goes).
    void destroyXr();
    // Where the tour panel stands (world) while it is shown, for pointing at its controls.
    std::optional<glm::mat4> tourPanelPose() const {
        if (shown_.text || shown_.tourStop < 0 || !drawnOnce_ || placePending_) return std::nullopt;
        return worldFromPanel_;
    }
    glm::vec2 sizeMetres() const { return sizeMetres_; }

private:
    Panels(gpu::Context& context) : context_(context) {}
    Result<void> createQuadSwapchain(XrSession session);
    void createSceneQuad(render::Renderer& renderer);
    // A label, or a heading and text; `tourPaused` set: the tour's controls below (and a paused line).
    void build(const exhibit::Label* label, const std::string& heading, const std::string& text,
               const std::string& language, std::optional<bool> tourPaused = std::nullopt);

    gpu::Context& context_;
    Mode mode_ = Mode::Quad;
    const exhibit::Exhibit* exhibit_ = nullptr;
    std::unique_ptr<ui::ImGuiLayer> imgui_;
    VkExtent2D extent_{560, 420};    // pixels
    glm::vec2 sizeMetres_{0.48f, 0.36f};

    // What is shown now and what was last drawn.
    PanelContent shown_;
    std::string shownLanguage_;
    bool dirty_ = false;
    bool placePending_ = false;
    bool drawnOnce_ = false;
    glm::mat4 worldFromPanel_{1.0f};

    // Quad mode: a one-layer swapchain.
    XrInstance instance_ = XR_NULL_HANDLE;
    XrSwapchain swapchain_ = XR_NULL_HANDLE;
    std::vector<VkImage> images_;
    std::vector<gpu::Owned<VkImageView, VK_OBJECT_TYPE_IMAGE_VIEW>> views_;
    bool acquired_ = false;
    XrCompositionLayerQuad quad_{XR_TYPE_COMPOSITION_LAYER_QUAD};

    // Scene mode: an image sampled by an emissive quad.
    gpu::Image image_;
    render::GpuMaterialSet material_;
    gpu::Buffer vertices_;
    gpu::Buffer indices_;
};

}  // namespace vt::xr
