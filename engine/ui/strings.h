#pragma once
// The user interface's own words in English and Chinese. Exhibit text comes with the exhibit; these
// are the panel headings and buttons. Every Chinese string here is added to the font atlas.

#include <string_view>

namespace vt::ui {

// `key` is the English text; returns the translation for `language` ("zh", "zh-Hans"...) or the key.
const char* tr(const char* key, std::string_view language);

// Every translated string, concatenated (for the glyph atlas).
const char* allTranslations();

}  // namespace vt::ui
