#pragma once
// Which media references a record may carry, and where they lead on disk.
//
// Allowed: http(s) URLs, and relative paths that stay inside the source's folder. Refused: paths
// with ".." that leave the folder, absolute paths, and any other URL scheme (file:, ftp:, data:...).
// A relative path is stored resolved against the source's folder (absolute, lexically normal), so
// the catalog can find it later; URLs stay as they are.
//
// At conversion time a URL can be mapped to local files with a documented prefix mapping
// (--media-map PREFIX=DIR): nothing is downloaded in tests, and the mapped rest of the URL obeys
// the same rules as a relative path.

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/url.h"

namespace vt::collection {


// The reference as it will be stored: a URL, or an absolute path inside `folder`. An error says why
// it is refused.
Result<std::string> checkMediaReference(const std::string& uri, const std::filesystem::path& folder);

struct MediaMapping {
    std::string prefix;               // e.g. "https://raw.githubusercontent.com/IIIF/3d/main" (a trailing slash or not)
    std::filesystem::path directory;  // local folder that mirrors it
};

// "PREFIX=DIR" -> a mapping.
Result<MediaMapping> parseMediaMapping(const std::string& text);

// A stored reference -> a local file to convert: a path as it is, a URL through the first mapping
// whose prefix covers it: the URL starts with the prefix (scheme and host in any case) and the prefix
// ends on one of its path-segment boundaries, so "https://h/a" and "https://h/a/" both map
// "https://h/a/x.glb" to DIR/x.glb and neither maps "https://h/a2/x.glb". An error when no mapping
// covers the URL (naming the maps given) or the mapped path escapes DIR.
Result<std::filesystem::path> localMediaPath(const std::string& stored, const std::vector<MediaMapping>& mappings);

}  // namespace vt::collection
