#pragma once
// What the visitor does with their hands in the gallery, per frame: teleport along an arc (stick
// forward or the teleport button aims, release jumps when the target is walkable), snap turn (stick
// left/right), grab an artifact to turn it in the hand (it flies back to its plinth on release),
// point at an artifact or one of its hotspots and select to open its label, switch language, and
// the guided tour's controls (next, previous, pause / resume).
//
// decorate() adds what interaction draws (the arc, the target marker, the held artifact moved to the
// hand) to the scene's frame input.

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gallery/exhibit_scene.h"
#include "render/gpu_model.h"
#include "render/renderer.h"
#include "tour/stop_narration.h"
#include "xr/logic/grab.h"
#include "xr/logic/locomotion.h"
#include "xr/logic/tour_controls.h"
#include "xr/xr_input.h"

namespace vt::xr {

// The text the visitor opened: an artifact's label, or one of its hotspots (annotation >= 0).
struct OpenText {
    size_t artifact = 0;
    int annotation = -1;
    bool operator==(const OpenText&) const = default;
};

// What the panel shows: an open label or hotspot text, else the current tour stop's title, the
// caption cue of the narration's position and whether the visitor paused it.
struct PanelContent {
    std::optional<OpenText> text;
    int tourStop = -1;
    std::string caption;
    bool paused = false;
    bool empty() const { return !text && tourStop < 0; }
    // The same text or stop: the panel is drawn again (a new caption) but stays where it is.
    bool samePlace(const PanelContent& other) const { return text == other.text && tourStop == other.tourStop; }
    bool operator==(const PanelContent&) const = default;
};

class Interaction {
public:
    // exhibitPath: the exhibit file, against which the tour's narration files resolve.
    Interaction(gallery::ExhibitScene& scene, render::Renderer& renderer, const ComfortSettings& comfort,
                std::string language, std::string exhibitPath);

    // `head` and `hands` are in the tracking space; the rig moves on teleports and turns.
    void update(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig, float dtSeconds);
    // The scene's input plus the arc, the marker and the held artifact (valid until the next call).
    render::FrameInput decorate(const render::FrameInput& scene);

    const std::optional<OpenText>& openText() const { return open_; }
    // The guided tour: the visitor is placed at each stop's camera pose in turn, its narration plays in
    // the visitor's language (as in the viewer: tour::StopNarration) and the caption cue of the
    // narration's position is shown. The end of the narration (or the stop's duration) moves on to
    // the next stop, except at the last. The controls, as in the viewer: next (a select that points
    // at nothing, or at the tour panel's right third; past the last stop the tour ends), previous
    // (the previous button, or the panel's left third; at the first stop it stays there) and pause /
    // resume (the pause button, or the panel's middle third), which holds the narration and its
    // captions. Moving to another stop lifts the pause.
    void startTour();
    int tourStop() const { return tour_.stop(); }
    bool tourSettled() const { return !tour_.movePending(); }  // the visitor stands at the current stop
    bool tourPaused() const { return tour_.paused(); }         // by the visitor
    PanelContent panelContent() const {
        if (open_) return {open_, -1, {}, false};
        return {std::nullopt, tour_.stop(), tour_.movePending() ? std::string() : narration_.caption(), tour_.paused()};
    }
    // Where the tour panel is shown (world) and its size, for pointing at its controls; nothing when
    // it is not shown. Set after each frame's panel update (it is used by the next update()).
    void setTourPanel(std::optional<glm::mat4> worldFromPanel, glm::vec2 sizeMetres) {
        tourPanel_ = worldFromPanel;
        tourPanelSize_ = sizeMetres;
    }
    // Narration also stands still while the session holds it (not VISIBLE or FOCUSED: the headset is
    // off; a capture waiting for a settled scene), whatever the visitor's pause.
    void setNarrationPaused(bool paused) {
        held_ = paused;
        narration_.setPaused(held_ || tour_.paused());
    }
    // Silences the narration (the session ends); the stop's narration starts again from its beginning
    // if the session comes back.
    void stopNarration() { narration_.stop(); }
    const tour::StopNarration& narration() const { return narration_; }
    void setOpenText(std::optional<OpenText> text) { open_ = text; }
    const std::string& language() const { return language_; }
    float vignette() const { return vignette_.strength(); }
    const TeleportArc& arc() const { return arc_; }
    bool aiming() const { return aiming_; }
    const Grab& grab() const { return grab_; }
    // What happened since the last call, one line each ("teleported to (1.20, 3.40)", "grabbed
    // whale-cranium", "label opened saxophone"), for the log and the integration test.
    std::vector<std::string> takeEvents() { return std::exchange(events_, {}); }
    // Where the panel goes (world): between the visitor and what it is about, facing the visitor.
    glm::mat4 panelWorldPose(const glm::vec3& headWorld) const;

private:
    // update()'s steps, in its order.
    void buttons(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig);
    int teleport(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig);
    void snapTurn(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig);
    void grabAndRelease(const std::array<HandState, 2>& hands, float dt);
    void updatePointers(const std::array<HandState, 2>& hands, int aimHand);
    void advanceTour(const Pose& head, Rig& rig, float dt);
    void pointAtPanel(const std::array<HandState, 2>& hands);
    void select(const std::array<HandState, 2>& hands);
    Pose toWorld(const Pose& inTracking) const;  // with the rig as the frame began
    std::optional<size_t> grabTarget(const HandState& hand) const;
    std::optional<PanelHit> panelHit(const Pose& aim) const;
    std::optional<OpenText> pickText(const Pose& aim) const;
    // (Re)starts the current stop's narration in the visitor's language; its file and length (or the
    // problem with it) become events.
    void startNarration();
    // A tour control from `source` ("button", "panel", "select"): the move, the pause, the events.
    void tourCommand(TourCommand command, const char* source);

    gallery::ExhibitScene& scene_;
    ComfortSettings comfort_;
    std::string language_;
    Grab grab_;
    std::array<int, 2> grabHand_{};
    int grabbingHand_ = -1;
    std::array<bool, 2> selectWas_{};
    std::array<bool, 2> squeezeWas_{};
    bool menuWas_ = false;
    bool recentreWas_ = false;
    SnapTurnDetector snap_;
    Vignette vignette_;
    TeleportArc arc_;
    bool aiming_ = false;
    std::optional<OpenText> open_;
    TourCursor tour_;
    bool held_ = false;  // the session holds the narration (setNarrationPaused)
    bool tourPreviousWas_ = false;
    bool tourPauseWas_ = false;
    std::optional<glm::mat4> tourPanel_;
    glm::vec2 tourPanelSize_{0.0f};
    tour::StopNarration narration_;
    std::string lastCaption_;  // the caption last reported as an event

    std::vector<std::string> events_;
    // Each hand's pointing ray, drawn as dots up to what it hits (or kPointerLength).
    struct Pointer {
        bool visible = false;
        glm::vec3 origin{0.0f}, direction{0.0f, 0.0f, -1.0f};
        float length = 0.0f;
        bool hit = false;
    };
    std::array<Pointer, 2> pointers_{};
    glm::mat4 worldFromTracking_{1.0f};  // the rig when update() began: hands are read against it
    glm::mat4 worldFromHead_{1.0f};
    bool returning_ = false;

    render::GpuModel arcDot_;
    render::GpuModel hitDot_;
    render::GpuModel hotspotDot_;
    render::GpuModel handDot_;
    std::array<std::optional<glm::mat4>, 2> handsWorld_{};  // grip poses to draw
    std::array<render::GpuModel, 4> vignettes_;  // by strength level: 0.25, 0.5, 0.75, 1
    render::GpuModel markerValid_;
    render::GpuModel markerInvalid_;
    std::vector<render::DrawItem> items_;
    std::vector<render::ClusterDraw> clusters_;
};

}  // namespace vt::xr
