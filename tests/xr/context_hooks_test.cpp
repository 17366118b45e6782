// gpu::Context with caller-created instance and device (the hooks XR_KHR_vulkan_enable2 uses): the
// Context still sets up validation, VMA and the timeline, and renders like one it made itself.
#include <gtest/gtest.h>

#include "gpu/context.h"
#include "gpu/resources.h"

namespace vt::gpu {
namespace {

TEST(ContextHooks, CallerCreatesInstanceAndDevice) {
    int instanceCalls = 0, deviceChoices = 0, deviceCalls = 0;
    ContextOptions options;
    options.validation = true;
    options.createInstance = [&](const VkInstanceCreateInfo& info) -> Result<VkInstance> {
        ++instanceCalls;
        EXPECT_GE(info.enabledLayerCount, 1u) << "validation layer passed through";
        VkInstance instance = VK_NULL_HANDLE;
        if (vkCreateInstance(&info, nullptr, &instance) != VK_SUCCESS) return fail("vkCreateInstance failed");
        return instance;
    };
    options.choosePhysicalDevice = [&](VkInstance instance) -> Result<VkPhysicalDevice> {
        ++deviceChoices;
        uint32_t count = 1;
        VkPhysicalDevice device = VK_NULL_HANDLE;
        vkEnumeratePhysicalDevices(instance, &count, &device);
        if (!device) return fail("no device");
        return device;
    };
    options.createDevice = [&](VkPhysicalDevice physical, const VkDeviceCreateInfo& info) -> Result<VkDevice> {
        ++deviceCalls;
        VkDevice device = VK_NULL_HANDLE;
        if (vkCreateDevice(physical, &info, nullptr, &device) != VK_SUCCESS) return fail("vkCreateDevice failed");
        return device;
    };
    auto context = Context::create(options);
    ASSERT_TRUE(context) << context.error().message;
    EXPECT_EQ(instanceCalls, 1);
    EXPECT_EQ(deviceChoices, 1);
    EXPECT_EQ(deviceCalls, 1);
    EXPECT_TRUE((*context)->validationEnabled());
    {
        Buffer buffer(**context, 1024, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUse::Readback, "hook test");
        (*context)->runNow([&](VkCommandBuffer commands) { vkCmdFillBuffer(commands, buffer.handle(), 0, 1024, 7u); });
        buffer.invalidate();
        EXPECT_EQ(static_cast<const uint32_t*>(buffer.mapped())[255], 7u);
    }
    EXPECT_EQ((*context)->validationCounts().errors, 0u);
    EXPECT_EQ((*context)->validationCounts().warnings, 0u);
}

TEST(ContextHooks, HookFailureIsAValue) {
    ContextOptions options;
    options.createInstance = [](const VkInstanceCreateInfo&) -> Result<VkInstance> { return fail("runtime says no"); };
    auto context = Context::create(options);
    ASSERT_FALSE(context);
    EXPECT_NE(context.error().message.find("runtime says no"), std::string::npos);
}

}  // namespace
}  // namespace vt::gpu
