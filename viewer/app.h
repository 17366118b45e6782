#pragma once
// The viewer's state between frames: the mode (walk, inspect, tour), the cameras, the panels
// (object information, measuring, annotations, settings, statistics, browse, tour captions) and
// the requests that need the GPU (picking and measuring read back the depth of what was drawn).
// Input from the window and from scripts both end up in the same member functions.
//
// One class, implemented by job: app.cpp (modes, settings, walking and inspecting), app_tour.cpp
// (the guided tour), app_picking.cpp (depth requests and results), app_panels.cpp (the ImGui
// panels), app_overlays.cpp (measurement and annotation markers over the 3D view).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "gallery/exhibit_scene.h"
#include "tour/stop_narration.h"
#include "tour/tour_cursor.h"
#include "ui/overlay_layout.h"
#include "viewer/camera_control.h"
#include "viewer/settings.h"

namespace vt::viewer {

enum class Mode { Walk, Inspect, Tour };

struct Panels {
    bool info = false, settings = false, stats = false, browse = false, measure = false, annotations = true,
         tour = false, problems = true;
};

// One depth readback, for picking, measuring, or hiding annotation markers behind the surface.
struct PickRequest {
    enum class Purpose { Select, MeasurePoint, MeasureSpan, SnapAnnotations, MarkerOcclusion } purpose = Purpose::Select;
    glm::vec2 pixel{0.0f};
    size_t artifact = 0;  // MeasureSpan, SnapAnnotations
};

class App {
public:
    static constexpr float kFovY = 1.0472f;  // 60 degrees

    App(gallery::ExhibitScene& scene, std::string exhibitPath, Settings settings, std::vector<std::string> problems);

    // Per frame, before the scene's prepareFrame().
    void update(float seconds);
    scene::View view(float aspect) const;
    // ImGui windows and overlays; `viewport` is the framebuffer size in pixels.
    void buildUi(glm::vec2 viewport, const scene::View& view);

    // Input, from the window or a script.
    void walkMove(glm::vec2 move, float seconds, bool run);
    void look(glm::vec2 mouseDelta);
    void setWalkPose(const Pose& pose);
    void inspect(size_t artifact);
    void orbitDrag(glm::vec2 delta) { inspectCamera_.rotate(delta, settings_.look); }
    void setOrbit(float yaw, float pitch) { inspectCamera_.setAngles(yaw, pitch); }
    void zoom(float steps) { inspectCamera_.zoom(steps); }
    void pan(glm::vec2 delta, float viewportHeight) { inspectCamera_.pan(delta, viewportHeight, kFovY); }
    void leaveToWalk();
    void startTour(size_t stop);  // a smooth move from where the camera is to the stop
    void jumpToStop(size_t stop);  // straight there (scripts, tour pictures)
    void tourNext();
    void tourPrevious();
    void tourPause(bool paused);
    void endTour();
    void click(glm::vec2 pixel);  // select an artifact, or a measuring point when measuring
    void measure(glm::vec2 a, glm::vec2 b);
    void measureSpan(size_t artifact);
    std::optional<size_t> findArtifact(const std::string& id) const;
    size_t exhibitArtifactCount() const { return scene_.artifacts().size(); }
    void setSearch(const std::string& text) { search_ = text; }
    void setSettings(const Settings& settings);

    // Depth readbacks: the frame loop reads back depth when there is a request, then hands it here.
    bool wantsDepth() const { return !picks_.empty(); }
    void onDepth(const float* depth, glm::uvec2 extent, const scene::View& view);

    Mode mode() const { return mode_; }
    Panels& panels() { return panels_; }
    const Settings& settings() const { return settings_; }
    bool settingsChanged() { return std::exchange(settingsChanged_, false); }
    int tourStop() const { return tour_.stop(); }
    bool tourMoving() const { return tour_.movePending(); }
    bool tourPaused() const { return tour_.paused(); }
    // Last measured distance in millimetres of the real object (-1: none yet).
    double lastMeasureMm() const { return lastMeasureMm_; }
    void addProblem(std::string problem) { problems_.push_back(std::move(problem)); }
    const std::vector<std::string>& problems() const { return problems_; }
    void setFrameStats(float frameMs, uint64_t triangles) {
        frameMs_ = frameMs_ * 0.9f + frameMs * 0.1f;
        triangles_ = triangles;
    }
    // Text of every label and caption (for the font atlas).
    std::string allText() const;

private:
    static Pose stopPose(const exhibit::TourStop& stop);
    void moveToCurrentStop();  // a smooth camera move from where the camera is to the cursor's stop
    void arriveAtStop();       // at the cursor's stop: its view, narration and artifact
    // (Re)starts the current stop's narration in the visitor's language, with captions timed by it;
    // a file that cannot be played is reported once and the stop keeps its duration.
    void startNarration();
    void frameInspected(float yawDegrees, float pitchDegrees);
    // An annotation's marker: on the surface once snapped, else where the exhibit puts it.
    glm::vec3 annotationPosition(size_t artifact, size_t annotation) const;
    // Whether an artifact's markers are drawn: the inspected one's, else those within 4 m.
    bool showsMarkers(size_t artifact, const scene::View& view) const;
    // One depth readback with the view it was drawn from (app_picking.cpp).
    struct DepthImage {
        const float* depth;
        glm::uvec2 extent;
        const scene::View& view;
        glm::mat4 worldFromClip;
        float at(uint32_t x, uint32_t y) const { return depth[size_t(y) * extent.x + x]; }
    };
    // The surface point drawn at (or within a few pixels of) `pixel`.
    std::optional<glm::vec3> unproject(const DepthImage& image, glm::vec2 pixel) const;
    void selectAt(const DepthImage& image, glm::vec2 pixel);
    void addMeasurePoint(const DepthImage& image, glm::vec2 pixel);
    void snapAnnotations(const DepthImage& image, size_t artifact);
    void findHiddenMarkers(const DepthImage& image);
    void measureSpanOf(const DepthImage& image, size_t artifact);
    float markerReach(size_t artifact) const;  // how far a marker may sit from the drawn surface, metres
    void finishMeasure();
    void drawInfo();
    void drawTour();
    void drawBrowse();
    void drawSettings();
    void drawStats();
    void drawMeasure();
    // Measurement line and annotation markers, drawn behind the panels; labels are placed clear of
    // the panels begun before it this frame (app_overlays.cpp).
    void drawOverlays(glm::vec2 viewport, const scene::View& view);
    void drawMeasurement(glm::vec2 viewport, const scene::View& view, std::vector<ui::ScreenRect>& keepClear);
    bool drawAnnotationMarkers(glm::vec2 viewport, const scene::View& view, std::vector<ui::ScreenRect>& keepClear);
    void drawAnnotationLabel(glm::vec2 marker, const std::string& text, std::string name, glm::vec2 viewport,
                             std::vector<ui::ScreenRect>& keepClear);
    void requestMarkerOcclusion(const scene::View& view, bool markersInView);
    // Says (once per label and panel) when a label drawn this frame lies under a panel.
    void checkLabelsClearOfPanels();
    void drawProblems();
    void drawHelp(glm::vec2 viewport);

    gallery::ExhibitScene& scene_;
    Settings settings_;
    bool settingsChanged_ = false;
    Panels panels_;
    std::vector<std::string> problems_;
    Mode mode_ = Mode::Walk;
    WalkCamera walk_;
    InspectCamera inspectCamera_;
    std::optional<size_t> selected_;  // the artifact whose information shows
    bool framedOpen_ = false;          // inspect framed the pack's real bounds (not the estimate)

    // Tour.
    tour::TourCursor tour_;  // which stop, a move pending, paused: the headset's rules too
    CameraMove move_;
    tour::StopNarration narration_;  // the stop's narration and captions, timed by it
    Pose tourPose_;
    std::string lastCaption_;  // the caption last logged
    std::string exhibitPath_;
    mutable float lastAspect_ = 1.6f;
    glm::vec2 lastViewport_{1280.0f, 800.0f};
    float infoPanelWidth_ = 0.0f;  // pixels the information panel covers on the right

    // Measuring.
    std::vector<PickRequest> picks_;
    std::vector<glm::vec3> measurePoints_;
    std::optional<size_t> measureArtifact_;
    double lastMeasureMm_ = -1.0;
    float pendingUiScale_ = 0.0f;  // applied when the slider is let go (the font atlas is rebuilt)

    // Annotation markers moved onto the drawn surface, by (artifact, annotation).
    std::map<std::pair<size_t, size_t>, glm::vec3> snapped_;
    std::set<size_t> snapRequested_;
    // Markers with the drawn surface in front of them, as of the last depth read with the view still
    // (kept while the view moves, read again once it has stopped for kStillFrames frames).
    std::set<std::pair<size_t, size_t>> hiddenMarkers_;
    glm::mat4 lastClipFromWorld_{0.0f};
    glm::mat4 occlusionClipFromWorld_{0.0f};  // the view of the last occlusion read
    bool occlusionSettled_ = false;           // whether streaming had settled for that read
    int stillFrames_ = 0;
    // Labels drawn this frame, named for messages, and the overlaps already reported.
    std::vector<std::pair<std::string, ui::ScreenRect>> labelBoxes_;
    std::set<std::string> reportedOverlaps_;

    std::string search_;
    float frameMs_ = 16.0f;
    uint64_t triangles_ = 0;
};

// "12.3 mm" under 10 cm, "45.6 cm" under 10 m, else metres.
std::string formatLength(double millimetres);

}  // namespace vt::viewer
