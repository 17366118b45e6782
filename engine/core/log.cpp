#include "core/log.h"

#include <cstdio>
#include <mutex>

namespace vt::log {

void write(Level level, std::string_view message) {
    static std::mutex mutex;  // validation callbacks may arrive from driver threads
    const char* prefix = level == Level::Error ? "error: " : level == Level::Warning ? "warning: " : "";
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(message.size()), message.data());
}

}  // namespace vt::log
