#include "core/url.h"
#include "net/http_source.h"

namespace vt::net {

Result<std::unique_ptr<pack::ByteSource>> openSource(const std::string& pathOrUrl) {
    if (isHttpUrl(pathOrUrl)) {
        auto source = HttpSource::open(pathOrUrl);
        if (!source) return std::unexpected(source.error());
        return std::unique_ptr<pack::ByteSource>(std::move(*source));
    }
    return pack::openFile(pathOrUrl);
}

}  // namespace vt::net
