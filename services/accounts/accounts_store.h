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
//    LoginFailureRecord;
//  - "login-failure-ends": when a failure record is forgotten (20 digits
//    of µs since the epoch), 0x1f, its key -> "", so forgotten records are
//    swept a few at a time without scanning them all.
//
// Reads see committed state; writes go into a store::WriteBatch the caller
// commits (so one operation is one atomic batch).
//
// Thread safety: thread-safe (the store is); a WriteBatch is not.

#ifndef CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_
#define CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_

#include <functional>
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
inline constexpr char kLoginFailureEnds[] = "login-failure-ends";

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
  // Writes `count` of `key`, forgotten at `forget_at`; `old_forget_at` is
  // when the record it replaces was to be forgotten (its index entry).
  void PutFailures(store::WriteBatch& batch, std::string_view key,
                   const FailureCount& count, absl::Time forget_at,
                   std::optional<absl::Time> old_forget_at) const;
  void DeleteFailures(store::WriteBatch& batch, std::string_view key,
                      std::optional<absl::Time> forget_at) const;
  // Deletes up to `limit` index entries due by `now`, and each one's
  // record if `forgotten_at(key, record)` has passed too (a record written
  // again since keeps its newer entry). UNAVAILABLE or DATA_LOSS as User()
  // (then `batch` may hold part of the sweep; nothing is lost by
  // committing it).
  absl::Status SweepFailures(
      store::WriteBatch& batch, absl::Time now, int limit,
      const std::function<absl::Time(std::string_view, const FailureCount&)>&
          forgotten_at) const;

  // Commits `batch`. UNAVAILABLE if the store fails (nothing written).
  absl::Status Commit(store::WriteBatch& batch) const;

 private:
  store::Store* const store_;
};

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_STORE_H_
