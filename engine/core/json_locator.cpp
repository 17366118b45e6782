#include "core/json_locator.h"

#include <unordered_set>

namespace vt {

TextLocation locateQuotedToken(std::string_view text, std::string_view message) {
    const size_t open = message.find('\'');
    const size_t close = open == std::string_view::npos ? open : message.find('\'', open + 1);
    if (close == std::string_view::npos || close == open + 1) return {};
    const size_t at = text.find(message.substr(open + 1, close - open - 1));
    return at == std::string_view::npos ? TextLocation{} : locateOffset(text, at);
}

size_t jsonNestingExceeds(std::string_view text, size_t maxDepth) {
    size_t depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

TextLocation locateOffset(std::string_view text, uint64_t offset) {
    TextLocation location{1, 1, offset};
    const uint64_t end = std::min<uint64_t>(offset, text.size());
    for (uint64_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++location.line;
            location.column = 1;
        } else {
            ++location.column;
        }
    }
    return location;
}

std::string escapeJsonPointerToken(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

namespace {

void appendUtf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
        out += char(code);
    } else if (code < 0x800) {
        out += char(0xC0 | (code >> 6));
        out += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += char(0xE0 | (code >> 12));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    } else {
        out += char(0xF0 | (code >> 18));
        out += char(0x80 | ((code >> 12) & 0x3F));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    }
}

// A single pass over the text with an explicit stack of open containers; tracks the line as it goes.
class Scanner {
public:
    Scanner(std::string_view text, std::unordered_map<std::string, TextLocation>& locations,
            std::vector<std::string>& duplicates)
        : text_(text), locations_(locations), duplicates_(duplicates) {}

    void run() {
        if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") advance(3);  // byte-order mark
        struct Frame {
            bool isObject;
            std::string pointer;
            uint32_t index = 0;
            std::unordered_set<std::string> keys;
        };
        std::vector<Frame> stack;
        bool expectValue = true;
        std::string valuePointer;  // pointer of the value about to start
        while (true) {
            skipSpace();
            if (pos_ >= text_.size()) return;
            const char c = text_[pos_];
            if (expectValue) {
                record(valuePointer);
                expectValue = false;
                if (c == '{' || c == '[') {
                    stack.push_back({c == '{', valuePointer, 0, {}});
                    advance(1);
                    skipSpace();
                    if (pos_ < text_.size() && (text_[pos_] == '}' || text_[pos_] == ']')) {
                        advance(1);
                        stack.pop_back();
                        continue;
                    }
                    if (!beginMember(stack.back().isObject, stack.back().pointer, stack.back().index,
                                     stack.back().keys, valuePointer))
                        return;
                    expectValue = true;
                    continue;
                }
                if (c == '"') {
                    std::string ignored;
                    if (!readString(ignored)) return;
                } else {
                    while (pos_ < text_.size() && !isDelimiter(text_[pos_])) advance(1);
                }
                continue;
            }
            // After a value: ',' continues the innermost container, '}' / ']' closes it.
            if (stack.empty()) return;
            if (c == ',') {
                advance(1);
                Frame& top = stack.back();
                ++top.index;
                if (!beginMember(top.isObject, top.pointer, top.index, top.keys, valuePointer)) return;
                expectValue = true;
            } else if (c == '}' || c == ']') {
                advance(1);
                stack.pop_back();
            } else {
                return;
            }
        }
    }

private:
    static bool isDelimiter(char c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    // Reads "key": (objects) or nothing (arrays) and sets the pointer of the member's value.
    bool beginMember(bool isObject, const std::string& parent, uint32_t index, std::unordered_set<std::string>& keys,
                     std::string& pointer) {
        if (!isObject) {
            pointer = parent + "/" + std::to_string(index);
            return true;
        }
        skipSpace();
        std::string key;
        if (pos_ >= text_.size() || text_[pos_] != '"' || !readString(key)) return false;
        skipSpace();
        if (pos_ >= text_.size() || text_[pos_] != ':') return false;
        advance(1);
        pointer = parent + "/" + escapeJsonPointerToken(key);
        if (!keys.insert(key).second) duplicates_.push_back(pointer);
        return true;
    }

    bool readString(std::string& out) {
        advance(1);  // opening quote
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == '"') {
                advance(1);
                return true;
            }
            if (c == '\\') {
                if (pos_ + 1 >= text_.size()) return false;
                const char e = text_[pos_ + 1];
                if (e == 'u') {
                    if (pos_ + 6 > text_.size()) return false;
                    uint32_t code = 0;
                    for (size_t i = pos_ + 2; i < pos_ + 6; ++i) {
                        const char h = text_[i];
                        code = code * 16 + uint32_t(h >= '0' && h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                    }
                    appendUtf8(out, code);  // surrogate pairs come out as two code points; keys rarely have them
                    advance(6);
                } else {
                    const char* plain = "\"\\/\b\f\n\r\t";
                    const std::string_view escapes = "\"\\/bfnrt";
                    const size_t k = escapes.find(e);
                    out += k == std::string_view::npos ? e : plain[k];
                    advance(2);
                }
                continue;
            }
            out += c;
            advance(1);
        }
        return false;
    }

    void skipSpace() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
            advance(1);
    }

    void advance(size_t n) {
        for (size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
            if (text_[pos_] == '\n') {
                ++line_;
                column_ = 1;
            } else {
                ++column_;
            }
        }
    }

    void record(const std::string& pointer) { locations_.try_emplace(pointer, TextLocation{line_, column_, pos_}); }

    std::string_view text_;
    std::unordered_map<std::string, TextLocation>& locations_;
    std::vector<std::string>& duplicates_;
    size_t pos_ = 0;
    uint32_t line_ = 1;
    uint32_t column_ = 1;
};

}  // namespace

JsonLocator::JsonLocator(std::string_view json) { Scanner(json, locations_, duplicates_).run(); }

TextLocation JsonLocator::find(std::string_view pointer) const {
    std::string key(pointer);
    while (true) {
        if (auto it = locations_.find(key); it != locations_.end()) return it->second;
        if (key.empty()) return {};
        key.resize(key.rfind('/'));
    }
}

}  // namespace vt
