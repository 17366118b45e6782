#include "tour/captions.h"

#include <algorithm>
#include <cstdint>

namespace vt::tour {
namespace {

// Decodes one UTF-8 code point at `i` and advances; invalid bytes count as one Latin character.
uint32_t nextCodePoint(std::string_view text, size_t& i) {
    const auto byte = [&](size_t k) { return uint8_t(text[k]); };
    const uint8_t first = byte(i);
    int length = first < 0x80 ? 1 : (first >> 5) == 0x6 ? 2 : (first >> 4) == 0xE ? 3 : (first >> 3) == 0x1E ? 4 : 1;
    if (i + size_t(length) > text.size()) length = 1;
    uint32_t cp = length == 1 ? first : first & (0x7F >> length);
    for (int k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + size_t(k)) & 0x3F);
    i += size_t(length);
    return cp;
}

bool isCjk(uint32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}

// The word before a full stop looks like an abbreviation ("e.g", "ca", "St"): no sentence ends there.
bool isAbbreviation(std::string_view before) {
    const size_t space = before.find_last_of(" \n(");
    const std::string_view word = space == std::string_view::npos ? before : before.substr(space + 1);
    return word.find('.') != std::string_view::npos || word == "ca" || word == "c" || word == "St" || word == "Dr" ||
           word == "Mr" || word == "Mrs" || word == "no" || word == "No" || word.size() == 1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::vector<std::string> CaptionTrack::splitSentences(std::string_view text) {
    std::vector<std::string> sentences;
    size_t start = 0, i = 0;
    while (i < text.size()) {
        const uint32_t cp = nextCodePoint(text, i);
        bool end = false;
        if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) end = true;  // 。！？ end a sentence where they stand
        if ((cp == '.' || cp == '!' || cp == '?') && (i == text.size() || text[i] == ' ' || text[i] == '\n'))
            end = cp != '.' || !isAbbreviation(text.substr(0, i - 1));  // "3.5 m" and "e.g. big" do not
        if (end) {
            if (auto s = trim(text.substr(start, i - start)); !s.empty()) sentences.emplace_back(s);
            start = i;
        }
    }
    if (auto s = trim(text.substr(start)); !s.empty()) sentences.emplace_back(s);
    return sentences;
}

float CaptionTrack::weight(std::string_view text) {
    float total = 0.0f;
    for (size_t i = 0; i < text.size();) total += isCjk(nextCodePoint(text, i)) ? kCjkWeight : 1.0f;
    return total;
}

float CaptionTrack::readingSeconds(std::string_view text) {
    return std::max(kMinSeconds, weight(text) * kSecondsPerLatinChar);
}

CaptionTrack::CaptionTrack(std::string_view text, float durationSeconds) {
    duration_ = durationSeconds > 0.0f ? durationSeconds : readingSeconds(text);
    const std::vector<std::string> sentences = splitSentences(text);
    float total = 0.0f;
    for (const std::string& s : sentences) total += std::max(1.0f, weight(s));
    float t = 0.0f;
    for (const std::string& s : sentences) {
        const float share = duration_ * std::max(1.0f, weight(s)) / total;
        cues_.push_back({t, t + share, s});
        t += share;
    }
    if (!cues_.empty()) cues_.back().end = duration_;
}

size_t CaptionTrack::indexAt(float seconds) const {
    for (size_t i = 0; i < cues_.size(); ++i)
        if (seconds < cues_[i].end) return i;
    return cues_.empty() ? 0 : cues_.size() - 1;
}

const std::string& CaptionTrack::at(float seconds) const {
    static const std::string empty;
    return cues_.empty() ? empty : cues_[indexAt(seconds)].text;
}

}  // namespace vt::tour
