#include "common/rpc/token_file_auth.h"

#include <sys/stat.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace caserelay::rpc {

absl::StatusOr<std::unique_ptr<TokenFileAuthenticator>>
TokenFileAuthenticator::Create(const std::string& path,
                               TokenFileOptions options) {
  if (options.poll_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "TokenFileOptions: poll_interval must be positive");
  }
  const Version version = VersionOf(path);
  absl::StatusOr<std::unique_ptr<TokenAuthenticator>> tokens =
      TokenAuthenticator::Load(path);
  if (!tokens.ok()) return tokens.status();
  return std::unique_ptr<TokenFileAuthenticator>(
      new TokenFileAuthenticator(path, options, *std::move(tokens), version));
}

TokenFileAuthenticator::TokenFileAuthenticator(
    std::string path, TokenFileOptions options,
    std::unique_ptr<TokenAuthenticator> tokens, Version version)
    : path_(std::move(path)),
      options_(options),
      tokens_(std::move(tokens)),
      tried_(version),
      watcher_(&TokenFileAuthenticator::Watch, this) {}

TokenFileAuthenticator::~TokenFileAuthenticator() {
  stop_.Notify();
  watcher_.join();
}

TokenFileAuthenticator::Version TokenFileAuthenticator::VersionOf(
    const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Version{};
  return Version{st.st_dev, st.st_ino, st.st_size,
                 static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                     st.st_mtim.tv_nsec};
}

absl::StatusOr<Principal> TokenFileAuthenticator::PrincipalOf(
    const grpc::ServerContext& ctx) const {
  std::shared_ptr<const TokenAuthenticator> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens = tokens_;
  }
  return tokens->PrincipalOf(ctx);
}

absl::StatusOr<Principal> TokenFileAuthenticator::PrincipalOfToken(
    absl::string_view token) const {
  std::shared_ptr<const TokenAuthenticator> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens = tokens_;
  }
  return tokens->PrincipalOfToken(token);
}

absl::Status TokenFileAuthenticator::Reload() {
  const Version version = VersionOf(path_);
  absl::StatusOr<std::unique_ptr<TokenAuthenticator>> tokens =
      TokenAuthenticator::Load(path_);
  absl::MutexLock lock(&mu_);
  tried_ = version;
  if (!tokens.ok()) return tokens.status();
  tokens_ = *std::move(tokens);
  return absl::OkStatus();
}

void TokenFileAuthenticator::Watch() {
  while (!stop_.WaitForNotificationWithTimeout(options_.poll_interval)) {
    const Version before = VersionOf(path_);
    {
      absl::MutexLock lock(&mu_);
      if (before == tried_) continue;
    }
    absl::StatusOr<std::unique_ptr<TokenAuthenticator>> tokens =
        TokenAuthenticator::Load(path_);
    // Still being written (e.g. an append in progress): next time.
    if (VersionOf(path_) != before) continue;
    {
      absl::MutexLock lock(&mu_);
      tried_ = before;
      if (tokens.ok()) tokens_ = *std::move(tokens);
    }
    if (tokens.ok()) {
      log::Info("tokens file reloaded", {{"path", path_}});
    } else {
      log::Error(
          "tokens file not reloaded; the tokens loaded before stay in use "
          "until the file is fixed",
          {{"path", path_}, {"error", std::string(tokens.status().message())}});
    }
  }
}

}  // namespace caserelay::rpc
