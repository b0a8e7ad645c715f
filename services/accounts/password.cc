#include "services/accounts/password.h"

#include <sodium.h>

#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"

namespace caserelay::accounts {
namespace {

absl::Status Sodium() {
  static const int ready = sodium_init();  // 0, or 1 if already done
  if (ready < 0)
    return absl::InternalError("accounts: libsodium failed to start");
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckHashCost(const HashCost& cost) {
  if (cost.ops < crypto_pwhash_OPSLIMIT_MIN ||
      cost.ops > crypto_pwhash_OPSLIMIT_MAX || cost.ops > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: accounts.argon2_ops ", cost.ops, " is outside [",
                     crypto_pwhash_OPSLIMIT_MIN, ", 100]"));
  }
  if (cost.memory_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      cost.memory_bytes > (size_t{4} << 30)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: accounts.argon2_memory ", cost.memory_bytes,
        " bytes is outside [", crypto_pwhash_MEMLIMIT_MIN, ", 4 GiB]"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const HashCost& cost) {
  if (absl::Status s = Sodium(); !s.ok()) return s;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops,
                            cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        "accounts: argon2id could not get its memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored, std::string_view password) {
  if (!Sodium().ok()) return false;
  // crypto_pwhash_str_verify reads a NUL-terminated string.
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES ||
      stored.find('\0') != std::string_view::npos ||
      stored.substr(0, sizeof(crypto_pwhash_argon2id_STRPREFIX) - 1) !=
          crypto_pwhash_argon2id_STRPREFIX) {
    return false;
  }
  const std::string z(stored);
  return crypto_pwhash_str_verify(z.c_str(), password.data(),
                                  password.size()) == 0;
}

void VerifyNothing(const HashCost& cost) {
  // A hash of a fixed throw-away password, made once per cost in use.
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [&] {
    auto h = HashPassword("caserelay-no-such-user", cost);
    if (h.ok()) dummy = *h;
  });
  (void)VerifyPassword(dummy, "not-the-password");
}

HashGate::Slot::Slot(HashGate* gate) : gate_(gate) {
  absl::MutexLock lock(&gate_->mu_);
  gate_->mu_.Await(absl::Condition(
      +[](HashGate* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
        return g->in_use_ < g->max_;
      },
      gate_));
  ++gate_->in_use_;
}

HashGate::Slot::~Slot() {
  absl::MutexLock lock(&gate_->mu_);
  --gate_->in_use_;
}

absl::Status CheckPasswordPolicy(std::string_view username,
                                 std::string_view password) {
  if (!text::IsValidUtf8(password)) {
    return absl::InvalidArgumentError("密码含有无效字符");
  }
  for (char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError("密码含有无效字符");
    }
  }
  if (text::CountCodePoints(password) < kMinPasswordChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("密码至少", kMinPasswordChars, "个字符"));
  }
  if (password.size() > kMaxPasswordBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("密码不能超过", kMaxPasswordBytes, "个字节"));
  }
  if (absl::EqualsIgnoreCase(
          absl::string_view(password.data(), password.size()),
          absl::string_view(username.data(), username.size()))) {
    return absl::InvalidArgumentError("密码不能与用户名相同");
  }
  return absl::OkStatus();
}

}  // namespace caserelay::accounts
