#pragma once
// The viewer's scripted mode (--script FILE): one action per line, `#` starts a comment, arguments
// separated by spaces. The parser checks every line up front (action name, argument count, numbers,
// keywords), so a typo fails before the viewer opens a window, with the file and line.
//
//   settle [SECONDS]          wait until streaming has settled (default timeout 120 s)
//   wait FRAMES               render this many frames
//   size W H                  resize the window (pixels)
//   camera PX PY PZ TX TY TZ  walk mode, standing at P (eye height applies) looking at T
//   walk FORWARD RIGHT SECONDS  walk with collision (axes -1..1)
//   look DX DY                turn as a mouse motion of DX, DY pixels would
//   mode walk|inspect|tour|browse
//   inspect ARTIFACT          inspect mode on an artifact (by id)
//   orbit YAW PITCH           inspect: view angles in degrees
//   zoom STEPS                inspect: wheel steps (positive comes closer)
//   pan DX DY                 inspect: pan as a drag of DX, DY pixels
//   tour N|next|previous|pause|resume|end   guided tour: go to stop N (1-based) and jump there
//   open PANEL / close PANEL  info|settings|stats|browse|measure|annotations|tour
//   set KEY VALUE             language zh|en, ui-scale F, sensitivity F, invert on|off,
//                             quality PIXELS, budget MIB, vsync on|off
//   search TEXT...            browse: the search box's text
//   click X Y                 a left click at pixel (X, Y): picks an artifact, or a measuring point
//   measure X1 Y1 X2 Y2       measure between the surface points under two pixels; prints the distance
//   measure-span ARTIFACT     measure between the leftmost and rightmost visible surface points of an artifact
//   screenshot PATH           the window's image (3D view and panels) as PNG
//   print TEXT...             echo to standard output
//   key NAME                  a key press as from the keyboard: T N P Right Left Up Down Space Escape Tab
//                             B I M H L F1 F3 F12
//   quit [CODE]               exit (default 0)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vt::viewer {

struct ScriptAction {
    std::string name;
    std::vector<std::string> args;
    uint32_t line = 0;

    float number(size_t i) const;  // args[i] as a number (validated by the parser)
    std::string rest(size_t from) const;  // args[from..] joined with spaces
};

// Errors: "FILE:LINE: unknown action 'scren' (expected one of: ...)",
// "FILE:LINE: 'size' takes 2 arguments (W H), got 1", "FILE:LINE: 'zoom': 'x' is not a number".
Result<std::vector<ScriptAction>> parseScript(std::string_view text, const std::string& fileName);
Result<std::vector<ScriptAction>> loadScript(const std::string& path);

// Every action the parser accepts, in its order (the runner checks its table against this list, so
// an action added to one and not the other fails the first scripted run, and every viewer test).
std::vector<std::string_view> scriptActionNames();

// Scripts the viewer writes for itself (their actions carry line 0).
// --screenshot PATH: settle, screenshot PATH, quit.
std::vector<ScriptAction> screenshotScript(const std::string& path);
// No window and no script: each of `stopCount` tour stops (paused, once streaming has settled) to
// DIR/stop-NN.png, or, with no tour, the entrance to DIR/entrance.png; then quit.
std::vector<ScriptAction> tourPicturesScript(size_t stopCount, const std::string& dir);

}  // namespace vt::viewer
