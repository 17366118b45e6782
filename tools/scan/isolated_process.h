#pragma once
// Runs an import function in a forked child process and brings its Model back over a pipe.
//
// Third-party parsers (Assimp, tinygltf+Draco) crash or hang on some malformed files. In the
// child they can do neither to the caller: the parent waits with a deadline, kills the child with
// SIGKILL when it passes, always reaps it, and decodes the bytes it sent as untrusted input.
//
// The child runs `work` in a copy of the parent's address space and leaves with _exit(), so no
// destructors or atexit handlers run twice. Call from a process where fork() is safe (no other
// thread holds a lock the child needs; glibc malloc is safe).
//
// In sanitizer builds a sanitizer report in the child is never an ordinary import error: see
// child_sanitizer.h (a report from our own code aborts the caller).

#include <chrono>
#include <functional>
#include <string_view>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

struct IsolatedTask {
    std::string_view label;     // starts every error message: the file path
    std::string_view importer;  // names the third-party code in messages: "the Assimp importer"
    std::chrono::milliseconds timeout{120000};
};

Result<asset::Model> runIsolated(const IsolatedTask& task, const std::function<Result<asset::Model>()>& work);

}  // namespace vt::scan
