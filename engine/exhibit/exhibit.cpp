#include "exhibit/exhibit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <format>
#include <fstream>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_locator.h"

namespace vt::exhibit {

using json = nlohmann::json;

const std::string& LocalizedText::get(std::string_view language) const {
    static const std::string kEmpty;
    if (byLanguage.empty()) return kEmpty;
    if (auto it = byLanguage.find(std::string(language)); it != byLanguage.end()) return it->second;
    const std::string primary(language.substr(0, language.find('-')));
    for (const auto& [tag, text] : byLanguage)
        if (tag.substr(0, tag.find('-')) == primary) return text;
    if (auto it = byLanguage.find("en"); it != byLanguage.end()) return it->second;
    return byLanguage.begin()->second;
}

const Artifact* Exhibit::findArtifact(std::string_view artifactId) const {
    for (const Artifact& a : artifacts)
        if (a.id == artifactId) return &a;
    return nullptr;
}

const Room* Exhibit::findRoom(std::string_view roomId) const {
    for (const Room& r : rooms)
        if (r.id == roomId) return &r;
    return nullptr;
}

std::string Diagnostic::format() const {
    std::string where = file;
    if (line > 0) where += std::format(":{}:{}", line, column);
    return std::format("{}: {}: {}{}", where, severity == Severity::Error ? "error" : "warning",
                       pointer.empty() ? "" : pointer + ": ", message);
}

size_t ParseResult::errorCount() const {
    return size_t(std::ranges::count(diagnostics, Severity::Error, &Diagnostic::severity));
}

std::string resolveResource(const std::string& exhibitPath, const std::string& reference) {
    if (isHttpUrl(reference) || reference.empty()) return reference;
    const std::filesystem::path path(reference);
    if (path.is_absolute()) return reference;
    return (std::filesystem::path(exhibitPath).parent_path() / path).lexically_normal().string();
}

glm::vec4 floorExtent(const Exhibit& exhibit) {
    glm::vec4 extent(INFINITY, INFINITY, -INFINITY, -INFINITY);
    for (const Room& room : exhibit.rooms)
        for (glm::vec2 p : room.floor) extent = {glm::min(glm::vec2(extent), p), glm::max(glm::vec2(extent.z, extent.w), p)};
    return extent;
}

namespace {

constexpr float kMaxCoordinate = 10000.0f;  // metres: a gallery, not a planet
// A camera narrower than 10 degrees is a telescope, wider than 120 a fish-eye: neither frames an object.
constexpr float kMinFieldOfViewDegrees = 10.0f, kMaxFieldOfViewDegrees = 120.0f;

bool segmentsCross(glm::vec2 a, glm::vec2 b, glm::vec2 c, glm::vec2 d) {
    auto cross = [](glm::vec2 u, glm::vec2 v) { return u.x * v.y - u.y * v.x; };
    const float d1 = cross(b - a, c - a), d2 = cross(b - a, d - a);
    const float d3 = cross(d - c, a - c), d4 = cross(d - c, b - c);
    return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0;
}

float polygonArea(const std::vector<glm::vec2>& polygon) {
    float twice = 0;
    for (size_t i = 0; i < polygon.size(); ++i) {
        const glm::vec2 a = polygon[i], b = polygon[(i + 1) % polygon.size()];
        twice += a.x * b.y - b.x * a.y;
    }
    return std::abs(twice) * 0.5f;
}

bool insidePolygon(const std::vector<glm::vec2>& polygon, glm::vec2 p) {
    bool inside = false;
    for (size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const glm::vec2 a = polygon[i], b = polygon[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
    return inside;
}

std::string describe(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

// Reads one document, collecting diagnostics. Each read* helper reports what is wrong at the
// value's pointer and returns nullopt; the caller decides whether that drops the enclosing item.
class Reader {
public:
    Reader(std::string_view text, std::string file, std::vector<Diagnostic>& out)
        : locator_(text), file_(std::move(file)), out_(out) {}

    void report(Severity severity, const std::string& pointer, std::string message) {
        const TextLocation at = locator_.find(pointer);
        out_.push_back({severity, file_, at.line, at.column, pointer, std::move(message)});
    }
    void error(const std::string& pointer, std::string message) { report(Severity::Error, pointer, std::move(message)); }
    void warning(const std::string& pointer, std::string message) { report(Severity::Warning, pointer, std::move(message)); }

    void reportDuplicates() {
        for (const std::string& pointer : locator_.duplicateKeys())
            error(pointer, "key given twice in the same object; only one of them is used");
    }

    // Unknown keys are errors (a typo would otherwise be silently ignored) but do not drop the item.
    void checkKeys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> known) {
        for (const auto& [key, value] : object.items()) {
            if (std::ranges::find(known, key) != known.end()) continue;
            std::string list;
            for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            error(pointer + "/" + escapeJsonPointerToken(key), std::format("unknown key \"{}\" (expected one of: {})", key, list));
        }
    }

    const json* member(const json& object, const std::string& key) {
        auto it = object.find(key);
        return it == object.end() ? nullptr : &*it;
    }

    std::optional<float> number(const json& value, const std::string& pointer, float min, float max, bool minExclusive = false) {
        if (!value.is_number()) {
            error(pointer, std::format("expected a number, got {}", describe(value)));
            return std::nullopt;
        }
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < min || v > max || (minExclusive && v == min)) {
            error(pointer, std::format("{} is out of range (expected {} {} to {})", describe(value), minExclusive ? "more than" : "from",
                                       min, max));
            return std::nullopt;
        }
        return float(v);
    }

    // Optional numeric member: the default when absent; nullopt (reported) when present and bad.
    std::optional<float> numberMember(const json& object, const std::string& pointer, const std::string& key, float fallback,
                                      float min, float max, bool minExclusive = false) {
        const json* value = member(object, key);
        if (!value) return fallback;
        return number(*value, pointer + "/" + key, min, max, minExclusive);
    }

    template <int N>
    std::optional<glm::vec<N, float>> vector(const json& value, const std::string& pointer, float min, float max) {
        if (!value.is_array() || value.size() != N) {
            error(pointer, std::format("expected an array of {} numbers, got {}", N, describe(value)));
            return std::nullopt;
        }
        glm::vec<N, float> out(0.0f);
        for (int i = 0; i < N; ++i) {
            auto v = number(value[i], pointer + "/" + std::to_string(i), min, max);
            if (!v) return std::nullopt;
            out[i] = *v;
        }
        return out;
    }

    std::optional<std::string> string(const json& value, const std::string& pointer, size_t maxBytes = 1 << 16) {
        if (!value.is_string()) {
            error(pointer, std::format("expected a string, got {}", describe(value)));
            return std::nullopt;
        }
        std::string s = value.get<std::string>();
        if (s.size() > maxBytes) {
            error(pointer, std::format("text of {} bytes is longer than the {} allowed", s.size(), maxBytes));
            return std::nullopt;
        }
        return s;
    }

    std::optional<std::string> identifier(const json& value, const std::string& pointer) {
        auto s = string(value, pointer, 128);
        if (!s) return std::nullopt;
        const bool ok = !s->empty() && std::ranges::all_of(*s, [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
        });
        if (!ok) {
            error(pointer, std::format("\"{}\" is not an id (letters, digits, '-', '_', '.', ':'; 1 to 128 of them)", *s));
            return std::nullopt;
        }
        return s;
    }

    // A plain string (in the exhibit's default language) or {"en": "...", "zh": "..."}.
    LocalizedText text(const json* value, const std::string& pointer, size_t maxBytes = 1 << 16) {
        LocalizedText out;
        if (!value || value->is_null()) return out;
        if (value->is_string()) {
            if (auto s = string(*value, pointer, maxBytes)) out.byLanguage[defaultLanguage] = *s;
            return out;
        }
        if (!value->is_object()) {
            error(pointer, std::format("expected text: a string or an object of language -> string, got {}", describe(*value)));
            return out;
        }
        for (const auto& [language, text] : value->items()) {
            const std::string at = pointer + "/" + escapeJsonPointerToken(language);
            if (!validLanguageTag(language)) {
                error(at, std::format("\"{}\" is not a language tag such as \"en\", \"zh\" or \"zh-Hant\"", language));
                continue;
            }
            if (auto s = string(text, at, maxBytes)) out.byLanguage[language] = *s;
        }
        return out;
    }

    // Narration: a path per language, like text; each must be a local file (the viewer plays it
    // from disk). A URL is reported at its own pointer and left out; the other languages stay.
    LocalizedText audio(const json* value, const std::string& pointer) {
        if (value && !value->is_null() && !value->is_string() && !value->is_object()) {
            error(pointer, std::format("expected a narration file path, or an object of language -> path, got {}", describe(*value)));
            return {};
        }
        LocalizedText out = text(value, pointer, 4096);
        for (auto it = out.byLanguage.begin(); it != out.byLanguage.end();) {
            if (it->second.find("://") == std::string::npos) {
                ++it;
                continue;
            }
            error(value->is_string() ? pointer : pointer + "/" + escapeJsonPointerToken(it->first),
                  "narration must be a file next to the exhibit, not a URL; left out");
            it = out.byLanguage.erase(it);
        }
        return out;
    }

    static bool validLanguageTag(std::string_view tag) {
        if (tag.empty() || tag.size() > 35) return false;
        size_t part = 0;
        for (char c : tag) {
            if (c == '-') {
                if (part == 0) return false;
                part = 0;
            } else if (std::isalnum(static_cast<unsigned char>(c)) && ++part <= 8) {
            } else {
                return false;
            }
        }
        return part > 0 && std::isalpha(static_cast<unsigned char>(tag[0]));
    }

    std::string defaultLanguage = "en";

private:
    JsonLocator locator_;
    std::string file_;
    std::vector<Diagnostic>& out_;
};

std::optional<Room> readRoom(Reader& r, const json& value, const std::string& p) {
    if (!value.is_object()) {
        r.error(p, "expected a room object; room skipped");
        return std::nullopt;
    }
    r.checkKeys(value, p, {"id", "name", "floor", "height", "openings", "wallColor", "floorColor", "ceilingColor"});
    Room room;
    bool ok = true;
    if (const json* id = r.member(value, "id")) {
        if (auto s = r.identifier(*id, p + "/id")) room.id = *s; else ok = false;
    } else {
        r.error(p, "a room needs an \"id\"; room skipped");
        ok = false;
    }
    room.name = r.text(r.member(value, "name"), p + "/name");
    const json* floor = r.member(value, "floor");
    if (!floor || !floor->is_array() || floor->size() < 3 || floor->size() > 256) {
        r.error(floor ? p + "/floor" : p, "a room needs a \"floor\": a polygon of 3 to 256 [x, z] points in metres; room skipped");
        ok = false;
    } else {
        for (size_t i = 0; i < floor->size(); ++i) {
            auto point = r.vector<2>((*floor)[i], std::format("{}/floor/{}", p, i), -kMaxCoordinate, kMaxCoordinate);
            if (!point) ok = false; else room.floor.push_back(*point);
        }
        if (ok) {
            const size_t n = room.floor.size();
            for (size_t i = 0; i < n && ok; ++i)
                for (size_t j = i + 2; j < n && ok; ++j) {
                    if (i == 0 && j == n - 1) continue;  // adjacent through the closing edge
                    if (segmentsCross(room.floor[i], room.floor[(i + 1) % n], room.floor[j], room.floor[(j + 1) % n])) {
                        r.error(p + "/floor", std::format("the floor outline crosses itself (edges {} and {}); room skipped", i, j));
                        ok = false;
                    }
                }
            for (size_t i = 0; i < n && ok; ++i)
                if (glm::distance(room.floor[i], room.floor[(i + 1) % n]) < 0.05f) {
                    r.error(std::format("{}/floor/{}", p, i), std::format("edge {} is shorter than 5 cm; room skipped", i));
                    ok = false;
                }
            if (ok && polygonArea(room.floor) < 1.0f) {
                r.error(p + "/floor", std::format("the floor is {:.2f} m², less than 1 m²; room skipped", polygonArea(room.floor)));
                ok = false;
            }
        }
    }
    if (auto h = r.numberMember(value, p, "height", room.height, 2.0f, 50.0f)) room.height = *h; else ok = false;
    for (auto [key, color] : {std::pair{"wallColor", &room.wallColor}, {"floorColor", &room.floorColor}, {"ceilingColor", &room.ceilingColor}})
        if (const json* c = r.member(value, key))
            if (auto v = r.vector<3>(*c, p + "/" + key, 0.0f, 1.0f)) *color = *v;
    if (const json* openings = r.member(value, "openings"); openings && ok) {
        if (!openings->is_array()) {
            r.error(p + "/openings", "expected an array of openings");
        } else {
            for (size_t i = 0; i < openings->size(); ++i) {
                const std::string op = std::format("{}/openings/{}", p, i);
                const json& o = (*openings)[i];
                if (!o.is_object()) {
                    r.error(op, "expected an opening object; opening skipped");
                    continue;
                }
                r.checkKeys(o, op, {"edge", "center", "width", "height"});
                Opening opening;
                if (!r.member(o, "edge")) {
                    r.error(op, "an opening needs an \"edge\" (wall index); opening skipped");
                    continue;
                }
                auto edge = r.numberMember(o, op, "edge", -1.0f, 0.0f, float(room.floor.size() - 1));
                if (!edge || *edge != std::floor(*edge)) {
                    if (edge) r.error(op + "/edge", "expected a whole wall index; opening skipped");
                    continue;
                }
                opening.edge = uint32_t(*edge);
                const float length = glm::distance(room.floor[opening.edge], room.floor[(opening.edge + 1) % room.floor.size()]);
                auto width = r.numberMember(o, op, "width", std::min(1.6f, length), 0.5f, length);
                auto center = r.numberMember(o, op, "center", length * 0.5f, 0.0f, length);
                auto height = r.numberMember(o, op, "height", std::min(2.5f, room.height), 1.8f, room.height);
                if (!width || !center || !height) continue;
                opening.width = *width;
                opening.center = *center;
                opening.height = *height;
                if (opening.center - opening.width / 2 < -1e-3f || opening.center + opening.width / 2 > length + 1e-3f) {
                    r.error(op, std::format("the opening ({:.2f} m wide at {:.2f} m) runs past the ends of its {:.2f} m wall; opening skipped",
                                            opening.width, opening.center, length));
                    continue;
                }
                room.openings.push_back(opening);
            }
        }
    }
    if (!ok) return std::nullopt;
    return room;
}

std::optional<SpotLight> readLight(Reader& r, const json& value, const std::string& p) {
    if (!value.is_object()) {
        r.error(p, "expected a light object; light skipped");
        return std::nullopt;
    }
    r.checkKeys(value, p, {"position", "target", "color", "intensity", "coneDegrees", "range"});
    SpotLight light;
    bool ok = true;
    for (auto [key, field] : {std::pair{"position", &light.position}, {"target", &light.target}}) {
        if (const json* v = r.member(value, key)) {
            if (auto vec = r.vector<3>(*v, p + "/" + key, -kMaxCoordinate, kMaxCoordinate)) *field = *vec; else ok = false;
        } else {
            r.error(p, std::format("a light needs a \"{}\"; light skipped", key));
            ok = false;
        }
    }
    if (const json* c = r.member(value, "color")) {
        if (auto v = r.vector<3>(*c, p + "/color", 0.0f, 100.0f)) light.color = *v; else ok = false;
    }
    auto intensity = r.numberMember(value, p, "intensity", light.intensity, 0.0f, 10000.0f);
    auto cone = r.numberMember(value, p, "coneDegrees", light.coneDegrees, 0.0f, 80.0f, true);
    auto range = r.numberMember(value, p, "range", light.range, 0.0f, 1000.0f, true);
    if (!intensity || !cone || !range) return std::nullopt;
    light.intensity = *intensity;
    light.coneDegrees = *cone;
    light.range = *range;
    if (ok && glm::distance(light.position, light.target) < 1e-3f) {
        r.error(p, "the light's position and target are the same point; light skipped");
        ok = false;
    }
    if (!ok) return std::nullopt;
    return light;
}

Label readLabel(Reader& r, const json* value, const std::string& p) {
    Label label;
    if (!value) return label;
    if (!value->is_object()) {
        r.error(p, "expected a label object");
        return label;
    }
    r.checkKeys(*value, p, {"title", "creator", "date", "culture", "medium", "dimensions", "description", "creditLine",
                            "objectNumber", "institution", "license", "sourceUrl"});
    label.title = r.text(r.member(*value, "title"), p + "/title");
    label.creator = r.text(r.member(*value, "creator"), p + "/creator");
    label.date = r.text(r.member(*value, "date"), p + "/date");
    label.culture = r.text(r.member(*value, "culture"), p + "/culture");
    label.medium = r.text(r.member(*value, "medium"), p + "/medium");
    label.dimensions = r.text(r.member(*value, "dimensions"), p + "/dimensions");
    label.description = r.text(r.member(*value, "description"), p + "/description");
    label.creditLine = r.text(r.member(*value, "creditLine"), p + "/creditLine");
    for (auto [key, field] : {std::pair{"objectNumber", &label.objectNumber}, {"institution", &label.institution},
                              {"license", &label.license}, {"sourceUrl", &label.sourceUrl}})
        if (const json* v = r.member(*value, key))
            if (auto s = r.string(*v, p + "/" + key, 2048)) *field = *s;
    for (auto [key, field] : {std::pair{"license", &label.license}, {"sourceUrl", &label.sourceUrl}})
        if (!field->empty() && !isHttpUrl(*field)) {
            r.error(p + "/" + key, std::format("\"{}\" is not an http(s) URL; left out", *field));
            field->clear();
        }
    return label;
}

std::optional<Artifact> readArtifact(Reader& r, const json& value, const std::string& p) {
    if (!value.is_object()) {
        r.error(p, "expected an artifact object; artifact skipped");
        return std::nullopt;
    }
    r.checkKeys(value, p, {"id", "pack", "room", "position", "baseHeight", "rotationDegrees", "scale", "stand", "light", "label",
                           "annotations"});
    Artifact a;
    bool ok = true;
    if (const json* id = r.member(value, "id")) {
        if (auto s = r.identifier(*id, p + "/id")) a.id = *s; else ok = false;
    } else {
        r.error(p, "an artifact needs an \"id\"; artifact skipped");
        ok = false;
    }
    if (const json* pack = r.member(value, "pack")) {
        if (auto s = r.string(*pack, p + "/pack", 4096)) {
            const bool scheme = s->find("://") != std::string::npos;
            if (s->empty()) {
                r.error(p + "/pack", "the pack path is empty; artifact skipped");
                ok = false;
            } else if (scheme && !isHttpUrl(*s)) {
                r.error(p + "/pack", std::format("\"{}\": only http:// and https:// URLs or file paths are allowed; artifact skipped", *s));
                ok = false;
            } else {
                a.pack = *s;
            }
        } else {
            ok = false;
        }
    } else {
        r.error(p, "an artifact needs a \"pack\" (path or URL of its .vpk); artifact skipped");
        ok = false;
    }
    if (const json* room = r.member(value, "room"))
        if (auto s = r.identifier(*room, p + "/room")) a.room = *s;
    if (const json* position = r.member(value, "position")) {
        if (auto v = r.vector<2>(*position, p + "/position", -kMaxCoordinate, kMaxCoordinate)) a.positionXZ = *v; else ok = false;
    } else {
        r.error(p, "an artifact needs a \"position\": [x, z] in metres; artifact skipped");
        ok = false;
    }
    if (const json* base = r.member(value, "baseHeight")) {
        if (auto v = r.number(*base, p + "/baseHeight", 0.0f, 50.0f)) a.baseHeight = *v; else ok = false;
    }
    if (const json* rotation = r.member(value, "rotationDegrees")) {
        if (auto v = r.vector<3>(*rotation, p + "/rotationDegrees", -3600.0f, 3600.0f)) a.rotationDegrees = *v; else ok = false;
    }
    if (auto s = r.numberMember(value, p, "scale", 1.0f, 0.0f, 1000.0f, true)) a.scale = *s; else ok = false;
    if (const json* stand = r.member(value, "stand")) {
        const std::string sp = p + "/stand";
        if (!stand->is_object()) {
            r.error(sp, "expected a stand object");
        } else {
            r.checkKeys(*stand, sp, {"kind", "size", "color"});
            if (const json* kind = r.member(*stand, "kind")) {
                const std::string k = kind->is_string() ? kind->get<std::string>() : "";
                if (k == "plinth") a.stand.kind = StandKind::Plinth;
                else if (k == "vitrine") a.stand.kind = StandKind::Vitrine;
                else if (k == "none") a.stand.kind = StandKind::None;
                else r.error(sp + "/kind", std::format("{} is not a stand kind (plinth, vitrine, none); a plinth is used", describe(*kind)));
            }
            if (const json* size = r.member(*stand, "size"))
                if (auto v = r.vector<3>(*size, sp + "/size", 0.01f, 20.0f)) a.stand.size = *v;
            if (const json* color = r.member(*stand, "color"))
                if (auto v = r.vector<3>(*color, sp + "/color", 0.0f, 1.0f)) a.stand.color = *v;
        }
    }
    if (const json* light = r.member(value, "light")) {
        const std::string lp = p + "/light";
        if (light->is_boolean()) {
            a.light.enabled = light->get<bool>();
        } else if (!light->is_object()) {
            r.error(lp, "expected a light object or false");
        } else {
            r.checkKeys(*light, lp, {"position", "color", "intensity", "coneDegrees", "range"});
            if (const json* v = r.member(*light, "position"))
                if (auto pos = r.vector<3>(*v, lp + "/position", -kMaxCoordinate, kMaxCoordinate)) a.light.position = *pos;
            if (const json* c = r.member(*light, "color"))
                if (auto v = r.vector<3>(*c, lp + "/color", 0.0f, 100.0f)) a.light.color = *v;
            if (auto v = r.numberMember(*light, lp, "intensity", a.light.intensity, 0.0f, 10000.0f)) a.light.intensity = *v;
            if (auto v = r.numberMember(*light, lp, "coneDegrees", a.light.coneDegrees, 0.0f, 80.0f)) a.light.coneDegrees = *v;
            if (auto v = r.numberMember(*light, lp, "range", a.light.range, 0.0f, 1000.0f, true)) a.light.range = *v;
        }
    }
    a.label = readLabel(r, r.member(value, "label"), p + "/label");
    if (const json* annotations = r.member(value, "annotations")) {
        if (!annotations->is_array()) {
            r.error(p + "/annotations", "expected an array of annotations");
        } else {
            for (size_t i = 0; i < annotations->size(); ++i) {
                const std::string ap = std::format("{}/annotations/{}", p, i);
                const json& an = (*annotations)[i];
                if (!an.is_object()) {
                    r.error(ap, "expected an annotation object; annotation skipped");
                    continue;
                }
                r.checkKeys(an, ap, {"id", "position", "text"});
                Annotation annotation;
                if (const json* id = r.member(an, "id")) {
                    auto s = r.identifier(*id, ap + "/id");
                    if (!s) continue;
                    annotation.id = *s;
                } else {
                    annotation.id = std::format("{}-{}", a.id, i + 1);
                }
                const json* position = r.member(an, "position");
                if (!position) {
                    r.error(ap, "an annotation needs a \"position\"; annotation skipped");
                    continue;
                }
                auto v = r.vector<3>(*position, ap + "/position", -100.0f, 100.0f);
                if (!v) continue;
                annotation.position = *v;
                annotation.text = r.text(r.member(an, "text"), ap + "/text");
                a.annotations.push_back(std::move(annotation));
            }
        }
    }
    if (!ok) {
        r.error(p, a.id.empty() ? std::string("artifact skipped") : std::format("artifact \"{}\" skipped", a.id));
        return std::nullopt;
    }
    return a;
}

std::optional<CameraPose> readCamera(Reader& r, const json& value, const std::string& p) {
    if (!value.is_object()) {
        r.error(p, "expected a camera object with \"position\" and \"target\"");
        return std::nullopt;
    }
    r.checkKeys(value, p, {"position", "target", "fieldOfViewDegrees"});
    const json* position = r.member(value, "position");
    const json* target = r.member(value, "target");
    if (!position || !target) {
        r.error(p, "a camera needs both \"position\" and \"target\"");
        return std::nullopt;
    }
    auto pos = r.vector<3>(*position, p + "/position", -kMaxCoordinate, kMaxCoordinate);
    auto tgt = r.vector<3>(*target, p + "/target", -kMaxCoordinate, kMaxCoordinate);
    if (!pos || !tgt) return std::nullopt;
    if (glm::distance(*pos, *tgt) < 1e-3f) {
        r.error(p, "the camera's position and target are the same point");
        return std::nullopt;
    }
    CameraPose pose{*pos, *tgt};
    if (value.contains("fieldOfViewDegrees"))
        pose.fieldOfViewDegrees = r.numberMember(value, p, "fieldOfViewDegrees", 60.0f, kMinFieldOfViewDegrees,
                                                 kMaxFieldOfViewDegrees);
    return pose;
}

}  // namespace

ParseResult parseExhibit(std::string_view text, const std::string& fileName) {
    ParseResult result;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (const size_t at = jsonNestingExceeds(text); at != std::string_view::npos) {
        const TextLocation where = locateOffset(text, at);
        result.diagnostics.push_back({Severity::Error, fileName, where.line, where.column, "",
                                      std::format("nested deeper than {} levels; not an exhibit", kMaxJsonDepth)});
        return result;
    }
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann reports the byte after the problem; point at the offending byte.
        const TextLocation at = locateOffset(text, e.byte > 0 ? e.byte - 1 : 0);
        std::string what = e.what();
        if (auto colon = what.find("syntax error"); colon != std::string::npos) what = what.substr(colon);
        result.diagnostics.push_back({Severity::Error, fileName, at.line, at.column, "", "not valid JSON: " + what});
        return result;
    } catch (const json::exception& e) {  // out_of_range: a number too large for a double
        const TextLocation at = locateQuotedToken(text, e.what());
        result.diagnostics.push_back({Severity::Error, fileName, at.line, at.column, "", std::format("not usable JSON: {}", e.what())});
        return result;
    }
    Reader r(text, fileName, result.diagnostics);
    r.reportDuplicates();
    if (!document.is_object()) {
        r.error("", "an exhibit is a JSON object");
        return result;
    }
    result.usable = true;
    Exhibit& e = result.exhibit;
    r.checkKeys(document, "", {"format", "version", "id", "title", "description", "languages", "eyeHeight", "start", "rooms",
                               "artifacts", "lights", "tour"});
    if (const json* format = r.member(document, "format"); !format || *format != "vitrine-exhibit")
        r.warning(format ? "/format" : "", "expected \"format\": \"vitrine-exhibit\"");
    if (const json* version = r.member(document, "version")) {
        if (!version->is_number_integer() || version->get<int64_t>() < 1) {
            r.error("/version", std::format("expected a whole version number, got {}", describe(*version)));
        } else if (version->get<int64_t>() > kFormatVersion) {
            r.error("/version", std::format("version {} was written by a newer Vitrine (this one reads {}); reading what it can",
                                            version->get<int64_t>(), kFormatVersion));
        }
    }
    if (const json* languages = r.member(document, "languages")) {
        std::vector<std::string> list;
        if (languages->is_array()) {
            for (size_t i = 0; i < languages->size(); ++i) {
                auto s = r.string((*languages)[i], std::format("/languages/{}", i), 35);
                if (s && Reader::validLanguageTag(*s)) list.push_back(*s);
                else if (s) r.error(std::format("/languages/{}", i), std::format("\"{}\" is not a language tag", *s));
            }
        } else {
            r.error("/languages", "expected an array of language tags such as [\"en\", \"zh\"]");
        }
        if (!list.empty()) e.languages = list;
    }
    r.defaultLanguage = e.languages.front();
    if (const json* id = r.member(document, "id"))
        if (auto s = r.identifier(*id, "/id")) e.id = *s;
    e.title = r.text(r.member(document, "title"), "/title");
    e.description = r.text(r.member(document, "description"), "/description");
    if (auto eye = r.numberMember(document, "", "eyeHeight", e.eyeHeight, 0.5f, 2.5f)) e.eyeHeight = *eye;

    std::set<std::string> ids;
    auto uniqueId = [&](const std::string& id, const std::string& pointer, const char* kind) {
        if (ids.insert(id).second) return true;
        r.error(pointer + "/id", std::format("the id \"{}\" is already used; {} skipped", id, kind));
        return false;
    };
    if (const json* rooms = r.member(document, "rooms")) {
        if (!rooms->is_array()) r.error("/rooms", "expected an array of rooms");
        else
            for (size_t i = 0; i < rooms->size(); ++i)
                if (auto room = readRoom(r, (*rooms)[i], std::format("/rooms/{}", i)))
                    if (uniqueId(room->id, std::format("/rooms/{}", i), "room")) e.rooms.push_back(std::move(*room));
    }
    if (e.rooms.empty()) r.error(r.member(document, "rooms") ? "/rooms" : "", "the exhibit has no usable room; visitors have no floor to walk on");

    if (const json* artifacts = r.member(document, "artifacts")) {
        if (!artifacts->is_array()) r.error("/artifacts", "expected an array of artifacts");
        else
            for (size_t i = 0; i < artifacts->size(); ++i) {
                const std::string p = std::format("/artifacts/{}", i);
                auto a = readArtifact(r, (*artifacts)[i], p);
                if (!a || !uniqueId(a->id, p, "artifact")) continue;
                // The room it names must exist and contain it; when it names none, find it.
                const Room* named = a->room.empty() ? nullptr : e.findRoom(a->room);
                if (!a->room.empty() && !named) r.error(p + "/room", std::format("no room has the id \"{}\"; placed by its position", a->room));
                const Room* containing = nullptr;
                for (const Room& room : e.rooms)
                    if (insidePolygon(room.floor, a->positionXZ)) containing = &room;
                if (named && !insidePolygon(named->floor, a->positionXZ))
                    r.error(p + "/position", std::format("({}, {}) is outside room \"{}\"", a->positionXZ.x, a->positionXZ.y, named->id));
                else if (!named && !containing && !e.rooms.empty())
                    r.error(p + "/position", std::format("({}, {}) is outside every room", a->positionXZ.x, a->positionXZ.y));
                if (!named && containing) a->room = containing->id;
                else if (!named) a->room.clear();
                e.artifacts.push_back(std::move(*a));
            }
    }
    if (const json* lights = r.member(document, "lights")) {
        if (!lights->is_array()) r.error("/lights", "expected an array of lights");
        else
            for (size_t i = 0; i < lights->size(); ++i)
                if (auto light = readLight(r, (*lights)[i], std::format("/lights/{}", i))) e.lights.push_back(*light);
    }
    // The entrance, when given; otherwise the gallery chooses one clear of the stands (gallery/entrance.h).
    if (const json* start = r.member(document, "start"))
        if (auto pose = readCamera(r, *start, "/start")) e.start = *pose;
    if (const json* tour = r.member(document, "tour")) {
        if (!tour->is_object()) {
            r.error("/tour", "expected a tour object with \"stops\"");
        } else {
            r.checkKeys(*tour, "/tour", {"title", "stops"});
            e.tour.title = r.text(r.member(*tour, "title"), "/tour/title");
            const json* stops = r.member(*tour, "stops");
            if (stops && !stops->is_array()) r.error("/tour/stops", "expected an array of tour stops");
            for (size_t i = 0; stops && stops->is_array() && i < stops->size(); ++i) {
                const std::string p = std::format("/tour/stops/{}", i);
                const json& s = (*stops)[i];
                if (!s.is_object()) {
                    r.error(p, "expected a tour stop object; stop skipped");
                    continue;
                }
                r.checkKeys(s, p, {"artifact", "camera", "title", "text", "audio", "durationSeconds"});
                TourStop stop;
                if (const json* artifact = r.member(s, "artifact"))
                    if (auto id = r.identifier(*artifact, p + "/artifact")) {
                        if (e.findArtifact(*id)) stop.artifact = *id;
                        else r.error(p + "/artifact", std::format("no artifact has the id \"{}\"", *id));
                    }
                const json* camera = r.member(s, "camera");
                if (camera) {
                    auto pose = readCamera(r, *camera, p + "/camera");
                    if (!pose) {
                        r.error(p, "tour stop skipped");
                        continue;
                    }
                    stop.camera = *pose;
                } else if (const Artifact* a = e.findArtifact(stop.artifact)) {
                    // Default view: in front of the artifact, a little above its base, 1.5 m away.
                    const float yaw = glm::radians(a->rotationDegrees.y);
                    const glm::vec3 front(std::sin(yaw), 0.0f, std::cos(yaw));
                    const glm::vec3 base(a->positionXZ.x, a->baseY(), a->positionXZ.y);
                    stop.camera = {base + front * 1.5f + glm::vec3(0, 0.35f, 0), base + glm::vec3(0, 0.25f, 0)};
                } else {
                    r.error(p, "a tour stop needs a \"camera\" or an \"artifact\"; stop skipped");
                    continue;
                }
                stop.title = r.text(r.member(s, "title"), p + "/title");
                stop.text = r.text(r.member(s, "text"), p + "/text");
                stop.audio = r.audio(r.member(s, "audio"), p + "/audio");
                if (auto d = r.numberMember(s, p, "durationSeconds", 0.0f, 0.0f, 3600.0f)) stop.durationSeconds = *d;
                e.tour.stops.push_back(std::move(stop));
            }
        }
    }
    std::ranges::stable_sort(result.diagnostics, [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return result;
}

ParseResult loadExhibit(const std::string& path) {
    constexpr uintmax_t kMaxBytes = 64ull << 20;
    ParseResult result;
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        result.diagnostics.push_back({Severity::Error, path, 0, 0, "", "cannot read the exhibit: " + ec.message()});
        return result;
    }
    if (size > kMaxBytes) {
        result.diagnostics.push_back({Severity::Error, path, 0, 0, "", std::format("{} bytes is more than an exhibit may be ({} MiB)", size, kMaxBytes >> 20)});
        return result;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), std::streamsize(size))) {
        result.diagnostics.push_back({Severity::Error, path, 0, 0, "", "cannot read the exhibit"});
        return result;
    }
    return parseExhibit(text, path);
}

namespace {

using ojson = nlohmann::ordered_json;

ojson textJson(const LocalizedText& text) {
    ojson out = ojson::object();
    for (const auto& [language, value] : text.byLanguage) out[language] = value;
    return out;
}
ojson vec(glm::vec2 v) { return ojson::array({v.x, v.y}); }
ojson vec(glm::vec3 v) { return ojson::array({v.x, v.y, v.z}); }

ojson lightJson(const SpotLight& l) {
    return ojson{{"position", vec(l.position)}, {"target", vec(l.target)}, {"color", vec(l.color)},
                 {"intensity", l.intensity}, {"coneDegrees", l.coneDegrees}, {"range", l.range}};
}

ojson cameraJson(const CameraPose& c) {
    ojson j{{"position", vec(c.position)}, {"target", vec(c.target)}};
    if (c.fieldOfViewDegrees) j["fieldOfViewDegrees"] = *c.fieldOfViewDegrees;
    return j;
}

}  // namespace

std::string toJson(const Exhibit& e) {
    ojson doc;
    doc["format"] = "vitrine-exhibit";
    doc["version"] = kFormatVersion;
    if (!e.id.empty()) doc["id"] = e.id;
    doc["title"] = textJson(e.title);
    if (!e.description.empty()) doc["description"] = textJson(e.description);
    doc["languages"] = e.languages;
    doc["eyeHeight"] = e.eyeHeight;
    if (e.start) doc["start"] = cameraJson(*e.start);
    ojson rooms = ojson::array();
    for (const Room& room : e.rooms) {
        ojson r{{"id", room.id}};
        if (!room.name.empty()) r["name"] = textJson(room.name);
        ojson floor = ojson::array();
        for (glm::vec2 p : room.floor) floor.push_back(vec(p));
        r["floor"] = floor;
        r["height"] = room.height;
        if (!room.openings.empty()) {
            ojson openings = ojson::array();
            for (const Opening& o : room.openings)
                openings.push_back({{"edge", o.edge}, {"center", o.center}, {"width", o.width}, {"height", o.height}});
            r["openings"] = openings;
        }
        r["wallColor"] = vec(room.wallColor);
        r["floorColor"] = vec(room.floorColor);
        r["ceilingColor"] = vec(room.ceilingColor);
        rooms.push_back(r);
    }
    doc["rooms"] = rooms;
    ojson artifacts = ojson::array();
    for (const Artifact& a : e.artifacts) {
        ojson j{{"id", a.id}, {"pack", a.pack}};
        if (!a.room.empty()) j["room"] = a.room;
        j["position"] = vec(a.positionXZ);
        if (a.baseHeight) j["baseHeight"] = *a.baseHeight;
        j["rotationDegrees"] = vec(a.rotationDegrees);
        j["scale"] = a.scale;
        const char* kinds[] = {"plinth", "vitrine", "none"};
        j["stand"] = {{"kind", kinds[int(a.stand.kind)]}, {"size", vec(a.stand.size)}, {"color", vec(a.stand.color)}};
        if (!a.light.enabled) {
            j["light"] = false;
        } else {
            ojson light{{"color", vec(a.light.color)}, {"intensity", a.light.intensity}, {"coneDegrees", a.light.coneDegrees},
                        {"range", a.light.range}};
            if (a.light.position) light["position"] = vec(*a.light.position);
            j["light"] = light;
        }
        ojson label = ojson::object();
        const Label& l = a.label;
        for (auto [key, text] : {std::pair{"title", &l.title}, {"creator", &l.creator}, {"date", &l.date}, {"culture", &l.culture},
                                 {"medium", &l.medium}, {"dimensions", &l.dimensions}, {"description", &l.description},
                                 {"creditLine", &l.creditLine}})
            if (!text->empty()) label[key] = textJson(*text);
        for (auto [key, field] : {std::pair{"objectNumber", &l.objectNumber}, {"institution", &l.institution},
                                  {"license", &l.license}, {"sourceUrl", &l.sourceUrl}})
            if (!field->empty()) label[key] = *field;
        j["label"] = label;
        if (!a.annotations.empty()) {
            ojson annotations = ojson::array();
            for (const Annotation& an : a.annotations)
                annotations.push_back({{"id", an.id}, {"position", vec(an.position)}, {"text", textJson(an.text)}});
            j["annotations"] = annotations;
        }
        artifacts.push_back(j);
    }
    doc["artifacts"] = artifacts;
    if (!e.lights.empty()) {
        ojson lights = ojson::array();
        for (const SpotLight& l : e.lights) lights.push_back(lightJson(l));
        doc["lights"] = lights;
    }
    if (!e.tour.stops.empty()) {
        ojson stops = ojson::array();
        for (const TourStop& s : e.tour.stops) {
            ojson j = ojson::object();
            if (!s.artifact.empty()) j["artifact"] = s.artifact;
            j["camera"] = cameraJson(s.camera);
            if (!s.title.empty()) j["title"] = textJson(s.title);
            if (!s.text.empty()) j["text"] = textJson(s.text);
            if (!s.audio.empty()) j["audio"] = textJson(s.audio);
            if (s.durationSeconds > 0) j["durationSeconds"] = s.durationSeconds;
            stops.push_back(j);
        }
        doc["tour"] = {{"title", textJson(e.tour.title)}, {"stops", stops}};
    }
    return doc.dump(2) + "\n";
}

}  // namespace vt::exhibit
