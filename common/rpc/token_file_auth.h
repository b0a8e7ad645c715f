// Bearer tokens from a tokens file that is read again when it changes
// (令牌文件热加载, issue 23 item 2): `casectl token add` (or an edit by
// hand) takes effect within about a second, without restarting the service.
//
// The file is checked every poll_interval (device, inode, size and
// modification time) and re-read when any of them changed; Reload() re-reads
// it at once (the services call it on SIGHUP). A reload is all or nothing:
// a file that does not load (TokenAuthenticator::Load's errors: bad lines,
// wrong mode, missing) leaves the tokens in use as they were, and the
// watcher logs one error line for that version of the file; a file still
// changing while it is read is read again at the next check.
//
// Thread safety: thread-safe. PrincipalOf may run on any number of threads
// while a reload swaps the tokens in.

#ifndef CASERELAY_COMMON_RPC_TOKEN_FILE_AUTH_H_
#define CASERELAY_COMMON_RPC_TOKEN_FILE_AUTH_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/rpc/auth.h"
#include "common/rpc/token_auth.h"

namespace caserelay::rpc {

struct TokenFileOptions {
  // How often the file is checked for a change.
  absl::Duration poll_interval = absl::Seconds(1);
};

class TokenFileAuthenticator final : public Authenticator {
 public:
  // Loads the tokens file at `path` and starts watching it. Errors: those
  // of TokenAuthenticator::Load (the file must load at start-up);
  // INVALID_ARGUMENT for a poll_interval that is not positive.
  static absl::StatusOr<std::unique_ptr<TokenFileAuthenticator>> Create(
      const std::string& path, TokenFileOptions options = {});

  TokenFileAuthenticator(const TokenFileAuthenticator&) = delete;
  TokenFileAuthenticator& operator=(const TokenFileAuthenticator&) = delete;

  // Stops and joins the watcher.
  ~TokenFileAuthenticator() override;

  // As TokenAuthenticator::PrincipalOf, against the tokens loaded last.
  absl::StatusOr<Principal> PrincipalOf(
      const grpc::ServerContext& ctx) const override;

  // As TokenAuthenticator::PrincipalOfToken, against the tokens loaded
  // last.
  absl::StatusOr<Principal> PrincipalOfToken(absl::string_view token) const;

  // Re-reads the file now. OK: its tokens are the ones in use. Otherwise
  // TokenAuthenticator::Load's error, and the tokens in use stay as they
  // were.
  absl::Status Reload() override;

 private:
  // What tells one version of the file from another; all zero when the
  // file cannot be stat()ed.
  struct Version {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Version& o) const {
      return device == o.device && inode == o.inode && size == o.size &&
             mtime_ns == o.mtime_ns;
    }
    bool operator!=(const Version& o) const { return !(*this == o); }
  };
  static Version VersionOf(const std::string& path);

  TokenFileAuthenticator(std::string path, TokenFileOptions options,
                         std::unique_ptr<TokenAuthenticator> tokens,
                         Version version);

  // Checks the file every poll_interval until stop_ is notified.
  void Watch();

  // Const after construction.
  const std::string path_;
  const TokenFileOptions options_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const TokenAuthenticator> tokens_ ABSL_GUARDED_BY(mu_);
  // The version last loaded or refused: the watcher reads the file again
  // only when it differs.
  Version tried_ ABSL_GUARDED_BY(mu_);

  absl::Notification stop_;
  std::thread watcher_;  // Started last, joined first.
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_TOKEN_FILE_AUTH_H_
