#pragma once
// Error values for untrusted input and missing capabilities.
//
// Anything that reads a file, a record or a network response returns Result<T>: either the value
// or an Error whose message a curator can act on ("bunny.ply: line 12: expected 3 vertex indices").
// Programmer errors use VT_ASSERT instead.

#include <expected>
#include <format>
#include <string>
#include <utility>

namespace vt {

struct Error {
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// Builds an unexpected Error from a std::format string: `return fail("{}: truncated", path);`
template <class... Args>
[[nodiscard]] std::unexpected<Error> fail(std::format_string<Args...> fmt, Args&&... args) {
    return std::unexpected(Error{std::format(fmt, std::forward<Args>(args)...)});
}

}  // namespace vt
