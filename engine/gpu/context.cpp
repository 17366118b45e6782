#include "gpu/context.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <vk_mem_alloc.h>

#include "core/log.h"

namespace vt::gpu {

namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool hasExtension(const std::vector<VkExtensionProperties>& available, const char* name) {
    return std::any_of(available.begin(), available.end(),
                       [&](const VkExtensionProperties& e) { return std::strcmp(e.extensionName, name) == 0; });
}

std::vector<VkExtensionProperties> instanceExtensions(const char* layer) {
    uint32_t count = 0;
    vkEnumerateInstanceExtensionProperties(layer, &count, nullptr);
    std::vector<VkExtensionProperties> result(count);
    vkEnumerateInstanceExtensionProperties(layer, &count, result.data());
    return result;
}

// Higher is better: a discrete GPU first, lavapipe (CPU) last but accepted.
int deviceTypeScore(VkPhysicalDeviceType type) {
    switch (type) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
        case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
        default: return 0;
    }
}

}  // namespace

const char* resultName(VkResult result) {
    switch (result) {
#define VT_RESULT(name) case name: return #name;
        VT_RESULT(VK_SUCCESS) VT_RESULT(VK_NOT_READY) VT_RESULT(VK_TIMEOUT) VT_RESULT(VK_EVENT_SET)
        VT_RESULT(VK_EVENT_RESET) VT_RESULT(VK_INCOMPLETE) VT_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
        VT_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY) VT_RESULT(VK_ERROR_INITIALIZATION_FAILED)
        VT_RESULT(VK_ERROR_DEVICE_LOST) VT_RESULT(VK_ERROR_MEMORY_MAP_FAILED) VT_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
        VT_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT) VT_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
        VT_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER) VT_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
        VT_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED) VT_RESULT(VK_ERROR_FRAGMENTED_POOL) VT_RESULT(VK_ERROR_UNKNOWN)
        VT_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY) VT_RESULT(VK_ERROR_SURFACE_LOST_KHR)
        VT_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR) VT_RESULT(VK_SUBOPTIMAL_KHR) VT_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
#undef VT_RESULT
        default: return "VkResult(unknown)";
    }
}

void vkCheckFailed(VkResult result, const char* call, const char* file, int line) {
    log::error("{}:{}: {} returned {}", file, line, call, resultName(result));
    std::abort();
}

VKAPI_ATTR VkBool32 VKAPI_CALL Context::onValidationMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                            VkDebugUtilsMessageTypeFlagsEXT,
                                                            const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                            void* user) {
    auto* self = static_cast<Context*>(user);
    if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        self->validationErrors_++;
        log::error("vulkan validation: {}", data->pMessage);
    } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        self->validationWarnings_++;
        log::warn("vulkan validation: {}", data->pMessage);
    }
    return VK_FALSE;
}

Result<std::unique_ptr<Context>> Context::create(const ContextOptions& options) {
    std::unique_ptr<Context> context(new Context());
    if (auto ok = context->init(options); !ok) return std::unexpected(ok.error());
    return context;
}

Result<void> Context::init(const ContextOptions& options) {
    uint32_t loaderVersion = 0;
    if (vkEnumerateInstanceVersion(&loaderVersion) != VK_SUCCESS || loaderVersion < VK_API_VERSION_1_3)
        return fail("Vulkan 1.3 is not available (loader reports {}.{})", VK_API_VERSION_MAJOR(loaderVersion),
                    VK_API_VERSION_MINOR(loaderVersion));

    std::vector<const char*> layers;
    std::vector<const char*> extensions = options.instanceExtensions;
    const auto available = instanceExtensions(nullptr);
    debugUtils_ = hasExtension(available, VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    bool layerSettings = false;
    if (options.validation) {
        uint32_t count = 0;
        vkEnumerateInstanceLayerProperties(&count, nullptr);
        std::vector<VkLayerProperties> installed(count);
        vkEnumerateInstanceLayerProperties(&count, installed.data());
        if (std::none_of(installed.begin(), installed.end(),
                         [](const VkLayerProperties& l) { return std::strcmp(l.layerName, kValidationLayer) == 0; }))
            return fail("validation was requested but {} is not installed (Debian: vulkan-validationlayers)",
                        kValidationLayer);
        layers.push_back(kValidationLayer);
        const auto layerExtensions = instanceExtensions(kValidationLayer);
        debugUtils_ = debugUtils_ || hasExtension(layerExtensions, VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        layerSettings = hasExtension(layerExtensions, VK_EXT_LAYER_SETTINGS_EXTENSION_NAME);
        if (layerSettings) extensions.push_back(VK_EXT_LAYER_SETTINGS_EXTENSION_NAME);
    }
    if (debugUtils_) extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = options.applicationName;
    app.pEngineName = "vitrine";
    app.apiVersion = VK_API_VERSION_1_3;

    // Synchronization validation catches missing barriers, which lavapipe would otherwise forgive.
    const VkBool32 enabled = VK_TRUE;
    const VkLayerSettingEXT settings[] = {
        {kValidationLayer, "validate_sync", VK_LAYER_SETTING_TYPE_BOOL32_EXT, 1, &enabled},
    };
    VkLayerSettingsCreateInfoEXT layerSettingsInfo{VK_STRUCTURE_TYPE_LAYER_SETTINGS_CREATE_INFO_EXT};
    layerSettingsInfo.settingCount = 1;
    layerSettingsInfo.pSettings = settings;

    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messengerInfo.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messengerInfo.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messengerInfo.pfnUserCallback = &Context::onValidationMessage;
    messengerInfo.pUserData = this;
    // Chained into instance creation too, so problems in vkCreateInstance itself are counted.
    if (options.validation && layerSettings) messengerInfo.pNext = &layerSettingsInfo;

    VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    instanceInfo.pApplicationInfo = &app;
    instanceInfo.enabledLayerCount = static_cast<uint32_t>(layers.size());
    instanceInfo.ppEnabledLayerNames = layers.data();
    instanceInfo.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    instanceInfo.ppEnabledExtensionNames = extensions.data();
    if (options.validation && debugUtils_) instanceInfo.pNext = &messengerInfo;
    if (options.createInstance) {
        auto created = options.createInstance(instanceInfo);
        if (!created) return std::unexpected(created.error());
        instance_ = *created;
    } else if (VkResult r = vkCreateInstance(&instanceInfo, nullptr, &instance_); r != VK_SUCCESS) {
        return fail("vkCreateInstance failed: {}", resultName(r));
    }

    if (options.validation && debugUtils_) {
        messengerInfo.pNext = nullptr;
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
        VK_CHECK(create(instance_, &messengerInfo, nullptr, &messenger_));
    }

    // Pick the best device that has what the renderer needs. VITRINE_DEVICE=substring overrides.
    uint32_t deviceCount = 0;
    vkEnumeratePhysicalDevices(instance_, &deviceCount, nullptr);
    std::vector<VkPhysicalDevice> devices(deviceCount);
    vkEnumeratePhysicalDevices(instance_, &deviceCount, devices.data());
    const char* wanted = std::getenv("VITRINE_DEVICE");
    int bestScore = -1;
    std::string rejected;
    if (options.choosePhysicalDevice) {
        auto chosen = options.choosePhysicalDevice(instance_);
        if (!chosen) return std::unexpected(chosen.error());
        devices = {*chosen};
        wanted = nullptr;
    }
    for (VkPhysicalDevice candidate : devices) {
        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(candidate, &props);
        VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
        VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, &f11};
        VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES, &f12};
        VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &f13};
        vkGetPhysicalDeviceFeatures2(candidate, &features);
        uint32_t deviceExtensionCount = 0;
        vkEnumerateDeviceExtensionProperties(candidate, nullptr, &deviceExtensionCount, nullptr);
        std::vector<VkExtensionProperties> deviceExtensions(deviceExtensionCount);
        vkEnumerateDeviceExtensionProperties(candidate, nullptr, &deviceExtensionCount, deviceExtensions.data());
        const bool hasAll = std::all_of(options.deviceExtensions.begin(), options.deviceExtensions.end(),
                                        [&](const char* e) { return hasExtension(deviceExtensions, e); });
        const bool suitable = props.apiVersion >= VK_API_VERSION_1_3 && f13.dynamicRendering &&
                              f13.synchronization2 && f12.timelineSemaphore && f11.multiview && hasAll;
        if (!suitable) {
            rejected += std::string(rejected.empty() ? "" : ", ") + props.deviceName;
            continue;
        }
        int score = deviceTypeScore(props.deviceType);
        if (wanted && std::strstr(props.deviceName, wanted)) score += 100;
        if (score > bestScore) {
            bestScore = score;
            physicalDevice_ = candidate;
            properties_ = props;
        }
    }
    if (!physicalDevice_)
        return fail("no Vulkan 1.3 device with dynamic rendering, synchronization2, timeline semaphores and "
                    "multiview{}{}",
                    rejected.empty() ? "" : "; rejected: ", rejected);

    uint32_t familyCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, nullptr);
    std::vector<VkQueueFamilyProperties> families(familyCount);
    vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, families.data());
    queueFamily_ = UINT32_MAX;
    for (uint32_t i = 0; i < familyCount; ++i) {
        if ((families[i].queueFlags & (VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT)) ==
            (VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT)) {
            queueFamily_ = i;
            break;
        }
    }
    if (queueFamily_ == UINT32_MAX) return fail("{} has no graphics+compute queue", properties_.deviceName);

    VkPhysicalDeviceFeatures supported;
    vkGetPhysicalDeviceFeatures(physicalDevice_, &supported);
    VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    f11.multiview = VK_TRUE;
    // Timeline semaphores through their own structure rather than VkPhysicalDeviceVulkan12Features:
    // an OpenXR runtime creating the device (createDevice hook) appends this structure unless it is
    // already there, and the two together are invalid.
    VkPhysicalDeviceTimelineSemaphoreFeatures timeline{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES, &f11};
    timeline.timelineSemaphore = VK_TRUE;
    VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES, &timeline};
    f13.dynamicRendering = VK_TRUE;
    f13.synchronization2 = VK_TRUE;
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &f13};
    features.features.samplerAnisotropy = supported.samplerAnisotropy;

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = queueFamily_;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;
    VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &features};
    deviceInfo.queueCreateInfoCount = 1;
    deviceInfo.pQueueCreateInfos = &queueInfo;
    deviceInfo.enabledExtensionCount = static_cast<uint32_t>(options.deviceExtensions.size());
    deviceInfo.ppEnabledExtensionNames = options.deviceExtensions.data();
    if (options.createDevice) {
        auto created = options.createDevice(physicalDevice_, deviceInfo);
        if (!created) return std::unexpected(created.error());
        device_ = *created;
    } else if (VkResult r = vkCreateDevice(physicalDevice_, &deviceInfo, nullptr, &device_); r != VK_SUCCESS) {
        return fail("vkCreateDevice on {} failed: {}", properties_.deviceName, resultName(r));
    }
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);

    VmaAllocatorCreateInfo allocatorInfo{};
    allocatorInfo.physicalDevice = physicalDevice_;
    allocatorInfo.device = device_;
    allocatorInfo.instance = instance_;
    allocatorInfo.vulkanApiVersion = VK_API_VERSION_1_3;
    VK_CHECK(vmaCreateAllocator(&allocatorInfo, &allocator_));

    VkSemaphoreTypeCreateInfo timelineType{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
    timelineType.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
    VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, &timelineType};
    VK_CHECK(vkCreateSemaphore(device_, &semaphoreInfo, nullptr, &timeline_));
    setName(VK_OBJECT_TYPE_SEMAPHORE, timeline_, "submission timeline");

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    poolInfo.queueFamilyIndex = queueFamily_;
    VK_CHECK(vkCreateCommandPool(device_, &poolInfo, nullptr, &oneTimePool_));
    return {};
}

Context::~Context() {
    if (device_) {
        vkDeviceWaitIdle(device_);
        retired_.collect(device_, allocator_, UINT64_MAX);
        vkDestroyCommandPool(device_, oneTimePool_, nullptr);
        vkDestroySemaphore(device_, timeline_, nullptr);
        if (allocator_) vmaDestroyAllocator(allocator_);
        vkDestroyDevice(device_, nullptr);
    }
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        destroy(instance_, messenger_, nullptr);
    }
    if (instance_) vkDestroyInstance(instance_, nullptr);
}

void Context::setName(VkObjectType type, uint64_t handle, std::string_view name) const {
    if (!debugUtils_ || !device_) return;
    static thread_local PFN_vkSetDebugUtilsObjectNameEXT setObjectName = nullptr;
    if (!setObjectName)
        setObjectName = reinterpret_cast<PFN_vkSetDebugUtilsObjectNameEXT>(
            vkGetDeviceProcAddr(device_, "vkSetDebugUtilsObjectNameEXT"));
    if (!setObjectName) return;
    const std::string terminated(name);
    VkDebugUtilsObjectNameInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT};
    info.objectType = type;
    info.objectHandle = handle;
    info.pObjectName = terminated.c_str();
    setObjectName(device_, &info);
}

uint64_t Context::submit(VkCommandBuffer commands, const std::vector<VkSemaphoreSubmitInfo>& waits,
                         const std::vector<VkSemaphoreSubmitInfo>& signals) {
    std::vector<VkSemaphoreSubmitInfo> allSignals = signals;
    VkSemaphoreSubmitInfo timelineSignal{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
    timelineSignal.semaphore = timeline_;
    timelineSignal.value = ++submitted_;
    timelineSignal.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
    allSignals.push_back(timelineSignal);
    VkCommandBufferSubmitInfo commandInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO};
    commandInfo.commandBuffer = commands;
    VkSubmitInfo2 submitInfo{VK_STRUCTURE_TYPE_SUBMIT_INFO_2};
    submitInfo.waitSemaphoreInfoCount = static_cast<uint32_t>(waits.size());
    submitInfo.pWaitSemaphoreInfos = waits.data();
    submitInfo.commandBufferInfoCount = 1;
    submitInfo.pCommandBufferInfos = &commandInfo;
    submitInfo.signalSemaphoreInfoCount = static_cast<uint32_t>(allSignals.size());
    submitInfo.pSignalSemaphoreInfos = allSignals.data();
    VK_CHECK(vkQueueSubmit2(queue_, 1, &submitInfo, VK_NULL_HANDLE));
    return submitted_;
}

uint64_t Context::completedValue() const {
    uint64_t value = 0;
    VK_CHECK(vkGetSemaphoreCounterValue(device_, timeline_, &value));
    return value;
}

void Context::waitFor(uint64_t value) const {
    VkSemaphoreWaitInfo waitInfo{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
    waitInfo.semaphoreCount = 1;
    waitInfo.pSemaphores = &timeline_;
    waitInfo.pValues = &value;
    VK_CHECK(vkWaitSemaphores(device_, &waitInfo, UINT64_MAX));
}

void Context::waitIdle() {
    ++blockingWaits_;
    VK_CHECK(vkDeviceWaitIdle(device_));
    // Nothing is in flight, so even objects retired after the last submission can go.
    retired_.collect(device_, allocator_, UINT64_MAX);
}

void Context::runNow(const std::function<void(VkCommandBuffer)>& record) {
    VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocateInfo.commandPool = oneTimePool_;
    allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocateInfo.commandBufferCount = 1;
    VkCommandBuffer commands = VK_NULL_HANDLE;
    VK_CHECK(vkAllocateCommandBuffers(device_, &allocateInfo, &commands));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(commands, &begin));
    record(commands);
    VK_CHECK(vkEndCommandBuffer(commands));
    ++blockingWaits_;
    waitFor(submit(commands));
    vkFreeCommandBuffers(device_, oneTimePool_, 1, &commands);
    collectRetired();
}

void Context::retire(RetiredObject object) {
    if (object.handle == 0) return;
    retired_.add(object, pendingValue());
}

void Context::collectRetired() { retired_.collect(device_, allocator_, completedValue()); }

}  // namespace vt::gpu
