// Accounts: signing in, sessions and a user's own password. The office
// administrator's operations are in user_admin.cc.
#include "services/accounts/accounts.h"

#include <functional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"

namespace caserelay::accounts {
namespace {

std::string UserKey(std::string_view username) {
  return absl::StrCat("user:", std::string(username));
}
std::string AddressKey(std::string_view address) {
  return absl::StrCat("address:", std::string(address));
}

absl::Status SessionEnded() {
  return absl::UnauthenticatedError(kSessionEnded);
}

}  // namespace

Accounts::Accounts(AccountsStore* store, const time::Clock* clock,
                   AccountsOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      hashes_(options.max_parallel_hashes) {}

absl::Status Accounts::Throttled(std::string_view username,
                                 std::string_view address) const {
  const absl::Time now = clock_->Now();
  store::WriteBatch read(store_->store());
  std::optional<absl::Time> until;
  for (const std::string& key : {UserKey(username), AddressKey(address)}) {
    auto count = store_->Failures(read, key);
    if (!count.ok()) return count.status();
    std::optional<absl::Time> locked = LockedUntil(*count, now);
    if (locked.has_value() && (!until.has_value() || *locked > *until)) {
      until = locked;
    }
  }
  if (!until.has_value()) return absl::OkStatus();
  const int64_t seconds = RetryAfterSeconds(*until, now);
  absl::Status s = absl::ResourceExhaustedError(
      absl::StrCat("登录失败次数过多，请", (seconds + 59) / 60, "分钟后再试"));
  s.SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(seconds)));
  return s;
}

absl::Status Accounts::CountFailureLocked(std::string_view username,
                                          bool user_exists,
                                          std::string_view address) {
  const absl::Time now = clock_->Now();
  store::WriteBatch batch(store_->store());
  // Only existing usernames get a record: made-up names would fill the
  // store, and their failures count against the address anyway.
  std::vector<std::pair<std::string, const LockRule*>> keys = {
      {AddressKey(address), &options_.login.address}};
  if (user_exists) keys.push_back({UserKey(username), &options_.login.user});
  for (const auto& [key, rule] : keys) {
    auto count = store_->Failures(batch, key);
    if (!count.ok()) return count.status();
    const FailureCount next = AfterFailure(*rule, *count, now);
    std::optional<absl::Time> old_end;
    if (count->has_value()) old_end = ForgottenAt(*rule, **count);
    store_->PutFailures(batch, key, next, ForgottenAt(*rule, next), old_end);
  }
  // Forget a few forgotten records, so that made-up addresses do not pile
  // up (a failure is the only way they are made).
  absl::Status swept = store_->SweepFailures(
      batch, now, kFailureSweepBatch,
      [this](std::string_view key, const FailureCount& c) {
        const LockRule& rule = key.substr(0, 5) == "user:"
                                   ? options_.login.user
                                   : options_.login.address;
        return ForgottenAt(rule, c);
      });
  if (!swept.ok()) return swept;
  return store_->Commit(batch);
}

absl::StatusOr<SignedIn> Accounts::Login(std::string_view username,
                                         std::string_view password,
                                         std::string_view address) {
  absl::MutexLock stripe(
      &login_stripes_[std::hash<std::string_view>()(username) % kLoginStripes]);
  if (absl::Status t = Throttled(username, address); !t.ok()) return t;
  auto user = store_->User(username);
  if (!user.ok()) return user.status();
  bool matches = false;
  {
    HashGate::Slot slot(&hashes_);
    if (user->has_value()) {
      matches = VerifyPassword((*user)->password_hash(), password);
    } else {
      VerifyNothing(options_.hash_cost);
    }
  }
  absl::MutexLock lock(&mu_);
  if (!matches) {
    absl::Status counted =
        CountFailureLocked(username, user->has_value(), address);
    if (!counted.ok()) return counted;
    return absl::UnauthenticatedError(kWrongCredentials);
  }
  // Re-read under the lock: an administrator may have changed it.
  user = store_->User(username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return absl::UnauthenticatedError(kWrongCredentials);
  v1::AccountUserRecord record = **user;
  if (record.disabled()) return absl::UnauthenticatedError(kUserDisabled);
  auto token = NewSessionToken();
  if (!token.ok()) return token.status();
  const absl::Time now = clock_->Now();
  const std::string digest = TokenDigest(*token);
  store::WriteBatch batch(store_->store());
  auto failures = store_->Failures(batch, UserKey(username));
  if (!failures.ok()) return failures.status();
  if (failures->has_value()) {
    store_->DeleteFailures(batch, UserKey(username),
                           ForgottenAt(options_.login.user, **failures));
  }
  // Sweep the user's ended sessions, so they do not pile up.
  auto digests = store_->UserSessions(username);
  if (!digests.ok()) return digests.status();
  for (const std::string& old : *digests) {
    auto session = store_->Session(old);
    if (!session.ok()) return session.status();
    if (!session->has_value() ||
        !SessionLive(options_.sessions,
                     {time::FromProto((*session)->created_at()),
                      time::FromProto((*session)->last_seen_at())},
                     now)) {
      store_->DeleteSession(batch, old, username);
    }
  }
  v1::AccountSessionRecord session;
  session.set_username(record.username());
  *session.mutable_created_at() = time::ToProto(now);
  *session.mutable_last_seen_at() = time::ToProto(now);
  store_->PutSession(batch, digest, session);
  *record.mutable_last_login_at() = time::ToProto(now);
  store_->PutUser(batch, record);
  if (absl::Status s = store_->Commit(batch); !s.ok()) return s;
  return SignedIn{*std::move(token), std::move(record),
                  now + options_.sessions.max};
}

absl::StatusOr<std::pair<std::string, v1::AccountUserRecord>>
Accounts::LiveSession(std::string_view token) {
  if (token.empty()) return SessionEnded();
  const std::string digest = TokenDigest(token);
  const absl::Time now = clock_->Now();
  auto session = store_->Session(digest);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return SessionEnded();
  const SessionTimes times{time::FromProto((*session)->created_at()),
                           time::FromProto((*session)->last_seen_at())};
  auto user = store_->User((*session)->username());
  if (!user.ok()) return user.status();
  const bool live = SessionLive(options_.sessions, times, now) &&
                    user->has_value() && !(*user)->disabled();
  if (!live || SessionNeedsTouch(times, now)) {
    absl::MutexLock lock(&mu_);
    // Still there? (A logout or a disable may have won the race.)
    auto again = store_->Session(digest);
    if (!again.ok()) return again.status();
    if (!again->has_value()) return SessionEnded();
    store::WriteBatch batch(store_->store());
    if (live) {
      v1::AccountSessionRecord touched = **again;
      *touched.mutable_last_seen_at() = time::ToProto(now);
      store_->PutSession(batch, digest, touched);
    } else {
      store_->DeleteSession(batch, digest, (*session)->username());
    }
    if (absl::Status s = store_->Commit(batch); !s.ok()) return s;
  }
  if (!live) return SessionEnded();
  return std::make_pair(digest, **user);
}

absl::StatusOr<v1::AccountUserRecord> Accounts::Authenticate(
    std::string_view token) {
  auto live = LiveSession(token);
  if (!live.ok()) return live.status();
  return std::move(live->second);
}

absl::Status Accounts::Logout(std::string_view token) {
  if (token.empty()) return absl::OkStatus();
  const std::string digest = TokenDigest(token);
  absl::MutexLock lock(&mu_);
  auto session = store_->Session(digest);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return absl::OkStatus();
  store::WriteBatch batch(store_->store());
  store_->DeleteSession(batch, digest, (*session)->username());
  return store_->Commit(batch);
}

absl::Status Accounts::ChangePassword(std::string_view token,
                                      std::string_view old_password,
                                      std::string_view new_password,
                                      std::string_view address) {
  auto live = LiveSession(token);
  if (!live.ok()) return live.status();
  const auto& [digest, user] = *live;
  if (absl::Status p = CheckPasswordPolicy(user.username(), new_password);
      !p.ok()) {
    return p;
  }
  // The old password is guessed no faster here than at Login (a session
  // left open must not become a way to learn it).
  absl::MutexLock stripe(
      &login_stripes_[std::hash<std::string_view>()(user.username()) %
                      kLoginStripes]);
  if (absl::Status t = Throttled(user.username(), address); !t.ok()) return t;
  absl::StatusOr<std::string> hash;
  bool matches = false;
  {
    HashGate::Slot slot(&hashes_);
    matches = VerifyPassword(user.password_hash(), old_password);
    if (matches) hash = HashPassword(new_password, options_.hash_cost);
  }
  if (!matches) {
    absl::MutexLock lock(&mu_);
    absl::Status counted = CountFailureLocked(user.username(), true, address);
    if (!counted.ok()) return counted;
    return absl::InvalidArgumentError("原密码不正确");
  }
  if (!hash.ok()) return hash.status();
  absl::MutexLock lock(&mu_);
  auto current = store_->User(user.username());
  if (!current.ok()) return current.status();
  if (!current->has_value()) return SessionEnded();
  v1::AccountUserRecord record = **current;
  record.set_password_hash(*hash);
  *record.mutable_updated_at() = time::ToProto(clock_->Now());
  store::WriteBatch batch(store_->store());
  store_->PutUser(batch, record);
  if (absl::Status s =
          store_->DeleteUserSessions(batch, user.username(), digest);
      !s.ok()) {
    return s;
  }
  return store_->Commit(batch);
}

}  // namespace caserelay::accounts
