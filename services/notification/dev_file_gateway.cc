#include "services/notification/dev_file_gateway.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace caserelay::notification {

absl::StatusOr<std::string> DevFileGateway::Send(const OutgoingSms& sms) {
  std::string line = absl::StrCat(
      sms.message_id, "\t", sms.phone, "\t", sms.parts, "\t",
      absl::StrReplaceAll(sms.text, {{"\\", "\\\\"}, {"\n", "\\n"}, {"\t", " "}}),
      "\n");
  absl::MutexLock lock(&mu_);
  int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("dev sink ", path_, ": ", std::strerror(errno)));
  }
  ssize_t n = write(fd, line.data(), line.size());
  int err = errno;
  bool synced = fsync(fd) == 0;
  close(fd);
  if (n != static_cast<ssize_t>(line.size()) || !synced) {
    return absl::UnavailableError(
        absl::StrCat("dev sink ", path_, ": ", std::strerror(err)));
  }
  return absl::StrCat("dev-", sms.message_id);
}

absl::StatusOr<std::optional<std::string>> DevFileGateway::Find(
    const std::string& message_id) {
  absl::MutexLock lock(&mu_);
  std::ifstream in(path_);
  if (!in) {
    // Only a file that does not exist proves nothing was sent.
    if (access(path_.c_str(), F_OK) != 0 && errno == ENOENT) return std::nullopt;
    return absl::UnavailableError(absl::StrCat("dev sink ", path_, " unreadable"));
  }
  std::string line;
  std::string prefix = message_id + "\t";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return absl::StrCat("dev-", message_id);
  }
  return std::nullopt;
}

}  // namespace caserelay::notification
