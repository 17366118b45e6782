#include "xr/openxr_include.h"

#include <cstdlib>

#include "core/log.h"

namespace vt::xr {

std::string resultName(XrInstance instance, XrResult result) {
    char buffer[XR_MAX_RESULT_STRING_SIZE] = {};
    if (instance != XR_NULL_HANDLE && XR_SUCCEEDED(xrResultToString(instance, result, buffer))) return buffer;
    return "XrResult(" + std::to_string(int(result)) + ")";
}

void xrCheckFailed(XrInstance instance, XrResult result, const char* call, const char* file, int line) {
    log::error("{}:{}: {} returned {}", file, line, call, resultName(instance, result));
    std::abort();
}

}  // namespace vt::xr
