#pragma once
// Minimal logging to stderr: one line per message, prefixed with the level.

#include <format>
#include <string_view>

namespace vt::log {

enum class Level { Info, Warning, Error };

void write(Level level, std::string_view message);

template <class... Args>
void info(std::format_string<Args...> fmt, Args&&... args) {
    write(Level::Info, std::format(fmt, std::forward<Args>(args)...));
}
template <class... Args>
void warn(std::format_string<Args...> fmt, Args&&... args) {
    write(Level::Warning, std::format(fmt, std::forward<Args>(args)...));
}
template <class... Args>
void error(std::format_string<Args...> fmt, Args&&... args) {
    write(Level::Error, std::format(fmt, std::forward<Args>(args)...));
}

}  // namespace vt::log
