// The real vitrine-viewer, in a window on a private Xvfb display, on lavapipe with validation on,
// driven by scripts: screenshots against goldens (the gallery, an inspected artifact, the
// information panel in Chinese, a measurement line), a measured distance against a known size, and
// broken exhibits that must name the file, line and column of each problem and still open the rest.
// The viewer exits non-zero (3) on any validation error or warning, which fails these tests.
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "asset/image_io.h"
#include "golden.h"

namespace vt::test {
namespace {

namespace fs = std::filesystem;
const fs::path kOut = fs::path(VITRINE_TEST_OUTPUT_DIR) / "viewer";
const fs::path kSample = VIEWER_SAMPLE_EXHIBIT;

struct ViewerRun {
    int exitCode = -1;
    std::string out, err;
};

std::string readText(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

enum class Display { Xvfb, Headless };

// Runs the viewer with `script` in test-output/viewer/NAME: in a window under Xvfb, or offscreen
// (--headless, as on a machine without a display). `arguments` are shell words.
ViewerRun runViewer(const std::string& name, const std::string& arguments, const std::string& script,
                    Display display = Display::Xvfb) {
    const fs::path dir = kOut / name;
    fs::create_directories(dir);
    writeText(dir / "script.txt", script);
    const std::string launcher = display == Display::Xvfb ? std::format("'{}' ", VIEWER_WITH_XVFB) : "";
    const char* headless = display == Display::Headless ? " --headless" : "";
    const std::string command = std::format(
        "cd '{}' && VITRINE_NO_AUDIO=1 timeout 240 {}'{}' {}{} --script script.txt --validation >stdout.txt 2>stderr.txt",
        dir.string(), launcher, VIEWER_EXECUTABLE, arguments, headless);
    const int status = std::system(command.c_str());
    ViewerRun run;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = readText(dir / "stdout.txt");
    run.err = readText(dir / "stderr.txt");
    return run;
}

bool haveXvfb() { return std::system("command -v Xvfb >/dev/null 2>&1") == 0; }

asset::Image screenshot(const std::string& name, const std::string& file) {
    auto image = asset::readImage(kOut / name / file);
    EXPECT_TRUE(image) << (kOut / name / file);
    return image ? *image : asset::Image{};
}

double measuredMm(const std::string& out) {
    std::smatch match;
    static const std::regex pattern(R"(measure: ([0-9.]+) mm)");
    return std::regex_search(out, match, pattern) ? std::stod(match[1]) : -1.0;
}

TEST(ViewerSession, SampleGalleryInspectChineseInfoAndMeasure) {
    if (!haveXvfb()) FAIL() << "Xvfb is not installed (package xvfb, in scripts/packages.txt)";
    ASSERT_TRUE(fs::exists(kSample)) << kSample << " (build the sample_gallery target)";
    const ViewerRun run = runViewer("sample", "'" + kSample.string() + "'",
                              "size 800 500\n"
                              "settle\n"
                              "screenshot gallery.png\n"
                              "key Tab\nwait 1\nkey Escape\n"  // mouse look on and off again
                              "click 130 255\n"  // on the whale cranium, left in the gallery view
                              "inspect whale-cranium\n"
                              "settle\n"
                              "screenshot inspect.png\n"
                              "set language zh\n"
                              "wait 2\n"
                              "screenshot info-zh.png\n"
                              "set vsync off\nwait 2\nset vsync on\n"          // swapchain recreated twice
                              "set ui-scale 1.5\nwait 2\nset ui-scale 1\nwait 2\n"  // font atlas rebuilt twice
                              "close info\n"
                              "orbit 0 0\n"
                              "settle\n"
                              "measure-span whale-cranium\n"
                              "screenshot measure.png\n"
                              "quit\n");
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(run.err.find("validation"), std::string::npos) << run.err;
    EXPECT_NE(run.out.find("selected: whale-cranium"), std::string::npos) << "a click picks what was drawn:\n" << run.out;
    EXPECT_NE(run.out.find("annotations: 1 of 1 on the surface of 'whale-cranium'"), std::string::npos) << run.out;
    // The viewer checks every label it drew against the panels ImGui laid out in the same frame; the
    // inspected cranium's long annotation label sits next to the information panel in three of the shots.
    EXPECT_EQ(run.out.find("overlaps panel"), std::string::npos) << "a label under a panel:\n" << run.out;
    for (const auto& [file, golden] : {std::pair{"gallery.png", "viewer_gallery"}, {"inspect.png", "viewer_inspect"},
                                       {"info-zh.png", "viewer_info_zh"}, {"measure.png", "viewer_measure"}}) {
        const GoldenResult result = compareWithGolden(screenshot("sample", file), golden);
        EXPECT_TRUE(result.passed) << result.message;
    }
    // The cranium seen from its side, back of the skull to the tip of the rostrum, against the length
    // of the Smithsonian scan (its bounds at the pack's physical scale, 1000 mm per unit).
    const fs::path pack = kSample.parent_path() / "packs" / "whale_cranium.vpk";
    const std::string inspect = std::format("'{}' pack inspect '{}' > '{}' 2>&1", VIEWER_CLI, pack.string(),
                                            (kOut / "sample" / "pack.txt").string());
    ASSERT_EQ(std::system(inspect.c_str()), 0);
    const std::string description = readText(kOut / "sample" / "pack.txt");
    std::smatch bounds;
    const std::string number = R"(\s*(-?[0-9.e+-]+))";
    ASSERT_TRUE(std::regex_search(description, bounds,
                                  std::regex("bounds: \\(" + number + "," + number + "," + number + "\\) \\.\\. \\(" +
                                             number + "," + number + "," + number + "\\)")))
        << description;
    double lengthMm = 0.0;
    for (int axis = 0; axis < 3; ++axis)
        lengthMm = std::max(lengthMm, (std::stod(bounds[4 + axis]) - std::stod(bounds[1 + axis])) * 1000.0);
    const double mm = measuredMm(run.out);
    std::printf("whale cranium: measured %.1f mm, scan length %.1f mm\n", mm, lengthMm);
    EXPECT_NEAR(mm, lengthMm, 0.02 * lengthMm);
}

// A 300 x 200 x 100 mm box imported with --units mm: measured from the front, edge to edge, it is
// 300 mm within a pixel or two of the silhouette.
TEST(ViewerSession, MeasuresAKnownSize) {
    if (!haveXvfb()) FAIL() << "Xvfb is not installed (package xvfb, in scripts/packages.txt)";
    const fs::path dir = kOut / "box";
    fs::create_directories(dir);
    std::string obj = "# 300 x 200 x 100 mm box, base at y = 0\n";
    for (int i = 0; i < 8; ++i)
        obj += std::format("v {} {} {}\n", i & 1 ? 150 : -150, i & 2 ? 200 : 0, i & 4 ? 50 : -50);
    // Faces wound counter-clockwise seen from outside (1-based vertex numbers).
    obj += "f 1 3 4 2\nf 5 6 8 7\nf 1 2 6 5\nf 3 7 8 4\nf 1 5 7 3\nf 2 4 8 6\n";
    writeText(dir / "box.obj", obj);
    const std::string import = std::format("'{}' import-scan '{}' --units mm --out '{}' >'{}' 2>&1", VIEWER_CLI,
                                           (dir / "box.obj").string(), (dir / "box.vpk").string(),
                                           (dir / "import.txt").string());
    ASSERT_EQ(std::system(import.c_str()), 0) << readText(dir / "import.txt");
    const ViewerRun run = runViewer("box", "box.vpk",
                              "size 800 500\n"
                              "inspect artifact-1\n"
                              "orbit 0 0\n"
                              "settle\n"
                              "measure-span artifact-1\n"
                              "screenshot box.png\n"
                              "quit\n");
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const double mm = measuredMm(run.out);
    std::printf("box of 300 mm measured at %.1f mm\n", mm);
    EXPECT_NEAR(mm, 300.0, 4.5) << run.out;
}

// The line (1-based) of the first occurrence of `needle` in `text`.
int lineOf(const std::string& text, const std::string& needle) {
    const size_t at = text.find(needle);
    return at == std::string::npos ? -1 : int(std::count(text.begin(), text.begin() + long(at), '\n')) + 1;
}

TEST(ViewerSession, BrokenExhibitNamesEachProblemAndOpensTheRest) {
    if (!haveXvfb()) FAIL() << "Xvfb is not installed (package xvfb, in scripts/packages.txt)";
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const std::string packs = (kSample.parent_path() / "packs").string();
    const std::string json = std::format(R"({{
  "format": "vitrine-exhibit", "version": 1, "id": "broken",
  "eyeHeight": 100,
  "rooms": [{{"id": "hall", "floor": [[0, 0], [6, 0], [6, 5], [0, 5]], "colour": [1, 0, 0]}}],
  "artifacts": [
    {{"id": "whale", "pack": "{}/whale_cranium.vpk", "position": [2, 2.5]}},
    {{"id": "missing", "pack": "packs/nowhere.vpk", "position": [4, 2.5]}},
    {{"id": "offline", "pack": "http://127.0.0.1:9/offline.vpk", "position": [3, 4]}},
    {{"id": "venus", "pack": "{}/venus.vpk", "position": [5, 1], "scale": -1}}
  ],
  "start": {{"position": [3, 1.6, 0.6], "target": [3, 1.2, 2.5]}}
}}
)",
                                         packs, packs);
    writeText(kOut / "broken" / "broken.json", json);
    const ViewerRun run = runViewer("broken", "broken.json", "size 800 500\nsettle 60\nscreenshot broken.png\nquit\n");
    EXPECT_EQ(run.exitCode, 0) << run.err;
    // Each diagnostic points at the value at fault: file, line, column, JSON pointer, then what is wrong.
    const auto expectLine = [&](const std::string& key, const std::string& pointer, const std::string& words) {
        const size_t at = json.find(key);
        ASSERT_NE(at, std::string::npos);
        const size_t lineStart = json.rfind('\n', at) + 1;
        const size_t valueAt = json.find(": ", at) + 2;  // the value after the key
        const std::string prefix = std::format("broken.json:{}:{}: error: {}: ", lineOf(json, key),
                                               valueAt - lineStart + 1, pointer);
        const size_t found = run.err.find(prefix);
        ASSERT_NE(found, std::string::npos) << "no line starting " << prefix << " in:\n" << run.err;
        const std::string line = run.err.substr(found, run.err.find('\n', found) - found);
        EXPECT_NE(line.find(words), std::string::npos) << line;
    };
    expectLine("\"eyeHeight\": ", "/eyeHeight", "100 is out of range");
    expectLine("\"colour\": ", "/rooms/0/colour", "unknown key \"colour\"");
    expectLine("\"scale\": ", "/artifacts/3/scale", "-1 is out of range");
    // Packs that cannot be opened are reported at their "pack" value, with the path or URL and why.
    expectLine("\"pack\": \"packs/nowhere.vpk", "/artifacts/1/pack", "artifact 'missing': packs/nowhere.vpk: cannot open");
    expectLine("\"pack\": \"http://127.0.0.1:9", "/artifacts/2/pack",
               "artifact 'offline': http://127.0.0.1:9/offline.vpk: ");
    // The whale still opens and shows.
    const asset::Image image = screenshot("broken", "broken.png");
    ASSERT_GT(image.width, 0u);
    const uint8_t* corner = image.rgba.data();
    EXPECT_GT(coverage(image, corner, 12), 0.2);
}

// What scripts/run-sample.sh does on a machine without a display: the tour's stops as pictures.
TEST(ViewerSession, WithoutADisplayTheTourBecomesPictures) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "tour";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string command = std::format(
        "cd '{}' && env -u DISPLAY -u WAYLAND_DISPLAY VITRINE_NO_AUDIO=1 timeout 240 '{}' '{}' --size 480x300 --output stops "
        "--validation >stdout.txt 2>stderr.txt",
        dir.string(), VIEWER_EXECUTABLE, kSample.string());
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << readText(dir / "stderr.txt");
    const std::string out = readText(dir / "stdout.txt");
    for (int stop = 1; stop <= 5; ++stop) {
        const std::string file = std::format("stops/stop-{:02}.png", stop);
        EXPECT_NE(out.find(file), std::string::npos) << out;
        auto image = asset::readImage(dir / file);
        ASSERT_TRUE(image) << file;
        EXPECT_EQ(image->width, 480u);
        EXPECT_GT(coverage(*image, image->rgba.data(), 12), 0.3) << file << " shows the gallery";
    }
    EXPECT_NE(out.find("no window"), std::string::npos) << out;
}

TEST(ViewerSession, ScreenshotFlagSavesTheSettledWindowAndExits) {
    if (!haveXvfb()) FAIL() << "Xvfb is not installed (package xvfb, in scripts/packages.txt)";
    const fs::path dir = kOut / "flag";
    fs::create_directories(dir);
    fs::remove(dir / "shot.png");
    const std::string command = std::format(
        "cd '{}' && VITRINE_NO_AUDIO=1 timeout 240 '{}' '{}' '{}' --size 640x400 --language zh --screenshot shot.png "
        "--validation >stdout.txt 2>stderr.txt",
        dir.string(), VIEWER_WITH_XVFB, VIEWER_EXECUTABLE, kSample.string());
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << readText(dir / "stderr.txt");
    auto image = asset::readImage(dir / "shot.png");
    ASSERT_TRUE(image);
    EXPECT_EQ(image->width, 640u);
    EXPECT_EQ(image->height, 400u);
}

// Mean absolute difference (0-255) between `small` and the w x h box of `large` at (x0, y0), after
// box-filtering `large`'s box down to small's size. RGB only.
double meanDifferenceToBox(const asset::Image& small, const asset::Image& large, double x0, double y0, double w, double h) {
    double total = 0.0;
    for (uint32_t y = 0; y < small.height; ++y)
        for (uint32_t x = 0; x < small.width; ++x) {
            const uint32_t ax = uint32_t(x0 + x * w / small.width), bx = uint32_t(x0 + (x + 1) * w / small.width);
            const uint32_t ay = uint32_t(y0 + y * h / small.height), by = uint32_t(y0 + (y + 1) * h / small.height);
            for (int c = 0; c < 3; ++c) {
                double sum = 0.0;
                uint32_t n = 0;
                for (uint32_t yy = ay; yy < std::max(by, ay + 1); ++yy)
                    for (uint32_t xx = ax; xx < std::max(bx, ax + 1); ++xx, ++n) sum += large.rgba[(size_t(yy) * large.width + xx) * 4 + c];
                total += std::abs(sum / n - small.rgba[(size_t(y) * small.width + x) * 4 + c]);
            }
        }
    return total / (3.0 * small.width * small.height);
}

// Box-filters `image` down by an integer factor.
asset::Image shrink(const asset::Image& image, uint32_t factor) {
    asset::Image out;
    out.width = image.width / factor;
    out.height = image.height / factor;
    out.rgba.assign(size_t(out.width) * out.height * 4, 255);
    for (uint32_t y = 0; y < out.height; ++y)
        for (uint32_t x = 0; x < out.width; ++x)
            for (int c = 0; c < 3; ++c) {
                uint32_t sum = 0;
                for (uint32_t yy = 0; yy < factor; ++yy)
                    for (uint32_t xx = 0; xx < factor; ++xx)
                        sum += image.rgba[(size_t(y * factor + yy) * image.width + x * factor + xx) * 4 + c];
                out.rgba[(size_t(y) * out.width + x) * 4 + c] = uint8_t(sum / (factor * factor));
            }
    return out;
}

// A stop's fieldOfViewDegrees frames the view: the same camera at 25 degrees shows what the centre of
// its 75-degree picture shows, enlarged (tan 12.5 / tan 37.5 of the height).
TEST(ViewerSession, TourStopFieldOfViewFramesTheView) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "fov";
    fs::create_directories(dir);
    const std::string packs = (kSample.parent_path() / "packs").string();
    writeText(dir / "fov.json", std::format(R"({{
  "format": "vitrine-exhibit", "version": 1, "id": "fov",
  "rooms": [{{"id": "hall", "floor": [[0, 0], [6, 0], [6, 5], [0, 5]]}}],
  "artifacts": [{{"id": "whale", "pack": "{}/whale_cranium.vpk", "position": [3, 2.5]}}],
  "tour": {{"stops": [
    {{"artifact": "whale", "camera": {{"position": [3, 1.4, 4.2], "target": [3, 1.1, 2.5], "fieldOfViewDegrees": 25}}}},
    {{"artifact": "whale", "camera": {{"position": [3, 1.4, 4.2], "target": [3, 1.1, 2.5], "fieldOfViewDegrees": 75}}}}
  ]}}
}}
)",
                                            packs));
    const ViewerRun run = runViewer(dir.filename().string(), "fov.json",
                                    "size 640 400\ntour 1\nclose tour\nsettle\nscreenshot narrow.png\n"
                                    "tour 2\nclose tour\nsettle\nscreenshot wide.png\nquit\n",
                                    Display::Headless);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const asset::Image narrow = screenshot("fov", "narrow.png"), wide = screenshot("fov", "wide.png");
    ASSERT_EQ(narrow.width, 640u);
    ASSERT_EQ(wide.width, 640u);
    // The box of the wide picture the narrow one shows, against the whole wide picture (unframed).
    const double degree = std::numbers::pi / 180;
    const double share = std::tan(12.5 * degree) / std::tan(37.5 * degree);
    const double w = 640 * share, h = 400 * share;
    const asset::Image small = shrink(narrow, 4);
    const double framed = meanDifferenceToBox(small, wide, (640 - w) / 2, (400 - h) / 2, w, h);
    const double unframed = meanDifferenceToBox(small, wide, 0, 0, 640, 400);
    std::printf("narrow view against the centre %.0fx%.0f of the wide one: mean difference %.2f; against the whole: %.2f\n",
                w, h, framed, unframed);
    EXPECT_LT(framed, 12.0);
    EXPECT_GT(unframed, 2.0 * framed);
}

// A narrated tour stop: captions change with the narration's clock, and when the narration ends the
// tour moves on by itself. Offscreen (--headless with a script), as on a machine without a display.
TEST(ViewerSession, TourCaptionsFollowTheNarration) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "narrated";
    fs::create_directories(dir);
    {
        // 4 s of a quiet tone, mono 16-bit PCM at 8 kHz.
        std::ofstream wav(dir / "narration.wav", std::ios::binary);
        const uint32_t rate = 8000, samples = 4 * rate, bytes = samples * 2;
        auto u32 = [&](uint32_t v) { wav.write(reinterpret_cast<const char*>(&v), 4); };
        auto u16 = [&](uint16_t v) { wav.write(reinterpret_cast<const char*>(&v), 2); };
        wav.write("RIFF", 4), u32(36 + bytes), wav.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate),
            u32(rate * 2), u16(2), u16(16), wav.write("data", 4), u32(bytes);
        for (uint32_t i = 0; i < samples; ++i) u16(uint16_t(int16_t(1000.0 * std::sin(i * 0.3))));
    }
    const std::string packs = (kSample.parent_path() / "packs").string();
    writeText(dir / "narrated.json", std::format(R"({{
  "format": "vitrine-exhibit", "version": 1, "id": "narrated",
  "rooms": [{{"id": "hall", "floor": [[0, 0], [6, 0], [6, 5], [0, 5]]}}],
  "artifacts": [
    {{"id": "whale", "pack": "{}/whale_cranium.vpk", "position": [2, 2.5]}},
    {{"id": "venus", "pack": "{}/venus.vpk", "position": [4, 2.5]}}
  ],
  "tour": {{"stops": [
    {{"artifact": "whale", "audio": "narration.wav",
      "text": "The first sentence is here. The second sentence is here."}},
    {{"artifact": "venus", "text": "Last stop."}}
  ]}}
}}
)",
                                                 packs, packs));
    const ViewerRun run = runViewer(dir.filename().string(), "narrated.json",
                                    "size 320 200\ntour 1\nwait 200\nquit\n",
                                    Display::Headless);
    const std::string& out = run.out;
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(out.find("tour: stop 1 of 2, narration 4.00 s"), std::string::npos) << out;
    // The sentences (27 and 28 characters) share the 4 s narration: the second comes up at 4 * 27 / 55 s,
    // within a frame of the fixed 1/30 s script clock.
    std::smatch match;
    ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(caption: ([0-9.]+) s: The first sentence is here\.)"))) << out;
    EXPECT_LT(std::stod(match[1]), 0.1);
    ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(caption: ([0-9.]+) s: The second sentence is here\.)"))) << out;
    EXPECT_NEAR(std::stod(match[1]), 4.0 * 27.0 / 55.0, 1.0 / 30.0 + 1e-3);
    // After the narration the tour goes on to the next stop by itself.
    const size_t second = out.find("tour: stop 2 of 2");
    ASSERT_NE(second, std::string::npos) << out;
    EXPECT_GT(second, out.find("The second sentence is here."));
    EXPECT_NE(out.find("s: Last stop.", second), std::string::npos) << out;
}

// Seconds of sound in a PCM WAV file (its "data" chunk over the byte rate of its "fmt " chunk); 0 when
// it is not one.
double wavSeconds(const fs::path& path) {
    const std::string bytes = readText(path);
    auto u32 = [&](size_t at) {
        return at + 4 <= bytes.size() ? uint32_t(uint8_t(bytes[at])) | uint32_t(uint8_t(bytes[at + 1])) << 8 |
                                            uint32_t(uint8_t(bytes[at + 2])) << 16 | uint32_t(uint8_t(bytes[at + 3])) << 24
                                      : 0u;
    };
    if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) return 0.0;
    uint32_t byteRate = 0;
    for (size_t at = 12; at + 8 <= bytes.size(); at += 8 + ((u32(at + 4) + 1) & ~1u)) {
        if (bytes.compare(at, 4, "fmt ") == 0) byteRate = u32(at + 16);
        if (bytes.compare(at, 4, "data") == 0 && byteRate)
            return double(std::min<size_t>(u32(at + 4), bytes.size() - at - 8)) / byteRate;
    }
    return 0.0;
}

// The sample gallery's narration, spoken by espeak-ng at build time: the captions follow each
// language's own recording, and switching language mid-stop starts that stop again in the new
// language. Without an audio device (VITRINE_NO_AUDIO=1) the clock is the script's 1/30 s frames.
TEST(ViewerSession, SampleTourNarrationFollowsTheLanguage) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path audio = kSample.parent_path() / "audio";
    if (!fs::exists(audio / "stop1.en.wav")) FAIL() << "the sample gallery was built without espeak-ng (package espeak-ng, in scripts/packages.txt)";
    const double en1 = wavSeconds(audio / "stop1.en.wav"), zh1 = wavSeconds(audio / "stop1.zh.wav");
    const double zh2 = wavSeconds(audio / "stop2.zh.wav");
    ASSERT_GT(en1, 3.0);  // two sentences of speech each, not silence
    ASSERT_GT(zh1, 3.0);
    ASSERT_GT(zh2, 2.0);
    const fs::path dir = kOut / "sample-narration";
    fs::create_directories(dir);
    const ViewerRun run = runViewer(dir.filename().string(), "'" + kSample.string() + "'",
                                    "size 320 200\ntour 1\nwait 45\nset language zh\nwait 600\nquit\n",
                                    Display::Headless);
    const std::string& out = run.out;
    ASSERT_EQ(run.exitCode, 0) << run.err;
    auto seconds = [&](const std::string& pattern, size_t from = 0) {
        std::smatch match;
        const std::string rest = out.substr(std::min(from, out.size()));
        return std::regex_search(rest, match, std::regex(pattern)) ? std::stod(match[1]) : -1.0;
    };
    // English first, timed by the English recording.
    EXPECT_NEAR(seconds(R"(tour: stop 1 of 5, narration ([0-9.]+) s)"), en1, 0.01) << out;
    EXPECT_GE(seconds(R"(caption: ([0-9.]+) s: Pilot whales are among the largest dolphins\.)"), 0.0) << out;
    // 1.5 s in, the visitor switches to Chinese: the stop starts again with the Chinese recording.
    const size_t switched = out.find("tour: stop 1 in zh");
    ASSERT_NE(switched, std::string::npos) << out;
    EXPECT_EQ(out.find("Look at the rostrum"), std::string::npos) << "switched before the second sentence:\n" << out;
    EXPECT_NEAR(seconds(R"(tour: stop 1 in zh, narration ([0-9.]+) s)", switched), zh1, 0.01) << out;
    EXPECT_LT(seconds(R"(caption: ([0-9.]+) s: 领航鲸是体型最大的豚类之一。)", switched), 0.1) << out;
    // Two sentences of 14 and 12 characters share the recording: the second comes up 14/26 of the way in.
    EXPECT_NEAR(seconds(R"(caption: ([0-9.]+) s: 请看头骨前端骨质的吻部。)", switched), zh1 * 14.0 / 26.0, 1.0 / 30.0 + 1e-3)
        << out;
    // When it ends the tour goes on, still in Chinese, with the next stop's Chinese recording.
    const size_t second = out.find("tour: stop 2 of 5", switched);
    ASSERT_NE(second, std::string::npos) << out;
    EXPECT_NEAR(seconds(R"(tour: stop 2 of 5, narration ([0-9.]+) s)", switched), zh2, 0.01) << out;
    EXPECT_NE(out.find("s: 同一头鲸的下颌骨", second), std::string::npos) << out;
    EXPECT_EQ(readText(dir / "stderr.txt").find("narration"), std::string::npos) << readText(dir / "stderr.txt");
}

// A narration file that is missing (the gallery built without espeak-ng, a typo) does not stop the
// tour: it is reported once, however often the stop is visited, and the stop keeps its duration.
TEST(ViewerSession, MissingNarrationIsReportedOnceAndTheStopKeepsItsDuration) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "missing-narration";
    const std::string packs = (kSample.parent_path() / "packs").string();
    writeText(dir / "missing.json", std::format(R"({{
  "format": "vitrine-exhibit", "version": 1, "id": "missing", "languages": ["en", "zh"],
  "rooms": [{{"id": "hall", "floor": [[0, 0], [6, 0], [6, 5], [0, 5]]}}],
  "artifacts": [
    {{"id": "whale", "pack": "{}/whale_cranium.vpk", "position": [2, 2.5]}},
    {{"id": "venus", "pack": "{}/venus.vpk", "position": [4, 2.5]}}
  ],
  "tour": {{"stops": [
    {{"artifact": "whale", "audio": {{"en": "audio/gone.en.wav", "zh": "audio/gone.zh.wav"}}, "durationSeconds": 2,
      "text": "The first sentence is here. The second sentence is here."}},
    {{"artifact": "venus", "text": "Last stop."}}
  ]}}
}}
)",
                                                 packs, packs));
    const ViewerRun run = runViewer(dir.filename().string(), "missing.json",
                                    "size 320 200\ntour 1\nwait 150\ntour 1\nwait 5\nquit\n",
                                    Display::Headless);
    const std::string& out = run.out;
    const std::string& err = run.err;
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::regex problem(R"(tour stop 1: (\S*/)?audio/gone\.en\.wav: no such narration file\n)");
    EXPECT_EQ(std::distance(std::sregex_iterator(err.begin(), err.end(), problem), std::sregex_iterator()), 1) << err;
    // Without its narration the stop lasts its 2 s, captions paced over them, then the tour goes on.
    const size_t first = out.find("tour: stop 1 of 2\n");
    ASSERT_NE(first, std::string::npos) << out;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(caption: ([0-9.]+) s: The second sentence is here\.)"))) << out;
    EXPECT_NEAR(std::stod(match[1]), 2.0 * 27.0 / 55.0, 1.0 / 30.0 + 1e-3);
    const size_t second = out.find("tour: stop 2 of 2", first);
    ASSERT_NE(second, std::string::npos) << out;
    EXPECT_NE(out.find("tour: stop 1 of 2", second), std::string::npos) << "visited again:\n" << out;
}

// Annotation markers hide behind the surface: the cranium's marker is on its rostrum, in view from
// the side and the front, hidden by the skull from behind, and back when the view turns again.
TEST(ViewerSession, AnnotationMarkersHideBehindTheSurface) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "occlusion";
    fs::create_directories(dir);
    const ViewerRun run = runViewer(dir.filename().string(), "'" + kSample.string() + "'",
                                    "size 480 300\ninspect whale-cranium\nclose info\nsettle\nwait 5\nprint side\n"
              "orbit -90 0\nsettle\nwait 5\nprint back\nscreenshot back.png\norbit 90 0\nsettle\nwait 5\nprint front\nquit\n",
                                    Display::Headless);
    const std::string& out = run.out;
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const size_t side = out.find("side\n"), back = out.find("back\n"), front = out.find("front\n");
    ASSERT_TRUE(side != std::string::npos && back != std::string::npos && front != std::string::npos) << out;
    EXPECT_GT(out.find("behind the surface"), side) << "nothing hidden from the side:\n" << out;
    const size_t hidden = out.find("annotations: 1 marker behind the surface");
    EXPECT_TRUE(hidden > side && hidden < back) << out;
    const size_t shown = out.find("annotations: 0 markers behind the surface");
    EXPECT_TRUE(shown > back && shown < front) << out;
}

// The guided tour with the keyboard only: T starts it, Right and Left move between stops with a
// smooth camera move, Space pauses, Escape leaves.
TEST(ViewerSession, TourByKeyboard) {
    ASSERT_TRUE(fs::exists(kSample)) << kSample;
    const fs::path dir = kOut / "keys";
    fs::create_directories(dir);
    const ViewerRun run = runViewer(dir.filename().string(), "'" + kSample.string() + "'",
                                    "size 320 200\nkey T\nwait 130\nkey Right\nwait 130\nkey Left\nwait 130\nkey Space\nkey Escape\n"
              "screenshot walk.png\nkey F12\nquit\n",
                                    Display::Headless);
    const std::string& out = run.out;
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const size_t first = out.find("tour: stop 1 of 5");
    ASSERT_NE(first, std::string::npos) << out;
    const size_t second = out.find("tour: stop 2 of 5", first);
    ASSERT_NE(second, std::string::npos) << out;
    EXPECT_NE(out.find("tour: stop 1 of 5", second), std::string::npos) << "Left goes back:\n" << out;
    EXPECT_NE(out.find("screenshot: walk.png"), std::string::npos) << out;
    EXPECT_NE(out.find("screenshot: out/screenshots/vitrine-001.png"), std::string::npos) << "F12:\n" << out;
}

TEST(ViewerSession, SyntaxErrorIsOneClearLine) {
    writeText(kOut / "syntax" / "syntax.json", "{\n  \"format\": \"vitrine-exhibit\",\n  \"rooms\": [,]\n}\n");
    const ViewerRun run = runViewer("syntax", "syntax.json", "quit\n");
    EXPECT_EQ(run.exitCode, 1);
    EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(syntax\.json:3:\d+: error: )"))) << run.err;
    EXPECT_NE(run.err.find("nothing to show"), std::string::npos) << run.err;
}

TEST(ViewerSession, BadScriptFailsBeforeOpeningAWindow) {
    const ViewerRun run = runViewer("script", "'" + kSample.string() + "'", "settle\nscreenshoot a.png\n");
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_NE(run.err.find("script.txt:2: unknown action 'screenshoot'"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace vt::test
