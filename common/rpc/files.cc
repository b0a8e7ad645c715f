#include "common/rpc/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caserelay::rpc {
namespace {

absl::StatusOr<std::string> ReadAll(int fd, const std::string& path) {
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat(path, ": read: ", std::strerror(errno)));
    }
    text.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          FileAccess access) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = absl::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(msg);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(msg);
    return absl::UnavailableError(msg);
  }
  // Checked on the opened file, so a rename in between cannot slip past.
  struct stat st;
  absl::StatusOr<std::string> result;
  if (fstat(fd, &st) != 0) {
    result = absl::UnavailableError(
        absl::StrCat(path, ": stat: ", std::strerror(errno)));
  } else if (!S_ISREG(st.st_mode)) {
    result = absl::FailedPreconditionError(
        absl::StrCat(path, ": not a regular file"));
  } else if (access == FileAccess::kOwnerOnly &&
             (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    result = absl::FailedPreconditionError(absl::StrFormat(
        "%s: mode %04o lets group or others read or write it; chmod 600 %s",
        path, st.st_mode & 07777, path));
  } else {
    result = ReadAll(fd, path);
  }
  close(fd);
  return result;
}

}  // namespace caserelay::rpc
