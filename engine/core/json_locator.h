#pragma once
// Where each value of a JSON document starts, by JSON pointer, so messages about a value that a
// JSON library parsed can name its line and column. Also finds keys given twice in one object,
// which JSON libraries silently resolve to one of them.
//
// Meant for text a real parser has already accepted; on malformed text it stops early and knows
// fewer locations, never reads out of bounds.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vt {

struct TextLocation {
    uint32_t line = 0;    // 1-based; 0 = unknown
    uint32_t column = 0;  // 1-based, bytes
    uint64_t offset = 0;  // bytes from the start
};

// Byte offset -> line and column.
TextLocation locateOffset(std::string_view text, uint64_t offset);

// Real documents (exhibits, museum records) nest a dozen levels. Deeper ones are refused before
// parsing: locating values in them costs time and memory quadratic in the depth, and recursive code
// on the parsed value (printing it) would run out of stack.
inline constexpr size_t kMaxJsonDepth = 256;

// The byte offset where brackets outside strings first nest deeper than `maxDepth`, or npos.
size_t jsonNestingExceeds(std::string_view text, size_t maxDepth = kMaxJsonDepth);

// Where an error message that quotes a piece of the text ("number overflow parsing '1e400'", as a
// JSON library says of a number too large for a double) points: the first place that piece occurs.
// Line 0 when the message quotes nothing found in the text.
TextLocation locateQuotedToken(std::string_view text, std::string_view message);

// A pointer token with "~" and "/" escaped (RFC 6901).
std::string escapeJsonPointerToken(std::string_view token);

class JsonLocator {
public:
    explicit JsonLocator(std::string_view json);

    // Location of the value at `pointer` ("" is the root); unknown pointers give line 0. For a
    // pointer that does not exist, the nearest existing parent's location.
    TextLocation find(std::string_view pointer) const;

    // Pointers of keys that appear more than once in their object (the later occurrences).
    const std::vector<std::string>& duplicateKeys() const { return duplicates_; }

private:
    std::unordered_map<std::string, TextLocation> locations_;
    std::vector<std::string> duplicates_;
};

}  // namespace vt
