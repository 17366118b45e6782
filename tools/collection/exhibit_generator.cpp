#include "exhibit_generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <glm/gtc/quaternion.hpp>
#include <nlohmann/json.hpp>

#include "exhibit/placement.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"

namespace vt::collection {

namespace {

constexpr float kEyeHeight = 1.6f;
constexpr float kSideClearance = 1.0f;  // metres from the end walls to the first and last plinths
constexpr float kMinPlinth = 0.5f;
constexpr float kPlinthMargin = 0.2f;   // plinth wider than the object, metres
constexpr float kDoorWidth = 1.6f;

struct Item {
    catalog::Record record;
    std::string pack;  // relative to the exhibit
    exhibit::ModelFrame frame;
    glm::vec3 size{0.0f};  // object frame, metres, at scale 1
    float scale = 1.0f;
};

exhibit::LocalizedText localized(const catalog::Text& text) {
    exhibit::LocalizedText out;
    for (const auto& [language, value] : text)
        if (!value.empty()) out.byLanguage[language] = value;
    return out;
}

// Artifact and room ids: letters, digits and -_.: only, at most 128 characters, unique.
std::string safeId(const std::string& text, std::set<std::string>& used) {
    std::string id;
    for (char c : text) id += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':') ? c : '-';
    while (id.find("--") != std::string::npos) id.replace(id.find("--"), 2, "-");
    if (id.empty()) id = "object";
    if (id.size() > 100) id = id.substr(id.size() - 100);
    std::string unique = id;
    for (int n = 2; used.contains(unique); ++n) unique = id + "-" + std::to_string(n);
    used.insert(unique);
    return unique;
}

std::string yearText(int year) { return year < 0 ? std::format("{} BCE", -year) : std::to_string(year); }

}  // namespace

float framedFieldOfView(float authoredDegrees, float authoredDistance, float placedDistance) {
    float degrees = authoredDegrees;
    if (placedDistance > 0.01f && authoredDistance > placedDistance) {
        const float halfTan = std::tan(glm::radians(authoredDegrees) / 2) * authoredDistance / placedDistance;
        degrees = glm::degrees(2 * std::atan(halfTan));
    }
    return std::clamp(degrees, 10.0f, 120.0f);
}

Result<Layout> parseLayout(const std::string& text) {
    if (text == "chronological") return Layout::Chronological;
    if (text == "grid") return Layout::Grid;
    if (text == "linear") return Layout::Linear;
    return fail("--layout '{}': expected chronological, grid or linear", text);
}

Result<GeneratedExhibit> generateExhibit(catalog::Catalog& catalog, const ExhibitOptions& options) {
    GeneratedExhibit out;
    std::vector<std::string> ids;
    if (options.query.empty()) {
        auto records = catalog.all();
        if (!records) return std::unexpected(records.error());
        for (const auto& r : *records) ids.push_back(r.id);
    } else {
        auto hits = catalog.search(options.query, 10000);
        if (!hits) return std::unexpected(hits.error());
        for (const auto& h : *hits) ids.push_back(h.id);
    }
    const std::filesystem::path exhibitFolder = std::filesystem::absolute(options.exhibitPath).parent_path().lexically_normal();
    const std::filesystem::path store = std::filesystem::absolute(options.store).lexically_normal();

    std::vector<Item> items;
    for (const std::string& id : ids) {
        if (items.size() >= options.maxObjects) {
            out.notes.push_back(std::format("{}: left out, more than {} objects match", id, options.maxObjects));
            continue;
        }
        auto record = catalog.get(id);
        auto entry = catalog.pack(id);
        if (!record || !*record || !entry) continue;
        if (!*entry) {
            const bool hasScan = std::any_of((*record)->media.begin(), (*record)->media.end(),
                                             [](const catalog::Media& m) { return m.kind == catalog::MediaKind::Model; });
            out.notes.push_back(hasScan ? std::format("{}: left out, its scans are not converted yet (vitrine collection convert)", id)
                                        : std::format("{}: left out, its record names no 3D scan", id));
            continue;
        }
        if ((*entry)->status != catalog::PackStatus::Converted) {
            out.notes.push_back(std::format("{}: left out, its scan failed to convert: {}", id, (*entry)->error));
            continue;
        }
        const std::filesystem::path packPath = store / (*entry)->pack;
        auto source = pack::openFile(packPath);
        if (!source) {
            out.notes.push_back(std::format("{}: left out: {}", id, source.error().message));
            continue;
        }
        auto reader = pack::PackReader::open(**source, packPath.string());
        if (!reader) {
            out.notes.push_back(std::format("{}: left out: {}", id, reader.error().message));
            continue;
        }
        Item item;
        item.record = std::move(**record);
        item.pack = packPath.lexically_relative(exhibitFolder).generic_string();
        const pack::PackHeader& header = reader->header();
        item.frame.millimetresPerUnit = header.millimetresPerUnit;
        item.frame.orientation = glm::quat(header.orientation.w, header.orientation.x, header.orientation.y, header.orientation.z);
        item.frame.bounds = header.bounds;
        exhibit::Artifact probe;
        const Bounds bounds = exhibit::objectBounds(probe, item.frame);
        item.size = glm::max(bounds.max - bounds.min, glm::vec3(1e-6f));
        // the museum's stated height wins over a scan's units when they disagree by more than 2x
        // (a glTF exported in millimetres reads as metres)
        if (item.record.heightMm && *item.record.heightMm > 0) {
            const float ratio = float(*item.record.heightMm / 1000.0) / item.size.y;
            if (ratio > 2.0f || ratio < 0.5f) {
                item.scale = std::clamp(ratio, 1e-3f, 1000.0f);  // the exhibit format's range
                out.notes.push_back(std::format("{}: the scan is {:.3g} m tall, the record says {:.3g} m; shown at scale {:.4g}", id,
                                                item.size.y, *item.record.heightMm / 1000.0, item.scale));
            }
        }
        const float largest = std::max({item.size.x, item.size.y, item.size.z}) * item.scale;
        if (largest > kMaxObjectSize) {
            item.scale *= kMaxObjectSize / largest;
            out.notes.push_back(std::format("{}: {:.1f} m across, shown at scale {:.3f}", id, largest, item.scale));
        }
        items.push_back(std::move(item));
    }
    if (items.empty()) return fail("no object{} has a converted pack", options.query.empty() ? "" : std::format(" matching \"{}\"", options.query));

    switch (options.layout) {
    case Layout::Chronological:
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
            const int ya = a.record.earliestYear.value_or(1 << 30), yb = b.record.earliestYear.value_or(1 << 30);
            return ya != yb ? ya < yb : a.record.id < b.record.id;
        });
        break;
    case Layout::Grid:
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
            return catalog::pick(a.record.title) != catalog::pick(b.record.title) ? catalog::pick(a.record.title) < catalog::pick(b.record.title)
                                                                                  : a.record.id < b.record.id;
        });
        break;
    case Layout::Linear: break;  // search rank order
    }

    exhibit::Exhibit& e = out.exhibit;
    std::set<std::string> usedIds;
    const std::string title = options.title.empty() ? (options.query.empty() ? "Collection" : options.query) : options.title;
    e.id = safeId(title, usedIds);
    e.title.byLanguage["en"] = title;
    e.description.byLanguage["en"] = std::format("{} objects from the catalog{}", items.size(),
                                                 options.query.empty() ? "" : std::format(" matching \"{}\"", options.query));
    std::set<std::string> languages;
    for (const Item& item : items)
        for (const auto& [language, text] : item.record.title) languages.insert(language);
    e.languages = {"en"};
    for (const std::string& language : languages)
        if (language != "en" && language != "und") e.languages.push_back(language);
    e.tour.title.byLanguage["en"] = title;

    const bool twoRows = options.layout != Layout::Linear;
    const size_t perRoom = std::max<size_t>(1, options.perRoom);
    float roomX = 0.0f;
    const size_t roomCount = (items.size() + perRoom - 1) / perRoom;
    std::vector<float> roomDepths;
    for (size_t r = 0; r < roomCount; ++r) {
        const size_t first = r * perRoom, last = std::min(items.size(), first + perRoom);
        // row 0 along the north wall (z = 0) facing +z; row 1 along the south wall facing -z
        const size_t count = last - first;
        const size_t northCount = twoRows ? (count + 1) / 2 : count;
        std::vector<size_t> rows[2];
        for (size_t i = first; i < last; ++i) rows[i - first < northCount ? 0 : 1].push_back(i);
        std::reverse(rows[1].begin(), rows[1].end());  // the walk goes round the room
        float rowLength[2] = {0, 0}, rowDepth[2] = {0, 0};
        const auto plinth = [&](const Item& item) {
            return glm::vec2(std::max(kMinPlinth, item.size.x * item.scale + kPlinthMargin),
                             std::max(kMinPlinth, item.size.z * item.scale + kPlinthMargin));
        };
        for (int row = 0; row < 2; ++row) {
            for (size_t k = 0; k < rows[row].size(); ++k) {
                const glm::vec2 p = plinth(items[rows[row][k]]);
                rowLength[row] += p.x + (k > 0 ? kPlinthGap : 0.0f);
                rowDepth[row] = std::max(rowDepth[row], p.y);
            }
        }
        const float width = std::max(5.0f, std::max(rowLength[0], rowLength[1]) + 2 * kSideClearance);
        const float depth = twoRows ? kWallClearance + rowDepth[0] + kAisle + rowDepth[1] + kWallClearance
                                    : std::max(4.0f, kWallClearance + rowDepth[0] + kAisle + 1.0f);
        const float aisleZ = kWallClearance + rowDepth[0] + kAisle / 2;
        float tallest = 0;
        for (size_t i = first; i < last; ++i) tallest = std::max(tallest, items[i].size.y * items[i].scale);

        exhibit::Room room;
        room.id = safeId(std::format("room-{}", r + 1), usedIds);
        if (options.layout == Layout::Chronological) {
            std::optional<int> from, to;
            for (size_t i = first; i < last; ++i) {
                const auto& rec = items[i].record;
                if (rec.earliestYear) from = from ? std::min(*from, *rec.earliestYear) : *rec.earliestYear;
                if (rec.latestYear || rec.earliestYear) {
                    const int y = rec.latestYear.value_or(*rec.earliestYear);
                    to = to ? std::max(*to, y) : y;
                }
            }
            room.name.byLanguage["en"] = from ? (*from == *to ? yearText(*from) : yearText(*from) + "–" + yearText(*to))
                                              : std::string("Undated");
        } else {
            room.name.byLanguage["en"] = std::format("Room {}", r + 1);
        }
        room.floor = {{roomX, 0.0f}, {roomX + width, 0.0f}, {roomX + width, depth}, {roomX, depth}};
        room.height = std::max(4.0f, std::min(50.0f, tallest + 2.0f));
        roomDepths.push_back(depth);

        for (int row = 0; row < 2; ++row) {
            float x = roomX + (width - rowLength[row]) / 2;
            for (size_t index : rows[row]) {
                const Item& item = items[index];
                const glm::vec2 p = plinth(item);
                exhibit::Artifact a;
                a.id = safeId(item.record.id, usedIds);
                a.pack = item.pack;
                a.room = room.id;
                a.scale = item.scale;
                const float z = row == 0 ? kWallClearance + p.y / 2 : depth - kWallClearance - p.y / 2;
                a.positionXZ = {x + p.x / 2, z};
                a.rotationDegrees = {0.0f, row == 0 ? 0.0f : 180.0f, 0.0f};
                const float height = item.size.y * item.scale;
                a.stand.kind = exhibit::StandKind::Plinth;
                a.stand.size = {p.x, std::clamp(kViewingHeight - height / 2, 0.15f, 1.1f), p.y};
                const catalog::Record& rec = item.record;
                a.label.title = localized(rec.title);
                a.label.creator = localized(rec.creator);
                a.label.date = localized(rec.date);
                a.label.culture = localized(rec.culture);
                a.label.medium = localized(rec.medium);
                a.label.dimensions = localized(rec.dimensions);
                a.label.description = localized(rec.description);
                a.label.creditLine = localized(rec.creditLine);
                a.label.objectNumber = rec.objectNumber;
                a.label.institution = rec.institution;
                if (isHttpUrl(rec.rights)) a.label.license = rec.rights;
                if (isHttpUrl(rec.sourceUrl)) a.label.sourceUrl = rec.sourceUrl;
                // comments with a point become hotspots, moved from model units into the object frame
                const glm::mat4 objectFromModel = exhibit::objectFromModel(a, item.frame);
                for (size_t c = 0; c < rec.comments.size(); ++c) {
                    if (!rec.comments[c].point) continue;
                    const auto& pt = *rec.comments[c].point;
                    exhibit::Annotation annotation;
                    annotation.id = std::format("{}-note-{}", a.id, c + 1);
                    annotation.position = glm::vec3(objectFromModel * glm::vec4(pt[0], pt[1], pt[2], 1.0f));
                    annotation.text = localized(rec.comments[c].text);
                    if (std::isfinite(annotation.position.x) && !annotation.text.empty()) a.annotations.push_back(annotation);
                }
                // the tour stands in the aisle in front of the object and looks at its centre
                exhibit::TourStop stop;
                stop.artifact = a.id;
                const float centreY = a.baseY() + height / 2;
                const float standoff = std::max(1.2f, height * 0.9f);
                const float cameraZ = row == 0 ? std::min(z + p.y / 2 + standoff, depth - 0.5f) : std::max(z - p.y / 2 - standoff, 0.5f);
                stop.camera.position = {a.positionXZ.x, kEyeHeight, cameraZ};
                stop.camera.target = {a.positionXZ.x, centreY, z};
                // a camera or spot light from the source's scene (IIIF 3D) moves with the object:
                // model units -> world through the artifact's placement, kept inside the room
                const glm::mat4 worldFromModel = exhibit::worldFromModel(a, item.frame);
                const auto toWorld = [&](const std::array<float, 3>& v) {
                    return glm::vec3(worldFromModel * glm::vec4(v[0], v[1], v[2], 1.0f));
                };
                // a point outside the room is walked in towards the object's centre along the same
                // line, so the view keeps its direction
                const glm::vec3 centre = stop.camera.target;
                const glm::vec3 lo{roomX + 0.3f, 0.3f, 0.3f}, hi{roomX + width - 0.3f, room.height - 0.3f, depth - 0.3f};
                const auto insideRoom = [&](glm::vec3 v) {
                    float t = 1.0f;
                    for (int i = 0; i < 3; ++i) {
                        const float d = v[i] - centre[i];
                        if (d > 0 && v[i] > hi[i]) t = std::min(t, (hi[i] - centre[i]) / d);
                        if (d < 0 && v[i] < lo[i]) t = std::min(t, (lo[i] - centre[i]) / d);
                    }
                    return centre + (v - centre) * std::max(t, 0.0f);
                };
                const auto finite = [](glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); };
                if (rec.camera) {
                    const glm::vec3 asAuthored = toWorld(rec.camera->position);
                    const glm::vec3 position = insideRoom(asAuthored);
                    const glm::vec3 target = rec.camera->lookAt ? toWorld(*rec.camera->lookAt) : stop.camera.target;
                    if (finite(position) && finite(target) && glm::length(target - position) > 0.01f) {
                        stop.camera.position = position;
                        stop.camera.target = target;
                        if (rec.camera->fieldOfViewDegrees)
                            stop.camera.fieldOfViewDegrees = framedFieldOfView(
                                *rec.camera->fieldOfViewDegrees, glm::length(target - asAuthored), glm::length(target - position));
                    }
                }
                // the first spot light becomes the artifact's own; the others join the exhibit's
                // lights, aimed at the object's centre like it
                bool ownLight = false;
                for (const catalog::SceneLight& source : rec.lights) {
                    const glm::vec3 position = insideRoom(toWorld(source.position));
                    if (!finite(position) || glm::length(position - centre) < 0.01f) continue;
                    // IIIF intensities are "relative": 1 is the viewer's usual spot
                    const float intensity =
                        exhibit::ArtifactLight{}.intensity * (source.intensity ? std::clamp(*source.intensity, 0.05f, 10.0f) : 1.0f);
                    const glm::vec3 color{source.color[0], source.color[1], source.color[2]};
                    const std::optional<float> cone =
                        source.angleDegrees ? std::optional(std::clamp(*source.angleDegrees, 1.0f, 80.0f)) : std::nullopt;
                    if (!ownLight) {
                        ownLight = true;
                        a.light.position = position;
                        a.light.color = color;
                        a.light.intensity = intensity;
                        if (cone) a.light.coneDegrees = *cone;
                        continue;
                    }
                    exhibit::SpotLight extra;
                    extra.position = position;
                    extra.target = centre;
                    extra.color = color;
                    extra.intensity = intensity;
                    if (cone) extra.coneDegrees = *cone;
                    e.lights.push_back(extra);
                }
                stop.title = a.label.title;
                // caption: creator and date, else the date, else the start of the description
                for (const auto& [language, text] : rec.creator) {
                    std::string caption = text;
                    if (rec.date.contains(language)) caption += ", " + rec.date.at(language);
                    stop.text.byLanguage[language] = caption;
                }
                if (stop.text.empty()) stop.text = localized(rec.date);
                if (stop.text.empty())
                    for (const auto& [language, text] : rec.description) {
                        std::string caption = text.substr(0, 240);
                        if (text.size() > 240)
                            while (!caption.empty() && (static_cast<unsigned char>(caption.back()) & 0xC0) == 0x80) caption.pop_back();
                        if (text.size() > 240 && !caption.empty() && static_cast<unsigned char>(caption.back()) >= 0xC0) caption.pop_back();
                        if (!caption.empty()) stop.text.byLanguage[language] = caption;
                    }
                e.tour.stops.push_back(stop);
                e.artifacts.push_back(a);
                x += p.x + kPlinthGap;
            }
        }
        if (r == 0) {
            e.start = exhibit::CameraPose{.position = {roomX + 0.8f, kEyeHeight, aisleZ}, .target = {roomX + width, kEyeHeight, aisleZ}};
        }
        e.rooms.push_back(room);
        roomX += width;
    }
    // doorways between neighbouring rooms, centred where both walls have room for them
    for (size_t r = 0; r + 1 < e.rooms.size(); ++r) {
        const float doorZ = std::min(roomDepths[r], roomDepths[r + 1]) / 2;
        e.rooms[r].openings.push_back({1, doorZ, kDoorWidth, 2.5f});
        e.rooms[r + 1].openings.push_back({3, roomDepths[r + 1] - doorZ, kDoorWidth, 2.5f});
    }
    return out;
}

namespace {

using nlohmann::json;

json languageMap(const exhibit::LocalizedText& text) {
    json out = json::object();
    for (const auto& [language, value] : text.byLanguage) out[language == "und" ? "none" : language] = json::array({value});
    return out;
}

void addMetadata(json& metadata, const char* label, const exhibit::LocalizedText& value) {
    if (!value.empty()) metadata.push_back({{"label", {{"en", {label}}}}, {"value", languageMap(value)}});
}

void addMetadata(json& metadata, const char* label, const std::string& value) {
    if (!value.empty()) metadata.push_back({{"label", {{"en", {label}}}}, {"value", {{"none", {value}}}}});
}

}  // namespace

std::string iiifManifest(const exhibit::Exhibit& e, const std::string& baseUrl) {
    std::string base = baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    json manifest = {
        {"@context", "http://iiif.io/api/presentation/3/context.json"},
        {"id", base + "/manifest.json"},
        {"type", "Manifest"},
        {"label", languageMap(e.title)},
    };
    if (!e.description.empty()) manifest["summary"] = languageMap(e.description);
    json items = json::array();
    std::map<std::string, json> rangeItems;
    for (size_t i = 0; i < e.artifacts.size(); ++i) {
        const exhibit::Artifact& a = e.artifacts[i];
        const std::string canvasId = std::format("{}/canvas/{}", base, i + 1);
        json canvas = {{"id", canvasId}, {"type", "Canvas"}, {"label", languageMap(a.label.title.empty() ? exhibit::LocalizedText{{{"none", a.id}}} : a.label.title)}};
        // a Canvas with content needs a size: the plinth footprint in millimetres stands in for it
        canvas["width"] = std::max(1, int(std::lround(a.stand.size.x * 1000)));
        canvas["height"] = std::max(1, int(std::lround(a.stand.size.z * 1000)));
        json metadata = json::array();
        addMetadata(metadata, "Creator", a.label.creator);
        addMetadata(metadata, "Date", a.label.date);
        addMetadata(metadata, "Culture", a.label.culture);
        addMetadata(metadata, "Medium", a.label.medium);
        addMetadata(metadata, "Dimensions", a.label.dimensions);
        addMetadata(metadata, "Object number", a.label.objectNumber);
        addMetadata(metadata, "Institution", a.label.institution);
        if (!metadata.empty()) canvas["metadata"] = metadata;
        if (!a.label.description.empty()) canvas["summary"] = languageMap(a.label.description);
        if (!a.label.creditLine.empty())
            canvas["requiredStatement"] = {{"label", {{"en", {"Credit line"}}}}, {"value", languageMap(a.label.creditLine)}};
        // IIIF allows only Creative Commons and RightsStatements.org URIs in "rights"
        if (a.label.license.find("creativecommons.org/") != std::string::npos || a.label.license.find("rightsstatements.org/") != std::string::npos)
            canvas["rights"] = a.label.license;
        if (!a.label.sourceUrl.empty())
            canvas["homepage"] = json::array({{{"id", a.label.sourceUrl}, {"type", "Text"}, {"format", "text/html"}, {"label", languageMap(a.label.title)}}});
        const std::string packUrl = isHttpUrl(a.pack) ? a.pack : base + "/" + a.pack;
        canvas["items"] = json::array({{{"id", canvasId + "/page/1"},
                                        {"type", "AnnotationPage"},
                                        {"items", json::array({{{"id", canvasId + "/annotation/1"},
                                                                {"type", "Annotation"},
                                                                {"motivation", "painting"},
                                                                {"body", {{"id", packUrl}, {"type", "Model"}, {"format", "application/vnd.vitrine.pack"}}},
                                                                {"target", canvasId}}})}}});
        items.push_back(canvas);
        rangeItems[a.room].push_back({{"id", canvasId}, {"type", "Canvas"}});
    }
    manifest["items"] = items;
    json structures = json::array();
    for (size_t r = 0; r < e.rooms.size(); ++r) {
        const exhibit::Room& room = e.rooms[r];
        if (!rangeItems.contains(room.id)) continue;
        structures.push_back({{"id", std::format("{}/range/{}", base, r + 1)},
                              {"type", "Range"},
                              {"label", languageMap(room.name.empty() ? exhibit::LocalizedText{{{"none", room.id}}} : room.name)},
                              {"items", rangeItems[room.id]}});
    }
    if (!structures.empty()) manifest["structures"] = structures;
    return manifest.dump(2) + "\n";
}

}  // namespace vt::collection
