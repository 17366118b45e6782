#pragma once
// The exhibit: one JSON file describing a virtual gallery (rooms, plinths and vitrines, artifact
// placements, lights, labels, a guided tour). Written by hand or by `vitrine exhibit generate`, read
// by the desktop viewer and the XR app. The schema is docs/exhibit-format.md.
//
// Coordinates are metres in a Y-up world whose floor is y = 0. Angles are degrees.
//
// Parsing never stops at the first problem: every problem becomes a Diagnostic with the file, line,
// column and JSON pointer of the value at fault, the part it concerns (an artifact, a room, a tour
// stop) is left out, and the rest of the exhibit is kept.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "core/result.h"
#include "core/url.h"

namespace vt::exhibit {

constexpr int kFormatVersion = 1;

// Text in several languages: BCP 47 language tag ("en", "zh", "zh-Hant") -> text.
struct LocalizedText {
    std::map<std::string, std::string> byLanguage;

    bool empty() const { return byLanguage.empty(); }
    // The text in `language`, else in its primary subtag ("zh" for "zh-Hans"), else English, else
    // any; empty when there is none.
    const std::string& get(std::string_view language) const;
};

// The museum's record of an object, shown on its label and information panel.
struct Label {
    LocalizedText title;
    LocalizedText creator;
    LocalizedText date;         // display text, e.g. "ca. 1500 BCE"
    LocalizedText culture;
    LocalizedText medium;
    LocalizedText dimensions;   // display text as the museum states it
    LocalizedText description;
    LocalizedText creditLine;
    std::string objectNumber;   // accession number
    std::string institution;
    std::string license;        // URI, e.g. https://creativecommons.org/publicdomain/zero/1.0/
    std::string sourceUrl;      // the record's page at the museum
};

// A doorway or gap in one wall of a room.
struct Opening {
    uint32_t edge = 0;       // wall i runs from floor[i] to floor[(i + 1) % n]
    float center = 0.0f;     // metres along the wall from floor[edge]
    float width = 1.6f;
    float height = 2.5f;     // above the floor; the rest of the wall stays above it
};

struct Room {
    std::string id;
    LocalizedText name;
    std::vector<glm::vec2> floor;  // simple polygon, (x, z) metres, either winding
    float height = 4.0f;           // ceiling, metres above the floor
    std::vector<Opening> openings;
    glm::vec3 wallColor{0.80f, 0.78f, 0.74f};   // linear RGB
    glm::vec3 floorColor{0.30f, 0.26f, 0.22f};
    glm::vec3 ceilingColor{0.90f, 0.90f, 0.90f};
};

enum class StandKind { Plinth, Vitrine, None };  // vitrine: a plinth with a glass case over the object

struct Stand {
    StandKind kind = StandKind::Plinth;
    glm::vec3 size{0.6f, 1.0f, 0.6f};  // width (x), height (y), depth (z) of the plinth, metres
    glm::vec3 color{0.92f, 0.91f, 0.89f};
};

// A point of interest on the object: shown as a marker, opens its text.
struct Annotation {
    std::string id;
    // Metres in the placed object's own frame: origin at the centre of its base, axes after the
    // pack's orientation and the placement's rotation are removed (x right, y up, z towards the
    // front). The viewer can snap it to the surface.
    glm::vec3 position{0.0f};
    LocalizedText text;
};

struct SpotLight {
    glm::vec3 position{0.0f};
    glm::vec3 target{0.0f};
    glm::vec3 color{1.0f, 0.96f, 0.9f};  // linear RGB
    float intensity = 12.0f;             // renderer units (see scene::SpotLight)
    float coneDegrees = 20.0f;           // half angle of the full-intensity cone; fades out over 10 more
    float range = 12.0f;
};

// The spot light on one artifact, always aimed at the centre of the object.
struct ArtifactLight {
    bool enabled = true;                  // "light": false turns it off
    std::optional<glm::vec3> position;    // world; absent: above and in front of the object, scaled to its size
    glm::vec3 color{1.0f, 0.96f, 0.9f};
    float intensity = 12.0f;
    float coneDegrees = 0.0f;             // 0: just wide enough for the object
    float range = 12.0f;
};

struct Artifact {
    std::string id;
    std::string pack;         // path relative to the exhibit file, or an http(s) URL
    std::string room;         // id of the room it stands in (empty: found from its position)
    // Where the centre of the object's base stands. y: metres above the floor; absent means on top
    // of its stand.
    glm::vec2 positionXZ{0.0f};
    std::optional<float> baseHeight;
    glm::vec3 rotationDegrees{0.0f};  // applied X, then Y, then Z (yaw is the usual one)
    float scale = 1.0f;               // times the pack's physical size (1 = life size)
    Stand stand;
    ArtifactLight light;
    Label label;
    std::vector<Annotation> annotations;

    // Base height actually used: the given one, or the top of the stand.
    float baseY() const { return baseHeight ? *baseHeight : (stand.kind == StandKind::None ? 0.0f : stand.size.y); }
};

struct CameraPose {
    glm::vec3 position{0.0f, 1.6f, 0.0f};
    glm::vec3 target{0.0f, 1.6f, -1.0f};
    // Vertical field of view a curator chose for this view (a tour stop framed like the museum's
    // own IIIF 3D camera); absent: the viewer's own. A headset ignores it: its optics fix the FOV.
    std::optional<float> fieldOfViewDegrees;
};

struct TourStop {
    std::string artifact;       // id of the artifact it presents; may be empty
    CameraPose camera;
    LocalizedText title;
    LocalizedText text;         // caption
    LocalizedText audio;        // narration file per language, relative to the exhibit file; may be empty
    float durationSeconds = 0;  // how long to stay when there is no audio; 0: until the visitor moves on
};

struct Tour {
    LocalizedText title;
    std::vector<TourStop> stops;
};

struct Exhibit {
    std::string id;
    LocalizedText title;
    LocalizedText description;
    std::vector<std::string> languages{"en"};  // offered to the visitor, first = default
    std::vector<Room> rooms;
    std::vector<Artifact> artifacts;
    std::vector<SpotLight> lights;  // extra lights beyond the artifacts' own
    // Where a visitor enters, as the file gives it; absent: gallery::entrance() chooses a free spot
    // in the first room facing its first artifact (the viewer and the headset both ask it).
    std::optional<CameraPose> start;
    float eyeHeight = 1.6f;
    Tour tour;

    const Artifact* findArtifact(std::string_view artifactId) const;
    const Room* findRoom(std::string_view roomId) const;
};

enum class Severity { Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string file;
    uint32_t line = 0;    // 1-based; 0 when unknown
    uint32_t column = 0;  // 1-based, in bytes
    std::string pointer;  // RFC 6901 JSON pointer of the value at fault, "" for the whole document
    std::string message;

    // "file:line:col: error: /artifacts/2/scale: must be > 0"
    std::string format() const;
};

struct ParseResult {
    Exhibit exhibit;
    std::vector<Diagnostic> diagnostics;  // in document order
    bool usable = false;                  // false only when nothing could be read (syntax error, not an object)

    size_t errorCount() const;
};

// Parses exhibit JSON text. `fileName` is only used in diagnostics.
ParseResult parseExhibit(std::string_view json, const std::string& fileName);

// Reads and parses a file (at most 64 MiB). An unreadable file is one diagnostic, usable = false.
ParseResult loadExhibit(const std::string& path);

// The exhibit as JSON text in the same schema (stable key order, 2-space indent): what
// `vitrine exhibit generate` writes. parseExhibit(toJson(e)) gives e back.
std::string toJson(const Exhibit& exhibit);

// Resolves an artifact's pack or a tour stop's audio against the exhibit file's folder; URLs are
// returned as they are.
std::string resolveResource(const std::string& exhibitPath, const std::string& reference);

// The bounding rectangle of every room's floor, (min x, min z, max x, max z).
glm::vec4 floorExtent(const Exhibit& exhibit);

}  // namespace vt::exhibit
