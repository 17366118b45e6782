#pragma once
// The Vulkan instance and device, created through the OpenXR runtime (XR_KHR_vulkan_enable2): the
// runtime picks the physical device its compositor uses and adds the extensions it needs; gpu::Context
// does the rest (validation, VMA, the timeline) through its ContextOptions hooks.

#include <memory>

#include "core/result.h"
#include "gpu/context.h"
#include "xr/openxr_include.h"

namespace vt::xr {

// The device for `system`'s compositor. An error value when the runtime or the driver cannot make
// one with what the renderer needs (Vulkan 1.3 and its features).
Result<std::unique_ptr<gpu::Context>> createVulkanThroughRuntime(XrInstance instance, XrSystemId system,
                                                                 bool validation);

}  // namespace vt::xr
