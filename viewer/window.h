#pragma once
// The desktop window (GLFW, no client API) and its Vulkan swapchain. Only the viewer links GLFW.
//
// Resizing and minimising: acquire()/present() report an out-of-date swapchain as false; the caller
// then calls recreate() with the framebuffer's current size (waiting while it is 0 x 0, minimised).

#include <memory>
#include <optional>
#include <vector>

#include <vulkan/vulkan.h>

#include "core/result.h"
#include "gpu/context.h"

struct GLFWwindow;

namespace vt::viewer {

class Window {
public:
    // Fails as a value when there is no display (glfwInit fails) or no Vulkan loader for GLFW.
    static Result<void> initPlatform();
    static std::vector<const char*> requiredInstanceExtensions();
    static Result<std::unique_ptr<Window>> create(const char* title, VkExtent2D size);
    ~Window();

    GLFWwindow* handle() const { return window_; }
    VkExtent2D framebufferSize() const;
    float contentScale() const;  // HiDPI: framebuffer pixels per screen coordinate (1 on most displays)
    bool shouldClose() const;
    void setSize(VkExtent2D size);
    // Sleeps until an event arrives or `seconds` pass (a minimised window has nothing to draw).
    void waitEvents(double seconds) const;

private:
    GLFWwindow* window_ = nullptr;
};

class Swapchain {
public:
    // surface is owned by the swapchain from now on (destroyed with it, before the instance).
    static Result<std::unique_ptr<Swapchain>> create(gpu::Context& context, GLFWwindow* window, VkExtent2D extent,
                                                     bool vsync);
    ~Swapchain();

    Result<void> recreate(VkExtent2D extent, bool vsync);

    VkFormat format() const { return format_; }
    VkExtent2D extent() const { return extent_; }
    uint32_t imageCount() const { return uint32_t(images_.size()); }
    VkImage image(uint32_t i) const { return images_[i]; }
    VkImageView view(uint32_t i) const { return views_[i]; }
    bool vsync() const { return vsync_; }
    bool canCopy() const { return canCopy_; }  // images can be read back (screenshots)
    // Signalled when present(i) may go: one per image, so a semaphore is never reused while presenting.
    VkSemaphore renderedSemaphore(uint32_t i) const { return rendered_[i]; }

    // nullopt when the swapchain is out of date (recreate and try again).
    std::optional<uint32_t> acquire(VkSemaphore signal);
    // false when out of date or suboptimal (recreate before the next frame).
    bool present(uint32_t imageIndex);

private:
    explicit Swapchain(gpu::Context& context) : context_(context) {}
    void destroyImages();

    gpu::Context& context_;
    VkSurfaceKHR surface_ = VK_NULL_HANDLE;
    VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
    VkFormat format_ = VK_FORMAT_B8G8R8A8_SRGB;
    VkExtent2D extent_{};
    bool vsync_ = true;
    bool canCopy_ = false;
    std::vector<VkImage> images_;
    std::vector<VkImageView> views_;
    std::vector<VkSemaphore> rendered_;
};

}  // namespace vt::viewer
