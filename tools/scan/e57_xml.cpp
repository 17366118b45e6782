#include "e57_xml.h"

#include <bit>
#include <cctype>
#include <charconv>
#include <format>
#include <cmath>
#include <limits>
#include <type_traits>

#include <pugixml.hpp>

namespace vt::scan {
namespace {

// More scans than this in one file is not a scanner's export.
constexpr size_t kMaxScans = 1 << 16;
constexpr size_t kMaxPrototypeFields = 256;

struct Context {
    std::string_view label;
    uint64_t xmlOffset;
    std::string where(const pugi::xml_node& node) const {
        return std::format("{}: XML section at byte {}, element <{}> (XML byte {})", label, xmlOffset, node.name(),
                           node.offset_debug());
    }
};

std::string_view childText(const pugi::xml_node& node) { return node.text().get(); }

// An E57 number as text (an element's or an attribute's): empty means 0; surrounding blanks and a
// leading '+' are allowed. T is double (Float; must be finite) or int64_t (Integer).
template <class T>
Result<T> parseNumber(std::string_view text, const Context& ctx, const pugi::xml_node& node) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) return T(0);
    if (text.front() == '+') text.remove_prefix(1);
    T value{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    bool valid = ec == std::errc() && ptr == text.data() + text.size();
    if constexpr (std::is_floating_point_v<T>) valid = valid && std::isfinite(value);
    if (!valid)
        return fail("{}: '{}' is not {}", ctx.where(node), text.substr(0, 40),
                    std::is_floating_point_v<T> ? "a finite number" : "a 64-bit integer");
    return value;
}

Result<double> parseDouble(std::string_view text, const Context& ctx, const pugi::xml_node& node) {
    return parseNumber<double>(text, ctx, node);
}

Result<int64_t> parseInteger(std::string_view text, const Context& ctx, const pugi::xml_node& node) {
    return parseNumber<int64_t>(text, ctx, node);
}

// A number-valued child (Float, Integer or ScaledInteger as text), or `fallback` when absent.
Result<double> number(const pugi::xml_node& parent, const char* name, double fallback, const Context& ctx) {
    const pugi::xml_node node = parent.child(name);
    if (!node) return fallback;
    return parseDouble(childText(node), ctx, node);
}

Result<E57Field> parseField(const pugi::xml_node& node, const Context& ctx) {
    E57Field field;
    field.name = node.name();
    const std::string_view type = node.attribute("type").value();
    const auto attributeInteger = [&](const char* name, int64_t fallback) -> Result<int64_t> {
        const pugi::xml_attribute a = node.attribute(name);
        return a ? parseInteger(a.value(), ctx, node) : Result<int64_t>(fallback);
    };
    const auto attributeDouble = [&](const char* name, double fallback) -> Result<double> {
        const pugi::xml_attribute a = node.attribute(name);
        return a ? parseDouble(a.value(), ctx, node) : Result<double>(fallback);
    };
    if (type == "Integer" || type == "ScaledInteger") {
        field.kind = type == "Integer" ? E57FieldKind::Integer : E57FieldKind::ScaledInteger;
        const auto minimum = attributeInteger("minimum", std::numeric_limits<int64_t>::min());
        const auto maximum = attributeInteger("maximum", std::numeric_limits<int64_t>::max());
        const auto scale = attributeDouble("scale", 1.0);
        const auto offset = attributeDouble("offset", 0.0);
        for (const Error* e : {minimum ? nullptr : &minimum.error(), maximum ? nullptr : &maximum.error(),
                               scale ? nullptr : &scale.error(), offset ? nullptr : &offset.error()})
            if (e) return std::unexpected(*e);
        field.minimum = *minimum;
        field.maximum = *maximum;
        field.scale = *scale;
        field.offset = *offset;
        if (field.minimum > field.maximum)
            return fail("{}: minimum {} is larger than maximum {}", ctx.where(node), field.minimum, field.maximum);
        if (field.kind == E57FieldKind::ScaledInteger && !(field.scale != 0.0))
            return fail("{}: a ScaledInteger with scale 0", ctx.where(node));
    } else if (type == "Float") {
        field.kind = E57FieldKind::Float;
        const std::string_view precision = node.attribute("precision").value();
        if (!precision.empty() && precision != "single" && precision != "double")
            return fail("{}: precision '{}' is not single or double", ctx.where(node), precision);
        field.singlePrecision = precision == "single";
        const double limit = field.singlePrecision ? double(std::numeric_limits<float>::max())
                                                   : std::numeric_limits<double>::max();
        const auto minimum = attributeDouble("minimum", -limit);
        const auto maximum = attributeDouble("maximum", limit);
        if (!minimum) return std::unexpected(minimum.error());
        if (!maximum) return std::unexpected(maximum.error());
        field.floatMinimum = *minimum;
        field.floatMaximum = *maximum;
    } else {
        return fail("{}: a compressed vector field of type '{}' (only Integer, ScaledInteger and Float are supported)",
                    ctx.where(node), type);
    }
    return field;
}

Result<std::pair<double, double>> limits(const pugi::xml_node& parent, const char* minName, const char* maxName,
                                         const Context& ctx) {
    const auto minimum = number(parent, minName, 0.0, ctx);
    const auto maximum = number(parent, maxName, 0.0, ctx);
    if (!minimum) return std::unexpected(minimum.error());
    if (!maximum) return std::unexpected(maximum.error());
    return std::pair{*minimum, *maximum};
}

Result<E57Scan> parseScan(const pugi::xml_node& node, const Context& ctx) {
    E57Scan scan;
    scan.name = node.child("name").text().get();
    if (const pugi::xml_node pose = node.child("pose")) {
        const pugi::xml_node r = pose.child("rotation");
        const pugi::xml_node t = pose.child("translation");
        if (r) {
            double q[4];
            const char* names[4] = {"w", "x", "y", "z"};
            for (int i = 0; i < 4; ++i) {
                const auto value = number(r, names[i], i == 0 ? 1.0 : 0.0, ctx);
                if (!value) return std::unexpected(value.error());
                q[i] = *value;
            }
            const double length = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            if (!(length > 1e-9)) return fail("{}: the pose rotation is not a unit quaternion", ctx.where(r));
            scan.rotation = glm::dquat(q[0] / length, q[1] / length, q[2] / length, q[3] / length);
        }
        if (t)
            for (int i = 0; i < 3; ++i) {
                const char* names[3] = {"x", "y", "z"};
                const auto value = number(t, names[i], 0.0, ctx);
                if (!value) return std::unexpected(value.error());
                scan.translation[i] = *value;
            }
    }
    const pugi::xml_node points = node.child("points");
    if (!points || std::string_view(points.attribute("type").value()) != "CompressedVector")
        return fail("{}: a data3D scan without a 'points' CompressedVector", ctx.where(node));
    const auto offset = parseInteger(points.attribute("fileOffset").value(), ctx, points);
    const auto count = parseInteger(points.attribute("recordCount").value(), ctx, points);
    if (!offset) return std::unexpected(offset.error());
    if (!count) return std::unexpected(count.error());
    if (*offset < 0 || *count < 0) return fail("{}: negative fileOffset or recordCount", ctx.where(points));
    scan.sectionOffset = uint64_t(*offset);
    scan.recordCount = uint64_t(*count);
    const pugi::xml_node prototype = points.child("prototype");
    if (!prototype) return fail("{}: a CompressedVector without a prototype", ctx.where(points));
    for (const pugi::xml_node field : prototype.children()) {
        if (field.type() != pugi::node_element) continue;
        if (scan.prototype.size() >= kMaxPrototypeFields)
            return fail("{}: more than {} prototype fields", ctx.where(prototype), kMaxPrototypeFields);
        Result<E57Field> parsed = parseField(field, ctx);
        if (!parsed) return std::unexpected(parsed.error());
        scan.prototype.push_back(std::move(*parsed));
    }
    if (const pugi::xml_node c = node.child("colorLimits")) {
        const char* names[3][2] = {{"colorRedMinimum", "colorRedMaximum"}, {"colorGreenMinimum", "colorGreenMaximum"},
                                   {"colorBlueMinimum", "colorBlueMaximum"}};
        for (int i = 0; i < 3; ++i) {
            auto range = limits(c, names[i][0], names[i][1], ctx);
            if (!range) return std::unexpected(range.error());
            scan.colorLimits[i] = *range;
        }
    }
    if (const pugi::xml_node l = node.child("intensityLimits")) {
        auto range = limits(l, "intensityMinimum", "intensityMaximum", ctx);
        if (!range) return std::unexpected(range.error());
        scan.intensityLimits = *range;
    }
    return scan;
}

}  // namespace

uint32_t E57Field::bitsPerRecord() const {
    if (kind == E57FieldKind::Float) return singlePrecision ? 32 : 64;
    const uint64_t range = uint64_t(maximum) - uint64_t(minimum);  // max - min, modulo 2^64: exact
    if (range == std::numeric_limits<uint64_t>::max()) return 64;
    return uint32_t(std::bit_width(range));  // ceil(log2(range + 1))
}

double E57Field::rangeMinimum() const {
    if (kind == E57FieldKind::Float) return floatMinimum;
    return kind == E57FieldKind::ScaledInteger ? double(minimum) * scale + offset : double(minimum);
}

double E57Field::rangeMaximum() const {
    if (kind == E57FieldKind::Float) return floatMaximum;
    return kind == E57FieldKind::ScaledInteger ? double(maximum) * scale + offset : double(maximum);
}

Result<std::vector<E57Scan>> parseE57Xml(std::span<const uint8_t> xml, uint64_t xmlOffset, std::string_view label) {
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        return fail("{}: XML section at byte {}: XML byte {}: {}", label, xmlOffset, parsed.offset, parsed.description());
    const Context ctx{label, xmlOffset};
    const pugi::xml_node root = document.child("e57Root");
    if (!root) return fail("{}: XML section at byte {}: no <e57Root> element", label, xmlOffset);
    const pugi::xml_node data3D = root.child("data3D");
    if (!data3D) return fail("{}: XML section at byte {}: <e57Root> has no <data3D>", label, xmlOffset);
    std::vector<E57Scan> scans;
    for (const pugi::xml_node child : data3D.children()) {
        if (child.type() != pugi::node_element) continue;
        if (scans.size() >= kMaxScans) return fail("{}: more than {} scans", ctx.where(data3D), kMaxScans);
        Result<E57Scan> scan = parseScan(child, ctx);
        if (!scan) return std::unexpected(scan.error());
        if (scan->name.empty()) scan->name = std::format("scan {}", scans.size());
        scans.push_back(std::move(*scan));
    }
    return scans;
}

}  // namespace vt::scan
