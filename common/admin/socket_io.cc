#include "common/admin/socket_io.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "absl/time/clock.h"

namespace caserelay::admin {

Ready WaitFor(int fd, short events, int wake_fd, absl::Time deadline,
              bool prefer_fd) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return Ready::kTimeout;
    pollfd fds[2] = {{fd, events, 0}, {wake_fd, POLLIN, 0}};
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
    const int n =
        ::poll(fds, 2, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Ready::kWake;  // Treat poll failure as "give up".
    if (n == 0) continue;            // Re-check the deadline.
    const bool fd_ready = fds[0].revents != 0;
    const bool woken = fds[1].revents != 0;
    if (fd_ready && (prefer_fd || !woken)) return Ready::kReady;
    if (woken) return Ready::kWake;
  }
}

bool WriteAll(int fd, std::string_view data, int wake_fd, absl::Time deadline) {
  while (!data.empty()) {
    const ssize_t n =
        ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (WaitFor(fd, POLLOUT, wake_fd, deadline, /*prefer_fd=*/true) !=
          Ready::kReady) {
        return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace caserelay::admin
