// App: the ImGui panels (help line, object information, tour, browse, settings, statistics,
// measure, problems), built once a frame.
#include "viewer/app.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <format>

#include <imgui.h>

#include "ui/label_panel.h"
#include "ui/strings.h"

namespace vt::viewer {
namespace {

const ImVec4 kHintColor{0.78f, 0.78f, 0.78f, 1.0f};

std::string lower(std::string text) {
    for (char& c : text) c = char(std::tolower(uint8_t(c)));
    return text;
}

bool matches(const exhibit::LocalizedText& text, const std::string& needle) {
    for (const auto& [language, value] : text.byLanguage)
        if (lower(value).find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

void App::buildUi(glm::vec2 viewport, const scene::View& view) {
    lastViewport_ = viewport;
    infoPanelWidth_ = ImGui::GetFontSize() * 23.0f;
    drawHelp(viewport);
    if (panels_.info) drawInfo();
    if (panels_.tour && mode_ == Mode::Tour) drawTour();
    if (panels_.browse) drawBrowse();
    if (panels_.settings) drawSettings();
    if (panels_.stats) drawStats();
    if (panels_.measure) drawMeasure();
    if (panels_.problems && !problems_.empty()) drawProblems();
    // After the panels: the labels go where no panel is (the background list draws below them anyway).
    drawOverlays(viewport, view);
    checkLabelsClearOfPanels();
}

void App::drawHelp(glm::vec2 viewport) {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 0.5f}, ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.55f);
    ImGui::SetNextWindowSizeConstraints({0, 0}, {viewport.x - em, em * 4});
    ImGui::Begin("##help", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                     ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove);
    const std::string& title = scene_.exhibit().title.get(settings_.language);
    const char* mode = mode_ == Mode::Walk ? ui::tr("Walk", settings_.language)
                       : mode_ == Mode::Inspect ? ui::tr("Inspect", settings_.language)
                                               : ui::tr("Tour", settings_.language);
    ImGui::Text("%s  |  %s", title.empty() ? "Vitrine" : title.c_str(), mode);
    if (mode_ == Mode::Walk)
        ImGui::TextColored(kHintColor, "%s", ui::tr("WASD walk, drag (or Tab) to look, click an object, T tour, B browse, I info, M measure, F1 settings, F3 stats, F12 screenshot", settings_.language));
    else if (mode_ == Mode::Inspect)
        ImGui::TextColored(kHintColor, "%s", ui::tr("drag orbit, right-drag pan, wheel zoom, M measure, H annotations, Esc back to walking", settings_.language));
    else
        ImGui::TextColored(kHintColor, "%s", ui::tr("Right/N next, Left/P previous, Space pause, Esc leave the tour", settings_.language));
    ImGui::End();
}

void App::drawInfo() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x - em * 0.5f, em * 4.5f}, ImGuiCond_Always, {1.0f, 0.0f});
    ImGui::SetNextWindowSize({em * 22, 0}, ImGuiCond_Always);
    std::string title = std::string(ui::tr("Object information", settings_.language)) + "###info";
    if (ImGui::Begin(title.c_str(), &panels_.info, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize)) {
        if (!selected_) {
            ImGui::TextWrapped("%s", ui::tr("Click an object to see its record.", settings_.language));
        } else {
            const gallery::ArtifactInfo& info = scene_.artifacts()[*selected_];
            if (info.failed) ImGui::TextColored({1, 0.5f, 0.4f, 1}, "%s", ui::tr("Could not open", settings_.language));
            ui::drawLabelPanel(info.artifact->label, settings_.language);
        }
    }
    ImGui::End();
}

void App::drawTour() {
    const auto& stops = scene_.exhibit().tour.stops;
    if (!tour_.active() || size_t(tour_.stop()) >= stops.size()) return;
    const exhibit::TourStop& stop = stops[size_t(tour_.stop())];
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {0.5f, 1.0f});
    ImGui::SetNextWindowSize({std::min(display.x - em, em * 36), 0}, ImGuiCond_Always);
    const std::string& tourTitle = scene_.exhibit().tour.title.get(settings_.language);
    const std::string title = std::format("{} {}/{}###tour", tourTitle.empty() ? ui::tr("Tour", settings_.language) : tourTitle,
                                          tour_.stop() + 1, stops.size());
    if (ImGui::Begin(title.c_str(), nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse)) {
        const std::string& stopTitle = stop.title.get(settings_.language);
        if (!stopTitle.empty()) ImGui::TextWrapped("%s", stopTitle.c_str());
        // Captions follow the narration's clock when there is narration, the stop's clock otherwise.
        const std::string& caption = tour_.movePending() ? std::string() : narration_.caption();
        ImGui::Separator();
        ImGui::TextWrapped("%s", caption.empty() && tour_.movePending() ? "..." : caption.c_str());
        ImGui::Separator();
        if (ImGui::Button(ui::tr("Previous", settings_.language))) tourPrevious();
        ImGui::SameLine();
        if (ImGui::Button(tour_.paused() ? ui::tr("Play", settings_.language) : ui::tr("Pause", settings_.language)))
            tourPause(!tour_.paused());
        ImGui::SameLine();
        if (ImGui::Button(ui::tr("Next", settings_.language))) tourNext();
    }
    ImGui::End();
}

void App::drawBrowse() {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize({em * 30, em * 20}, ImGuiCond_FirstUseEver);
    const std::string title = std::string(ui::tr("Browse", settings_.language)) + "###browse";
    if (ImGui::Begin(title.c_str(), &panels_.browse)) {
        char buffer[256];
        std::snprintf(buffer, sizeof buffer, "%s", search_.c_str());
        if (ImGui::InputTextWithHint("##search", ui::tr("Search", settings_.language), buffer, sizeof buffer))
            search_ = buffer;
        const std::string needle = lower(search_);
        const auto& artifacts = scene_.exhibit().artifacts;
        int shown = 0;
        if (ImGui::BeginTable("objects", 4,
                              ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(ui::tr("Title", settings_.language), 0, 3.0f);
            ImGui::TableSetupColumn(ui::tr("Creator", settings_.language), 0, 1.5f);
            ImGui::TableSetupColumn(ui::tr("Date", settings_.language), 0, 1.0f);
            ImGui::TableSetupColumn(ui::tr("Culture", settings_.language), 0, 2.0f);
            ImGui::TableHeadersRow();
            for (size_t i = 0; i < artifacts.size(); ++i) {
                const exhibit::Label& l = artifacts[i].label;
                if (!needle.empty() && !matches(l.title, needle) && !matches(l.creator, needle) &&
                    !matches(l.date, needle) && !matches(l.culture, needle) && lower(artifacts[i].id).find(needle) == std::string::npos)
                    continue;
                ++shown;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const std::string& name = l.title.get(settings_.language);
                const std::string label = (name.empty() ? artifacts[i].id : name) + "##" + artifacts[i].id;
                if (ImGui::Selectable(label.c_str(), selected_ == i, ImGuiSelectableFlags_SpanAllColumns)) inspect(i);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.creator.get(settings_.language).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.date.get(settings_.language).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.culture.get(settings_.language).c_str());
            }
            ImGui::EndTable();
        }
        if (shown == 0) ImGui::TextDisabled("%s", ui::tr("No results", settings_.language));
    }
    ImGui::End();
}

void App::drawSettings() {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos({em * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver);
    const std::string title = std::string(ui::tr("Settings", settings_.language)) + "###settings";
    if (ImGui::Begin(title.c_str(), &panels_.settings, ImGuiWindowFlags_AlwaysAutoResize)) {
        Settings s = settings_;
        bool changed = false;
        const auto& languages = scene_.exhibit().languages;
        std::vector<std::string> offered = languages;
        for (const char* l : {"en", "zh"})
            if (std::find(offered.begin(), offered.end(), l) == offered.end()) offered.push_back(l);
        if (ImGui::BeginCombo(ui::tr("Language", settings_.language), s.language.c_str())) {
            for (const std::string& l : offered)
                if (ImGui::Selectable(l.c_str(), l == s.language)) s.language = l, changed = true;
            ImGui::EndCombo();
        }
        changed |= ImGui::SliderFloat(ui::tr("UI scale", settings_.language), &s.uiScale, 0.75f, 3.0f, "%.2f");
        changed |= ImGui::SliderFloat(ui::tr("Mouse sensitivity", settings_.language), &s.look.degreesPerPixel, 0.02f, 0.6f, "%.2f");
        changed |= ImGui::Checkbox(ui::tr("Invert mouse", settings_.language), &s.look.invertY);
        changed |= ImGui::SliderFloat(ui::tr("Quality (pixel error)", settings_.language), &s.quality, 0.5f, 16.0f, "%.1f",
                                      ImGuiSliderFlags_Logarithmic);
        int budget = int(s.budgetMiB);
        if (ImGui::SliderInt(ui::tr("Memory budget (MiB)", settings_.language), &budget, 64, 4096)) {
            s.budgetMiB = uint32_t(budget);
            changed = true;
        }
        changed |= ImGui::Checkbox(ui::tr("VSync", settings_.language), &s.vsync);
        // The font atlas is rebuilt between frames: a new UI scale applies when the slider is let go.
        if (changed) {
            if (s.uiScale != settings_.uiScale && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
                pendingUiScale_ = s.uiScale;
                s.uiScale = settings_.uiScale;
            }
            setSettings(s);
        }
    }
    ImGui::End();
    if (pendingUiScale_ > 0 && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        Settings s = settings_;
        s.uiScale = std::exchange(pendingUiScale_, 0.0f);
        setSettings(s);
    }
}

void App::drawStats() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x - em * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {1.0f, 1.0f});
    ImGui::SetNextWindowBgAlpha(0.6f);
    const std::string title = std::string(ui::tr("Statistics", settings_.language)) + "###stats";
    if (ImGui::Begin(title.c_str(), &panels_.stats, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        const stream::StreamStats stats = scene_.stats();
        size_t open = 0, failed = 0;
        for (const gallery::ArtifactInfo& a : scene_.artifacts()) open += a.open, failed += a.failed;
        // Each line's words (and their order) come from ui::tr; the numbers are filled in by std::format.
        auto line = [&](const char* key, const auto&... values) {
            ImGui::TextUnformatted(std::vformat(ui::tr(key, settings_.language), std::make_format_args(values...)).c_str());
        };
        const float fps = 1000.0f / std::max(frameMs_, 0.01f);
        const unsigned long long triangles = triangles_;
        const double gpuMiB = double(stats.residentGpuBytes) / 1048576.0, cacheMiB = double(stats.cachedCpuBytes) / 1048576.0;
        const double fetchedMiB = double(stats.bytesFetched) / 1048576.0;
        const size_t total = scene_.artifacts().size();
        line("frame {:.1f} ms ({:.0f} fps)", frameMs_, fps);
        line("triangles {}", triangles);
        line("resident {:.1f} MiB GPU, {:.1f} MiB cache", gpuMiB, cacheMiB);
        line("pages {} resident, {} pending", stats.pagesResident, stats.pendingRequests);
        line("artifacts {} open, {} failed, {} total", open, failed, total);
        line(scene_.settled() ? "fetched {:.1f} MiB, settled" : "fetched {:.1f} MiB", fetchedMiB);
    }
    ImGui::End();
}

void App::drawMeasure() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({em * 0.5f, display.y - em * 0.5f}, ImGuiCond_Always, {0.0f, 1.0f});
    const std::string title = std::string(ui::tr("Measure", settings_.language)) + "###measure";
    if (ImGui::Begin(title.c_str(), &panels_.measure, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        if (measurePoints_.size() < 2)
            ImGui::TextUnformatted(ui::tr("Click two points on the object.", settings_.language));
        else
            ImGui::Text("%s: %s", ui::tr("Distance", settings_.language), formatLength(lastMeasureMm_).c_str());
    }
    ImGui::End();
    if (!panels_.measure) measurePoints_.clear();
}

void App::drawProblems() {
    const float em = ImGui::GetFontSize();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos({display.x * 0.5f, em * 4.5f}, ImGuiCond_FirstUseEver, {0.5f, 0.0f});
    ImGui::SetNextWindowSize({std::min(display.x - em, em * 40), 0}, ImGuiCond_FirstUseEver);
    const std::string title = std::format("{} ({})###problems",
                                          ui::tr("Problems", settings_.language), problems_.size());
    if (ImGui::Begin(title.c_str(), &panels_.problems)) {
        for (const std::string& p : problems_) ImGui::TextWrapped("%s", p.c_str());
    }
    ImGui::End();
}

}  // namespace vt::viewer
