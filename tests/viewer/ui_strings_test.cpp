// The viewer's own words in Chinese: every line the viewer shows has a translation, and the
// statistics lines (std::format strings) take the same values in both languages.
#include <format>
#include <string>

#include <gtest/gtest.h>

#include "ui/strings.h"

namespace vt::ui {
namespace {

TEST(UiStrings, EveryViewerLineHasAChineseTranslation) {
    for (const char* key : {
             "WASD walk, drag (or Tab) to look, click an object, T tour, B browse, I info, M measure, F1 settings, F3 stats, F12 screenshot",
             "drag orbit, right-drag pan, wheel zoom, M measure, H annotations, Esc back to walking",
             "Right/N next, Left/P previous, Space pause, Esc leave the tour",
             "Click an object to see its record.", "Click two points on the object.", "Problems", "Title", "VSync",
             "Object information", "Settings", "Statistics", "Browse", "Search", "Tour", "Measure", "Walk", "Inspect"}) {
        EXPECT_STRNE(tr(key, "zh"), key) << key;
        EXPECT_STRNE(tr(key, "zh-Hans"), key) << key;
        EXPECT_STREQ(tr(key, "en"), key);
        EXPECT_NE(std::string(allTranslations()).find(tr(key, "zh")), std::string::npos) << "in the glyph atlas: " << key;
    }
    EXPECT_STREQ(tr("drag orbit, right-drag pan, wheel zoom, M measure, H annotations, Esc back to walking", "zh"),
                 "拖动旋转，右键拖动平移，滚轮缩放，M 测量，H 注释，Esc 返回漫游");
}

// The headset's tour panel (xr/panels.cpp): its controls and the paused line.
TEST(UiStrings, HeadsetTourPanelWordsHaveChineseTranslations) {
    for (const char* key : {"Previous", "Next", "Pause", "Play", "Paused"}) {
        EXPECT_STRNE(tr(key, "zh"), key) << key;
        EXPECT_STREQ(tr(key, "en"), key);
        EXPECT_NE(std::string(allTranslations()).find(tr(key, "zh")), std::string::npos) << "in the glyph atlas: " << key;
    }
    EXPECT_STREQ(tr("Paused", "zh"), "已暂停");
}

TEST(UiStrings, StatisticsFormatTheSameValuesInBothLanguages) {
    const float ms = 16.7f, fps = 60.0f;
    const double gpu = 12.5, cache = 3.25, fetched = 40.0;
    const unsigned long long triangles = 123456;
    const uint32_t resident = 10, pending = 2;
    const size_t open = 4, failed = 1, total = 5;
    for (const char* language : {"en", "zh"}) {
        auto line = [&](const char* key, const auto&... values) {
            return std::vformat(tr(key, language), std::make_format_args(values...));
        };
        EXPECT_NE(line("frame {:.1f} ms ({:.0f} fps)", ms, fps).find("16.7"), std::string::npos) << language;
        EXPECT_NE(line("triangles {}", triangles).find("123456"), std::string::npos) << language;
        EXPECT_NE(line("resident {:.1f} MiB GPU, {:.1f} MiB cache", gpu, cache).find("3.2"), std::string::npos) << language;
        EXPECT_NE(line("pages {} resident, {} pending", resident, pending).find('2'), std::string::npos) << language;
        EXPECT_NE(line("artifacts {} open, {} failed, {} total", open, failed, total).find('5'), std::string::npos) << language;
        EXPECT_NE(line("fetched {:.1f} MiB", fetched).find("40.0"), std::string::npos) << language;
        EXPECT_NE(line("fetched {:.1f} MiB, settled", fetched).find("40.0"), std::string::npos) << language;
    }
    EXPECT_EQ(std::vformat(tr("triangles {}", "zh"), std::make_format_args(triangles)), "三角形 123456");
}

}  // namespace
}  // namespace vt::ui
