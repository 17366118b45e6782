// What the viewer opens: a broken exhibit file keeps its diagnostics (packs on their own: tests/exhibit).
#include <gtest/gtest.h>

#include "viewer/exhibit_source.h"

namespace vt::viewer {
namespace {

TEST(ExhibitSource, BrokenExhibitKeepsItsDiagnostics) {
    const OpenedExhibit opened = openInputs({"/nonexistent/exhibit.json"});
    EXPECT_FALSE(opened.usable);
    ASSERT_FALSE(opened.problems.empty());
    EXPECT_NE(opened.problems[0].find("/nonexistent/exhibit.json"), std::string::npos);
}

}  // namespace
}  // namespace vt::viewer
