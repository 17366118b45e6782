#pragma once
// Whether a reference names a network resource: one predicate for every module that must tell a
// URL from a file path (pack sources, exhibit references, media paths, the render command).

#include <string_view>

namespace vt {

// True for "http://..." and "https://..." in any letter case: URL schemes are case-insensitive
// (RFC 3986 3.1), so "HTTPS://host/a.vpk" is a URL, not a relative path.
constexpr bool isHttpUrl(std::string_view reference) {
    const auto hasScheme = [&](std::string_view scheme) {
        if (reference.size() < scheme.size()) return false;
        for (size_t i = 0; i < scheme.size(); ++i) {
            char c = reference[i];
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
            if (c != scheme[i]) return false;
        }
        return true;
    };
    return hasScheme("http://") || hasScheme("https://");
}

}  // namespace vt
