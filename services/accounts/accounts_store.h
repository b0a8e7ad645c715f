// accounts' records in its RocksDB store (the schema), and nothing else:
// no rule lives here.
//
// Column families:
//  - "users": username -> AccountUserRecord;
//  - "office-users": office code, 0x1f, username -> "" (an office's users);
//  - "sessions": SHA-256 of the token (32 bytes) -> AccountSessionRecord;
//  - "user-sessions": username, 0x1f, token digest -> "" (a user's
//    sessions, to end them all at once);
//  - "login-failures": "user:<username>" or "address:<address key>" ->
//    LoginFailureRecord.
//
// Reads see committed state; writes go into a store::WriteBatch the caller
// commits (so one operation is one atomic batch).
//
// Thread safety: thread-safe (the store is); a WriteBatch is not.

#ifndef CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_
#define CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "services/accounts/login_limits.h"

namespace caserelay::accounts {

inline constexpr char kUsers[] = "users";
inline constexpr char kOfficeUsers[] = "office-users";
inline constexpr char kSessions[] = "sessions";
inline constexpr char kUserSessions[] = "user-sessions";
inline constexpr char kLoginFailures[] = "login-failures";

// The families above, for service::ServiceDefinition::column_families.
std::vector<std::string> ColumnFamilies();

class AccountsStore {
 public:
  // `store` (opened with ColumnFamilies()) is not owned and outlives this.
  explicit AccountsStore(store::Store* store) : store_(store) {}

  store::Store* store() const { return store_; }

  // The user `username`: nullopt if none; UNAVAILABLE if the store fails;
  // DATA_LOSS if the record does not parse.
  absl::StatusOr<std::optional<v1::AccountUserRecord>> User(
      std::string_view username) const;

  // The users of `office_code`, by username. Errors as User().
  absl::StatusOr<std::vector<v1::AccountUserRecord>> OfficeUsers(
      std::string_view office_code) const;

  // Writes `user` (and its office index). REQUIRES: a user never changes
  // office (accounts has no such operation).
  void PutUser(store::WriteBatch& batch,
               const v1::AccountUserRecord& user) const;

  // The session of a token digest: nullopt if none. Errors as User().
  absl::StatusOr<std::optional<v1::AccountSessionRecord>> Session(
      std::string_view digest) const;

  void PutSession(store::WriteBatch& batch, std::string_view digest,
                  const v1::AccountSessionRecord& session) const;
  void DeleteSession(store::WriteBatch& batch, std::string_view digest,
                     std::string_view username) const;

  // The digests of `username`'s sessions. UNAVAILABLE if the store fails.
  absl::StatusOr<std::vector<std::string>> UserSessions(
      std::string_view username) const;

  // Deletes every session of `username` but `keep` (a digest; empty: none
  // kept). Errors as UserSessions (nothing added to `batch` then).
  absl::Status DeleteUserSessions(store::WriteBatch& batch,
                                  std::string_view username,
                                  std::string_view keep = "") const;

  // The failures of a throttle key ("user:..." / "address:..."), read
  // through `batch` (so a batch counting the username and the address sees
  // its own writes). Errors as User().
  absl::StatusOr<std::optional<FailureCount>> Failures(
      const store::WriteBatch& batch, std::string_view key) const;
  void PutFailures(store::WriteBatch& batch, std::string_view key,
                   const FailureCount& count) const;
  void DeleteFailures(store::WriteBatch& batch, std::string_view key) const;

  // Commits `batch`. UNAVAILABLE if the store fails (nothing written).
  absl::Status Commit(store::WriteBatch& batch) const;

 private:
  store::Store* const store_;
};

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_
