#include "ply_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "color.h"
#include "image_decode.h"

namespace vt::scan {
namespace {

enum class ScalarType : uint8_t { Int8, Uint8, Int16, Uint16, Int32, Uint32, Float32, Float64 };
enum class Encoding : uint8_t { Ascii, BinaryLittleEndian, BinaryBigEndian };

// What a vertex property means to us; everything else is read and dropped.
enum class Role : uint8_t { None, X, Y, Z, Nx, Ny, Nz, Red, Green, Blue, Alpha, U, V };

struct Property {
    std::string name;
    ScalarType type = ScalarType::Float32;
    bool isList = false;
    ScalarType countType = ScalarType::Uint8;
};

struct Element {
    std::string name;
    uint64_t count = 0;
    size_t headerLine = 0;
    std::vector<Property> properties;
};

struct Header {
    Encoding encoding = Encoding::Ascii;
    std::vector<Element> elements;
    size_t dataOffset = 0;  // first byte after the end_header line
    size_t dataLine = 0;    // line number of the first data line (ascii)
    std::string textureFile;
};

// A header longer than this is not a PLY header (real ones are a few hundred bytes).
constexpr size_t kMaxHeaderBytes = 1 << 20;

size_t sizeOf(ScalarType type) {
    switch (type) {
        case ScalarType::Int8:
        case ScalarType::Uint8: return 1;
        case ScalarType::Int16:
        case ScalarType::Uint16: return 2;
        case ScalarType::Int32:
        case ScalarType::Uint32:
        case ScalarType::Float32: return 4;
        case ScalarType::Float64: return 8;
    }
    return 1;
}

bool isInteger(ScalarType type) { return type != ScalarType::Float32 && type != ScalarType::Float64; }

// The value an integer colour channel has at full intensity.
double colorScale(ScalarType type) {
    switch (type) {
        case ScalarType::Int8: return 127.0;
        case ScalarType::Uint8: return 255.0;
        case ScalarType::Int16: return 32767.0;
        case ScalarType::Uint16: return 65535.0;
        case ScalarType::Int32: return 2147483647.0;
        case ScalarType::Uint32: return 4294967295.0;
        default: return 1.0;
    }
}

std::optional<ScalarType> parseType(std::string_view name) {
    if (name == "char" || name == "int8") return ScalarType::Int8;
    if (name == "uchar" || name == "uint8") return ScalarType::Uint8;
    if (name == "short" || name == "int16") return ScalarType::Int16;
    if (name == "ushort" || name == "uint16") return ScalarType::Uint16;
    if (name == "int" || name == "int32") return ScalarType::Int32;
    if (name == "uint" || name == "uint32") return ScalarType::Uint32;
    if (name == "float" || name == "float32") return ScalarType::Float32;
    if (name == "double" || name == "float64") return ScalarType::Float64;
    return std::nullopt;
}

Role roleOf(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, Role>, 20> kRoles{{
        {"x", Role::X}, {"y", Role::Y}, {"z", Role::Z}, {"nx", Role::Nx}, {"ny", Role::Ny}, {"nz", Role::Nz},
        {"red", Role::Red}, {"green", Role::Green}, {"blue", Role::Blue}, {"alpha", Role::Alpha},
        {"diffuse_red", Role::Red}, {"diffuse_green", Role::Green}, {"diffuse_blue", Role::Blue},
        {"s", Role::U}, {"t", Role::V}, {"u", Role::U}, {"v", Role::V}, {"texture_u", Role::U},
        {"texture_v", Role::V}, {"texture_s", Role::U},
    }};
    for (const auto& [key, role] : kRoles)
        if (key == name) return role;
    if (name == "texture_t") return Role::V;
    return Role::None;
}

std::vector<std::string_view> splitWords(std::string_view line) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        const size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) words.push_back(line.substr(start, i - start));
    }
    return words;
}

Result<Header> parseHeader(std::span<const uint8_t> bytes, std::string_view label) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), std::min(bytes.size(), kMaxHeaderBytes));
    Header header;
    bool sawFormat = false;
    size_t offset = 0;
    for (size_t lineNumber = 1;; ++lineNumber) {
        const size_t end = text.find('\n', offset);
        if (end == std::string_view::npos)
            return fail("{}: line {}: the header has no end_header line{}", label, lineNumber,
                        bytes.size() > kMaxHeaderBytes ? " within its first MiB" : " (file truncated?)");
        std::string_view line = text.substr(offset, end - offset);
        offset = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::vector<std::string_view> words = splitWords(line);
        if (lineNumber == 1) {
            if (line != "ply") return fail("{}: line 1: expected 'ply'", label);
            continue;
        }
        if (words.empty()) continue;
        const std::string_view keyword = words[0];
        if (keyword == "comment") {
            // MeshLab names the texture in a comment: "comment TextureFile texture.png".
            if (words.size() >= 3 && words[1] == "TextureFile") {
                const size_t at = line.find("TextureFile") + std::string_view("TextureFile").size();
                std::string_view name = line.substr(at);
                while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
                header.textureFile = std::string(name);
            }
        } else if (keyword == "obj_info") {
        } else if (keyword == "format") {
            if (words.size() != 3) return fail("{}: line {}: expected 'format TYPE 1.0'", label, lineNumber);
            if (words[1] == "ascii") header.encoding = Encoding::Ascii;
            else if (words[1] == "binary_little_endian") header.encoding = Encoding::BinaryLittleEndian;
            else if (words[1] == "binary_big_endian") header.encoding = Encoding::BinaryBigEndian;
            else return fail("{}: line {}: unknown PLY format '{}'", label, lineNumber, words[1]);
            if (!words[2].starts_with("1")) return fail("{}: line {}: unsupported PLY version '{}'", label, lineNumber, words[2]);
            sawFormat = true;
        } else if (keyword == "element") {
            Element element;
            if (words.size() != 3) return fail("{}: line {}: expected 'element NAME COUNT'", label, lineNumber);
            element.name = std::string(words[1]);
            const auto [ptr, ec] = std::from_chars(words[2].data(), words[2].data() + words[2].size(), element.count);
            if (ec != std::errc() || ptr != words[2].data() + words[2].size())
                return fail("{}: line {}: element '{}' has an invalid count '{}'", label, lineNumber, words[1], words[2]);
            element.headerLine = lineNumber;
            header.elements.push_back(std::move(element));
        } else if (keyword == "property") {
            if (header.elements.empty()) return fail("{}: line {}: property before any element", label, lineNumber);
            Property property;
            if (words.size() == 5 && words[1] == "list") {
                const auto countType = parseType(words[2]);
                const auto itemType = parseType(words[3]);
                if (!countType || !itemType)
                    return fail("{}: line {}: unknown type in '{}'", label, lineNumber, line);
                if (!isInteger(*countType)) return fail("{}: line {}: a list count must have an integer type", label, lineNumber);
                property = {std::string(words[4]), *itemType, true, *countType};
            } else if (words.size() == 3) {
                const auto type = parseType(words[1]);
                if (!type) return fail("{}: line {}: unknown property type '{}'", label, lineNumber, words[1]);
                property = {std::string(words[2]), *type, false, ScalarType::Uint8};
            } else {
                return fail("{}: line {}: expected 'property TYPE NAME' or 'property list COUNT_TYPE TYPE NAME'", label,
                            lineNumber);
            }
            header.elements.back().properties.push_back(std::move(property));
        } else if (keyword == "end_header") {
            if (!sawFormat) return fail("{}: line {}: end_header before any 'format' line", label, lineNumber);
            header.dataOffset = offset;
            header.dataLine = lineNumber + 1;
            return header;
        } else {
            return fail("{}: line {}: unknown header keyword '{}'", label, lineNumber, keyword);
        }
    }
}

// Reads scalars from the data section in either encoding, tracking where it is for messages.
class Cursor {
public:
    Cursor(std::span<const uint8_t> bytes, const Header& header)
        : data(bytes), offset(header.dataOffset), line(header.dataLine), encoding(header.encoding) {}

    // On false, the value was missing or malformed; error() says why.
    bool read(ScalarType type, double& value) {
        return encoding == Encoding::Ascii ? readAscii(value) : readBinary(type, value);
    }
    std::string where() const {
        return encoding == Encoding::Ascii ? std::format("line {}", line) : std::format("byte {}", offset);
    }
    size_t remaining() const { return data.size() - offset; }
    const std::string& error() const { return problem; }

private:
    bool readAscii(double& value) {
        while (offset < data.size() && std::isspace(data[offset])) {
            if (data[offset] == '\n') ++line;
            ++offset;
        }
        if (offset >= data.size()) {
            problem = "unexpected end of file";
            return false;
        }
        const char* begin = reinterpret_cast<const char*>(data.data() + offset);
        size_t length = 0;
        while (offset + length < data.size() && !std::isspace(data[offset + length])) ++length;
        const char* end = begin + length;
        // from_chars rejects a leading '+', which some writers emit.
        const char* start = (length > 1 && *begin == '+') ? begin + 1 : begin;
        const auto [ptr, ec] = std::from_chars(start, end, value);
        if (ec != std::errc() || ptr != end) {
            problem = std::format("'{}' is not a number", std::string_view(begin, std::min<size_t>(length, 40)));
            return false;
        }
        offset += length;
        return true;
    }

    template <class T>
    T load() {
        T value;
        std::memcpy(&value, data.data() + offset, sizeof(T));
        offset += sizeof(T);
        if (encoding == Encoding::BinaryBigEndian) {
            if constexpr (sizeof(T) > 1) {
                using U = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;
                value = std::bit_cast<T>(std::byteswap(std::bit_cast<U>(value)));
            }
        }
        return value;
    }

    bool readBinary(ScalarType type, double& value) {
        if (data.size() - offset < sizeOf(type)) {
            problem = "unexpected end of file";
            return false;
        }
        switch (type) {
            case ScalarType::Int8: value = load<int8_t>(); break;
            case ScalarType::Uint8: value = load<uint8_t>(); break;
            case ScalarType::Int16: value = load<int16_t>(); break;
            case ScalarType::Uint16: value = load<uint16_t>(); break;
            case ScalarType::Int32: value = load<int32_t>(); break;
            case ScalarType::Uint32: value = load<uint32_t>(); break;
            case ScalarType::Float32: value = load<float>(); break;
            case ScalarType::Float64: value = load<double>(); break;
        }
        return true;
    }

    std::span<const uint8_t> data;
    size_t offset;
    size_t line;
    Encoding encoding;
    std::string problem;
};

class PlyParser {
public:
    // Points: vertices only, positions in double and colours as stored (faces are skipped).
    enum class Output : uint8_t { Mesh, Points };

    PlyParser(std::span<const uint8_t> bytes, std::string_view labelText, const Header& parsedHeader,
              Output wanted = Output::Mesh)
        : header(parsedHeader), cursor(bytes, parsedHeader), label(labelText), output(wanted) {}

    Result<asset::PointCloud> runPoints() {
        for (const Element& element : header.elements) {
            if (auto checked = checkCount(element); !checked) return std::unexpected(checked.error());
            Result<void> step = element.name == "vertex" ? readVertices(element) : skipElement(element);
            if (!step) return std::unexpected(step.error());
            if (element.name == "vertex") vertexElementRead = true;
        }
        if (points.empty()) return fail("{}: no vertices: the point cloud is empty", label);
        asset::PointCloud cloud;
        cloud.metadata.format = "PLY";
        cloud.metadata.pointsInFile = points.size();
        if (asset::isFinite(points.front())) cloud.origin = glm::floor(points.front());
        cloud.positions.reserve(points.size());
        for (size_t i = 0; i < points.size(); ++i) {
            if (!asset::appendPoint(cloud, points[i]))
                return fail("{}: vertex {} has a position that is not finite or lies more than {} from the first", label,
                            i, asset::kMaxPointDistance);
        }
        if (!mesh.colors.empty()) {
            cloud.colors.reserve(mesh.colors.size());
            for (const glm::vec4& c : mesh.colors)
                cloud.colors.emplace_back(glm::u16vec3(glm::round(glm::clamp(glm::vec3(c), 0.0f, 1.0f) * 65535.0f)));
        }
        return cloud;
    }

    Result<asset::Mesh> run() {
        for (const Element& element : header.elements)
            if (element.name == "vertex") {
                vertexCount = element.count;
                break;
            }
        for (const Element& element : header.elements) {
            if (auto checked = checkCount(element); !checked) return std::unexpected(checked.error());
            Result<void> step = element.name == "vertex"      ? readVertices(element)
                                : element.name == "face"      ? readFaces(element, Faces::Polygons)
                                : element.name == "tristrips" ? readFaces(element, Faces::Strips)
                                                              : skipElement(element);
            if (!step) return std::unexpected(step.error());
            if (element.name == "vertex") vertexElementRead = true;
        }
        if (vertexCount == 0 && mesh.indices.empty()) return fail("{}: empty mesh: no vertices and no faces", label);
        if (!sawFaceElement || (faceCount == 0 && mesh.indices.empty()))
            return fail("{}: no faces: this PLY is a point cloud ({} vertices); only triangle meshes can be imported",
                        label, vertexCount);
        return std::move(mesh);
    }

private:
    enum class Faces : uint8_t { Polygons, Strips };

    // Bytes one entry of the element takes at least: binary sizes, or "0 " per value in ascii.
    size_t minimumBytes(const Element& element) const {
        size_t bytes = 0;
        for (const Property& property : element.properties)
            bytes += header.encoding == Encoding::Ascii ? 2 : sizeOf(property.isList ? property.countType : property.type);
        return bytes;
    }

    // Before anything is allocated: a header that claims more entries than the file can hold is lying.
    Result<void> checkCount(const Element& element) const {
        if (element.count == 0) return {};
        const size_t minimum = minimumBytes(element);
        if (minimum == 0)
            return fail("{}: line {}: element '{}' has {} entries but no properties", label, element.headerLine,
                        element.name, element.count);
        // +1: the last ascii value needs no separator after it.
        if (element.count > (cursor.remaining() + 1) / minimum)
            return fail("{}: line {}: element '{}' claims {} entries, which need at least {} bytes, but only {} bytes "
                        "remain (file truncated or header wrong)",
                        label, element.headerLine, element.name, element.count, uint64_t(element.count) * minimum,
                        cursor.remaining());
        return {};
    }

    Result<void> failRead(const Element& element, uint64_t entry, const Property& property) const {
        return fail("{}: {}: {} {} property '{}': {}", label, cursor.where(), element.name, entry, property.name,
                    cursor.error());
    }

    // A list count: an integer no larger than the bytes that could hold its items.
    Result<uint64_t> readListCount(const Element& element, uint64_t entry, const Property& property) {
        double value = 0;
        if (!cursor.read(property.countType, value)) return std::unexpected(failRead(element, entry, property).error());
        const size_t itemBytes = header.encoding == Encoding::Ascii ? 2 : sizeOf(property.type);
        if (!(value >= 0) || value != std::floor(value) || value > double(cursor.remaining() + 1) / double(itemBytes))
            return fail("{}: {}: {} {} has list '{}' of {} items, which the file cannot hold", label, cursor.where(),
                        element.name, entry, property.name, value);
        return uint64_t(value);
    }

    Result<void> skipProperty(const Element& element, uint64_t entry, const Property& property) {
        double value = 0;
        if (!property.isList) {
            if (!cursor.read(property.type, value)) return failRead(element, entry, property);
            return {};
        }
        const Result<uint64_t> count = readListCount(element, entry, property);
        if (!count) return std::unexpected(count.error());
        for (uint64_t i = 0; i < *count; ++i)
            if (!cursor.read(property.type, value)) return failRead(element, entry, property);
        return {};
    }

    Result<void> skipElement(const Element& element) {
        for (uint64_t entry = 0; entry < element.count; ++entry)
            for (const Property& property : element.properties)
                if (auto r = skipProperty(element, entry, property); !r) return r;
        return {};
    }

    Result<void> readVertices(const Element& element) {
        if (vertexElementRead) return skipElement(element);
        std::vector<Role> roles;
        bool has[size_t(Role::V) + 1] = {};
        for (const Property& property : element.properties) {
            roles.push_back(property.isList ? Role::None : roleOf(property.name));
            has[size_t(roles.back())] = true;
        }
        if (!has[size_t(Role::X)] || !has[size_t(Role::Y)] || !has[size_t(Role::Z)])
            return fail("{}: line {}: element 'vertex' lacks an x, y or z property", label, element.headerLine);
        const bool hasNormals = has[size_t(Role::Nx)] && has[size_t(Role::Ny)] && has[size_t(Role::Nz)];
        const bool hasColors = has[size_t(Role::Red)] && has[size_t(Role::Green)] && has[size_t(Role::Blue)];
        const bool hasTexcoords = has[size_t(Role::U)] && has[size_t(Role::V)];
        const size_t count = size_t(element.count);  // bounded by the file size in checkCount
        const bool asPoints = output == Output::Points;
        if (asPoints) points.resize(count);
        else mesh.positions.resize(count);
        if (hasNormals && !asPoints) mesh.normals.resize(count);
        if (hasColors) mesh.colors.assign(count, glm::vec4(1.0f));
        if (hasTexcoords && !asPoints) mesh.texcoords.resize(count);

        for (size_t v = 0; v < count; ++v) {
            for (size_t p = 0; p < element.properties.size(); ++p) {
                const Property& property = element.properties[p];
                if (property.isList) {
                    if (auto r = skipProperty(element, v, property); !r) return r;
                    continue;
                }
                double value = 0;
                if (!cursor.read(property.type, value)) return failRead(element, v, property);
                const float f = float(value);
                const auto color = [&] { return float(value / colorScale(property.type)); };
                switch (roles[p]) {
                    case Role::X: if (asPoints) points[v].x = value; else mesh.positions[v].x = f; break;
                    case Role::Y: if (asPoints) points[v].y = value; else mesh.positions[v].y = f; break;
                    case Role::Z: if (asPoints) points[v].z = value; else mesh.positions[v].z = f; break;
                    case Role::Nx: if (hasNormals && !asPoints) mesh.normals[v].x = f; break;
                    case Role::Ny: if (hasNormals && !asPoints) mesh.normals[v].y = f; break;
                    case Role::Nz: if (hasNormals && !asPoints) mesh.normals[v].z = f; break;
                    case Role::Red: if (hasColors) mesh.colors[v].r = asPoints ? color() : srgbToLinear(color()); break;
                    case Role::Green: if (hasColors) mesh.colors[v].g = asPoints ? color() : srgbToLinear(color()); break;
                    case Role::Blue: if (hasColors) mesh.colors[v].b = asPoints ? color() : srgbToLinear(color()); break;
                    // Alpha is linear coverage, not an sRGB-encoded colour.
                    case Role::Alpha: if (hasColors) mesh.colors[v].a = std::clamp(color(), 0.0f, 1.0f); break;
                    case Role::U: if (hasTexcoords && !asPoints) mesh.texcoords[v].x = f; break;
                    // PLY texture coordinates have their origin bottom-left; glTF's is top-left.
                    case Role::V: if (hasTexcoords && !asPoints) mesh.texcoords[v].y = 1.0f - f; break;
                    case Role::None: break;
                }
            }
        }
        return {};
    }

    Result<void> readFaces(const Element& element, Faces kind) {
        sawFaceElement = true;
        faceCount += element.count;
        size_t listIndex = element.properties.size();
        for (size_t p = 0; p < element.properties.size(); ++p) {
            const Property& property = element.properties[p];
            if (property.isList && (property.name == "vertex_indices" || property.name == "vertex_index")) {
                listIndex = p;
                break;
            }
        }
        if (listIndex == element.properties.size())
            return fail("{}: line {}: element '{}' has no list property 'vertex_indices'", label, element.headerLine,
                        element.name);
        const Property& list = element.properties[listIndex];
        if (!isInteger(list.type))
            return fail("{}: line {}: '{}' of element '{}' must have an integer type", label, element.headerLine,
                        list.name, element.name);
        if (kind == Faces::Polygons) mesh.indices.reserve(size_t(element.count) * 3);

        std::vector<int64_t> polygon;
        for (uint64_t entry = 0; entry < element.count; ++entry) {
            for (size_t p = 0; p < element.properties.size(); ++p) {
                const Property& property = element.properties[p];
                if (p != listIndex) {
                    if (auto r = skipProperty(element, entry, property); !r) return r;
                    continue;
                }
                const Result<uint64_t> count = readListCount(element, entry, property);
                if (!count) return std::unexpected(count.error());
                polygon.clear();
                polygon.reserve(size_t(*count));
                for (uint64_t i = 0; i < *count; ++i) {
                    double value = 0;
                    if (!cursor.read(property.type, value)) return failRead(element, entry, property);
                    const bool restart = kind == Faces::Strips && value == -1.0;
                    if (!restart && (!(value >= 0) || value >= double(vertexCount) || value != std::floor(value)))
                        return fail("{}: {}: {} {} has vertex index {}, but there are only {} vertices", label,
                                    cursor.where(), element.name, entry, value, vertexCount);
                    polygon.push_back(int64_t(value));
                }
                if (kind == Faces::Polygons) addPolygon(polygon);
                else addStrips(polygon);
            }
        }
        return {};
    }

    // Fan triangulation: exact for the convex polygons scanners write.
    void addPolygon(const std::vector<int64_t>& polygon) {
        for (size_t i = 2; i < polygon.size(); ++i) {
            mesh.indices.push_back(uint32_t(polygon[0]));
            mesh.indices.push_back(uint32_t(polygon[i - 1]));
            mesh.indices.push_back(uint32_t(polygon[i]));
        }
    }

    // Strips: every other triangle has its winding reversed; -1 starts a new strip.
    void addStrips(const std::vector<int64_t>& strip) {
        size_t start = 0;
        for (size_t i = 0; i < strip.size(); ++i) {
            if (strip[i] < 0) {
                start = i + 1;
                continue;
            }
            if (i < start + 2) continue;
            uint32_t a = uint32_t(strip[i - 2]), b = uint32_t(strip[i - 1]);
            const uint32_t c = uint32_t(strip[i]);
            if ((i - start) % 2 == 1) std::swap(a, b);
            if (a == b || b == c || a == c) continue;  // strips use degenerate triangles as joints
            mesh.indices.insert(mesh.indices.end(), {a, b, c});
        }
    }

    const Header& header;
    Cursor cursor;
    std::string_view label;
    asset::Mesh mesh;
    uint64_t vertexCount = 0;
    uint64_t faceCount = 0;
    bool vertexElementRead = false;
    bool sawFaceElement = false;
    Output output;
    std::vector<glm::dvec3> points;  // Output::Points: positions as the file gives them
};

}  // namespace

bool plyIsPointCloud(std::span<const uint8_t> bytes) {
    Result<Header> header = parseHeader(bytes, "");
    if (!header) return false;
    uint64_t vertices = 0, faces = 0;
    for (const Element& element : header->elements) {
        if (element.name == "vertex") vertices += element.count;
        if (element.name == "face" || element.name == "tristrips") faces += element.count;
    }
    return vertices > 0 && faces == 0;
}

Result<asset::PointCloud> parsePlyPoints(std::span<const uint8_t> bytes, std::string_view label) {
    Result<Header> header = parseHeader(bytes, label);
    if (!header) return std::unexpected(header.error());
    Result<asset::PointCloud> cloud = PlyParser(bytes, label, *header, PlyParser::Output::Points).runPoints();
    if (cloud) cloud->source = std::string(label);
    return cloud;
}

Result<asset::Model> parsePly(std::span<const uint8_t> bytes, std::string_view label,
                              const std::filesystem::path& baseDir) {
    Result<Header> header = parseHeader(bytes, label);
    if (!header) return std::unexpected(header.error());
    Result<asset::Mesh> mesh = PlyParser(bytes, label, *header).run();
    if (!mesh) return std::unexpected(mesh.error());
    if (mesh->positions.size() > std::numeric_limits<uint32_t>::max())
        return fail("{}: {} vertices is more than 32-bit indices can address", label, mesh->positions.size());

    asset::Model model;
    model.source = std::string(label);
    asset::Material material{.name = "ply", .metallicFactor = 0.0f};
    if (!header->textureFile.empty() && !mesh->texcoords.empty()) {
        Result<asset::Image> image = loadImageFile(baseDir / header->textureFile);
        if (!image) return fail("{}: header line 'comment TextureFile': {}", label, image.error().message);
        model.images.push_back(std::move(*image));
        material.baseColorTexture = 0;
    }
    model.materials.push_back(std::move(material));
    mesh->name = "ply";
    model.meshes.push_back(std::move(*mesh));
    return model;
}

}  // namespace vt::scan
