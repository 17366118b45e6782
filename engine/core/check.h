#pragma once
// Contract checks.
//
// VT_ASSERT: programmer error, debug builds only.
// VT_CHECK:  contract violation, always on; prints file:line and the violated condition, then aborts.

#include <cstdio>
#include <cstdlib>

namespace vt::detail {
[[noreturn]] inline void checkFailed(const char* file, int line, const char* condition, const char* message) {
    std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", file, line, condition, message);
    std::fflush(stderr);
    std::abort();
}
}  // namespace vt::detail

#define VT_CHECK(condition, message)                                                   \
    do {                                                                               \
        if (!(condition)) ::vt::detail::checkFailed(__FILE__, __LINE__, #condition, message); \
    } while (0)

#ifndef NDEBUG
#define VT_ASSERT(condition, message) VT_CHECK(condition, message)
#else
#define VT_ASSERT(condition, message) ((void)0)
#endif
