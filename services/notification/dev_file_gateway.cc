#include "services/notification/dev_file_gateway.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "domain/sms/segment.h"

namespace caserelay::notification {

namespace {

std::string Id(const std::string& message_id, int index) {
  return absl::StrCat("dev-", message_id, "/", index);
}

}  // namespace

absl::StatusOr<std::string> DevFileGateway::SendPart(const OutgoingPart& part) {
  std::string line = absl::StrCat(
      part.message_id, "\t", part.index, "/", part.total, "\t", part.phone,
      "\t",
      absl::StrReplaceAll(sms::Utf16ToUtf8(part.text),
                          {{"\\", "\\\\"}, {"\n", "\\n"}, {"\t", " "}}),
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
  return Id(part.message_id, part.index);
}

absl::StatusOr<std::optional<std::string>> DevFileGateway::Find(
    const std::string& message_id, int index) {
  absl::MutexLock lock(&mu_);
  std::ifstream in(path_);
  if (!in) {
    // Only a file that does not exist proves nothing was sent.
    if (access(path_.c_str(), F_OK) != 0 && errno == ENOENT)
      return std::nullopt;
    return absl::UnavailableError(
        absl::StrCat("dev sink ", path_, " unreadable"));
  }
  std::string line;
  std::string prefix = absl::StrCat(message_id, "\t", index, "/");
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return Id(message_id, index);
  }
  // A read error is not proof that nothing was sent.
  if (in.bad()) {
    return absl::UnavailableError(
        absl::StrCat("dev sink ", path_, " unreadable"));
  }
  return std::nullopt;
}

}  // namespace caserelay::notification
