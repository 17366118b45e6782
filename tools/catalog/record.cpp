#include "record.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

namespace vt::catalog {

namespace {

using nlohmann::json;

json textJson(const Text& text) {
    json out = json::object();
    for (const auto& [language, value] : text) out[language] = value;
    return out;
}

Text textFrom(const json& value) {
    Text text;
    if (!value.is_object()) return text;
    for (const auto& [language, item] : value.items())
        if (item.is_string()) text[language] = item.get<std::string>();
    return text;
}

template <class T>
void putOptional(json& out, const char* key, const std::optional<T>& value) {
    if (value) out[key] = *value;
}

std::string trim(std::string text) {
    const auto isSpace = [](unsigned char c) { return std::isspace(c) != 0; };
    text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), isSpace));
    text.erase(std::find_if_not(text.rbegin(), text.rend(), isSpace).base(), text.end());
    return text;
}

std::string lower(std::string text) {
    for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

const std::string& pick(const Text& text, const std::string& language) {
    static const std::string kEmpty;
    if (auto it = text.find(language); it != text.end()) return it->second;
    if (auto it = text.find("en"); it != text.end()) return it->second;
    if (auto it = text.find("und"); it != text.end()) return it->second;
    return text.empty() ? kEmpty : text.begin()->second;
}

std::string mediaKindName(MediaKind kind) {
    switch (kind) {
    case MediaKind::Model: return "model";
    case MediaKind::Image: return "image";
    case MediaKind::Other: break;
    }
    return "other";
}

MediaKind mediaKindFromName(const std::string& name) {
    if (name == "model") return MediaKind::Model;
    if (name == "image") return MediaKind::Image;
    return MediaKind::Other;
}

std::string toJson(const Record& record) {
    json out = json::object();
    out["id"] = record.id;
    out["institution"] = record.institution;
    out["objectNumber"] = record.objectNumber;
    out["title"] = textJson(record.title);
    out["description"] = textJson(record.description);
    out["creator"] = textJson(record.creator);
    out["culture"] = textJson(record.culture);
    out["medium"] = textJson(record.medium);
    out["creditLine"] = textJson(record.creditLine);
    out["date"] = textJson(record.date);
    putOptional(out, "earliestYear", record.earliestYear);
    putOptional(out, "latestYear", record.latestYear);
    out["dimensions"] = textJson(record.dimensions);
    putOptional(out, "heightMm", record.heightMm);
    putOptional(out, "widthMm", record.widthMm);
    putOptional(out, "depthMm", record.depthMm);
    out["rights"] = record.rights;
    out["sourceUrl"] = record.sourceUrl;
    out["sourceFormat"] = record.sourceFormat;
    json media = json::array();
    for (const Media& m : record.media)
        media.push_back({{"uri", m.uri}, {"kind", mediaKindName(m.kind)}, {"format", m.format}, {"label", m.label}});
    out["media"] = media;
    json comments = json::array();
    for (const Comment& c : record.comments) {
        json item = {{"text", textJson(c.text)}};
        if (c.point) item["point"] = {(*c.point)[0], (*c.point)[1], (*c.point)[2]};
        comments.push_back(item);
    }
    out["comments"] = comments;
    // written only when present, so records without them keep their canonical JSON
    const auto vec3 = [](const std::array<float, 3>& v) { return json::array({v[0], v[1], v[2]}); };
    if (record.camera) {
        json camera = {{"position", vec3(record.camera->position)}};
        if (record.camera->lookAt) camera["lookAt"] = vec3(*record.camera->lookAt);
        if (record.camera->fieldOfViewDegrees) camera["fieldOfView"] = *record.camera->fieldOfViewDegrees;
        out["camera"] = camera;
    }
    for (const SceneLight& l : record.lights) {
        json light = {{"position", vec3(l.position)}, {"color", vec3(l.color)}};
        if (l.intensity) light["intensity"] = *l.intensity;
        if (l.angleDegrees) light["angle"] = *l.angleDegrees;
        out["lights"].push_back(light);
    }
    return out.dump();
}

bool fromJson(const std::string& text, Record& record, std::string* error) {
    json in = json::parse(text, nullptr, false);
    if (in.is_discarded() || !in.is_object()) {
        if (error) *error = "not a record object";
        return false;
    }
    const auto str = [&](const char* key) { return in.contains(key) && in[key].is_string() ? in[key].get<std::string>() : std::string(); };
    record = Record{};
    record.id = str("id");
    record.institution = str("institution");
    record.objectNumber = str("objectNumber");
    record.title = textFrom(in.value("title", json()));
    record.description = textFrom(in.value("description", json()));
    record.creator = textFrom(in.value("creator", json()));
    record.culture = textFrom(in.value("culture", json()));
    record.medium = textFrom(in.value("medium", json()));
    record.creditLine = textFrom(in.value("creditLine", json()));
    record.date = textFrom(in.value("date", json()));
    record.dimensions = textFrom(in.value("dimensions", json()));
    if (in.contains("earliestYear") && in["earliestYear"].is_number_integer()) record.earliestYear = in["earliestYear"].get<int>();
    if (in.contains("latestYear") && in["latestYear"].is_number_integer()) record.latestYear = in["latestYear"].get<int>();
    if (in.contains("heightMm") && in["heightMm"].is_number()) record.heightMm = in["heightMm"].get<double>();
    if (in.contains("widthMm") && in["widthMm"].is_number()) record.widthMm = in["widthMm"].get<double>();
    if (in.contains("depthMm") && in["depthMm"].is_number()) record.depthMm = in["depthMm"].get<double>();
    record.rights = str("rights");
    record.sourceUrl = str("sourceUrl");
    record.sourceFormat = str("sourceFormat");
    if (in.contains("media") && in["media"].is_array())
        for (const json& m : in["media"])
            if (m.is_object())
                record.media.push_back({m.value("uri", ""), mediaKindFromName(m.value("kind", "")), m.value("format", ""),
                                        m.value("label", "")});
    if (in.contains("comments") && in["comments"].is_array())
        for (const json& c : in["comments"]) {
            if (!c.is_object()) continue;
            Comment comment;
            comment.text = textFrom(c.value("text", json()));
            if (c.contains("point") && c["point"].is_array() && c["point"].size() == 3)
                comment.point = std::array<float, 3>{c["point"][0].get<float>(), c["point"][1].get<float>(), c["point"][2].get<float>()};
            record.comments.push_back(comment);
        }
    const auto vec3 = [](const json& v, std::array<float, 3>& out) {
        if (!v.is_array() || v.size() != 3) return false;
        for (size_t i = 0; i < 3; ++i) {
            if (!v[i].is_number()) return false;
            out[i] = v[i].get<float>();
        }
        return true;
    };
    if (in.contains("camera") && in["camera"].is_object()) {
        const json& c = in["camera"];
        SceneCamera camera;
        if (vec3(c.value("position", json()), camera.position)) {
            std::array<float, 3> lookAt{};
            if (vec3(c.value("lookAt", json()), lookAt)) camera.lookAt = lookAt;
            if (c.contains("fieldOfView") && c["fieldOfView"].is_number()) camera.fieldOfViewDegrees = c["fieldOfView"].get<float>();
            record.camera = camera;
        }
    }
    // "lights": every spot light; "light": the one light a catalog written before kept.
    json lights = in.contains("lights") && in["lights"].is_array() ? in["lights"] : json::array();
    if (in.contains("light") && in["light"].is_object()) lights.push_back(in["light"]);
    for (const json& l : lights) {
        SceneLight light;
        if (!l.is_object() || !vec3(l.value("position", json()), light.position)) continue;
        vec3(l.value("color", json()), light.color);
        if (l.contains("intensity") && l["intensity"].is_number()) light.intensity = l["intensity"].get<float>();
        if (l.contains("angle") && l["angle"].is_number()) light.angleDegrees = l["angle"].get<float>();
        record.lights.push_back(light);
    }
    return true;
}

std::string makeId(const std::string& institution, const std::string& objectNumber) {
    const std::string number = trim(objectNumber);
    if (number.empty()) return {};
    return trim(institution) + ":" + number;
}

// Display texts longer than this are read only this far (std::regex recurses per character).
constexpr size_t kMaxParsedText = 512;

void parseYears(const std::string& display, std::optional<int>& earliest, std::optional<int>& latest) {
    if (display.empty()) return;
    const std::string text = lower(display.substr(0, kMaxParsedText));
    const bool bce = std::regex_search(text, std::regex(R"((\bb\.?\s?c\.?(e\.?)?\b)|(a\.\s?chr)|(v\.\s?chr)|(\bbce\b))"));
    const int sign = bce ? -1 : 1;
    std::smatch match;
    // Centuries: "late 17th century", "5th century BCE".
    if (std::regex_search(text, match, std::regex(R"((early|mid|late)?[\s-]*(\d{1,2})(st|nd|rd|th)[\s-]+(century|c\.|jh|jahrhundert))"))) {
        const int century = std::stoi(match[2]);
        int from = (century - 1) * 100, to = century * 100 - 1;
        if (match[1] == "early") to = from + 33;
        else if (match[1] == "mid") { from += 33; to = from + 33; }
        else if (match[1] == "late") from += 66;
        if (bce) { const int a = -(century * 100 - 1), b = -((century - 1) * 100); from = a; to = b; }
        earliest = from;
        latest = to;
        return;
    }
    // ISO dates keep only their year.
    const std::string years = std::regex_replace(text, std::regex(R"((\d{4})-\d{2}-\d{2})"), "$1");
    std::vector<std::pair<int, size_t>> numbers;  // value, digits
    static const std::regex kDigits(R"(\d{1,4})");
    for (auto it = std::sregex_iterator(years.begin(), years.end(), kDigits);
         it != std::sregex_iterator(); ++it) {
        const std::string digits = (*it)[0];
        numbers.push_back({std::stoi(digits), digits.size()});
    }
    if (numbers.empty()) return;
    const bool haveLong = std::any_of(numbers.begin(), numbers.end(), [](auto n) { return n.second >= 3; });
    std::vector<int> picked;
    for (size_t i = 0; i < numbers.size() && picked.size() < 2; ++i) {
        auto [value, digits] = numbers[i];
        if (haveLong && digits <= 2) {
            // "1575-76": a two-digit end of a range
            if (picked.size() == 1 && picked[0] >= 100 && i > 0) picked.push_back(picked[0] / 100 * 100 + value);
            continue;
        }
        picked.push_back(value);
    }
    if (picked.empty()) return;
    int a = picked.front() * sign, b = picked.back() * sign;
    if (a > b) std::swap(a, b);
    earliest = a;
    latest = b;
}

bool parseDimensions(const std::string& fullText, std::optional<double>& heightMm, std::optional<double>& widthMm,
                     std::optional<double>& depthMm) {
    const std::string text = fullText.substr(0, kMaxParsedText);
    static const std::string kNumber = R"((?:\d+(?:[.,]\d+)?(?:\s+\d+/\d+)?|\d+/\d+))";
    static const std::regex kGroup("(" + kNumber + R"((?:\s*[x×]\s*)" + kNumber + R"()*)\s*(mm|cm|m|in\.?|inches|")(?![a-z]))",
                                   std::regex::icase);
    static const std::regex kValue(kNumber);
    const auto toNumber = [](std::string s) {
        if (s.size() > 24) return 0.0;  // no measurement has that many digits; std::stod would throw
        std::replace(s.begin(), s.end(), ',', '.');
        double value = 0;
        std::smatch m;
        if (std::regex_match(s, m, std::regex(R"((\d+(?:\.\d+)?)\s+(\d+)/(\d+))")))
            value = std::stod(m[1]) + (std::stod(m[3]) > 0 ? std::stod(m[2]) / std::stod(m[3]) : 0);
        else if (std::regex_match(s, m, std::regex(R"((\d+)/(\d+))")))
            value = std::stod(m[2]) > 0 ? std::stod(m[1]) / std::stod(m[2]) : 0;
        else value = std::stod(s);
        return value;
    };
    struct Group {
        std::vector<double> mm;
        bool metric;
    };
    std::vector<Group> groups;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kGroup); it != std::sregex_iterator(); ++it) {
        const std::string unit = lower((*it)[2]);
        double scale = 25.4;
        bool metric = true;
        if (unit == "mm") scale = 1;
        else if (unit == "cm") scale = 10;
        else if (unit == "m") scale = 1000;
        else metric = false;
        Group group{{}, metric};
        const std::string values = (*it)[1];
        for (auto v = std::sregex_iterator(values.begin(), values.end(), kValue); v != std::sregex_iterator(); ++v)
            group.mm.push_back(toNumber((*v)[0]) * scale);
        groups.push_back(group);
    }
    if (groups.empty()) return false;
    // A "N x N x N unit" group says it all; single labelled values ("H. 23 cm; W. 12 cm") add up in order.
    std::vector<double> values;
    const bool anyMetric = std::any_of(groups.begin(), groups.end(), [](const Group& g) { return g.metric; });
    for (const Group& g : groups) {
        if (g.metric != anyMetric) continue;
        if (g.mm.size() > 1) {
            values = g.mm;
            break;
        }
        values.push_back(g.mm[0]);
        if (values.size() == 3) break;
    }
    if (values.empty()) return false;
    heightMm = values[0];
    if (values.size() > 1) widthMm = values[1];
    if (values.size() > 2) depthMm = values[2];
    return true;
}

}  // namespace vt::catalog
