// The validation messenger must really count: otherwise "no validation errors" proves nothing.
#include <gtest/gtest.h>

#include "gpu/context.h"
#include "gpu/resources.h"

namespace vt::gpu {
namespace {

TEST(Validation, MessengerCountsErrors) {
    ContextOptions options;
    options.validation = true;
    auto context = Context::create(options);
    ASSERT_TRUE(context) << context.error().message;
    ASSERT_TRUE((*context)->validationEnabled());
    EXPECT_EQ((*context)->validationCounts().errors, 0u);
    // A buffer of size 0 is invalid usage (VUID-VkBufferCreateInfo-size-00912).
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = 0;
    info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
    VkBuffer buffer = VK_NULL_HANDLE;
    testing::internal::CaptureStderr();
    const VkResult result = vkCreateBuffer((*context)->device(), &info, nullptr, &buffer);
    const std::string log = testing::internal::GetCapturedStderr();
    if (result == VK_SUCCESS && buffer) vkDestroyBuffer((*context)->device(), buffer, nullptr);
    EXPECT_GE((*context)->validationCounts().errors, 1u);
    EXPECT_NE(log.find("00912"), std::string::npos) << log;
}

TEST(Validation, DeviceIsSelectedAndNamed) {
    auto context = Context::create({});
    ASSERT_TRUE(context) << context.error().message;
    EXPECT_FALSE((*context)->deviceName().empty());
    EXPECT_GE((*context)->properties().apiVersion, VK_API_VERSION_1_3);
}

TEST(Validation, RetiredObjectsAreDestroyedAfterTheGpuFinishes) {
    ContextOptions options;
    options.validation = true;
    auto context = Context::create(options);
    ASSERT_TRUE(context) << context.error().message;
    Context& gpu = **context;
    {
        Buffer buffer(gpu, 1024, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUse::GpuOnly, "fill target");
        gpu.runNow([&](VkCommandBuffer commands) { vkCmdFillBuffer(commands, buffer.handle(), 0, 1024, 7); });
        Buffer moved = std::move(buffer);
        EXPECT_FALSE(buffer);
        EXPECT_TRUE(moved);
    }  // retired here, destroyed once the next submission completes
    gpu.runNow([](VkCommandBuffer) {});
    gpu.waitIdle();
    EXPECT_EQ(gpu.validationCounts().errors + gpu.validationCounts().warnings, 0u);
}

}  // namespace
}  // namespace vt::gpu
