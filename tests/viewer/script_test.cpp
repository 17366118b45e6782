// The script parser: every action, and errors that name the file and line.
#include <gtest/gtest.h>

#include "viewer/script.h"

namespace vt::viewer {
namespace {

TEST(Script, ParsesActionsCommentsAndBlankLines) {
    const char* text = "# a session\n"
                       "size 960 600\n"
                       "\n"
                       "settle   # wait for streaming\n"
                       "camera 1 1.6 2  1 1.2 0\n"
                       "tour 3\n"
                       "tour next\n"
                       "open info\n"
                       "set language zh\n"
                       "search whale skull\n"
                       "measure 10 20 30.5 40\n"
                       "measure-span whale-cranium\n"
                       "screenshot out/a.png\n"
                       "quit\n";
    auto script = parseScript(text, "s.txt");
    ASSERT_TRUE(script) << script.error().message;
    ASSERT_EQ(script->size(), 12u);
    EXPECT_EQ((*script)[0].name, "size");
    EXPECT_EQ((*script)[0].line, 2u);
    EXPECT_FLOAT_EQ((*script)[0].number(1), 600.0f);
    EXPECT_EQ((*script)[1].name, "settle");
    EXPECT_TRUE((*script)[1].args.empty());
    EXPECT_EQ((*script)[1].line, 4u);
    EXPECT_FLOAT_EQ((*script)[2].number(5), 0.0f);
    EXPECT_EQ((*script)[7].rest(0), "whale skull");
    EXPECT_FLOAT_EQ((*script)[8].number(2), 30.5f);
    EXPECT_EQ((*script)[10].args[0], "out/a.png");
}

TEST(Script, ErrorsNameTheFileAndLine) {
    struct Case {
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"settle\nscren a.png\n", "s.txt:2: unknown action 'scren' (expected one of: settle,"},
        {"size 960\n", "s.txt:1: 'size' takes 2 arguments (W H), got 1"},
        {"zoom x\n", "s.txt:1: 'zoom': 'x' is not a number (STEPS)"},
        {"\n\nmode fly\n", "s.txt:3: 'mode': unknown 'fly' (expected walk|inspect|tour|browse)"},
        {"open drawer\n", "s.txt:1: 'open': unknown 'drawer' (expected info settings stats browse measure annotations tour)"},
        {"tour sideways\n", "s.txt:1: 'tour': unknown 'sideways' (expected N|next|previous|pause|resume|end)"},
        {"quit 1 2\n", "s.txt:1: 'quit' takes 0 to 1 argument ([CODE]), got 2"},
        {"camera 1 2 3 4 5 nan\n", "s.txt:1: 'camera': 'nan' is not a number"},
        {"screenshot\n", "s.txt:1: 'screenshot' takes 1 argument (PATH), got 0"},
    };
    for (const Case& c : cases) {
        auto script = parseScript(c.text, "s.txt");
        ASSERT_FALSE(script) << c.text;
        EXPECT_TRUE(script.error().message.starts_with(c.expected)) << script.error().message;
    }
}

TEST(Script, TourTakesAStopNumber) {
    auto script = parseScript("tour 2\ntour pause\n", "s.txt");
    ASSERT_TRUE(script);
    EXPECT_FLOAT_EQ((*script)[0].number(0), 2.0f);
}

TEST(Script, MissingFileIsAnError) {
    auto script = loadScript("/nonexistent/script.txt");
    ASSERT_FALSE(script);
    EXPECT_EQ(script.error().message, "/nonexistent/script.txt: cannot read the script");
}

// What the viewer runs without a window: each stop paused and settled, then its picture.
TEST(Script, TourPicturesVisitEachStopOrTheEntrance) {
    const std::vector<ScriptAction> two = tourPicturesScript(2, "out/tour");
    std::vector<std::string> lines;
    for (const ScriptAction& a : two) lines.push_back(a.name + (a.args.empty() ? "" : " " + a.rest(0)));
    EXPECT_EQ(lines, (std::vector<std::string>{"tour 1", "tour pause", "settle", "screenshot out/tour/stop-01.png",
                                               "tour 2", "tour pause", "settle", "screenshot out/tour/stop-02.png",
                                               "quit"}));
    const std::vector<ScriptAction> none = tourPicturesScript(0, "d");
    ASSERT_EQ(none.size(), 3u);
    EXPECT_EQ(none[1].rest(0), "d/entrance.png");
    const std::vector<ScriptAction> shot = screenshotScript("shot.png");
    ASSERT_EQ(shot.size(), 3u);
    EXPECT_EQ(shot[0].name, "settle");
    EXPECT_EQ(shot[1].rest(0), "shot.png");
    EXPECT_EQ(shot[2].name, "quit");
}

}  // namespace
}  // namespace vt::viewer
