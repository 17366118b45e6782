#include "ui/label_panel.h"

#include <imgui.h>

#include "ui/strings.h"

namespace vt::ui {

void drawLabelPanel(const exhibit::Label& label, std::string_view language) {
    const std::string& title = label.title.get(language);
    if (!title.empty()) {
        // The title one step larger than the body, like a printed label.
        ImGui::SetWindowFontScale(1.25f);
        ImGui::TextWrapped("%s", title.c_str());
        ImGui::SetWindowFontScale(1.0f);
        ImGui::Separator();
    }
    auto field = [&](const char* heading, const std::string& text) {
        if (text.empty()) return;
        ImGui::TextDisabled("%s", tr(heading, language));
        ImGui::SameLine(ImGui::GetFontSize() * 7.0f);
        ImGui::TextWrapped("%s", text.c_str());
    };
    field("Creator", label.creator.get(language));
    field("Date", label.date.get(language));
    field("Culture", label.culture.get(language));
    field("Medium", label.medium.get(language));
    field("Dimensions", label.dimensions.get(language));
    const std::string& description = label.description.get(language);
    if (!description.empty()) {
        ImGui::Spacing();
        ImGui::TextWrapped("%s", description.c_str());
        ImGui::Spacing();
    }
    field("Credit line", label.creditLine.get(language));
    field("Object number", label.objectNumber);
    field("Institution", label.institution);
    field("License", label.license);
    field("Source", label.sourceUrl);
}

}  // namespace vt::ui
