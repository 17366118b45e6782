#pragma once
// World-space text panels (an artifact's label, a hotspot's text, the tour caption) drawn with Dear
// ImGui into an image, shown as an OpenXR quad layer (sharp text: the compositor samples it once) or,
// when quad layers are unavailable, drawn in the scene as an emissive quad.

#include <memory>
#include <vector>

#include "core/result.h"
#include "exhibit/exhibit.h"
#include "gpu/context.h"
#include "render/renderer.h"
#include "xr/openxr_include.h"

namespace vt::xr {

class Interaction;
struct Pose;

class Panels {
public:
    static Result<std::unique_ptr<Panels>> create(gpu::Context& context, render::Renderer& renderer,
                                                  XrInstance instance, XrSession session,
                                                  const exhibit::Exhibit& exhibit);
    ~Panels();
    bool usesQuadLayers() const { return quad_; }

    void update(const Interaction& interaction, const Pose& head, const glm::mat4& worldFromTracking, float dt);
    void record(VkCommandBuffer commands);
    void appendLayers(XrSpace space, const glm::mat4& worldFromTracking,
                      std::vector<const XrCompositionLayerBaseHeader*>& layers);
    void destroyXr();

private:
    Panels() = default;
    bool quad_ = false;
};

}  // namespace vt::xr
