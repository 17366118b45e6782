#include "viewer/window.h"

#include <algorithm>
#include <cstdlib>

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

namespace vt::viewer {

Result<void> Window::initPlatform() {
    const char* x11 = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!x11 || !*x11) && (!wayland || !*wayland)) return fail("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
    // Only X11 when there is no Wayland compositor, so GLFW does not probe (and complain about) Wayland.
    if (!wayland || !*wayland) glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11);
    if (!glfwInit()) {
        const char* description = nullptr;
        glfwGetError(&description);
        return fail("no display ({})", description ? description : "glfwInit failed");
    }
    if (!glfwVulkanSupported()) return fail("GLFW found no Vulkan loader");
    return {};
}

std::vector<const char*> Window::requiredInstanceExtensions() {
    uint32_t count = 0;
    const char** names = glfwGetRequiredInstanceExtensions(&count);
    return std::vector<const char*>(names, names + count);
}

Result<std::unique_ptr<Window>> Window::create(const char* title, VkExtent2D size) {
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // HiDPI: the window keeps its apparent size
    auto window = std::make_unique<Window>();
    window->window_ = glfwCreateWindow(int(size.width), int(size.height), title, nullptr, nullptr);
    if (!window->window_) return fail("could not open a {}x{} window", size.width, size.height);
    return window;
}

Window::~Window() {
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

VkExtent2D Window::framebufferSize() const {
    int width = 0, height = 0;
    glfwGetFramebufferSize(window_, &width, &height);
    return {uint32_t(std::max(width, 0)), uint32_t(std::max(height, 0))};
}

float Window::contentScale() const {
    float x = 1.0f, y = 1.0f;
    glfwGetWindowContentScale(window_, &x, &y);
    return std::max(1.0f, std::max(x, y));
}

bool Window::shouldClose() const { return glfwWindowShouldClose(window_); }

void Window::setSize(VkExtent2D size) { glfwSetWindowSize(window_, int(size.width), int(size.height)); }

void Window::waitEvents(double seconds) const { glfwWaitEventsTimeout(seconds); }

Result<std::unique_ptr<Swapchain>> Swapchain::create(gpu::Context& context, GLFWwindow* window, VkExtent2D extent,
                                                     bool vsync) {
    std::unique_ptr<Swapchain> swapchain(new Swapchain(context));
    if (VkResult r = glfwCreateWindowSurface(context.instance(), window, nullptr, &swapchain->surface_); r != VK_SUCCESS)
        return fail("could not create a Vulkan surface for the window (VkResult {})", int(r));
    VkBool32 supported = VK_FALSE;
    vkGetPhysicalDeviceSurfaceSupportKHR(context.physicalDevice(), context.queueFamily(), swapchain->surface_,
                                         &supported);
    if (!supported) return fail("{} cannot present to this window", context.deviceName());
    uint32_t count = 0;
    vkGetPhysicalDeviceSurfaceFormatsKHR(context.physicalDevice(), swapchain->surface_, &count, nullptr);
    std::vector<VkSurfaceFormatKHR> formats(count);
    vkGetPhysicalDeviceSurfaceFormatsKHR(context.physicalDevice(), swapchain->surface_, &count, formats.data());
    // The renderer writes sRGB-encoded colour, so the swapchain must be an sRGB format.
    const auto srgb = std::find_if(formats.begin(), formats.end(), [](const VkSurfaceFormatKHR& f) {
        return (f.format == VK_FORMAT_B8G8R8A8_SRGB || f.format == VK_FORMAT_R8G8B8A8_SRGB) &&
               f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR;
    });
    if (srgb == formats.end()) return fail("the window offers no 8-bit sRGB swapchain format");
    swapchain->format_ = srgb->format;
    if (auto made = swapchain->recreate(extent, vsync); !made) return std::unexpected(made.error());
    return swapchain;
}

Swapchain::~Swapchain() {
    context_.waitIdle();
    destroyImages();
    if (swapchain_) vkDestroySwapchainKHR(context_.device(), swapchain_, nullptr);
    if (surface_) vkDestroySurfaceKHR(context_.instance(), surface_, nullptr);
}

void Swapchain::destroyImages() {
    for (VkImageView view : views_) vkDestroyImageView(context_.device(), view, nullptr);
    for (VkSemaphore semaphore : rendered_) vkDestroySemaphore(context_.device(), semaphore, nullptr);
    views_.clear();
    rendered_.clear();
    images_.clear();
}

Result<void> Swapchain::recreate(VkExtent2D extent, bool vsync) {
    context_.waitIdle();
    VkSurfaceCapabilitiesKHR caps{};
    vkGetPhysicalDeviceSurfaceCapabilitiesKHR(context_.physicalDevice(), surface_, &caps);
    if (caps.currentExtent.width != UINT32_MAX) extent = caps.currentExtent;
    extent.width = std::clamp(extent.width, caps.minImageExtent.width, caps.maxImageExtent.width);
    extent.height = std::clamp(extent.height, caps.minImageExtent.height, caps.maxImageExtent.height);
    if (extent.width == 0 || extent.height == 0) return fail("the window has no area");

    uint32_t modeCount = 0;
    vkGetPhysicalDeviceSurfacePresentModesKHR(context_.physicalDevice(), surface_, &modeCount, nullptr);
    std::vector<VkPresentModeKHR> modes(modeCount);
    vkGetPhysicalDeviceSurfacePresentModesKHR(context_.physicalDevice(), surface_, &modeCount, modes.data());
    VkPresentModeKHR mode = VK_PRESENT_MODE_FIFO_KHR;  // vsync; always available
    if (!vsync) {
        for (VkPresentModeKHR candidate : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR})
            if (std::find(modes.begin(), modes.end(), candidate) != modes.end()) {
                mode = candidate;
                break;
            }
    }

    VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
    info.surface = surface_;
    info.minImageCount = std::max(caps.minImageCount, 2u);
    if (caps.maxImageCount) info.minImageCount = std::min(info.minImageCount + 1, caps.maxImageCount);
    info.imageFormat = format_;
    info.imageColorSpace = VK_COLOR_SPACE_SRGB_NONLINEAR_KHR;
    info.imageExtent = extent;
    info.imageArrayLayers = 1;
    // Transfer source for screenshots (F12, --screenshot, scripts).
    info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
    canCopy_ = (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) != 0;
    info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
    info.preTransform = caps.currentTransform;
    info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
    if (!(caps.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR))
        info.compositeAlpha = VK_COMPOSITE_ALPHA_INHERIT_BIT_KHR;
    info.presentMode = mode;
    info.clipped = VK_TRUE;
    info.oldSwapchain = swapchain_;
    VkSwapchainKHR created = VK_NULL_HANDLE;
    if (VkResult r = vkCreateSwapchainKHR(context_.device(), &info, nullptr, &created); r != VK_SUCCESS)
        return fail("vkCreateSwapchainKHR failed (VkResult {})", int(r));
    destroyImages();
    if (swapchain_) vkDestroySwapchainKHR(context_.device(), swapchain_, nullptr);
    swapchain_ = created;
    extent_ = extent;
    vsync_ = vsync;

    uint32_t count = 0;
    vkGetSwapchainImagesKHR(context_.device(), swapchain_, &count, nullptr);
    images_.resize(count);
    vkGetSwapchainImagesKHR(context_.device(), swapchain_, &count, images_.data());
    for (VkImage image : images_) {
        VkImageViewCreateInfo viewInfo{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        viewInfo.image = image;
        viewInfo.viewType = VK_IMAGE_VIEW_TYPE_2D;
        viewInfo.format = format_;
        viewInfo.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        VkImageView view = VK_NULL_HANDLE;
        VK_CHECK(vkCreateImageView(context_.device(), &viewInfo, nullptr, &view));
        views_.push_back(view);
        VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        VkSemaphore semaphore = VK_NULL_HANDLE;
        VK_CHECK(vkCreateSemaphore(context_.device(), &semaphoreInfo, nullptr, &semaphore));
        rendered_.push_back(semaphore);
    }
    return {};
}

std::optional<uint32_t> Swapchain::acquire(VkSemaphore signal) {
    uint32_t index = 0;
    const VkResult r = vkAcquireNextImageKHR(context_.device(), swapchain_, UINT64_MAX, signal, VK_NULL_HANDLE, &index);
    if (r == VK_ERROR_OUT_OF_DATE_KHR) return std::nullopt;
    if (r != VK_SUCCESS && r != VK_SUBOPTIMAL_KHR) VK_CHECK(r);
    return index;
}

bool Swapchain::present(uint32_t imageIndex) {
    VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
    info.waitSemaphoreCount = 1;
    info.pWaitSemaphores = &rendered_[imageIndex];
    info.swapchainCount = 1;
    info.pSwapchains = &swapchain_;
    info.pImageIndices = &imageIndex;
    const VkResult r = vkQueuePresentKHR(context_.queue(), &info);
    if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) return false;
    VK_CHECK(r);
    return true;
}

}  // namespace vt::viewer
