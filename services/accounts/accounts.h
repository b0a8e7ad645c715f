// The staff directory's operations (账号与会话, issue 16 item 1), without
// gRPC: who may sign in, the sessions, and an office administrator's
// changes. AccountsServiceImpl (accounts_service.h) is the thin transport
// over it; AccountsStore keeps the records. Messages for people are in
// Chinese; they never say whether a username exists.
//
// Thread safety: thread-safe. Logins of one username are serialised (one
// of kLoginStripes mutexes chosen by the username, held across the
// password check, so concurrent guesses cannot pass the count); every
// read-modify-write of records is serialised by one mutex, never held
// while a password is hashed.

#ifndef CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_H_
#define CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/clock.h"
#include "services/accounts/accounts_store.h"
#include "services/accounts/login_limits.h"
#include "services/accounts/password.h"
#include "services/accounts/sessions.h"

namespace caserelay::accounts {

// The payload of a RESOURCE_EXHAUSTED login refusal: whole seconds until
// the lock ends (the handler sends it as rpc::kRetryAfterMetadata).
inline constexpr char kRetryAfterPayload[] = "caserelay/retry-after";
inline constexpr int kLoginStripes = 64;
// Forgotten failure records deleted per failed login (accounts_store.h).
inline constexpr int kFailureSweepBatch = 16;

// The words of the refusals (also the integration tests' expectations).
inline constexpr char kWrongCredentials[] = "用户名或密码错误";
inline constexpr char kUserDisabled[] = "账号已停用";
inline constexpr char kSessionEnded[] = "会话已失效，请重新登录";

struct AccountsOptions {
  SessionLimits sessions;
  LoginLimits login;
  HashCost hash_cost;
  // argon2id computations at once (HashGate; accounts.max_parallel_hashes).
  int max_parallel_hashes = 4;
};

// A new user as an administrator (or the bootstrap) names it.
struct NewUser {
  std::string username;
  std::string display_name;
  std::vector<int> roles;  // StaffRole values
  std::string password;
};

struct SignedIn {
  std::string token;  // given to the browser once; never stored
  v1::AccountUserRecord user;
  absl::Time expires_at;  // the absolute end (SessionLimits::max)
};

class Accounts {
 public:
  // `store` and `clock` are not owned and outlive this. REQUIRES: the
  // options pass CheckSessionLimits, CheckLockRule and CheckHashCost, and
  // max_parallel_hashes >= 1.
  Accounts(AccountsStore* store, const time::Clock* clock,
           AccountsOptions options);

  // Signs `username` in from the client `address` (a key of
  // common/peer/client_address.h). Returns a new session on success.
  // RESOURCE_EXHAUSTED (Chinese message, kRetryAfterPayload) while the
  // username or the address is locked (nothing checked or counted);
  // UNAUTHENTICATED kWrongCredentials for an unknown username or a wrong
  // password (counted against the address, and the username if it
  // exists); UNAUTHENTICATED kUserDisabled for a disabled user with the
  // right password; UNAVAILABLE if the store fails.
  absl::StatusOr<SignedIn> Login(std::string_view username,
                                 std::string_view password,
                                 std::string_view address);

  // The user of a live session, moving its idle end. UNAUTHENTICATED
  // kSessionEnded when the token is unknown, the session ended, or its
  // user is disabled or gone (an ended session is deleted).
  absl::StatusOr<v1::AccountUserRecord> Authenticate(std::string_view token);

  // Ends the session (OK if there was none).
  absl::Status Logout(std::string_view token);

  // The session's user sets a new password, from the client `address`:
  // UNAUTHENTICATED as Authenticate; INVALID_ARGUMENT with the policy's
  // words, or "原密码不正确" (a failure counted as at Login);
  // RESOURCE_EXHAUSTED as Login while the username or address is locked;
  // the user's other sessions end.
  absl::Status ChangePassword(std::string_view token,
                              std::string_view old_password,
                              std::string_view new_password,
                              std::string_view address);

  // Office administration. The session's user (the actor) must hold ADMIN
  // (else PERMISSION_DENIED "仅本单位管理员可以管理用户"); the target must
  // be a user of the actor's office (else NOT_FOUND "用户不存在").
  absl::StatusOr<std::vector<v1::AccountUserRecord>> ListUsers(
      std::string_view token);
  // ALREADY_EXISTS "用户名已被使用" when the username is taken anywhere;
  // INVALID_ARGUMENT from user_rules.h or the password policy.
  absl::StatusOr<v1::AccountUserRecord> CreateUser(std::string_view token,
                                                   const NewUser& user);
  // Replaces roles and the disabled flag; disabling ends the user's
  // sessions. FAILED_PRECONDITION "本单位至少保留一名启用的管理员" when the
  // office would be left without an enabled ADMIN.
  absl::StatusOr<v1::AccountUserRecord> UpdateUser(
      std::string_view token, std::string_view username,
      const std::vector<int>& roles, bool disabled);
  // Sets a new password and ends the user's sessions.
  absl::Status ResetPassword(std::string_view token, std::string_view username,
                             std::string_view password);

  // The first ADMIN of `office_code` (called for the office's own
  // credential; the caller checked the office exists). FAILED_PRECONDITION
  // "该单位已有启用的管理员" when it has one; ALREADY_EXISTS and
  // INVALID_ARGUMENT as CreateUser.
  absl::StatusOr<v1::AccountUserRecord> BootstrapAdmin(
      std::string_view office_code, const NewUser& user);

 private:
  // The live session of `token` and its user, touched if due.
  absl::StatusOr<std::pair<std::string, v1::AccountUserRecord>> LiveSession(
      std::string_view token);
  // Authenticate + the ADMIN check.
  absl::StatusOr<v1::AccountUserRecord> Admin(std::string_view token);
  // The user `username` of `office` or NOT_FOUND.
  absl::StatusOr<v1::AccountUserRecord> OfficeUser(std::string_view office,
                                                   std::string_view username);
  // A validated, hashed record of `user` at `office` (no store access).
  absl::StatusOr<v1::AccountUserRecord> NewRecord(std::string_view office,
                                                  const NewUser& user,
                                                  std::string_view created_by);
  // Stores `record` unless its username is taken.
  absl::Status InsertLocked(const v1::AccountUserRecord& record)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CountFailureLocked(std::string_view username, bool user_exists,
                                  std::string_view address)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Throttled(std::string_view username,
                         std::string_view address) const;

  // Const after construction.
  AccountsStore* const store_;
  const time::Clock* const clock_;
  const AccountsOptions options_;

  HashGate hashes_;
  absl::Mutex login_stripes_[kLoginStripes];
  absl::Mutex mu_;  // every read-modify-write of the store
};

// True when the office's users (other than `except`) include an enabled
// ADMIN.
bool HasEnabledAdmin(const std::vector<v1::AccountUserRecord>& users,
                     std::string_view except = "");

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_H_
