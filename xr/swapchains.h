#pragma once
// The eyes' swapchains: one colour array swapchain (RGBA8 sRGB, one layer per eye: the multiview pass
// writes both) and, with XR_KHR_composition_layer_depth, a depth one (D32, the renderer's depth copy)
// for the compositor's reprojection. Per frame: acquire() (acquire and wait), target() for the
// renderer, recordDepthHandBack() after it, release() after the queue submission, projectionViews()
// for the layer.
//
// Image views are ours; the images are the runtime's (non-owning), destroyed with the swapchain.

#include <array>
#include <memory>
#include <vector>

#include "core/result.h"
#include "gpu/context.h"
#include "gpu/resources.h"
#include "render/renderer.h"
#include "xr/logic/xr_math.h"
#include "xr/openxr_include.h"

namespace vt::xr {

// The eyes' colour format: what the renderer draws and a capture reads (the compositor then treats
// the values as sRGB-encoded).
constexpr VkFormat kEyeColorFormat = VK_FORMAT_R8G8B8A8_SRGB;

struct Swapchain {
    XrSwapchain handle = XR_NULL_HANDLE;
    VkFormat format = VK_FORMAT_UNDEFINED;
    std::vector<VkImage> images;  // the runtime's
    std::vector<gpu::Owned<VkImageView, VK_OBJECT_TYPE_IMAGE_VIEW>> views;
    uint32_t acquired = 0;        // index of the image acquired this frame
};

class EyeSwapchains {
public:
    // Per eye `width` x `height` (0: the runtime's recommendation; at most its maximum). Fails when the
    // runtime offers no RGBA8 sRGB swapchain; depth is left out (with a line) when it cannot be made.
    static Result<std::unique_ptr<EyeSwapchains>> create(gpu::Context& context, XrInstance instance, XrSession session,
                                                         const XrViewConfigurationView& view, uint32_t width,
                                                         uint32_t height, bool depthExtension);
    // Waits for the GPU, then destroys our views and the swapchains (before the session goes).
    ~EyeSwapchains();
    EyeSwapchains(const EyeSwapchains&) = delete;
    EyeSwapchains& operator=(const EyeSwapchains&) = delete;

    VkExtent2D extent() const { return extent_; }
    bool hasDepth() const { return depth_.handle != XR_NULL_HANDLE; }

    // Acquires the next colour (and depth) image and waits until the runtime lets us write it.
    Alive acquire();
    // The acquired images as the renderer's target: both layers, left in COLOR_ATTACHMENT_OPTIMAL
    // (the layout the runtime takes them back in, ordered by queue submission).
    render::RenderTarget target() const;
    // After the renderer: the depth copy into DEPTH_STENCIL_ATTACHMENT_OPTIMAL, as the runtime takes it.
    void recordDepthHandBack(VkCommandBuffer commands) const;
    // Gives the images back to the runtime; after the submission that wrote them.
    Alive release();
    // The projection layer's views: each eye's pose and FOV, its layer of the colour image, and (with
    // depth) its layer of the depth image. The depth infos live in this object until the next call.
    std::array<XrCompositionLayerProjectionView, kViewCount> projectionViews(const std::array<Pose, kViewCount>& eyes,
                                                                            const std::array<XrFovf, kViewCount>& fovs);

private:
    EyeSwapchains(gpu::Context& context, XrInstance instance, XrSession session)
        : context_(context), instance_(instance), session_(session) {}
    Result<Swapchain> make(VkFormat format, XrSwapchainUsageFlags usage, VkImageAspectFlags aspect, const char* name);
    Alive acquire(Swapchain& swapchain);
    Alive release(Swapchain& swapchain);

    gpu::Context& context_;
    XrInstance instance_;
    XrSession session_;
    VkExtent2D extent_{};  // per eye
    Swapchain colour_;
    Swapchain depth_;      // empty without XR_KHR_composition_layer_depth
    std::array<XrCompositionLayerDepthInfoKHR, kViewCount> depthInfos_{};
};

}  // namespace vt::xr
