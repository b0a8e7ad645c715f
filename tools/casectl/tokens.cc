#include "tools/casectl/tokens.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/rpc/auth.h"
#include "common/rpc/principal.h"
#include "common/rpc/token_auth.h"

namespace caserelay::casectl {

namespace {

absl::Status Errno(const std::string& path, absl::string_view what) {
  const int err = errno;
  return absl::ErrnoToStatus(err, absl::StrCat(path, ": ", what));
}

// Writes all of `data` to `fd`; false with errno set on failure.
bool WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// OK if `path` is missing or an owner-only regular file.
absl::Status CheckTokensFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return Errno(path, "cannot stat the tokens file");
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": the tokens file is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: the tokens file has mode %04o; group and others must have no "
        "access (chmod 600 %s)",
        path, st.st_mode & 07777, path));
  }
  return absl::OkStatus();
}

absl::Status WriteTokenFile(const std::string& path, absl::string_view token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat(
          path, ": exists; remove it first or choose another --out"));
    }
    return Errno(path, "cannot create the token file");
  }
  bool ok = WriteAll(fd, absl::StrCat(token, "\n")) && ::fsync(fd) == 0;
  absl::Status status =
      ok ? absl::OkStatus() : Errno(path, "cannot write the token file");
  ::close(fd);
  if (!ok) ::unlink(path.c_str());
  return status;
}

absl::Status AppendEntry(const std::string& path, absl::string_view line) {
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno(path, "cannot open the tokens file");
  // A file whose last line lacks its newline must not swallow ours.
  std::string text(line);
  struct stat st;
  char last = '\n';
  if (::fstat(fd, &st) == 0 && st.st_size > 0 &&
      ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
    text.insert(text.begin(), '\n');
  }
  bool ok = WriteAll(fd, text) && ::fsync(fd) == 0;
  absl::Status status =
      ok ? absl::OkStatus() : Errno(path, "cannot append to the tokens file");
  ::close(fd);
  return status;
}

}  // namespace

absl::Status AddToken(const AddTokenOptions& options) {
  if (!rpc::ParsePrincipal(options.principal).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", options.principal,
        "' is not an office code such as 140431:housing nor a service's "
        "identity such as service:notification"));
  }
  if (!options.holder.empty() && !rpc::IsPersonLabel(options.holder)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--holder '", options.holder,
                     "' is not a person's label (up to 100 bytes, no spaces)"));
  }
  if (options.tokens_path.empty()) {
    return absl::InvalidArgumentError("token add needs --tokens FILE");
  }
  if (options.token_path.empty()) {
    return absl::InvalidArgumentError("token add needs --out TOKEN_FILE");
  }
  if (absl::Status s = CheckTokensFile(options.tokens_path); !s.ok()) return s;
  const std::string token = rpc::NewToken();
  if (absl::Status s = WriteTokenFile(options.token_path, token); !s.ok()) {
    return s;
  }
  absl::Status s = AppendEntry(
      options.tokens_path,
      absl::StrCat(options.principal, " ", rpc::TokenHash(token),
                   options.holder.empty() ? "" : " ", options.holder, "\n"));
  if (!s.ok()) ::unlink(options.token_path.c_str());
  return s;
}

}  // namespace caserelay::casectl
