// Waiting on and writing to the admin server's sockets with a deadline and
// a shutdown pipe. Internal to common/admin; thread-safe (no state).

#ifndef CASERELAY_COMMON_ADMIN_SOCKET_IO_H_
#define CASERELAY_COMMON_ADMIN_SOCKET_IO_H_

#include <string_view>

#include "absl/time/time.h"

namespace caserelay::admin {

// What a wait for a socket ended with.
enum class Ready { kReady, kTimeout, kWake };

// Waits until `fd` has `events` or `wake_fd` is readable or `deadline`
// passes. `prefer_fd`: report kReady when both fire (used for writing a
// response whose handler already ran). A failing poll() counts as kWake.
Ready WaitFor(int fd, short events, int wake_fd, absl::Time deadline,
              bool prefer_fd);

// Writes all of `data` to `fd`; false when the peer is gone, the deadline
// passes, or `wake_fd` is readable while the socket is not writable.
bool WriteAll(int fd, std::string_view data, int wake_fd, absl::Time deadline);

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_SOCKET_IO_H_
