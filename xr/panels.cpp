#include "xr/panels.h"

#include "xr/interaction.h"

namespace vt::xr {

Result<std::unique_ptr<Panels>> Panels::create(gpu::Context&, render::Renderer&, XrInstance, XrSession,
                                               const exhibit::Exhibit&) {
    return std::unique_ptr<Panels>(new Panels());
}

Panels::~Panels() = default;
void Panels::update(const Interaction&, const Pose&, const glm::mat4&, float) {}
void Panels::record(VkCommandBuffer) {}
void Panels::appendLayers(XrSpace, const glm::mat4&, std::vector<const XrCompositionLayerBaseHeader*>&) {}
void Panels::destroyXr() {}

}  // namespace vt::xr
