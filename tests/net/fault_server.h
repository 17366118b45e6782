#pragma once
// A tiny HTTP/1.1 server (one thread per connection, keep-alive) that serves one file at any path
// and misbehaves on demand, for testing how HttpSource copes with broken servers and networks. It
// records the Range of every GET, so a test can see exactly which bytes a client asked for.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vt::net::test {

enum class Fault {
    None,
    NotFound,           // 404 to everything
    ServerError,        // 500 to GETs
    TooManyRequests,    // 429 with Retry-After: 1 to GETs
    CloseMidBody,       // correct headers, half the body, then close
    WrongContentRange,  // 206 naming a range shifted by one byte
    IgnoreRange,        // 200 with the whole file to GETs
    Stall,              // read the request, never answer
    ChangeSize,         // GETs see a file 100 bytes longer than before
    ChangeEtag,         // GETs see another ETag ("v2") than before ("v1")
};

class FaultServer {
public:
    explicit FaultServer(std::vector<uint8_t> content);  // listens on 127.0.0.1, a free port
    ~FaultServer();  // closes every connection, joins every thread
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/pack.vpk"; }
    // The next `count` GETs misbehave (count < 0: all of them), the rest are served. NotFound hits
    // HEADs too.
    void setFault(Fault fault, int count = -1);
    int requests() const { return requests_.load(); }       // requests read, HEADs included
    int heads() const { return heads_.load(); }             // HEAD requests read
    int connections() const { return connections_.load(); }  // connections accepted
    // The Range of every GET so far, in arrival order, as "FIRST-LAST" ("" for a GET without one).
    std::vector<std::string> ranges();

private:
    void acceptLoop();
    void serve(int fd);
    bool takeFault(Fault fault, bool isHead);

    std::vector<uint8_t> content_;
    int listenFd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0}, heads_{0}, connections_{0};

    std::mutex mutex_;
    std::condition_variable stopped_;
    Fault fault_ = Fault::None;
    int faultCount_ = 0;
    std::vector<std::string> ranges_;
    std::vector<int> clientFds_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

}  // namespace vt::net::test
