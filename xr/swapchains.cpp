#include "xr/swapchains.h"

#include <algorithm>
#include <cstdio>
#include <format>
#include <limits>
#include <utility>

namespace vt::xr {

namespace {

constexpr XrDuration kSwapchainWaitNs = 100'000'000;  // 100 ms per try; the runtime gone shows as an error
constexpr int kSwapchainWaitTries = 50;               // 5 s in all before we call the runtime stuck

}  // namespace

Result<std::unique_ptr<EyeSwapchains>> EyeSwapchains::create(gpu::Context& context, XrInstance instance,
                                                             XrSession session, const XrViewConfigurationView& view,
                                                             uint32_t width, uint32_t height, bool depthExtension) {
    std::unique_ptr<EyeSwapchains> eyes(new EyeSwapchains(context, instance, session));
    uint32_t count = 0;
    XR_CHECK(instance, xrEnumerateSwapchainFormats(session, 0, &count, nullptr));
    std::vector<int64_t> formats(count);
    XR_CHECK(instance, xrEnumerateSwapchainFormats(session, count, &count, formats.data()));
    auto offered = [&](VkFormat f) { return std::find(formats.begin(), formats.end(), int64_t(f)) != formats.end(); };
    if (!offered(kEyeColorFormat)) return fail("the runtime offers no VK_FORMAT_R8G8B8A8_SRGB swapchain");
    eyes->extent_ = {width ? std::min(width, view.maxImageRectWidth) : view.recommendedImageRectWidth,
                     height ? std::min(height, view.maxImageRectHeight) : view.recommendedImageRectHeight};
    auto colour = eyes->make(kEyeColorFormat,
                             XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT,
                             VK_IMAGE_ASPECT_COLOR_BIT, "colour");
    if (!colour) return std::unexpected(colour.error());
    eyes->colour_ = std::move(*colour);
    // Depth for the compositor's reprojection (XR_KHR_composition_layer_depth): the renderer's
    // depth-copy target, in the format it writes.
    if (depthExtension && offered(VK_FORMAT_D32_SFLOAT)) {
        auto depth = eyes->make(VK_FORMAT_D32_SFLOAT,
                                XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT,
                                VK_IMAGE_ASPECT_DEPTH_BIT, "depth");
        if (depth) eyes->depth_ = std::move(*depth);
        else std::printf("xr: no depth swapchain: %s\n", depth.error().message.c_str());
    }
    std::printf("xr: swapchain %ux%u x%u layers, %zu images, format %d (recommended %ux%u), depth %s\n",
                eyes->extent_.width, eyes->extent_.height, kViewCount, eyes->colour_.images.size(),
                int(eyes->colour_.format), view.recommendedImageRectWidth, view.recommendedImageRectHeight,
                eyes->hasDepth() ? "submitted" : "not submitted");
    return eyes;
}

EyeSwapchains::~EyeSwapchains() {
    context_.waitIdle();
    colour_.views.clear();
    depth_.views.clear();
    context_.waitIdle();  // destroys the views now: the images go with the swapchain
    // Results are ignored: after a runtime loss these calls may fail, and there is nothing left to do.
    if (colour_.handle) xrDestroySwapchain(std::exchange(colour_.handle, XR_NULL_HANDLE));
    if (depth_.handle) xrDestroySwapchain(std::exchange(depth_.handle, XR_NULL_HANDLE));
}

Result<Swapchain> EyeSwapchains::make(VkFormat format, XrSwapchainUsageFlags usage, VkImageAspectFlags aspect,
                                      const char* name) {
    Swapchain swapchain;
    swapchain.format = format;
    XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
    info.usageFlags = usage;
    info.format = format;
    info.sampleCount = 1;
    info.width = extent_.width;
    info.height = extent_.height;
    info.faceCount = 1;
    info.arraySize = kViewCount;  // one layer per eye: the multiview pass writes both
    info.mipCount = 1;
    if (XrResult r = xrCreateSwapchain(session_, &info, &swapchain.handle); XR_FAILED(r))
        return fail("xrCreateSwapchain ({}) failed: {}", name, resultName(instance_, r));
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain.handle, 0, &count, nullptr));
    std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain.handle, count, &count,
                                                   reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())));
    for (uint32_t i = 0; i < count; ++i) {
        swapchain.images.push_back(images[i].image);
        VkImageViewCreateInfo viewInfo{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        viewInfo.image = images[i].image;
        viewInfo.viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY;
        viewInfo.format = format;
        viewInfo.subresourceRange = {aspect, 0, 1, 0, kViewCount};
        VkImageView imageView = VK_NULL_HANDLE;
        VK_CHECK(vkCreateImageView(context_.device(), &viewInfo, nullptr, &imageView));
        swapchain.views.emplace_back(context_, imageView, std::format("xr {} view {}", name, i));
    }
    return swapchain;
}

Alive EyeSwapchains::acquire() {
    if (auto alive = acquire(colour_); !alive) return alive;
    if (hasDepth()) return acquire(depth_);
    return {};
}

Alive EyeSwapchains::release() {
    if (auto alive = release(colour_); !alive) return alive;
    if (hasDepth()) return release(depth_);
    return {};
}

Alive EyeSwapchains::acquire(Swapchain& swapchain) {
    XrSwapchainImageAcquireInfo acquireInfo{XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    XrResult r = xrAcquireSwapchainImage(swapchain.handle, &acquireInfo, &swapchain.acquired);
    if (isLoss(r)) return std::unexpected(RuntimeLoss{"xrAcquireSwapchainImage", r});
    XR_CHECK_RESULT(instance_, r, "xrAcquireSwapchainImage");
    XrSwapchainImageWaitInfo waitInfo{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
    waitInfo.timeout = kSwapchainWaitNs;
    int tries = 0;
    while ((r = xrWaitSwapchainImage(swapchain.handle, &waitInfo)) == XR_TIMEOUT_EXPIRED && ++tries < kSwapchainWaitTries) {
    }
    if (r == XR_TIMEOUT_EXPIRED) return std::unexpected(RuntimeLoss{"xrWaitSwapchainImage", XR_ERROR_RUNTIME_FAILURE});
    if (isLoss(r)) return std::unexpected(RuntimeLoss{"xrWaitSwapchainImage", r});
    XR_CHECK_RESULT(instance_, r, "xrWaitSwapchainImage");
    return {};
}

Alive EyeSwapchains::release(Swapchain& swapchain) {
    XrSwapchainImageReleaseInfo releaseInfo{XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    const XrResult r = xrReleaseSwapchainImage(swapchain.handle, &releaseInfo);
    if (isLoss(r)) return std::unexpected(RuntimeLoss{"xrReleaseSwapchainImage", r});
    XR_CHECK_RESULT(instance_, r, "xrReleaseSwapchainImage");
    return {};
}

render::RenderTarget EyeSwapchains::target() const {
    render::RenderTarget target;
    target.image = colour_.images[colour_.acquired];
    target.view = colour_.views[colour_.acquired].get();
    target.extent = extent_;
    target.viewCount = kViewCount;
    if (hasDepth()) {
        target.depthCopy = depth_.images[depth_.acquired];
        target.depthCopyView = depth_.views[depth_.acquired].get();
    }
    // The runtime takes the image back in COLOR_ATTACHMENT_OPTIMAL, ordered by queue submission.
    target.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    target.finalStage = VK_PIPELINE_STAGE_2_NONE;
    target.finalAccess = VK_ACCESS_2_NONE;
    return target;
}

void EyeSwapchains::recordDepthHandBack(VkCommandBuffer commands) const {
    // The runtime takes depth images back in DEPTH_STENCIL_ATTACHMENT_OPTIMAL; the renderer leaves its
    // depth copy ready for transfers.
    if (!hasDepth()) return;
    gpu::transition(commands, {depth_.images[depth_.acquired], VK_IMAGE_ASPECT_DEPTH_BIT,
                               VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
                               VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT,
                               VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT});
}

std::array<XrCompositionLayerProjectionView, kViewCount> EyeSwapchains::projectionViews(
    const std::array<Pose, kViewCount>& eyes, const std::array<XrFovf, kViewCount>& fovs) {
    std::array<XrCompositionLayerProjectionView, kViewCount> out{};
    for (uint32_t i = 0; i < kViewCount; ++i) {
        out[i] = {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW};
        out[i].pose = toXr(eyes[i]);
        out[i].fov = fovs[i];
        out[i].subImage.swapchain = colour_.handle;
        out[i].subImage.imageRect = {{0, 0}, {int32_t(extent_.width), int32_t(extent_.height)}};
        out[i].subImage.imageArrayIndex = i;
        if (!hasDepth()) continue;
        // Reversed Z with an infinite far plane: depth 0 (minDepth) is infinitely far, 1 is the near
        // plane; nearZ > farZ tells the runtime the range is reversed.
        XrCompositionLayerDepthInfoKHR& depth = depthInfos_[i];
        depth = {XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR};
        depth.subImage.swapchain = depth_.handle;
        depth.subImage.imageRect = out[i].subImage.imageRect;
        depth.subImage.imageArrayIndex = i;
        depth.minDepth = 0.0f;
        depth.maxDepth = 1.0f;
        depth.nearZ = std::numeric_limits<float>::infinity();
        depth.farZ = kNearPlane;
        out[i].next = &depth;
    }
    return out;
}

}  // namespace vt::xr
