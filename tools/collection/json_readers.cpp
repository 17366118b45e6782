// JSON sources: IIIF Presentation 3 manifests and collections, IIIF 3D (Presentation 4 draft)
// scenes, Smithsonian EDAN records and The Met collection API records, alone or in arrays.
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_locator.h"
#include "media_policy.h"
#include "readers.h"

namespace vt::collection {

namespace {

using nlohmann::json;

constexpr const char* kCc0 = "https://creativecommons.org/publicdomain/zero/1.0/";

struct Reader {
    const JsonContext& context;
    const JsonLocator& locator;
    ReadResult& result;

    void problem(const std::string& pointer, const std::string& message, bool warning = false) {
        result.problems.push_back({context.file, locator.find(pointer).line, pointer, message, warning});
    }
    void add(catalog::Record record, const std::string& pointer) {
        result.add(std::move(record), {context.file, locator.find(pointer).line, pointer});
    }
    void reject(const std::string& pointer, const std::string& message) {
        problem(pointer, message + "; record skipped");
        ++result.rejected;
    }
    void addMedia(catalog::Record& record, const std::string& pointer, const std::string& uri, catalog::MediaKind kind,
                  const std::string& format, const std::string& label) {
        if (uri.empty()) return;
        for (const catalog::Media& m : record.media)
            if (m.uri == uri) return;
        auto checked = checkMediaReference(uri, context.folder);
        if (!checked) {
            problem(pointer, checked.error().message + "; media refused", true);
            return;
        }
        record.media.push_back({*checked, kind, format, label});
    }
};

std::string str(const json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return {};
    const json& value = object[key];
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
    return {};
}

// Tags removed, outer whitespace trimmed. By hand: std::regex recurses per character and would
// overflow the stack on a long untrusted string.
std::string stripHtml(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool inTag = false;
    for (char c : text) {
        if (c == '<') inTag = true;
        else if (c == '>' && inTag) inTag = false;
        else if (!inTag) out += c;
    }
    const size_t a = out.find_first_not_of(" \t\r\n"), b = out.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : out.substr(a, b - a + 1);
}

std::string lowerExtension(const std::string& uri) {
    const std::string path = uri.substr(0, uri.find_first_of("?#"));
    const size_t dot = path.find_last_of('.'), slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// IIIF language map {"en": ["a", "b"], "none": ["c"]} -> Text ("none" -> "und").
catalog::Text languageMap(const json& value) {
    catalog::Text text;
    if (value.is_string()) {
        text["und"] = stripHtml(value.get<std::string>());
        return text;
    }
    if (!value.is_object()) return text;
    for (const auto& [language, items] : value.items()) {
        std::string joined;
        const auto add = [&](const json& item) {
            if (item.is_string() && !item.get<std::string>().empty())
                joined += (joined.empty() ? "" : "; ") + stripHtml(item.get<std::string>());
        };
        if (items.is_array()) for (const json& item : items) add(item);
        else add(items);
        if (!joined.empty()) text[language == "none" ? "und" : language] = joined;
    }
    return text;
}

// A value or a list of values as a list (copies, so a temporary argument is safe in range-for).
std::vector<json> asList(const json& value) {
    std::vector<json> out;
    if (value.is_array()) for (const json& v : value) out.push_back(v);
    else if (value.is_object()) out.push_back(value);
    return out;
}

bool hasMotivation(const json& annotation, const std::string& motivation) {
    if (!annotation.contains("motivation")) return false;
    const json& m = annotation["motivation"];
    if (m.is_string()) return m == motivation;
    if (m.is_array()) for (const json& v : m) if (v.is_string() && v == motivation) return true;
    return false;
}

catalog::MediaKind kindOf(const std::string& type, const std::string& format, const std::string& uri) {
    if (type == "Model" || format.starts_with("model/")) return catalog::MediaKind::Model;
    if (type == "Image" || format.starts_with("image/")) return catalog::MediaKind::Image;
    static const std::set<std::string> kModels = {"glb", "gltf", "obj", "ply", "stl", "fbx", "dae", "3ds"};
    static const std::set<std::string> kImages = {"jpg", "jpeg", "png", "tif", "tiff", "webp", "gif"};
    const std::string ext = lowerExtension(uri);
    if (kModels.contains(ext)) return catalog::MediaKind::Model;
    if (kImages.contains(ext)) return catalog::MediaKind::Image;
    return catalog::MediaKind::Other;
}

// Painting bodies: a resource, a SpecificResource with a source, a Choice, or a list of them.
void paintingBodies(Reader& reader, catalog::Record& record, const json& body, const std::string& pointer, int depth = 0) {
    if (depth > 4) return;
    if (body.is_array()) {
        for (size_t i = 0; i < body.size(); ++i) paintingBodies(reader, record, body[i], pointer + "/" + std::to_string(i), depth + 1);
        return;
    }
    if (!body.is_object()) return;
    const std::string type = str(body, "type");
    if (type == "SpecificResource" && body.contains("source")) {
        paintingBodies(reader, record, body["source"], pointer + "/source", depth + 1);
        return;
    }
    if (type == "Choice" && body.contains("items")) {
        paintingBodies(reader, record, body["items"], pointer + "/items", depth + 1);
        return;
    }
    const std::string id = str(body, "id");
    if (type.find("Camera") != std::string::npos || type.find("Light") != std::string::npos) return;
    if (id.empty()) return;
    const std::string format = str(body, "format");
    const catalog::MediaKind kind = kindOf(type, format, id);
    if (kind == catalog::MediaKind::Other && type != "Model" && type != "Image") return;
    reader.addMedia(record, pointer + "/id", id, kind, format, catalog::pick(languageMap(body.value("label", json()))));
}

// ---- IIIF 3D cameras and spot lights ----

using Vec3 = std::array<float, 3>;

std::optional<Vec3> pointOf(const json& selector) {
    if (!selector.is_object() || str(selector, "type") != "PointSelector") return std::nullopt;
    for (const char* k : {"x", "y", "z"})
        if (selector.contains(k) && !selector[k].is_number()) return std::nullopt;
    return Vec3{selector.value("x", 0.0f), selector.value("y", 0.0f), selector.value("z", 0.0f)};
}

Vec3 rotateXyz(Vec3 v, const json& t) {
    // Euler angles in degrees, X then Y then Z (as three.js's default order applies them to a vector: Z first)
    const auto rot = [&](int axis, float degrees) {
        const float r = degrees * 3.14159265358979f / 180.0f, c = std::cos(r), s = std::sin(r);
        const int a = (axis + 1) % 3, b = (axis + 2) % 3;
        const float va = v[a], vb = v[b];
        v[a] = c * va - s * vb;
        v[b] = s * va + c * vb;
    };
    rot(2, t.value("z", 0.0f));
    rot(1, t.value("y", 0.0f));
    rot(0, t.value("x", 0.0f));
    return v;
}

// Applies a SpecificResource's transforms, in order, to a point (with translation) or a direction.
Vec3 applyTransforms(const json& transforms, Vec3 v, bool direction) {
    for (const json& t : asList(transforms)) {
        const std::string type = str(t, "type");
        bool numeric = true;
        for (const char* k : {"x", "y", "z"})
            if (t.contains(k) && !t[k].is_number()) numeric = false;
        if (!numeric) continue;
        if (type == "RotateTransform") v = rotateXyz(v, t);
        else if (type == "ScaleTransform") for (int i = 0; i < 3; ++i) v[i] *= t.value(i == 0 ? "x" : i == 1 ? "y" : "z", 1.0f);
        else if (type == "TranslateTransform" && !direction)
            for (int i = 0; i < 3; ++i) v[i] += t.value(i == 0 ? "x" : i == 1 ? "y" : "z", 0.0f);
    }
    return v;
}

// "#rrggbb" (sRGB) to linear 0..1.
std::optional<Vec3> colorOf(const std::string& hex) {
    if (hex.size() != 7 || hex[0] != '#') return std::nullopt;
    Vec3 out{};
    for (int i = 0; i < 3; ++i) {
        unsigned value = 0;
        for (int k = 1 + 2 * i; k < 3 + 2 * i; ++k) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[k])));
            if (c >= '0' && c <= '9') value = value * 16 + static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') value = value * 16 + static_cast<unsigned>(c - 'a' + 10);
            else return std::nullopt;
        }
        const float srgb = static_cast<float>(value) / 255.0f;
        out[i] = srgb <= 0.04045f ? srgb / 12.92f : std::pow((srgb + 0.055f) / 1.055f, 2.4f);
    }
    return out;
}

// A painting annotation whose body is a PerspectiveCamera or a SpotLight: the first positioned
// camera and every positioned spot light are kept. Position: the target's PointSelector, after the body's transforms; a camera
// without a lookAt point looks along its rotated -z.
void sceneCameraOrLight(Reader& reader, catalog::Record& record, const json& annotation, const std::string& pointer) {
    json body = annotation.value("body", json());
    std::string bodyPointer = pointer + "/body";
    if (body.is_array() && body.size() == 1) body = body[0], bodyPointer += "/0";
    json transforms;
    if (str(body, "type") == "SpecificResource" && body.contains("source")) {
        transforms = body.value("transform", json());
        body = body["source"];
        bodyPointer += "/source";
        if (body.is_array() && body.size() == 1) body = body[0], bodyPointer += "/0";
    }
    const std::string type = str(body, "type");
    if (type != "PerspectiveCamera" && type != "SpotLight") return;
    std::optional<Vec3> at;
    for (const json& t : asList(annotation.value("target", json())))
        for (const json& selector : asList(t.value("selector", json())))
            if (auto p = pointOf(selector)) at = p;
    if (!at && transforms.is_null()) return;  // unpositioned: the viewer's default
    Vec3 position = applyTransforms(transforms, {0, 0, 0}, false);
    if (at) for (int i = 0; i < 3; ++i) position[i] += (*at)[i];
    for (float v : position)
        if (!std::isfinite(v)) return;
    if (type == "PerspectiveCamera") {
        if (record.camera) return;
        catalog::SceneCamera camera;
        camera.position = position;
        if (body.contains("lookAt")) {
            camera.lookAt = pointOf(body["lookAt"]);  // a lookAt annotation: the object's centre
        } else if (!transforms.is_null()) {
            const Vec3 d = applyTransforms(transforms, {0, 0, -1}, true);
            const float distance = std::max(1.0f, std::sqrt(position[0] * position[0] + position[1] * position[1] + position[2] * position[2]));
            camera.lookAt = Vec3{position[0] + d[0] * distance, position[1] + d[1] * distance, position[2] + d[2] * distance};
        }
        if (body.contains("fieldOfView") && body["fieldOfView"].is_number()) {
            // An angle of view is above 0 and below 180 degrees; the drafts' fixtures have one of 200.
            const float degrees = body["fieldOfView"].get<float>();
            if (degrees > 0.0f && degrees < 180.0f) camera.fieldOfViewDegrees = degrees;
            else reader.problem(bodyPointer + "/fieldOfView",
                                std::format("fieldOfView {} is not an angle of view (0-180 degrees); left out", degrees), true);
        }
        record.camera = camera;
    } else {
        catalog::SceneLight light;
        light.position = position;
        if (auto c = colorOf(str(body, "color"))) light.color = *c;
        if (body.contains("intensity")) {
            const json& i = body["intensity"];
            if (i.is_number()) light.intensity = i.get<float>();
            else if (i.is_object() && i.contains("value") && i["value"].is_number()) light.intensity = i["value"].get<float>();
        }
        if (body.contains("angle") && body["angle"].is_number()) light.angleDegrees = body["angle"].get<float>();
        record.lights.push_back(light);
    }
}

void commentAnnotations(catalog::Record& record, const json& pages) {
    for (const json& page : asList(pages)) {
        if (!page.contains("items")) continue;
        for (const json& annotation : asList(page["items"])) {
            if (!hasMotivation(annotation, "commenting")) continue;
            catalog::Comment comment;
            std::vector<json> bodies;
            for (const json& body : asList(annotation.value("body", json())))
                if (str(body, "type") == "Choice") for (const json& item : asList(body.value("items", json()))) bodies.push_back(item);
                else bodies.push_back(body);
            for (const json& body : bodies) {
                const std::string value = str(body, "value");
                if (value.empty()) continue;
                std::string language = str(body, "language");
                if (language.empty() || language == "none") language = "und";
                comment.text[language] = stripHtml(value);
            }
            // the Web Annotation shortcut for a plain text body
            if (const std::string value = str(annotation, "bodyValue"); !value.empty()) comment.text["und"] = stripHtml(value);
            for (const json& t : asList(annotation.value("target", json()))) {
                for (const json& selector : asList(t.value("selector", json())))
                    if (str(selector, "type") == "PointSelector" && selector.contains("x") && selector["x"].is_number())
                        comment.point = std::array<float, 3>{selector.value("x", 0.0f), selector.value("y", 0.0f), selector.value("z", 0.0f)};
            }
            if (!comment.text.empty()) record.comments.push_back(comment);
        }
    }
}

// "https://host/path/x.json" -> ("host", "/path/x.json").
bool splitUrl(const std::string& url, std::string& host, std::string& path) {
    if (!isHttpUrl(url)) return false;
    const size_t start = url.find("://") + 3;
    const size_t end = url.find_first_of("/?#", start);
    host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (host.empty()) return false;
    path = end == std::string::npos ? std::string("/") : url.substr(end, url.find_first_of("?#", end) - end);
    if (path.empty()) path = "/";
    return true;
}

void readIiifManifest(Reader& reader, const json& manifest, const std::string& pointer);
void readIiifCollection(Reader& reader, const json& collection, const std::string& pointer);

void readIiif(Reader& reader, const json& value, const std::string& pointer) {
    const std::string type = str(value, "type");
    if (type == "Collection") readIiifCollection(reader, value, pointer);
    else readIiifManifest(reader, value, pointer);
}

void readIiifCollection(Reader& reader, const json& collection, const std::string& pointer) {
    if (!collection.contains("items") || !collection["items"].is_array()) {
        reader.problem(pointer + "/items", "a IIIF collection without an items array");
        return;
    }
    const json& items = collection["items"];
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string itemPointer = pointer + "/items/" + std::to_string(i);
        const json& item = items[i];
        const std::string type = str(item, "type");
        if (type != "Manifest" && type != "Collection") {
            reader.reject(itemPointer, std::format("collection member of type '{}' (expected Manifest or Collection)", type));
            continue;
        }
        if (item.contains("items")) {  // embedded
            readIiif(reader, item, itemPointer);
            continue;
        }
        const std::string id = str(item, "id");
        // A member is fetched when URLs are allowed, else found beside the collection by file name.
        std::string location;
        if (isHttpUrl(id) && reader.context.folder.empty()) location = id;
        else {
            const std::string name = id.substr(id.find_last_of('/') + 1);
            auto checked = name.empty() ? Result<std::string>(fail("empty")) : checkMediaReference(name, reader.context.folder);
            if (checked && std::filesystem::exists(*checked)) location = *checked;
            else if (isHttpUrl(id)) location = id;
        }
        if (location.empty() || !reader.context.load) {
            reader.reject(itemPointer, std::format("cannot resolve member '{}' (no file of that name beside the collection)", id));
            continue;
        }
        if (reader.context.depth + 1 > kMaxCollectionDepth) {
            reader.reject(itemPointer, "collections nest too deep");
            continue;
        }
        auto text = reader.context.load(location);
        if (!text) {
            reader.reject(itemPointer, text.error().message);
            continue;
        }
        JsonContext inner = reader.context;
        inner.file = location;
        inner.folder = sourceFolder(location);
        inner.depth = reader.context.depth + 1;
        reader.result.append(readJson(*text, inner));
    }
}

void readIiifManifest(Reader& reader, const json& manifest, const std::string& pointer) {
    catalog::Record record;
    record.sourceFormat = "iiif";
    const std::string id = str(manifest, "id");
    std::string host, path;
    if (splitUrl(id, host, path)) {
        record.institution = host;
        record.objectNumber = path;
        record.sourceUrl = id;
    } else {
        // Templates such as "{{ id.url }}" (the IIIF cookbook's sources) are no URI: name it by its file.
        const std::filesystem::path file(reader.context.file);
        record.institution = "iiif-file";
        record.objectNumber = (file.parent_path().filename() / file.filename()).generic_string();
        reader.problem(pointer + "/id", std::format("id '{}' is not an http(s) URI; the record is named '{}' after its file",
                                                    id, record.objectNumber), true);
    }
    record.id = catalog::makeId(record.institution, record.objectNumber);
    record.title = languageMap(manifest.value("label", json()));
    record.description = languageMap(manifest.value("summary", json()));
    if (manifest.contains("rights") && manifest["rights"].is_string()) record.rights = manifest["rights"];
    if (manifest.contains("requiredStatement") && manifest["requiredStatement"].is_object())
        record.creditLine = languageMap(manifest["requiredStatement"].value("value", json()));
    for (const json& home : asList(manifest.value("homepage", json())))
        if (isHttpUrl(str(home, "id"))) { record.sourceUrl = str(home, "id"); break; }
    if (manifest.contains("provider"))
        for (const json& provider : asList(manifest["provider"])) {
            const std::string name = catalog::pick(languageMap(provider.value("label", json())));
            if (!name.empty()) record.creditLine.emplace("und", name);
            break;
        }
    // Descriptive metadata pairs, by their English (or any) label.
    if (manifest.contains("metadata") && manifest["metadata"].is_array()) {
        for (const json& pair : manifest["metadata"]) {
            std::string label = catalog::pick(languageMap(pair.value("label", json())));
            for (char& c : label) c = char(std::tolower(static_cast<unsigned char>(c)));
            const catalog::Text value = languageMap(pair.value("value", json()));
            if (value.empty()) continue;
            if (label == "creator" || label == "artist" || label == "author" || label == "maker") record.creator = value;
            else if (label == "date" || label == "date created" || label == "created") record.date = value;
            else if (label == "medium" || label == "material" || label == "materials") record.medium = value;
            else if (label == "dimensions") record.dimensions = value;
            else if (label == "culture") record.culture = value;
            else if (label == "description" && record.description.empty()) record.description = value;
        }
    }
    if (record.title.empty()) reader.problem(pointer + "/label", "manifest without a label", true);
    // Canvases (Presentation 3) and Scenes (the 3D draft): painting annotations give the media,
    // commenting annotations the comments.
    if (!manifest.contains("items") || !manifest["items"].is_array()) {
        reader.reject(pointer + "/items", "manifest without an items array");
        return;
    }
    const json& items = manifest["items"];
    for (size_t c = 0; c < items.size(); ++c) {
        const json& canvas = items[c];
        const std::string canvasPointer = pointer + "/items/" + std::to_string(c);
        for (size_t p = 0; canvas.contains("items") && canvas["items"].is_array() && p < canvas["items"].size(); ++p) {
            const json& page = canvas["items"][p];
            if (!page.contains("items") || !page["items"].is_array()) continue;
            for (size_t a = 0; a < page["items"].size(); ++a) {
                std::string annotationPointer = std::format("{}/items/{}/items/{}", canvasPointer, p, a);
                const json* item = &page["items"][a];
                // A Choice offers alternatives (one camera or another); its first is the default view.
                if (str(*item, "type") == "Choice" && item->contains("items") && (*item)["items"].is_array() &&
                    !(*item)["items"].empty()) {
                    item = &(*item)["items"][0];
                    annotationPointer += "/items/0";
                }
                const json& annotation = *item;
                if (!hasMotivation(annotation, "painting") || !annotation.contains("body")) continue;
                sceneCameraOrLight(reader, record, annotation, annotationPointer);
                paintingBodies(reader, record, annotation["body"], annotationPointer + "/body");
            }
        }
        if (canvas.contains("annotations")) commentAnnotations(record, canvas["annotations"]);
    }
    if (manifest.contains("annotations")) commentAnnotations(record, manifest["annotations"]);
    reader.add(std::move(record), pointer);
}

// ---- Smithsonian EDAN ----

std::string firstLabelled(const json& list, std::initializer_list<const char*> labels) {
    if (!list.is_array()) return {};
    for (const char* wanted : labels)
        for (const json& item : list)
            if (str(item, "label") == wanted && !str(item, "content").empty()) return str(item, "content");
    return {};
}

void readEdan(Reader& reader, const json& value, const std::string& pointer) {
    const json& content = value["content"];
    if (!content.is_object() || !content.contains("descriptiveNonRepeating")) {
        reader.reject(pointer + "/content", "EDAN record without content/descriptiveNonRepeating");
        return;
    }
    const json& dnr = content["descriptiveNonRepeating"];
    const json freetext = content.value("freetext", json::object());
    const json indexed = content.value("indexedStructured", json::object());
    catalog::Record record;
    record.sourceFormat = "edan";
    std::string unit = str(dnr, "unit_code");
    if (unit.empty()) unit = str(value, "unitCode");
    for (char& c : unit) c = char(std::tolower(static_cast<unsigned char>(c)));
    record.institution = unit.empty() ? "si" : "si." + unit;
    // The museum number that identifies the object; "Accession Number" can be a placeholder, so last.
    record.objectNumber = firstLabelled(freetext.value("identifier", json()),
                                        {"ID Number", "Object Number", "Catalog Number", "USNM Number", "Accession Number"});
    if (record.objectNumber.empty() || record.objectNumber.find_first_not_of('0') == std::string::npos)
        record.objectNumber = str(dnr, "record_ID");
    record.id = catalog::makeId(record.institution, record.objectNumber);
    if (record.id.empty()) {
        reader.reject(pointer, "EDAN record without an identifier or record_ID");
        return;
    }
    std::string title = dnr.contains("title") ? str(dnr["title"], "content") : std::string();
    if (title.empty()) title = str(value, "title");
    if (!title.empty()) record.title["en"] = title;
    const std::string description = firstLabelled(freetext.value("notes", json()), {"Brief Description", "Description", "Summary"});
    if (!description.empty()) record.description["en"] = description;
    std::string creators;
    if (freetext.contains("name") && freetext["name"].is_array())
        for (const json& name : freetext["name"]) {
            const std::string who = str(name, "content");
            if (who.empty()) continue;
            const std::string role = str(name, "label");
            creators += (creators.empty() ? "" : "; ") + (role.empty() ? who : who + " (" + role + ")");
        }
    if (!creators.empty()) record.creator["en"] = creators;
    const std::string date = firstLabelled(freetext.value("date", json()), {"Date", "Collection Date", "date"});
    if (!date.empty()) {
        record.date["en"] = date;
        catalog::parseYears(date, record.earliestYear, record.latestYear);
    }
    if (indexed.contains("culture") && indexed["culture"].is_array() && !indexed["culture"].empty() && indexed["culture"][0].is_string())
        record.culture["en"] = indexed["culture"][0];
    const json physical = freetext.value("physicalDescription", json());
    const std::string medium = firstLabelled(physical, {"Medium", "Physical Description", "Preparation"});
    if (!medium.empty()) record.medium["en"] = medium;
    const std::string dimensions = firstLabelled(physical, {"Dimensions"});
    if (!dimensions.empty()) {
        record.dimensions["en"] = dimensions;
        catalog::parseDimensions(dimensions, record.heightMm, record.widthMm, record.depthMm);
    }
    const std::string credit = firstLabelled(freetext.value("creditLine", json()), {"Credit Line", "Credit line"});
    if (!credit.empty()) record.creditLine["en"] = credit;
    const std::string dataSource = firstLabelled(freetext.value("dataSource", json()), {"Data Source"});
    if (record.creditLine.empty() && !dataSource.empty()) record.creditLine["en"] = dataSource;
    if (dnr.contains("metadata_usage") && str(dnr["metadata_usage"], "access") == "CC0") record.rights = kCc0;
    record.sourceUrl = str(dnr, "record_link");
    if (dnr.contains("online_media") && dnr["online_media"].contains("media") && dnr["online_media"]["media"].is_array()) {
        const json& media = dnr["online_media"]["media"];
        for (size_t i = 0; i < media.size(); ++i) {
            const std::string type = str(media[i], "type");
            const std::string uri = str(media[i], "content");
            catalog::MediaKind kind = kindOf("", "", uri);
            if (type == "Images") kind = catalog::MediaKind::Image;
            else if (type.find("3d") != std::string::npos || type.find("3D") != std::string::npos) kind = catalog::MediaKind::Model;
            reader.addMedia(record, std::format("{}/content/descriptiveNonRepeating/online_media/media/{}/content", pointer, i), uri,
                            kind, "", str(media[i], "caption"));
        }
    }
    reader.add(std::move(record), pointer);
}

// ---- The Met collection API ----

void readMet(Reader& reader, const json& value, const std::string& pointer) {
    catalog::Record record;
    record.sourceFormat = "met-api";
    record.institution = "met";
    record.objectNumber = str(value, "accessionNumber");
    if (record.objectNumber.empty()) record.objectNumber = str(value, "objectID");
    record.id = catalog::makeId(record.institution, record.objectNumber);
    if (record.id.empty()) {
        reader.reject(pointer, "Met record without accessionNumber or objectID");
        return;
    }
    const auto put = [&](catalog::Text& text, const char* key) {
        const std::string v = str(value, key);
        if (!v.empty()) text["en"] = v;
    };
    put(record.title, "title");
    put(record.creator, "artistDisplayName");
    put(record.date, "objectDate");
    put(record.culture, "culture");
    put(record.medium, "medium");
    put(record.dimensions, "dimensions");
    put(record.creditLine, "creditLine");
    std::string description = str(value, "objectName");
    if (!str(value, "period").empty()) description += (description.empty() ? "" : ", ") + str(value, "period");
    if (!description.empty()) record.description["en"] = description;
    if (value.contains("objectBeginDate") && value["objectBeginDate"].is_number_integer()) record.earliestYear = value["objectBeginDate"].get<int>();
    if (value.contains("objectEndDate") && value["objectEndDate"].is_number_integer()) record.latestYear = value["objectEndDate"].get<int>();
    if (!record.earliestYear && !record.date.empty()) catalog::parseYears(record.date["en"], record.earliestYear, record.latestYear);
    if (!record.dimensions.empty()) catalog::parseDimensions(record.dimensions["en"], record.heightMm, record.widthMm, record.depthMm);
    if (value.value("isPublicDomain", false)) record.rights = kCc0;
    record.sourceUrl = str(value, "objectURL");
    reader.addMedia(record, pointer + "/primaryImage", str(value, "primaryImage"), catalog::MediaKind::Image, "image/jpeg", "");
    if (value.contains("additionalImages") && value["additionalImages"].is_array())
        for (size_t i = 0; i < value["additionalImages"].size(); ++i)
            if (value["additionalImages"][i].is_string())
                reader.addMedia(record, std::format("{}/additionalImages/{}", pointer, i), value["additionalImages"][i],
                                catalog::MediaKind::Image, "image/jpeg", "");
    reader.add(std::move(record), pointer);
}

// ---- Cleveland Museum of Art open access API ----

void readCleveland(Reader& reader, const json& value, const std::string& pointer) {
    catalog::Record record;
    record.sourceFormat = "cma-api";
    record.institution = "cma";
    record.objectNumber = str(value, "accession_number");
    record.id = catalog::makeId(record.institution, record.objectNumber);
    if (record.id.empty()) {
        reader.reject(pointer, "Cleveland record without accession_number");
        return;
    }
    const auto put = [&](catalog::Text& text, const char* key) {
        const std::string v = str(value, key);
        if (!v.empty()) text["en"] = stripHtml(v);
    };
    put(record.title, "title");
    put(record.description, "description");
    put(record.date, "creation_date");
    put(record.medium, "technique");
    put(record.dimensions, "measurements");
    put(record.creditLine, "creditline");
    std::string creators;
    for (const json& creator : asList(value.value("creators", json())))
        if (const std::string who = str(creator, "description"); !who.empty()) creators += (creators.empty() ? "" : "; ") + who;
    if (!creators.empty()) record.creator["en"] = creators;
    std::string culture;
    if (value.contains("culture") && value["culture"].is_array())
        for (const json& c : value["culture"])
            if (c.is_string()) culture += (culture.empty() ? "" : "; ") + c.get<std::string>();
    if (!culture.empty()) record.culture["en"] = culture;
    if (value.contains("creation_date_earliest") && value["creation_date_earliest"].is_number_integer())
        record.earliestYear = value["creation_date_earliest"].get<int>();
    if (value.contains("creation_date_latest") && value["creation_date_latest"].is_number_integer())
        record.latestYear = value["creation_date_latest"].get<int>();
    if (!record.earliestYear && !record.date.empty()) catalog::parseYears(record.date["en"], record.earliestYear, record.latestYear);
    // "Framed: ...; Unframed: 99.8 x 160.6 cm": the object itself, without its frame
    if (!record.dimensions.empty()) {
        const std::string& text = record.dimensions["en"];
        const size_t unframed = text.find("Unframed:");
        catalog::parseDimensions(unframed == std::string::npos ? text : text.substr(unframed), record.heightMm, record.widthMm, record.depthMm);
    }
    if (str(value, "share_license_status") == "CC0") record.rights = kCc0;
    record.sourceUrl = str(value, "url");
    if (value.contains("images") && value["images"].is_object())
        for (const char* size : {"web", "print", "full"})
            if (value["images"].contains(size) && value["images"][size].is_object()) {
                reader.addMedia(record, std::format("{}/images/{}/url", pointer, size), str(value["images"][size], "url"),
                                catalog::MediaKind::Image, "", size);
                break;
            }
    reader.add(std::move(record), pointer);
}

void readValue(Reader& reader, const json& value, const std::string& pointer, int depth) {
    if (value.is_array()) {
        if (depth > 2) {
            reader.reject(pointer, "arrays nested too deep");
            return;
        }
        for (size_t i = 0; i < value.size(); ++i) readValue(reader, value[i], pointer + "/" + std::to_string(i), depth + 1);
        return;
    }
    if (!value.is_object()) {
        reader.reject(pointer, "expected a record object");
        return;
    }
    const std::string type = str(value, "type");
    if (value.contains("@context") || type == "Manifest" || type == "Collection") readIiif(reader, value, pointer);
    else if (value.contains("content") && value["content"].is_object() && value["content"].contains("descriptiveNonRepeating"))
        readEdan(reader, value, pointer);
    else if (value.contains("objectID") && (value.contains("accessionNumber") || value.contains("title"))) readMet(reader, value, pointer);
    else if (value.contains("accession_number") && (value.contains("share_license_status") || value.contains("creation_date_earliest")))
        readCleveland(reader, value, pointer);
    else if (depth == 0 && value.contains("data") && (value["data"].is_array() || value["data"].is_object()))
        readValue(reader, value["data"], pointer + "/data", depth + 1);
    else if (depth == 0 && value.contains("rows") && value["rows"].is_array()) readValue(reader, value["rows"], pointer + "/rows", depth + 1);
    else if (depth == 0 && value.contains("response") && value["response"].is_object() && value["response"].contains("rows"))
        readValue(reader, value["response"]["rows"], pointer + "/response/rows", depth + 1);
    else reader.reject(pointer, "not a recognised record (expected a IIIF manifest or collection, or an EDAN, Met or Cleveland API record)");
}

}  // namespace

ReadResult readJson(std::string_view text, const JsonContext& context) {
    ReadResult result;
    text = stripBom(text);
    if (const size_t at = jsonNestingExceeds(text); at != std::string_view::npos) {
        result.problems.push_back({context.file, locateOffset(text, at).line, "",
                                   std::format("nested deeper than {} levels; not a record", kMaxJsonDepth)});
        ++result.rejected;
        return result;
    }
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        const TextLocation at = locateOffset(text, error.byte > 0 ? error.byte - 1 : 0);
        std::string message = error.what();
        if (const size_t colon = message.find("syntax error"); colon != std::string::npos) message = message.substr(colon);
        result.problems.push_back({context.file, at.line, "", "invalid JSON: " + message});
        ++result.rejected;
        return result;
    } catch (const json::exception& error) {  // out_of_range: a number too large for a double
        result.problems.push_back({context.file, locateQuotedToken(text, error.what()).line, "",
                                   std::format("unusable JSON: {}", error.what())});
        ++result.rejected;
        return result;
    }
    const JsonLocator locator(text);
    Reader reader{context, locator, result};
    for (const std::string& duplicate : locator.duplicateKeys()) reader.problem(duplicate, "key given twice; the last one counts", true);
    readValue(reader, document, "", 0);
    return result;
}

}  // namespace vt::collection
