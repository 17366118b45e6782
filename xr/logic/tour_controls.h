#pragma once
// The guided tour's controls in the headset, as in the desktop viewer: next, previous, pause /
// resume. Pure logic (no OpenXR, no narration): which stop the visitor is at, whether the move there
// is still to be made, and whether the visitor paused the narration. Also where a pointing ray meets
// the tour panel, and which control that part of the panel is (the fallback for controllers without
// free buttons, and for hands).

#include <cstddef>
#include <optional>
#include <string_view>

#include <glm/glm.hpp>

namespace vt::xr {

enum class TourCommand { Next, Previous, PauseResume };
std::string_view commandName(TourCommand command);  // "next", "previous", "pause"

class TourCursor {
public:
    // Starts at the first stop (the tour stays off when it has no stops); a move there is pending.
    void start(size_t stopCount);
    // Ends the tour (stop() becomes -1).
    void finish();
    // Next: a move to the following stop; past the last, the tour ends. Previous: a move to the stop
    // before; at the first it stays (like the viewer) and nothing changes. Both lift the visitor's
    // pause (the new stop's narration plays, as in the viewer). PauseResume toggles the pause. During
    // the tour only. Returns whether anything changed.
    bool apply(TourCommand command);
    // The stop's narration (or its duration) is over: on to the next stop, except at the last.
    bool narrationOver();
    // The visitor now stands at the current stop.
    void arrived() { movePending_ = false; }

    bool active() const { return stop_ >= 0; }
    int stop() const { return stop_; }  // from 0; -1 when there is no tour
    size_t count() const { return count_; }
    bool movePending() const { return movePending_; }
    bool paused() const { return paused_; }

private:
    int stop_ = -1;
    size_t count_ = 0;
    bool movePending_ = false;
    bool paused_ = false;
};

// Where a ray (origin, unit direction) meets a panel: a sizeMetres rectangle in the panel's frame
// (x right, y up, centred on the origin, facing +Z; either side counts). uv: 0..1 from the panel's
// left edge and from its top edge.
struct PanelHit {
    float distance = 0.0f;
    glm::vec2 uv{0.0f};
};
std::optional<PanelHit> rayPanel(glm::vec3 origin, glm::vec3 direction, const glm::mat4& worldFromPanel,
                                 glm::vec2 sizeMetres);

// The tour panel's controls by thirds of its width: left previous, middle pause / resume, right next.
TourCommand panelCommand(glm::vec2 uv);

}  // namespace vt::xr
