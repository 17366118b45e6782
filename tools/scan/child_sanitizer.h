#pragma once
// Sanitizer reports from an importer's child process (see isolated_process.h), in sanitizer builds.
//
// A child built with ASan/UBSan that hits a memory or UB error would otherwise end with status 1,
// which reads like an ordinary import failure, so a heap overflow in our own decoding code, reached
// through a malformed file, would pass the sanitizer leg that exists to find it. Instead the child
// writes its report into a sink the parent reads, and leaves with kSanitizerExitCode. The parent
// classifies the report by the first stack frame that is neither the sanitizer runtime nor the C or
// C++ runtime: a frame inside a third-party library listed in the suppressions file (Assimp's own
// bugs, which the child exists to contain) is an import error that names the listed upstream
// symptom; any other report is ours, and the parent prints it and aborts.
//
// In builds without a sanitizer every function here is a no-op and no report ever arrives.

#include <string>
#include <string_view>
#include <vector>

namespace vt::scan {

// The status a sanitized child leaves with after a report; no importer uses it.
inline constexpr int kSanitizerExitCode = 86;

// One line of the suppressions file: `PATTERN REASON...`. PATTERN is a substring of the deciding
// stack frame (usually a library file name, "libassimp.so"); REASON, required, names the upstream
// bug so that nothing is suppressed silently.
struct SanitizerSuppression {
    std::string pattern;
    std::string reason;
};

// Parses a suppressions file's text; '#' starts a comment. A line without a reason is left out and
// described in `errors` ("line 3: ...").
std::vector<SanitizerSuppression> parseSanitizerSuppressions(std::string_view text, std::vector<std::string>* errors);

// The stack frame that decides who is at fault: the first "#N 0x... in ..." line that is not in a
// sanitizer runtime or libc/libstdc++/libgcc; else the first "runtime error" line (UBSan without a
// stack); else empty.
std::string decidingFrame(std::string_view report);

// The suppression that covers `report`, or null when the report is from our own code.
const SanitizerSuppression* matchSuppression(std::string_view report, const std::vector<SanitizerSuppression>& list);

// A place for one child's report: a memory file created before fork(), shared with the child.
class ChildReportSink {
public:
    ChildReportSink();  // in builds without a sanitizer: creates nothing
    ~ChildReportSink();
    ChildReportSink(const ChildReportSink&) = delete;
    ChildReportSink& operator=(const ChildReportSink&) = delete;

    // In the child, before the import: reports go to the sink, and a fatal report ends the child
    // with kSanitizerExitCode.
    void installInChild() const;

    // In the parent, after the child was reaped: the report text, empty when there was none.
    std::string read() const;

private:
    int fd_ = -1;
};

// The suppressions file this build was configured with (scripts/child-sanitizer.supp), parsed;
// empty in builds without a sanitizer. An unreadable or malformed file is fatal in a sanitizer
// build: a broken list must not turn into silence or into noise.
const std::vector<SanitizerSuppression>& configuredSanitizerSuppressions();

}  // namespace vt::scan
