#include "xr/vulkan_binding.h"

#include <cstdio>

#include "core/log.h"

namespace vt::xr {

namespace {

// The runtime's Vulkan entry points (XR_KHR_vulkan_enable2).
struct RuntimeVulkan {
    PFN_xrGetVulkanGraphicsRequirements2KHR getRequirements = nullptr;
    PFN_xrCreateVulkanInstanceKHR createInstance = nullptr;
    PFN_xrGetVulkanGraphicsDevice2KHR getDevice = nullptr;
    PFN_xrCreateVulkanDeviceKHR createDevice = nullptr;
};

template <class Function>
void load(XrInstance instance, const char* name, Function& function) {
    XR_CHECK(instance, xrGetInstanceProcAddr(instance, name, reinterpret_cast<PFN_xrVoidFunction*>(&function)));
}

RuntimeVulkan loadRuntimeVulkan(XrInstance instance) {
    RuntimeVulkan vulkan;
    load(instance, "xrGetVulkanGraphicsRequirements2KHR", vulkan.getRequirements);
    load(instance, "xrCreateVulkanInstanceKHR", vulkan.createInstance);
    load(instance, "xrGetVulkanGraphicsDevice2KHR", vulkan.getDevice);
    load(instance, "xrCreateVulkanDeviceKHR", vulkan.createDevice);
    return vulkan;
}

// The hooks hand gpu::Context's create infos to the runtime; they hold only handles and entry points.
void setRuntimeHooks(gpu::ContextOptions& options, XrInstance instance, XrSystemId system, const RuntimeVulkan& vk) {
    options.createInstance = [=](const VkInstanceCreateInfo& vkInfo) -> Result<VkInstance> {
        XrVulkanInstanceCreateInfoKHR info{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
        info.systemId = system;
        info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
        info.vulkanCreateInfo = &vkInfo;
        VkInstance result = VK_NULL_HANDLE;
        VkResult vkResult = VK_SUCCESS;
        if (XrResult r = vk.createInstance(instance, &info, &result, &vkResult); XR_FAILED(r) || vkResult != VK_SUCCESS)
            return fail("xrCreateVulkanInstanceKHR failed: {} / {}", resultName(instance, r), gpu::resultName(vkResult));
        return result;
    };
    options.choosePhysicalDevice = [=](VkInstance vkInstance) -> Result<VkPhysicalDevice> {
        XrVulkanGraphicsDeviceGetInfoKHR info{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
        info.systemId = system;
        info.vulkanInstance = vkInstance;
        VkPhysicalDevice result = VK_NULL_HANDLE;
        if (XrResult r = vk.getDevice(instance, &info, &result); XR_FAILED(r))
            return fail("xrGetVulkanGraphicsDevice2KHR failed: {}", resultName(instance, r));
        return result;
    };
    options.createDevice = [=](VkPhysicalDevice physical, const VkDeviceCreateInfo& vkInfo) -> Result<VkDevice> {
        XrVulkanDeviceCreateInfoKHR info{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
        info.systemId = system;
        info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
        info.vulkanPhysicalDevice = physical;
        info.vulkanCreateInfo = &vkInfo;
        VkDevice result = VK_NULL_HANDLE;
        VkResult vkResult = VK_SUCCESS;
        if (XrResult r = vk.createDevice(instance, &info, &result, &vkResult); XR_FAILED(r) || vkResult != VK_SUCCESS)
            return fail("xrCreateVulkanDeviceKHR failed: {} / {}", resultName(instance, r), gpu::resultName(vkResult));
        return result;
    };
}

}  // namespace

Result<std::unique_ptr<gpu::Context>> createVulkanThroughRuntime(XrInstance instance, XrSystemId system,
                                                                 bool validation) {
    const RuntimeVulkan vulkan = loadRuntimeVulkan(instance);
    XrGraphicsRequirementsVulkan2KHR requirements{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    XR_CHECK(instance, vulkan.getRequirements(instance, system, &requirements));
    const XrVersion supported = requirements.maxApiVersionSupported;
    if (XR_VERSION_MAJOR(supported) < 1 || (XR_VERSION_MAJOR(supported) == 1 && XR_VERSION_MINOR(supported) < 3))
        log::warn("xr: the runtime declares Vulkan up to {}.{}; the renderer needs 1.3", XR_VERSION_MAJOR(supported),
                  XR_VERSION_MINOR(supported));

    gpu::ContextOptions options;
    options.applicationName = "vitrine-xr";
    options.validation = validation;
    setRuntimeHooks(options, instance, system, vulkan);
    auto context = gpu::Context::create(options);
    if (!context) return std::unexpected(context.error());
    std::printf("xr: vulkan device %s (created through the runtime)\n", (*context)->deviceName().c_str());
    return context;
}

}  // namespace vt::xr
