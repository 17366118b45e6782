// LIDO XML (v1.0/1.1): a lidoWrap with many lido records, or one lido record. Names are matched
// without their namespace prefix; every descriptiveMetadata block (one per language) is read.
#include <cstring>
#include <regex>

#include <pugixml.hpp>

#include "core/json_locator.h"
#include "media_policy.h"
#include "readers.h"

namespace vt::collection {

namespace {

constexpr const char* kCc0 = "https://creativecommons.org/publicdomain/zero/1.0/";

const char* localName(const pugi::xml_node& node) {
    const char* name = node.name();
    const char* colon = std::strchr(name, ':');
    return colon ? colon + 1 : name;
}

bool is(const pugi::xml_node& node, const char* name) { return std::strcmp(localName(node), name) == 0; }

pugi::xml_node child(const pugi::xml_node& node, const char* name) {
    for (pugi::xml_node c : node.children())
        if (c.type() == pugi::node_element && is(c, name)) return c;
    return {};
}

std::vector<pugi::xml_node> children(const pugi::xml_node& node, const char* name) {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node c : node.children())
        if (c.type() == pugi::node_element && is(c, name)) out.push_back(c);
    return out;
}

// LIDO nests a dozen levels; deeper (hostile) nesting is not searched, so recursion stays bounded.
constexpr int kMaxDepth = 48;

// Every descendant element with this local name, in document order.
void descendants(const pugi::xml_node& node, const char* name, std::vector<pugi::xml_node>& out, int depth = 0) {
    if (depth > kMaxDepth) return;
    for (pugi::xml_node c : node.children()) {
        if (c.type() != pugi::node_element) continue;
        if (is(c, name)) out.push_back(c);
        descendants(c, name, out, depth + 1);
    }
}
std::vector<pugi::xml_node> descendants(const pugi::xml_node& node, const char* name) {
    std::vector<pugi::xml_node> out;
    descendants(node, name, out);
    return out;
}

// Follows a path of local names; the first match at each step.
pugi::xml_node path(pugi::xml_node node, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        node = child(node, name);
        if (!node) break;
    }
    return node;
}

std::string text(const pugi::xml_node& node) {
    // collapse the indentation LIDO exporters put inside text (by hand: std::regex recurses per
    // character and would overflow the stack on a long run)
    std::string value;
    bool space = false;
    for (const char* p = node.text().get(); *p; ++p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = !value.empty();
            continue;
        }
        if (space) value += ' ';
        space = false;
        value += *p;
    }
    return value;
}

std::string attribute(const pugi::xml_node& node, const char* name) {
    for (pugi::xml_attribute a : node.attributes()) {
        const char* n = a.name();
        const char* colon = std::strchr(n, ':');
        if (std::strcmp(colon ? colon + 1 : n, name) == 0) return a.value();
    }
    return {};
}

std::string languageOf(const pugi::xml_node& node, const std::string& fallback) {
    const std::string lang = node.attribute("xml:lang").value();
    return lang.empty() ? fallback : lang;
}

void add(catalog::Text& out, const std::string& language, const std::string& value) {
    if (value.empty()) return;
    std::string& slot = out[language];
    if (slot.find(value) != std::string::npos) return;
    slot += (slot.empty() ? "" : "; ") + value;
}

std::optional<int> year(const std::string& value) {
    static const std::regex kYear(R"(^\s*(-?)(\d{1,4}))");
    std::smatch m;
    if (!std::regex_search(value, m, kYear)) return std::nullopt;
    const int y = std::stoi(m[2]);
    return m[1] == "-" ? -y : y;
}

bool isCreationEvent(const pugi::xml_node& event) {
    std::string type;
    for (pugi::xml_node term : children(child(event, "eventType"), "term")) type += text(term) + " ";
    for (char& c : type) c = char(std::tolower(static_cast<unsigned char>(c)));
    return type.find("produc") != std::string::npos || type.find("creat") != std::string::npos ||
           type.find("herstell") != std::string::npos;
}

std::string rightsUri(const std::string& term) {
    if (isHttpUrl(term)) return term;
    std::string t = term;
    for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (t == "cc0" || t == "public domain" || t == "cc0 1.0") return kCc0;
    static const std::regex kCc(R"(^cc[ -](by(?:-(?:sa|nd|nc|nc-sa|nc-nd))?)[ -]?(\d\.\d)?$)");
    std::smatch m;
    if (std::regex_match(t, m, kCc)) return std::format("https://creativecommons.org/licenses/{}/{}/", std::string(m[1]), m[2].matched ? std::string(m[2]) : "4.0");
    return {};
}

void readRecord(const pugi::xml_node& lido, const std::string& file, const std::filesystem::path& folder,
                std::string_view source, ReadResult& result) {
    const uint32_t line = locateOffset(source, uint64_t(lido.offset_debug() < 0 ? 0 : lido.offset_debug())).line;
    catalog::Record record;
    record.sourceFormat = "lido";
    const auto problem = [&](const pugi::xml_node& at, const std::string& message, bool warning) {
        const uint32_t l = at ? locateOffset(source, uint64_t(std::max<ptrdiff_t>(0, at.offset_debug()))).line : line;
        result.problems.push_back({file, l, "", message, warning});
    };
    const std::vector<pugi::xml_node> descriptive = children(lido, "descriptiveMetadata");
    const std::vector<pugi::xml_node> administrative = children(lido, "administrativeMetadata");
    if (descriptive.empty()) {
        problem(lido, "LIDO record without descriptiveMetadata; record skipped", false);
        ++result.rejected;
        return;
    }
    // Identity: the repository's inventory number, else the LIDO record id; the repository (or the
    // record source) names the institution.
    for (const pugi::xml_node& d : descriptive) {
        for (pugi::xml_node set : descendants(d, "repositorySet")) {
            if (record.objectNumber.empty()) record.objectNumber = text(child(set, "workID"));
            if (record.institution.empty()) {
                const auto names = descendants(path(set, {"repositoryName", "legalBodyName"}), "appellationValue");
                // the first English name, else the first name
                for (const auto& n : names)
                    if (languageOf(n, "") == "en") { record.institution = text(n); break; }
                if (record.institution.empty() && !names.empty()) record.institution = text(names[0]);
            }
        }
    }
    if (record.objectNumber.empty()) record.objectNumber = text(child(lido, "lidoRecID"));
    if (record.institution.empty())
        for (const pugi::xml_node& a : administrative) {
            const auto names = descendants(path(a, {"recordWrap", "recordSource", "legalBodyName"}), "appellationValue");
            if (!names.empty()) { record.institution = text(names[0]); break; }
        }
    if (record.institution.empty()) record.institution = attribute(child(lido, "lidoRecID"), "source");
    record.id = catalog::makeId(record.institution, record.objectNumber);
    if (record.id.empty() || record.institution.empty()) {
        problem(lido, "LIDO record without lidoRecID or workID and a repository; record skipped", false);
        ++result.rejected;
        return;
    }
    for (const pugi::xml_node& d : descriptive) {
        const std::string language = languageOf(d, "und");
        for (pugi::xml_node set : descendants(path(d, {"objectIdentificationWrap", "titleWrap"}), "titleSet")) {
            for (pugi::xml_node value : children(set, "appellationValue")) {
                add(record.title, languageOf(value, language), text(value));
                break;  // the first (preferred) title of each set
            }
        }
        for (pugi::xml_node note : descendants(path(d, {"objectIdentificationWrap", "objectDescriptionWrap"}), "descriptiveNoteValue"))
            add(record.description, languageOf(note, language), text(note));
        for (pugi::xml_node m : descendants(path(d, {"objectIdentificationWrap", "objectMeasurementsWrap"}), "displayObjectMeasurements")) {
            const std::string label = attribute(m, "label");
            add(record.dimensions, languageOf(m, language), label.empty() ? text(m) : label + ": " + text(m));
        }
        // structured measurements: height/width/depth with a unit
        for (pugi::xml_node m : descendants(path(d, {"objectIdentificationWrap", "objectMeasurementsWrap"}), "measurementsSet")) {
            std::string type = text(child(m, "measurementType")), unit = text(child(m, "measurementUnit"));
            std::string value = text(child(m, "measurementValue"));
            for (char& c : type) c = char(std::tolower(static_cast<unsigned char>(c)));
            std::replace(value.begin(), value.end(), ',', '.');
            double scale = unit == "mm" ? 1 : unit == "cm" ? 10 : unit == "m" ? 1000 : unit == "in" ? 25.4 : 0;
            char* end = nullptr;
            const double v = std::strtod(value.c_str(), &end);
            if (scale == 0 || end == value.c_str()) continue;
            if (type == "height" || type == "höhe") record.heightMm = v * scale;
            else if (type == "width" || type == "breite") record.widthMm = v * scale;
            else if (type == "depth" || type == "tiefe" || type == "length") record.depthMm = v * scale;
            else if (type == "diameter" && !record.widthMm) record.widthMm = v * scale;
        }
        for (pugi::xml_node set : descendants(child(d, "eventWrap"), "eventSet")) {
            const pugi::xml_node event = child(set, "event");
            if (!isCreationEvent(event)) continue;
            for (pugi::xml_node actor : descendants(event, "actorInRole")) {
                const auto names = descendants(path(actor, {"actor", "nameActorSet"}), "appellationValue");
                if (!names.empty()) add(record.creator, languageOf(names[0], language), text(names[0]));
            }
            for (pugi::xml_node term : descendants(child(event, "culture"), "term"))
                add(record.culture, languageOf(term, language), text(term));
            for (pugi::xml_node m : descendants(child(event, "eventMaterialsTech"), "displayMaterialsTech"))
                add(record.medium, languageOf(m, language), text(m));
            const pugi::xml_node date = child(event, "eventDate");
            const std::string display = text(child(date, "displayDate"));
            const pugi::xml_node range = child(date, "date");
            const auto earliest = year(text(child(range, "earliestDate"))), latest = year(text(child(range, "latestDate")));
            if (earliest) record.earliestYear = earliest;
            if (latest) record.latestYear = latest;
            if (!display.empty()) {
                add(record.date, languageOf(child(date, "displayDate"), language), display);
                if (!earliest) catalog::parseYears(display, record.earliestYear, record.latestYear);
            } else if (earliest) {
                add(record.date, "und", latest && *latest != *earliest ? std::format("{}–{}", *earliest, *latest) : std::to_string(*earliest));
            }
        }
    }
    if (!record.heightMm && !record.dimensions.empty())
        catalog::parseDimensions(catalog::pick(record.dimensions), record.heightMm, record.widthMm, record.depthMm);
    if (record.earliestYear && !record.latestYear) record.latestYear = record.earliestYear;
    for (const pugi::xml_node& a : administrative) {
        const std::string language = languageOf(a, "und");
        for (pugi::xml_node set : descendants(child(a, "rightsWorkWrap"), "rightsWorkSet")) {
            for (pugi::xml_node c : children(set, "creditLine")) add(record.creditLine, languageOf(c, language), text(c));
            if (record.rights.empty())
                for (pugi::xml_node t : descendants(child(set, "rightsType"), "term"))
                    if (auto uri = rightsUri(text(t)); !uri.empty()) { record.rights = uri; break; }
            if (record.rights.empty())
                for (pugi::xml_node t : descendants(child(set, "rightsType"), "conceptID"))
                    if (auto uri = rightsUri(text(t)); !uri.empty()) { record.rights = uri; break; }
        }
        const pugi::xml_node recordWrap = child(a, "recordWrap");
        if (record.rights.empty())
            for (pugi::xml_node t : descendants(child(recordWrap, "recordRights"), "term"))
                if (auto uri = rightsUri(text(t)); !uri.empty()) { record.rights = uri; break; }
        if (record.sourceUrl.empty())
            for (pugi::xml_node link : descendants(recordWrap, "recordInfoLink"))
                if (isHttpUrl(text(link))) { record.sourceUrl = text(link); break; }
        for (pugi::xml_node resource : descendants(child(a, "resourceWrap"), "resourceSet")) {
            std::string resourceType;
            for (pugi::xml_node t : descendants(child(resource, "resourceType"), "term")) resourceType += text(t);
            for (pugi::xml_node representation : children(resource, "resourceRepresentation")) {
                for (pugi::xml_node link : children(representation, "linkResource")) {
                    const std::string uri = text(link);
                    if (uri.empty()) continue;
                    std::string format = attribute(link, "formatResource");
                    const std::string type = attribute(representation, "type");
                    catalog::MediaKind kind = catalog::MediaKind::Image;
                    static const std::regex kModel(R"(\.(glb|gltf|obj|ply|stl|fbx)$|^model/|3d)", std::regex::icase);
                    if (std::regex_search(uri, kModel) || std::regex_search(format, kModel) || std::regex_search(resourceType, kModel) ||
                        std::regex_search(type, kModel))
                        kind = catalog::MediaKind::Model;
                    auto checked = checkMediaReference(uri, folder);
                    if (!checked) {
                        problem(link, checked.error().message + "; media refused", true);
                        continue;
                    }
                    bool seen = false;
                    for (const auto& m : record.media) seen = seen || m.uri == *checked;
                    if (!seen) record.media.push_back({*checked, kind, format, type});
                }
            }
        }
    }
    if (record.title.empty()) problem(lido, std::format("record '{}' has no title", record.id), true);
    result.add(std::move(record), {file, line, ""});
}

}  // namespace

ReadResult readLido(std::string_view source, const std::string& file, const std::filesystem::path& folder) {
    ReadResult result;
    source = stripBom(source);
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer(source.data(), source.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        const TextLocation at = locateOffset(source, uint64_t(std::max<ptrdiff_t>(0, parsed.offset)));
        result.problems.push_back({file, at.line, "", std::format("invalid XML: {} (column {})", parsed.description(), at.column)});
        ++result.rejected;
        return result;
    }
    const pugi::xml_node root = document.document_element();
    if (is(root, "lido")) {
        readRecord(root, file, folder, source, result);
    } else if (is(root, "lidoWrap")) {
        const auto records = children(root, "lido");
        if (records.empty()) result.problems.push_back({file, 1, "", "lidoWrap holds no lido records"});
        for (const pugi::xml_node& lido : records) readRecord(lido, file, folder, source, result);
    } else {
        result.problems.push_back({file, locateOffset(source, uint64_t(std::max<ptrdiff_t>(0, root.offset_debug()))).line, "",
                                   std::format("root element <{}> is not LIDO (expected lidoWrap or lido)", root.name())});
        ++result.rejected;
    }
    return result;
}

}  // namespace vt::collection
