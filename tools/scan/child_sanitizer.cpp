#include "child_sanitizer.h"

#include <cstdio>
#include <cstdlib>
#include <format>
#include <fstream>
#include <sstream>

#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(VITRINE_SANITIZED)
#define VT_CHILD_SANITIZER 1
#include <sanitizer/common_interface_defs.h>
#else
#define VT_CHILD_SANITIZER 0
#endif

namespace vt::scan {
namespace {

std::string_view trim(std::string_view s) {
    const size_t first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const size_t last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// Frames that never decide: the sanitizer runtime reports from inside itself, and the C and C++
// runtimes only do what their caller asked (a memcpy overflows because of who called it).
bool isRuntimeFrame(std::string_view frame) {
    constexpr std::string_view kRuntimes[] = {"libasan.so", "libubsan.so", "libtsan.so", "/libsanitizer/",
                                              "sanitizer_common", "__interceptor_", "__asan_", "__ubsan_",
                                              "libc.so", "libstdc++.so", "libgcc_s.so", "libm.so"};
    for (std::string_view runtime : kRuntimes)
        if (frame.find(runtime) != std::string_view::npos) return true;
    return false;
}

#if VT_CHILD_SANITIZER
[[noreturn]] void leaveWithSanitizerStatus() { ::_exit(kSanitizerExitCode); }
#endif

}  // namespace

std::vector<SanitizerSuppression> parseSanitizerSuppressions(std::string_view text, std::vector<std::string>* errors) {
    std::vector<SanitizerSuppression> list;
    size_t lineNumber = 0;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++lineNumber;
        if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;
        const size_t space = line.find_first_of(" \t");
        const std::string_view reason = space == std::string_view::npos ? std::string_view{} : trim(line.substr(space));
        if (reason.empty()) {
            if (errors) errors->push_back(std::format("line {}: '{}' has no reason; say which upstream bug it is", lineNumber, line));
            continue;
        }
        list.push_back({std::string(line.substr(0, space)), std::string(reason)});
    }
    return list;
}

std::string decidingFrame(std::string_view report) {
    std::string runtimeError;
    std::istringstream lines{std::string(report)};
    for (std::string line; std::getline(lines, line);) {
        const std::string_view view = trim(line);
        // UBSan's own line names the source location; a stack trace, if printed, follows it.
        if (runtimeError.empty() && view.find("runtime error:") != std::string_view::npos) runtimeError = view;
        if (view.size() < 2 || view[0] != '#' || view.find(" in ") == std::string_view::npos) continue;
        if (!isRuntimeFrame(view)) return std::string(view);
    }
    return runtimeError;
}

const SanitizerSuppression* matchSuppression(std::string_view report, const std::vector<SanitizerSuppression>& list) {
    const std::string frame = decidingFrame(report);
    if (frame.empty()) return nullptr;
    for (const SanitizerSuppression& entry : list)
        if (frame.find(entry.pattern) != std::string::npos) return &entry;
    return nullptr;
}

ChildReportSink::ChildReportSink() {
#if VT_CHILD_SANITIZER
    fd_ = ::memfd_create("vitrine-child-sanitizer-report", MFD_CLOEXEC);
#endif
}

ChildReportSink::~ChildReportSink() {
    if (fd_ >= 0) ::close(fd_);
}

void ChildReportSink::installInChild() const {
#if VT_CHILD_SANITIZER
    if (fd_ >= 0) __sanitizer_set_report_fd(reinterpret_cast<void*>(intptr_t(fd_)));
    __sanitizer_set_death_callback(leaveWithSanitizerStatus);
#endif
}

std::string ChildReportSink::read() const {
    std::string text;
    if (fd_ < 0) return text;
    char buffer[8192];
    for (off_t offset = 0;;) {
        const ssize_t got = ::pread(fd_, buffer, sizeof buffer, offset);
        if (got <= 0) break;
        text.append(buffer, size_t(got));
        offset += got;
    }
    return text;
}

const std::vector<SanitizerSuppression>& configuredSanitizerSuppressions() {
    static const std::vector<SanitizerSuppression> list = [] {
#if VT_CHILD_SANITIZER && defined(VITRINE_CHILD_SANITIZER_SUPPRESSIONS)
        const char* path = VITRINE_CHILD_SANITIZER_SUPPRESSIONS;
        std::ifstream file(path);
        if (!file) {
            std::fprintf(stderr, "%s: cannot read the importer child's sanitizer suppressions\n", path);
            std::abort();
        }
        std::stringstream text;
        text << file.rdbuf();
        std::vector<std::string> errors;
        std::vector<SanitizerSuppression> parsed = parseSanitizerSuppressions(text.str(), &errors);
        for (const std::string& error : errors) std::fprintf(stderr, "%s: %s\n", path, error.c_str());
        if (!errors.empty()) std::abort();
        return parsed;
#else
        return std::vector<SanitizerSuppression>{};
#endif
    }();
    return list;
}

}  // namespace vt::scan
