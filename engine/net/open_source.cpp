#include <algorithm>
#include <cctype>
#include <string_view>

#include "net/http_source.h"

namespace vt::net {

namespace {
bool hasSchemeNoCase(std::string_view text, std::string_view scheme) {
    return text.size() >= scheme.size() &&
           std::ranges::equal(text.substr(0, scheme.size()), scheme, [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}
}  // namespace

Result<std::unique_ptr<pack::ByteSource>> openSource(const std::string& pathOrUrl) {
    if (hasSchemeNoCase(pathOrUrl, "http://") || hasSchemeNoCase(pathOrUrl, "https://")) {
        auto source = HttpSource::open(pathOrUrl);
        if (!source) return std::unexpected(source.error());
        return std::unique_ptr<pack::ByteSource>(std::move(*source));
    }
    return pack::openFile(pathOrUrl);
}

}  // namespace vt::net
