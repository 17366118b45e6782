#pragma once
// Museum widgets drawn with Dear ImGui inside the caller's window (ImGui::Begin/End are the caller's).

#include <string_view>

#include "exhibit/exhibit.h"

namespace vt::ui {

// The museum's record of an object: title, creator, date, culture, medium, dimensions, description,
// credit line, accession number, institution, license. Text in `language` ("en", "zh"), falling back
// as exhibit::LocalizedText::get does; headings from ui::tr. Empty fields are left out.
void drawLabelPanel(const exhibit::Label& label, std::string_view language);

}  // namespace vt::ui
