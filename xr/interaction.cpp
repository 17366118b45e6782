#include "xr/interaction.h"

#include <cmath>
#include <format>

#include <glm/gtc/matrix_transform.hpp>

#include "xr/marker_models.h"

namespace vt::xr {

namespace {

constexpr float kPressThreshold = 0.6f;   // squeeze value that grabs
constexpr float kAimThreshold = 0.6f;     // stick forward that starts aiming a teleport
constexpr float kReachMetres = 0.15f;     // grabbing: how far outside an artifact's bounds the hand may be
constexpr float kHotspotRadius = 0.06f;   // pointing: how close the ray passes to a hotspot, metres
constexpr float kPanelDistance = 1.0f;    // metres from the eyes a label panel opens at most
constexpr float kPointerLength = 1.5f;    // metres of pointing ray drawn when it hits nothing
constexpr float kPointerStep = 0.05f;     // metres between the ray's dots

bool pressedEdge(bool now, bool& was) {
    const bool edge = now && !was;
    was = now;
    return edge;
}

// Where the head is in the gallery after the rig moved: "head at (x, z) facing D degrees" (yaw 0
// towards -Z, positive turning left), so the log shows both the move and the tracked head it kept.
std::string headPlace(const Pose& head, const Rig& rig) {
    const glm::mat4 worldFromHead = rig.worldFromTracking() * head.matrix();
    const glm::vec3 forward = -glm::vec3(worldFromHead[2]);
    return std::format("head at ({:.2f}, {:.2f}) facing {:.1f} degrees", worldFromHead[3].x, worldFromHead[3].z,
                       glm::degrees(std::atan2(-forward.x, -forward.z)));
}

// Distance from point p to the ray (origin, unit direction), for hits in front of the origin.
float rayPointDistance(glm::vec3 origin, glm::vec3 direction, glm::vec3 p, float& along) {
    along = glm::dot(p - origin, direction);
    if (along < 0.0f) return std::numeric_limits<float>::max();
    return glm::length(origin + direction * along - p);
}

}  // namespace

Interaction::Interaction(gallery::ExhibitScene& scene, render::Renderer& renderer, const ComfortSettings& comfort,
                         std::string language, std::string exhibitPath)
    : scene_(scene), comfort_(comfort), language_(std::move(language)), narration_(std::move(exhibitPath)) {
    arcDot_ = renderer.upload(dotModel(0.015f, {0.35f, 0.8f, 1.0f}));
    hitDot_ = renderer.upload(dotModel(0.03f, {1.0f, 0.85f, 0.3f}));
    hotspotDot_ = renderer.upload(dotModel(0.012f, {1.0f, 0.55f, 0.15f}));
    handDot_ = renderer.upload(dotModel(0.035f, {0.75f, 0.75f, 0.78f}));
    markerValid_ = renderer.upload(markerModel(circle(0.25f, 24), 0.01f, {0.2f, 0.9f, 0.45f}));
    markerInvalid_ = renderer.upload(markerModel(circle(0.25f, 24), 0.01f, {0.95f, 0.25f, 0.2f}));
    // Stronger vignettes leave a smaller clear circle: 55 degrees at 0.25 down to 25 at full strength.
    for (size_t level = 0; level < vignettes_.size(); ++level)
        vignettes_[level] = renderer.upload(vignetteModel(55.0f - 10.0f * float(level)));
}

// The steps in order: the rig moves (teleport, turn, tour stop) before what the hands point at is
// found; hands are read against the rig as it stood when the frame began.
void Interaction::update(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig, float dt) {
    worldFromTracking_ = rig.worldFromTracking();
    buttons(head, hands, rig);
    const int aimHand = teleport(head, hands, rig);
    if (aimHand < 0) snapTurn(head, hands, rig);
    grabAndRelease(hands, dt);
    updatePointers(hands, aimHand);
    advanceTour(head, rig, dt);
    pointAtPanel(hands);
    select(hands);
    const float motion = rig.takeMotion();
    vignette_.update(comfort_.vignette ? motion : 0.0f, dt, comfort_.vignetteStrength);
    worldFromHead_ = rig.worldFromTracking() * head.matrix();
}

Pose Interaction::toWorld(const Pose& p) const {
    Pose w;
    w.position = glm::vec3(worldFromTracking_ * glm::vec4(p.position, 1.0f));
    w.orientation = glm::quat_cast(glm::mat3(worldFromTracking_)) * p.orientation;
    return w;
}

// Language switch, recentre, and the tour's buttons (controllers that have them free).
void Interaction::buttons(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig) {
    bool menu = false, recentre = false, tourPrevious = false, tourPause = false;
    for (const HandState& hand : hands) {
        menu |= hand.menu;
        recentre |= hand.recentre;
        tourPrevious |= hand.tourPrevious;
        tourPause |= hand.tourPause;
    }
    if (pressedEdge(menu, menuWas_)) {
        language_ = language_ == "zh" ? "en" : "zh";
        events_.push_back("language " + language_);
        // Mid-stop: that stop's narration and captions start again in the new language.
        if (narration_.started() && !tour_.movePending()) startNarration();
    }
    // Recentre: the head's height now becomes the standing eye height (seated visitors, a runtime
    // whose origin is at the eyes); where the visitor stands and looks stays as it is.
    if (pressedEdge(recentre, recentreWas_)) {
        rig.calibrateEyeHeight(head, comfort_.standingEyeHeight);
        events_.push_back(std::format("recentred: eye height {:.2f} m", comfort_.standingEyeHeight));
    }
    if (pressedEdge(tourPrevious, tourPreviousWas_)) tourCommand(TourCommand::Previous, "button");
    if (pressedEdge(tourPause, tourPauseWas_)) tourCommand(TourCommand::PauseResume, "button");
}

// Teleport: aim while the stick is forward (or the teleport button is held), jump on release.
// Returns the aiming hand, or -1.
int Interaction::teleport(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig) {
    int aimHand = -1;
    for (int h = 1; h >= 0; --h)
        if (hands[h].aimValid && (hands[h].stick.y > kAimThreshold || hands[h].teleport)) aimHand = h;
    if (aimHand >= 0) {
        if (!aiming_) events_.push_back(std::format("teleport aiming ({} hand)", aimHand == 0 ? "left" : "right"));
        aiming_ = true;
        ArcOptions options;
        options.floorY = rig.origin().y;
        const gallery::Collision& collision = scene_.collision();
        arc_ = teleportArc(toWorld(hands[aimHand].aim), options, [&](glm::vec3 p, float radius) {
            return collision.walkable({p.x, p.z}, radius);
        });
    } else if (aiming_) {
        aiming_ = false;
        if (arc_.valid) {
            rig.teleport(head, arc_.target);
            events_.push_back(std::format("teleported to ({:.2f}, {:.2f})", arc_.target.x, arc_.target.z));
            events_.push_back(headPlace(head, rig));
        } else {
            events_.push_back(arc_.hit ? "teleport refused: target not walkable" : "teleport refused: no floor");
        }
        arc_ = {};
    }
    return aimHand;
}

// Snap turn: the right stick (the left one when only it is there).
void Interaction::snapTurn(const Pose& head, const std::array<HandState, 2>& hands, Rig& rig) {
    const int turnHand = hands[1].active ? 1 : 0;
    const int turn = snap_.update(hands[turnHand].stick.x);
    if (turn == 0) return;
    // Stick right turns the view right: the rig yaws clockwise seen from above (negative).
    rig.snapTurn(head, -float(turn) * glm::radians(comfort_.snapTurnDegrees));
    events_.push_back(std::format("snap turn {} {:.0f} degrees", turn > 0 ? "right" : "left", comfort_.snapTurnDegrees));
    events_.push_back(headPlace(head, rig));
}

// What a squeeze grabs: an open artifact around the grip (within reach), else the one the hand points at.
std::optional<size_t> Interaction::grabTarget(const HandState& hand) const {
    const auto infos = scene_.artifacts();
    const Pose grip = toWorld(hand.grip);
    std::optional<size_t> target;
    for (size_t i = 0; i < infos.size(); ++i) {
        if (!infos[i].open) continue;
        Bounds b = infos[i].worldBounds;
        const glm::vec3 grow(kReachMetres);
        if (glm::all(glm::greaterThanEqual(grip.position, b.min - grow)) &&
            glm::all(glm::lessThanEqual(grip.position, b.max + grow)))
            target = i;
    }
    if (!target && hand.aimValid) {
        const Pose aim = toWorld(hand.aim);
        target = scene_.rayPick(aim.position, aim.forward());
        if (target && !infos[*target].open) target.reset();
    }
    return target;
}

// Grab on a squeeze, turn in the hand, release: the artifact flies back to its plinth.
void Interaction::grabAndRelease(const std::array<HandState, 2>& hands, float dt) {
    const auto infos = scene_.artifacts();
    for (int h = 0; h < 2; ++h) {
        const HandState& hand = hands[h];
        const bool squeezed = hand.squeeze > kPressThreshold;
        if (pressedEdge(squeezed, squeezeWas_[h]) && hand.gripValid && !grab_.held()) {
            if (const std::optional<size_t> target = grabTarget(hand)) {
                // Caught again on its way back: it keeps its home. Another one on its way back lands now.
                const bool same = grab_.active() && grab_.artifact() == target;
                if (grab_.active() && !same) scene_.resetPlacement(*grab_.artifact());
                const glm::mat4 home = same ? grab_.home() : infos[*target].worldFromObject;
                grab_.begin(*target, toWorld(hand.grip).matrix(), infos[*target].worldFromObject, home);
                grabbingHand_ = h;
                returning_ = false;
                events_.push_back("grabbed " + infos[*target].artifact->id);
            }
        }
        if (h == grabbingHand_ && !squeezed && grab_.held()) {
            grab_.release();
            grabbingHand_ = -1;
            returning_ = true;
            events_.push_back("released " + infos[*grab_.artifact()].artifact->id);
        }
    }
    if (grab_.held() && grabbingHand_ >= 0 && hands[grabbingHand_].gripValid)
        grab_.update(toWorld(hands[grabbingHand_].grip).matrix());
    const std::optional<size_t> flying = grab_.artifact();
    grab_.advance(dt);
    // The scene moves the artifact (its streamed LOD, bounds and hotspots follow).
    if (grab_.active()) scene_.setWorldFromObject(*grab_.artifact(), grab_.worldFromObject());
    if (returning_ && !grab_.active()) {
        returning_ = false;
        if (flying) {
            scene_.resetPlacement(*flying);
            events_.push_back("returned " + infos[*flying].artifact->id + " to its plinth");
        }
    }
}

// The hands to draw, and each free hand's pointing ray: to the first artifact it hits (what select
// would open).
void Interaction::updatePointers(const std::array<HandState, 2>& hands, int aimHand) {
    for (int h = 0; h < 2; ++h)
        handsWorld_[h] = hands[h].gripValid ? std::optional<glm::mat4>(toWorld(hands[h].grip).matrix()) : std::nullopt;
    const auto infos = scene_.artifacts();
    for (int h = 0; h < 2; ++h) {
        Pointer& pointer = pointers_[h];
        pointer = {};
        if (!hands[h].aimValid || h == aimHand || (grab_.held() && h == grabbingHand_)) continue;
        const Pose aim = toWorld(hands[h].aim);
        pointer.visible = true;
        pointer.origin = aim.position;
        pointer.direction = aim.forward();
        pointer.length = kPointerLength;
        if (auto picked = scene_.rayPick(aim.position, pointer.direction)) {
            const Bounds& b = infos[*picked].worldBounds;
            if (auto distance = rayBox(aim.position, pointer.direction, glm::mat4(1.0f), b.min, b.max)) {
                pointer.length = std::min(*distance, 20.0f);
                pointer.hit = true;
            }
        }
    }
}

// The tour: move to the current stop when it changed; the end of its narration (or its duration)
// moves on, except at the last stop.
void Interaction::advanceTour(const Pose& head, Rig& rig, float dt) {
    const auto& stops = scene_.exhibit().tour.stops;
    if (!tour_.active() || size_t(tour_.stop()) >= stops.size()) return;
    const exhibit::TourStop& stop = stops[size_t(tour_.stop())];
    if (tour_.movePending()) {
        tour_.arrived();
        const glm::vec3 look = stop.camera.target - stop.camera.position;
        rig.placeHead(head, {stop.camera.position.x, stop.camera.position.z}, std::atan2(-look.x, -look.z));
        events_.push_back(std::format("tour stop {} of {}: {}", tour_.stop() + 1, stops.size(), stop.title.get("en")));
        narration_.setPaused(held_ || tour_.paused());  // a pause lifted by the move
        startNarration();
    } else if (!narration_.started()) {
        startNarration();  // the session came back after it ended: the stop's narration again
    } else {
        narration_.advance(dt);
    }
    // Each caption as it comes up, with the narration's time (the integration test follows them).
    if (const std::string& caption = narration_.caption(); caption != lastCaption_) {
        lastCaption_ = caption;
        events_.push_back(std::format("caption {:.2f} s: {}", narration_.seconds(), caption));
    }
    if (narration_.over()) tour_.narrationOver();
}

// Pointing at the tour panel: which of its controls (thirds: previous, pause / resume, next).
std::optional<PanelHit> Interaction::panelHit(const Pose& aim) const {
    if (!tourPanel_ || open_ || !tour_.active() || tour_.movePending()) return std::nullopt;
    return rayPanel(aim.position, aim.forward(), *tourPanel_, tourPanelSize_);
}

// The tour panel is in front of everything (a layer over the scene): a ray stops there first.
void Interaction::pointAtPanel(const std::array<HandState, 2>& hands) {
    for (int h = 0; h < 2; ++h) {
        Pointer& pointer = pointers_[h];
        if (!pointer.visible) continue;
        if (auto onPanel = panelHit(toWorld(hands[h].aim)); onPanel && (!pointer.hit || onPanel->distance < pointer.length)) {
            pointer.length = onPanel->distance;
            pointer.hit = true;
        }
    }
}

// The hotspot nearest along the ray (within kHotspotRadius of it), else the artifact it hits.
std::optional<OpenText> Interaction::pickText(const Pose& aim) const {
    const auto infos = scene_.artifacts();
    const glm::vec3 direction = aim.forward();
    std::optional<OpenText> hit;
    float best = std::numeric_limits<float>::max();
    for (size_t i = 0; i < infos.size(); ++i) {
        if (!infos[i].artifact) continue;
        for (size_t a = 0; a < infos[i].artifact->annotations.size(); ++a) {
            float along = 0.0f;
            const float d = rayPointDistance(aim.position, direction, scene_.annotationWorldPosition(i, a), along);
            if (d < kHotspotRadius && along < best) {
                best = along;
                hit = OpenText{i, int(a)};
            }
        }
    }
    if (!hit)
        if (auto picked = scene_.rayPick(aim.position, direction)) hit = OpenText{*picked, -1};
    return hit;
}

// Point and select: a tour panel control; else open the label (or hotspot text) of what the ray hits,
// select again closes it; at nothing, the tour's next stop.
void Interaction::select(const std::array<HandState, 2>& hands) {
    for (int h = 0; h < 2; ++h) {
        if (!pressedEdge(hands[h].select, selectWas_[h]) || !hands[h].aimValid) continue;
        const Pose aim = toWorld(hands[h].aim);
        if (auto onPanel = panelHit(aim)) {
            tourCommand(panelCommand(onPanel->uv), "panel");
            continue;
        }
        const std::optional<OpenText> hit = pickText(aim);
        if (!hit && tour_.active() && !open_) tourCommand(TourCommand::Next, "select");  // pointing at nothing
        if (hit) {
            open_ = (open_ == hit) ? std::nullopt : hit;
            const std::string& id = scene_.artifacts()[hit->artifact].artifact->id;
            events_.push_back(std::string(open_ ? "label opened " : "label closed ") + id +
                              (hit->annotation >= 0 ? std::format(" hotspot {}", hit->annotation) : ""));
        }
    }
}

render::FrameInput Interaction::decorate(const render::FrameInput& scene) {
    items_.assign(scene.items.begin(), scene.items.end());
    clusters_.assign(scene.clusters.begin(), scene.clusters.end());
    if (aiming_) {
        for (size_t i = 1; i < arc_.points.size(); i += 2)
            items_.push_back({&arcDot_, glm::translate(glm::mat4(1.0f), arc_.points[i])});
        if (arc_.hit)
            items_.push_back({arc_.valid ? &markerValid_ : &markerInvalid_, glm::translate(glm::mat4(1.0f), arc_.target)});
    }
    // Hotspots of every open artifact (not of one in the hand), so the visitor can point at them.
    const auto infos = scene_.artifacts();
    for (size_t i = 0; i < infos.size(); ++i) {
        if (!infos[i].open || !infos[i].artifact) continue;
        for (size_t a = 0; a < infos[i].artifact->annotations.size(); ++a)
            items_.push_back({&hotspotDot_, glm::translate(glm::mat4(1.0f), scene_.annotationWorldPosition(i, a))});
    }
    // The hands: a marker at each tracked grip (no controller models yet).
    for (const auto& hand : handsWorld_)
        if (hand) items_.push_back({&handDot_, glm::translate(glm::mat4(1.0f), glm::vec3((*hand)[3]))});
    for (const Pointer& pointer : pointers_) {
        if (!pointer.visible) continue;
        for (float d = kPointerStep; d < std::min(pointer.length, kPointerLength); d += kPointerStep)
            items_.push_back({&arcDot_, glm::translate(glm::mat4(1.0f), pointer.origin + pointer.direction * d)});
        if (pointer.hit)
            items_.push_back({&hitDot_, glm::translate(glm::mat4(1.0f), pointer.origin + pointer.direction * pointer.length)});
    }
    // Last: blended over everything, in front of the eyes.
    if (vignette_.strength() > 0.01f) {
        const size_t level = std::min(vignettes_.size() - 1, size_t(vignette_.strength() * float(vignettes_.size())));
        items_.push_back({&vignettes_[level], worldFromHead_});
    }
    return {scene.views, items_, clusters_, scene.lighting};
}

void Interaction::startTour() {
    tour_.start(scene_.exhibit().tour.stops.size());
    narration_.setPaused(held_);
}

void Interaction::tourCommand(TourCommand command, const char* source) {
    if (!tour_.active()) return;
    const int before = tour_.stop();
    const bool changed = tour_.apply(command);
    if (command == TourCommand::PauseResume) {
        narration_.setPaused(held_ || tour_.paused());
        events_.push_back(std::format("narration {} at {:.2f} s ({})", tour_.paused() ? "paused" : "resumed",
                                      narration_.seconds(), source));
        return;
    }
    events_.push_back(std::format("tour {} ({}){}", commandName(command), source,
                                  changed ? std::string() : std::format(": already at stop {}", before + 1)));
    if (!tour_.active()) {
        narration_.stop();
        narration_.setPaused(held_);
        lastCaption_.clear();
        events_.push_back("tour finished");
    }
}

void Interaction::startNarration() {
    const exhibit::TourStop& stop = scene_.exhibit().tour.stops[size_t(tour_.stop())];
    lastCaption_.clear();
    if (auto problem = narration_.start(stop, size_t(tour_.stop()), language_)) events_.push_back(*problem);
    if (narration_.narrated())
        events_.push_back(std::format("narration stop {} in {}: {:.2f} s ({}), {}", tour_.stop() + 1, language_,
                                      narration_.narration().lengthSeconds(),
                                      narration_.narration().hasDevice() ? "sound device" : "frame clock",
                                      narration_.audioPath()));
    else
        events_.push_back(std::format("narration stop {} in {}: none, captions over {:.2f} s", tour_.stop() + 1, language_,
                                      narration_.captions().duration()));
}

glm::mat4 Interaction::panelWorldPose(const glm::vec3& headWorld) const {
    glm::vec3 anchor = headWorld + glm::vec3(0.0f, 0.0f, -1.0f);
    if (open_) {
        anchor = scene_.artifacts()[open_->artifact].worldBounds.center();
        if (open_->annotation >= 0) anchor = scene_.annotationWorldPosition(open_->artifact, size_t(open_->annotation));
    } else if (tour_.active()) {
        anchor = scene_.exhibit().tour.stops[size_t(tour_.stop())].camera.target;
    }
    // Between the visitor and the object, a little to the right of the line of sight and below the
    // eyes, at reading distance (never further than kPanelDistance), turned to face the visitor.
    glm::vec3 toAnchor = anchor - headWorld;
    toAnchor.y = 0.0f;
    const float distance = glm::length(toAnchor);
    const glm::vec3 forward = distance > 1e-3f ? toAnchor / distance : glm::vec3(0.0f, 0.0f, -1.0f);
    const glm::vec3 right = glm::cross(forward, glm::vec3(0.0f, 1.0f, 0.0f));
    const float along = std::clamp(distance - 0.3f, 0.6f, kPanelDistance);
    glm::vec3 position = headWorld + forward * along + right * 0.22f;
    position.y = headWorld.y - 0.12f;
    glm::mat4 pose(1.0f);
    pose[0] = glm::vec4(right, 0.0f);
    pose[1] = glm::vec4(0.0f, 1.0f, 0.0f, 0.0f);
    pose[2] = glm::vec4(-forward, 0.0f);
    pose[3] = glm::vec4(position, 1.0f);
    return pose;
}

}  // namespace vt::xr
