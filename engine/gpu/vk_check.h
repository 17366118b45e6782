#pragma once
// VK_CHECK: always-on check of a Vulkan call. On failure prints the result name and the call, then
// aborts. Use it only where failure is a bug or an unrecoverable device state; results that are
// expected (VK_ERROR_OUT_OF_DATE_KHR, a missing feature) are handled where they happen.

#include <vulkan/vulkan.h>

namespace vt::gpu {

const char* resultName(VkResult result);

[[noreturn]] void vkCheckFailed(VkResult result, const char* call, const char* file, int line);

}  // namespace vt::gpu

#define VK_CHECK(call)                                                                           \
    do {                                                                                         \
        const VkResult vtResult_ = (call);                                                       \
        if (vtResult_ != VK_SUCCESS) ::vt::gpu::vkCheckFailed(vtResult_, #call, __FILE__, __LINE__); \
    } while (0)
