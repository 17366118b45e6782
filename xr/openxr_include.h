#pragma once
// OpenXR with its Vulkan binding, and the always-on check for OpenXR calls.

#include <vulkan/vulkan.h>
#define XR_USE_GRAPHICS_API_VULKAN
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <string>

namespace vt::xr {

// "XR_ERROR_SESSION_LOST" (falls back to the number).
std::string resultName(XrInstance instance, XrResult result);

[[noreturn]] void xrCheckFailed(XrInstance instance, XrResult result, const char* call, const char* file, int line);

// True for results that mean the runtime or the session is gone: handled by ending the app cleanly
// rather than by a check failure.
inline bool isLoss(XrResult result) {
    return result == XR_ERROR_INSTANCE_LOST || result == XR_ERROR_SESSION_LOST ||
           result == XR_ERROR_RUNTIME_FAILURE || result == XR_ERROR_RUNTIME_UNAVAILABLE;
}

}  // namespace vt::xr

// For calls whose failure is a bug or a broken runtime; loss results are handled where they happen.
#define XR_CHECK(instance, call)                                                                   \
    do {                                                                                           \
        const XrResult vtXrResult_ = (call);                                                       \
        if (XR_FAILED(vtXrResult_)) ::vt::xr::xrCheckFailed(instance, vtXrResult_, #call, __FILE__, __LINE__); \
    } while (0)

// For a result already held (because loss results were handled first): `call` names the function
// that returned it, so the failure says which call failed rather than "r".
#define XR_CHECK_RESULT(instance, result, call)                                                    \
    do {                                                                                           \
        const XrResult vtXrResult_ = (result);                                                     \
        if (XR_FAILED(vtXrResult_)) ::vt::xr::xrCheckFailed(instance, vtXrResult_, call, __FILE__, __LINE__); \
    } while (0)
