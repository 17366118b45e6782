#pragma once
// The Vulkan device: instance, validation, physical device choice, logical device, one graphics
// queue, the VMA allocator, a timeline semaphore that numbers submissions, and the retire list that
// destroys objects once the GPU is done with them.
//
// Owns everything it creates; every Buffer, Image or other owner made from it must be destroyed
// before it (the device outlives what it made).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <vulkan/vulkan.h>

#include "core/result.h"
#include "gpu/retire_list.h"
#include "gpu/vk_check.h"

typedef struct VmaAllocator_T* VmaAllocator;

namespace vt::gpu {

struct ContextOptions {
    const char* applicationName = "vitrine";
    // Enables VK_LAYER_KHRONOS_validation with a messenger that counts errors and warnings.
    // Asking for validation when the layer is not installed is an error, not a silent fallback.
    bool validation = false;
    std::vector<const char*> instanceExtensions;  // e.g. what GLFW needs for a surface
    std::vector<const char*> deviceExtensions;    // e.g. VK_KHR_swapchain

    // Hooks for a caller that must create the instance and device itself: OpenXR's
    // XR_KHR_vulkan_enable2 creates both through the runtime (xrCreateVulkanInstanceKHR,
    // xrGetVulkanGraphicsDevice2KHR, xrCreateVulkanDeviceKHR), which adds the extensions it needs.
    // Each hook receives exactly the create info the Context would have used (layers, extensions,
    // features, the validation messenger chained in) and returns the handle or an error. The Context
    // still installs validation, the messenger, VMA and the timeline, and owns and destroys both
    // handles. An empty hook means the Context does that step itself.
    std::function<Result<VkInstance>(const VkInstanceCreateInfo&)> createInstance;
    // Picks the physical device (it must still have what the renderer needs; VITRINE_DEVICE is ignored).
    std::function<Result<VkPhysicalDevice>(VkInstance)> choosePhysicalDevice;
    std::function<Result<VkDevice>(VkPhysicalDevice, const VkDeviceCreateInfo&)> createDevice;
};

struct ValidationCounts {
    uint32_t errors = 0;
    uint32_t warnings = 0;
};

class Context {
public:
    // Fails (as a value) when there is no Vulkan 1.3 device with the features the renderer needs.
    static Result<std::unique_ptr<Context>> create(const ContextOptions& options);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    VkInstance instance() const { return instance_; }
    VkPhysicalDevice physicalDevice() const { return physicalDevice_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queueFamily() const { return queueFamily_; }
    VmaAllocator allocator() const { return allocator_; }
    const VkPhysicalDeviceProperties& properties() const { return properties_; }
    std::string deviceName() const { return properties_.deviceName; }

    bool validationEnabled() const { return messenger_ != VK_NULL_HANDLE; }
    ValidationCounts validationCounts() const { return {validationErrors_.load(), validationWarnings_.load()}; }

    // Attaches a debug name shown by validation messages and graphics debuggers (no-op without
    // VK_EXT_debug_utils).
    void setName(VkObjectType type, uint64_t handle, std::string_view name) const;
    template <class Handle>
    void setName(VkObjectType type, Handle handle, std::string_view name) const {
        setName(type, reinterpret_cast<uint64_t>(handle), name);
    }

    // Submission numbering. Every submit() signals the timeline with the next value and returns it;
    // objects retired now are destroyed once the GPU has completed the value returned by
    // pendingValue() (the value the next submission will signal).
    uint64_t submit(VkCommandBuffer commands, const std::vector<VkSemaphoreSubmitInfo>& waits = {},
                    const std::vector<VkSemaphoreSubmitInfo>& signals = {});
    uint64_t pendingValue() const { return submitted_ + 1; }
    uint64_t completedValue() const;
    void waitFor(uint64_t value) const;
    void waitIdle();

    // Records with `record` into a one-time command buffer, submits it and waits (readbacks, tests).
    // Never on the frame thread: uploads go through gpu::UploadBatch, which does not wait.
    void runNow(const std::function<void(VkCommandBuffer)>& record);

    // How many times runNow() and waitIdle() have made the CPU wait for the GPU: the stalls a frame
    // loop must never have. Frame pacing (waitFor() on the value of a frame two or more back) is the
    // swapchain's throttle, not a stall, and is not counted. Tests read it before and after frames.
    uint64_t blockingWaits() const { return blockingWaits_.load(); }

    // Deferred destruction: the object is destroyed once the GPU completes the current pending value.
    void retire(RetiredObject object);
    // Destroys every retired object the GPU has finished with. Call once per frame.
    void collectRetired();

private:
    Context() = default;
    Result<void> init(const ContextOptions& options);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    VkPhysicalDevice physicalDevice_ = VK_NULL_HANDLE;
    VkPhysicalDeviceProperties properties_{};
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queueFamily_ = 0;
    VmaAllocator allocator_ = nullptr;
    VkSemaphore timeline_ = VK_NULL_HANDLE;
    uint64_t submitted_ = 0;
    VkCommandPool oneTimePool_ = VK_NULL_HANDLE;
    RetireList retired_;
    bool debugUtils_ = false;
    std::atomic<uint32_t> validationErrors_{0};
    std::atomic<uint32_t> validationWarnings_{0};
    std::atomic<uint64_t> blockingWaits_{0};

    static VKAPI_ATTR VkBool32 VKAPI_CALL onValidationMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                              VkDebugUtilsMessageTypeFlagsEXT types,
                                                              const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                              void* user);
};

}  // namespace vt::gpu
