#pragma once
// The record of one museum object as the catalog keeps it, whatever it was read from (CSV, IIIF,
// LIDO, a museum API). docs/collections.md describes every field and where each reader finds it.
//
// A record holds only what the museum published: no visitor data.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vt::catalog {

// Text in several languages: BCP 47 tag -> text. "und" when the source does not say.
using Text = std::map<std::string, std::string>;

// The text in `language`, else English, else any; "" when there is none.
const std::string& pick(const Text& text, const std::string& language = "en");

enum class MediaKind { Model, Image, Other };

struct Media {
    std::string uri;     // as the source states it: a relative path, or an http(s) URL
    MediaKind kind = MediaKind::Other;
    std::string format;  // MIME type when known
    std::string label;
};

// A comment anchored on the object (IIIF 3D commenting annotations).
struct Comment {
    Text text;
    std::optional<std::array<float, 3>> point;  // scene coordinates when the source gives a point
};

// A viewpoint the source puts in the object's scene (IIIF 3D PerspectiveCamera), in the scene's
// (model's) coordinates.
struct SceneCamera {
    std::array<float, 3> position{0, 0, 0};
    std::optional<std::array<float, 3>> lookAt;  // absent: the object's centre
    std::optional<float> fieldOfViewDegrees;
};

// A spot light the source puts in the object's scene (IIIF 3D SpotLight), scene coordinates.
struct SceneLight {
    std::array<float, 3> position{0, 0, 0};
    std::array<float, 3> color{1, 1, 1};  // linear 0..1 from the source's sRGB hex
    std::optional<float> intensity;       // as stated (IIIF: unit "relative")
    std::optional<float> angleDegrees;    // half-angle of the cone
};

struct Record {
    std::string id;            // stable: "<institution>:<objectNumber>"
    std::string institution;   // short name or host of the publishing institution
    std::string objectNumber;  // accession / inventory number, or the record's own id
    Text title, description, creator, culture, medium, creditLine;
    Text date;                 // display text, e.g. "late 17th century"
    std::optional<int> earliestYear, latestYear;  // negative: BCE
    Text dimensions;           // display text as stated
    std::optional<double> heightMm, widthMm, depthMm;  // parsed from the display text when stated
    std::string rights;        // license or rights statement URI
    std::string sourceUrl;     // the record's page at the institution
    std::string sourceFormat;  // lido, iiif, edan, met-api, csv
    std::vector<Media> media;
    std::vector<Comment> comments;
    std::optional<SceneCamera> camera;  // the first positioned camera of a IIIF 3D scene
    std::vector<SceneLight> lights;     // the positioned spot lights of a IIIF 3D scene, in order
};

// Canonical JSON of a record (stable key order): what the catalog stores and compares.
std::string toJson(const Record& record);
// Inverse of toJson; an error for text toJson did not write.
bool fromJson(const std::string& json, Record& record, std::string* error = nullptr);

// "institution:number" with whitespace trimmed; empty when the number is empty.
std::string makeId(const std::string& institution, const std::string& objectNumber);

// Years from a display date: "1575-1576", "ca. 1500 BCE", "late 17th century", "83 a.Chr.",
// "1981-01-01". Fills earliest/latest when a year can be read; leaves them alone otherwise.
void parseYears(const std::string& display, std::optional<int>& earliest, std::optional<int>& latest);

// Dimensions in millimetres from museum text: "46 5/8 x 18 3/4 in. (118.4 x 47.6 cm)" -> 1184 x 476,
// "H. 23 cm", "17,5x18 mm". Metric values win over inches when both are stated. Values are taken in
// the stated order height, width, depth. False when no measurement with a unit was found.
bool parseDimensions(const std::string& text, std::optional<double>& heightMm, std::optional<double>& widthMm,
                     std::optional<double>& depthMm);

std::string mediaKindName(MediaKind kind);
MediaKind mediaKindFromName(const std::string& name);

}  // namespace vt::catalog
