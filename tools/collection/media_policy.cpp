#include "media_policy.h"

#include <algorithm>
#include <cctype>
#include <format>
#include <optional>

namespace vt::collection {

namespace {

std::string lower(std::string text) {
    for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "scheme:" at the start (RFC 3986: a letter, then letters, digits, + - .), longer than one letter
// so "C:" reads as a Windows drive, not a scheme.
bool hasScheme(const std::string& uri) {
    const size_t colon = uri.find(':');
    if (colon == std::string::npos || colon < 2) return false;
    if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
    return std::all_of(uri.begin(), uri.begin() + long(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += char(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// A relative path that must stay inside `folder`; the joined, normal path.
Result<std::filesystem::path> insideFolder(const std::string& reference, const std::filesystem::path& folder,
                                           const std::string& shown) {
    std::string path = percentDecode(reference);
    std::replace(path.begin(), path.end(), '\\', '/');
    if (path.empty()) return fail("empty media path");
    if (path.find('\0') != std::string::npos) return fail("media path '{}' contains a NUL byte", shown);
    if (path[0] == '/' || (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':'))
        return fail("media path '{}' is absolute; records may only name files inside their own folder", shown);
    const std::filesystem::path normal = std::filesystem::path(path).lexically_normal();
    if (!normal.empty() && *normal.begin() == "..")
        return fail("media path '{}' leaves the source folder", shown);
    return (std::filesystem::absolute(folder) / normal).lexically_normal();
}

// The scheme and host in lower case (they are case-insensitive, RFC 3986 6.2.2.1), the rest as it is.
std::string caseFolded(const std::string& url) {
    const size_t authority = url.find("://");
    if (authority == std::string::npos) return url;
    const size_t path = url.find_first_of("/?#", authority + 3);
    return lower(url.substr(0, path)) + (path == std::string::npos ? "" : url.substr(path));
}

// What follows `prefix` in `url` when the prefix ends on a path-segment boundary of it (with or
// without its trailing slash: "https://h/a" and "https://h/a/" both cover "https://h/a/x.glb", neither
// covers "https://h/a2/x.glb"); nullopt when it does not cover the URL.
std::optional<std::string> afterPrefix(const std::string& url, std::string prefix) {
    const std::string folded = caseFolded(url);
    prefix = caseFolded(prefix);
    while (prefix.ends_with('/') && !prefix.ends_with("://")) prefix.pop_back();
    if (!folded.starts_with(prefix)) return std::nullopt;
    std::string rest = url.substr(prefix.size());
    if (!rest.empty() && rest[0] != '/' && rest[0] != '?' && rest[0] != '#' && !prefix.ends_with("://")) return std::nullopt;
    if (rest.starts_with('/')) rest.erase(0, 1);
    return rest;
}

}  // namespace

Result<std::string> checkMediaReference(const std::string& uri, const std::filesystem::path& folder) {
    if (isHttpUrl(uri)) return uri;
    if (hasScheme(uri))
        return fail("media '{}' uses the scheme '{}'; only http(s) URLs and relative paths are allowed", uri,
                    uri.substr(0, uri.find(':')));
    if (folder.empty()) return fail("media path '{}' is relative but the record did not come from a folder", uri);
    auto path = insideFolder(uri, folder, uri);
    if (!path) return std::unexpected(path.error());
    return path->string();
}

Result<MediaMapping> parseMediaMapping(const std::string& text) {
    const size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
        return fail("--media-map '{}': expected PREFIX=DIR", text);
    MediaMapping mapping{text.substr(0, equals), text.substr(equals + 1)};
    if (!isHttpUrl(mapping.prefix)) return fail("--media-map '{}': the prefix must be an http(s) URL", text);
    return mapping;
}

Result<std::filesystem::path> localMediaPath(const std::string& stored, const std::vector<MediaMapping>& mappings) {
    if (!isHttpUrl(stored)) {
        if (stored.empty() || stored[0] != '/') return fail("media '{}' is not a checked local path", stored);
        return std::filesystem::path(stored);
    }
    for (const MediaMapping& mapping : mappings) {
        std::optional<std::string> rest = afterPrefix(stored, mapping.prefix);
        if (!rest) continue;
        return insideFolder(rest->substr(0, rest->find_first_of("?#")), mapping.directory, stored);
    }
    std::string given;
    for (const MediaMapping& mapping : mappings) given += (given.empty() ? "" : ", ") + mapping.prefix;
    return fail("no --media-map prefix matches {}; maps given: {} (nothing is downloaded)", stored, given.empty() ? "none" : given);
}

}  // namespace vt::collection
