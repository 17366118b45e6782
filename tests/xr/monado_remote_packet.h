#pragma once
// The packet of Monado's remote driver (drivers/remote), as monado-service 25 reads it from TCP port
// 4242: one fixed-size packet per update, the whole state of the head and both controllers, native
// byte order (little endian here), no framing. The hub keeps only the latest packet; it sends two
// of its own to a client that connects (its reset state, then its latest), in the same layout.
//
// This is the layout Monado calls "mndrmt3" (head with per-view data, controllers with analog
// inputs and A/B buttons): checked against the installed service by monado_remote_client, which
// reads the hub's reset packet and finds the service's defaults (head at 1.6 m, controllers at
// (+-0.2, 1.3, -0.5), active) at these offsets. The hub does not check `header`. (Monado 25 in
// Debian 13 speaks this one, not the older "mndrmt2" of 280 bytes, which had no per-view head data.)
// The field list follows Monado's public r_interface.h, read, not copied; the offsets were checked
// against the installed service as above.

#include <cstddef>
#include <cstdint>

namespace vt::xr::test {

// Monado's xrt_pose: orientation (x, y, z, w), then position; metres, in the tracking (STAGE) space.
struct RemotePose {
    float qx = 0.0f, qy = 0.0f, qz = 0.0f, qw = 1.0f;
    float px = 0.0f, py = 0.0f, pz = 0.0f;
};
static_assert(sizeof(RemotePose) == 28);

// One controller (shown to applications as a Valve Index controller). The same pose serves as aim
// and grip.
struct RemoteController {
    RemotePose pose;
    float linearVelocity[3] = {};
    float angularVelocity[3] = {};
    float handCurl[5] = {};  // little, ring, middle, index, thumb: the simulated hand
    float trigger = 0.0f;    // 0..1
    float squeeze = 0.0f;    // 0..1
    float squeezeForce = 0.0f;
    float thumbstick[2] = {};  // x right, y forward, -1..1
    float trackpadForce = 0.0f;
    float trackpad[2] = {};
    uint8_t handTrackingActive = 0;
    uint8_t active = 0;  // tracked and its inputs active
    uint8_t systemClick = 0, systemTouch = 0;
    uint8_t aClick = 0, aTouch = 0;
    uint8_t bClick = 0, bTouch = 0;
    uint8_t triggerClick = 0, triggerTouch = 0;
    uint8_t thumbstickClick = 0, thumbstickTouch = 0;
    uint8_t trackpadTouch = 0;
    uint8_t pad[3] = {};
};
static_assert(sizeof(RemoteController) == 120);
static_assert(offsetof(RemoteController, trigger) == 72);
static_assert(offsetof(RemoteController, handTrackingActive) == 104);

struct RemoteView {
    float fov[4] = {};  // angle left, right, up, down (radians)
    RemotePose pose;    // relative to the head's centre
    uint32_t pad = 0;
};
static_assert(sizeof(RemoteView) == 48);

struct RemoteHead {
    RemoteView views[2];
    RemotePose center;              // the head: OpenXR's VIEW space
    uint8_t perViewDataValid = 0;   // 0: the runtime's own eye offsets and FOVs around `center`
    uint8_t pad[3] = {};
};
static_assert(sizeof(RemoteHead) == 128);

struct RemotePacket {
    uint64_t header = 0;  // "mndrmt3\0" as bytes
    RemoteHead head;
    RemoteController left, right;
};
static_assert(sizeof(RemotePacket) == 376);
static_assert(offsetof(RemotePacket, head) + offsetof(RemoteHead, center) == 104);
static_assert(offsetof(RemotePacket, left) == 136 && offsetof(RemotePacket, right) == 256);

constexpr char kRemoteHeader[8] = {'m', 'n', 'd', 'r', 'm', 't', '3', '\0'};
constexpr uint16_t kRemotePort = 4242;  // fixed by Monado

}  // namespace vt::xr::test
