// The tour cursor both apps use (engine/tour/tour_cursor.h): the rules are decided once, here.
#include <gtest/gtest.h>

#include "tour/tour_cursor.h"

namespace vt::tour {
namespace {

TEST(TourCursor, NextPreviousAndTheEnds) {
    TourCursor tour;
    tour.start(3);
    EXPECT_EQ(tour.stop(), 0);
    EXPECT_TRUE(tour.movePending());
    tour.arrived();
    // Previous at the first stop: it stays there and nothing moves.
    EXPECT_FALSE(tour.apply(TourCommand::Previous));
    EXPECT_EQ(tour.stop(), 0);
    EXPECT_FALSE(tour.movePending());
    EXPECT_TRUE(tour.apply(TourCommand::Next));
    EXPECT_EQ(tour.stop(), 1);
    EXPECT_TRUE(tour.movePending());
    tour.arrived();
    EXPECT_TRUE(tour.apply(TourCommand::Previous));
    EXPECT_EQ(tour.stop(), 0);
    EXPECT_TRUE(tour.movePending());
    tour.arrived();
    EXPECT_TRUE(tour.apply(TourCommand::Next));
    tour.arrived();
    EXPECT_TRUE(tour.apply(TourCommand::Next));
    tour.arrived();
    EXPECT_EQ(tour.stop(), 2);
    // Past the last stop the tour ends; then the controls do nothing.
    EXPECT_TRUE(tour.apply(TourCommand::Next));
    EXPECT_FALSE(tour.active());
    EXPECT_EQ(tour.stop(), -1);
    EXPECT_FALSE(tour.apply(TourCommand::Previous));
    EXPECT_FALSE(tour.apply(TourCommand::PauseResume));
    EXPECT_FALSE(tour.paused());
    // No stops: no tour.
    tour.start(0);
    EXPECT_FALSE(tour.active());
    EXPECT_FALSE(tour.apply(TourCommand::Next));
}

TEST(TourCursor, PauseHoldsTheStopUntilResumedOrMoved) {
    TourCursor tour;
    tour.start(3);
    tour.arrived();
    EXPECT_TRUE(tour.apply(TourCommand::PauseResume));
    EXPECT_TRUE(tour.paused());
    // Paused, the end of the narration cannot move on (the narration stands still anyway).
    EXPECT_FALSE(tour.narrationOver());
    EXPECT_EQ(tour.stop(), 0);
    EXPECT_TRUE(tour.apply(TourCommand::PauseResume));
    EXPECT_FALSE(tour.paused());
    EXPECT_TRUE(tour.narrationOver());
    EXPECT_EQ(tour.stop(), 1);
    tour.arrived();
    // A move lifts the pause (as in the viewer); previous refused at the first stop does not.
    tour.apply(TourCommand::PauseResume);
    EXPECT_TRUE(tour.apply(TourCommand::Previous));
    EXPECT_FALSE(tour.paused());
    tour.arrived();
    tour.apply(TourCommand::PauseResume);
    EXPECT_FALSE(tour.apply(TourCommand::Previous));
    EXPECT_TRUE(tour.paused());
    tour.apply(TourCommand::PauseResume);
    // The end of the narration at the last stop stays there.
    tour.apply(TourCommand::Next);
    tour.arrived();
    tour.apply(TourCommand::Next);
    tour.arrived();
    EXPECT_EQ(tour.stop(), 2);
    EXPECT_FALSE(tour.narrationOver());
    EXPECT_EQ(tour.stop(), 2);
    EXPECT_TRUE(tour.active());
    // Starting again clears the pause.
    tour.apply(TourCommand::PauseResume);
    tour.start(3);
    EXPECT_FALSE(tour.paused());
    EXPECT_EQ(tour.stop(), 0);
}

TEST(TourCursor, StartsAtAChosenStopAndSetsThePause) {
    TourCursor tour;
    tour.start(5, 3);  // the viewer's "go to stop 4" (a script, a resumed tour)
    EXPECT_EQ(tour.stop(), 3);
    EXPECT_TRUE(tour.movePending());
    tour.start(5, 9);  // clamped to the last stop
    EXPECT_EQ(tour.stop(), 4);
    tour.arrived();
    tour.setPaused(true);
    EXPECT_TRUE(tour.paused());
    tour.setPaused(true);  // setting, not toggling
    EXPECT_TRUE(tour.paused());
    tour.setPaused(false);
    EXPECT_FALSE(tour.paused());
    // Next at the last stop ends the tour, in the viewer as in the headset.
    EXPECT_TRUE(tour.apply(TourCommand::Next));
    EXPECT_FALSE(tour.active());
    tour.setPaused(true);  // no tour, no pause
    EXPECT_FALSE(tour.paused());
    EXPECT_EQ(commandName(TourCommand::PauseResume), "pause");
}

}  // namespace
}  // namespace vt::tour
