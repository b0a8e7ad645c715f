#include "services/accounts/accounts_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/timestamp.h"

namespace caserelay::accounts {
namespace {

constexpr char kSep = '\x1f';

template <typename Message>
absl::StatusOr<std::optional<Message>> Parse(
    const absl::StatusOr<std::optional<std::string>>& raw,
    std::string_view what) {
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  Message m;
  if (!m.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat(
        "accounts: a stored ", std::string(what), " record does not parse"));
  }
  return m;
}

// The index key of a failure record forgotten at `at`.
constexpr size_t kEndPrefix = 20 + 1;
std::string EndKey(absl::Time at, std::string_view key) {
  return absl::StrCat(absl::StrFormat("%020d", absl::ToUnixMicros(at)),
                      std::string(1, kSep), std::string(key));
}

std::string IndexKey(std::string_view a, std::string_view b) {
  return absl::StrCat(std::string(a), std::string(1, kSep), std::string(b));
}

}  // namespace

std::vector<std::string> ColumnFamilies() {
  return {kUsers,        kOfficeUsers,   kSessions,
          kUserSessions, kLoginFailures, kLoginFailureEnds};
}

absl::StatusOr<std::optional<v1::AccountUserRecord>> AccountsStore::User(
    std::string_view username) const {
  return Parse<v1::AccountUserRecord>(store_->Get(kUsers, username), "user");
}

absl::StatusOr<std::vector<v1::AccountUserRecord>> AccountsStore::OfficeUsers(
    std::string_view office_code) const {
  std::vector<std::string> names;
  const std::string prefix = IndexKey(office_code, "");
  absl::Status s = store_->ScanPrefix(
      kOfficeUsers, prefix, [&](std::string_view key, std::string_view) {
        names.emplace_back(key.substr(prefix.size()));
        return true;
      });
  if (!s.ok()) return s;
  std::vector<v1::AccountUserRecord> users;
  for (const std::string& name : names) {
    auto user = User(name);
    if (!user.ok()) return user.status();
    if (user->has_value()) users.push_back(**user);
  }
  return users;
}

void AccountsStore::PutUser(store::WriteBatch& batch,
                            const v1::AccountUserRecord& user) const {
  batch.Put(kUsers, user.username(), user.SerializeAsString());
  batch.Put(kOfficeUsers, IndexKey(user.office_code(), user.username()), "");
}

absl::StatusOr<std::optional<v1::AccountSessionRecord>> AccountsStore::Session(
    std::string_view digest) const {
  return Parse<v1::AccountSessionRecord>(store_->Get(kSessions, digest),
                                         "session");
}

void AccountsStore::PutSession(store::WriteBatch& batch,
                               std::string_view digest,
                               const v1::AccountSessionRecord& session) const {
  batch.Put(kSessions, digest, session.SerializeAsString());
  batch.Put(kUserSessions, IndexKey(session.username(), digest), "");
}

void AccountsStore::DeleteSession(store::WriteBatch& batch,
                                  std::string_view digest,
                                  std::string_view username) const {
  batch.Delete(kSessions, digest);
  batch.Delete(kUserSessions, IndexKey(username, digest));
}

absl::StatusOr<std::vector<std::string>> AccountsStore::UserSessions(
    std::string_view username) const {
  std::vector<std::string> digests;
  const std::string prefix = IndexKey(username, "");
  absl::Status s = store_->ScanPrefix(
      kUserSessions, prefix, [&](std::string_view key, std::string_view) {
        digests.emplace_back(key.substr(prefix.size()));
        return true;
      });
  if (!s.ok()) return s;
  return digests;
}

absl::Status AccountsStore::DeleteUserSessions(store::WriteBatch& batch,
                                               std::string_view username,
                                               std::string_view keep) const {
  auto digests = UserSessions(username);
  if (!digests.ok()) return digests.status();
  for (const std::string& digest : *digests) {
    if (!keep.empty() && digest == keep) continue;
    DeleteSession(batch, digest, username);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailureCount>> AccountsStore::Failures(
    const store::WriteBatch& batch, std::string_view key) const {
  auto rec = Parse<v1::LoginFailureRecord>(batch.Get(kLoginFailures, key),
                                           "login failure");
  if (!rec.ok()) return rec.status();
  if (!rec->has_value()) return std::nullopt;
  FailureCount c;
  c.failures = (*rec)->failures();
  c.last_failure = time::FromProto((*rec)->last_failure_at());
  if ((*rec)->has_locked_until()) {
    c.locked_until = time::FromProto((*rec)->locked_until());
  }
  return c;
}

void AccountsStore::PutFailures(store::WriteBatch& batch, std::string_view key,
                                const FailureCount& count, absl::Time forget_at,
                                std::optional<absl::Time> old_forget_at) const {
  if (old_forget_at.has_value()) {
    batch.Delete(kLoginFailureEnds, EndKey(*old_forget_at, key));
  }
  batch.Put(kLoginFailureEnds, EndKey(forget_at, key), "");
  v1::LoginFailureRecord rec;
  rec.set_failures(count.failures);
  *rec.mutable_last_failure_at() = time::ToProto(count.last_failure);
  if (count.locked_until.has_value()) {
    *rec.mutable_locked_until() = time::ToProto(*count.locked_until);
  }
  batch.Put(kLoginFailures, key, rec.SerializeAsString());
}

void AccountsStore::DeleteFailures(store::WriteBatch& batch,
                                   std::string_view key,
                                   std::optional<absl::Time> forget_at) const {
  batch.Delete(kLoginFailures, key);
  if (forget_at.has_value()) {
    batch.Delete(kLoginFailureEnds, EndKey(*forget_at, key));
  }
}

absl::Status AccountsStore::SweepFailures(
    store::WriteBatch& batch, absl::Time now, int limit,
    const std::function<absl::Time(std::string_view, const FailureCount&)>&
        forgotten_at) const {
  std::vector<std::string> due;
  // Entries due at `now` too: their keys are longer than the bound.
  const std::string end = EndKey(now + absl::Microseconds(1), "");
  absl::Status s = store_->Scan(kLoginFailureEnds, "", end,
                                [&](std::string_view k, std::string_view) {
                                  due.emplace_back(k);
                                  return static_cast<int>(due.size()) < limit;
                                });
  if (!s.ok()) return s;
  for (const std::string& entry : due) {
    batch.Delete(kLoginFailureEnds, entry);
    const std::string key = entry.substr(kEndPrefix);
    auto count = Failures(batch, key);
    if (!count.ok()) return count.status();
    if (count->has_value() && forgotten_at(key, **count) <= now) {
      batch.Delete(kLoginFailures, key);
    }
  }
  return absl::OkStatus();
}

absl::Status AccountsStore::Commit(store::WriteBatch& batch) const {
  auto committed = store_->Commit(batch);
  return committed.ok() ? absl::OkStatus() : committed.status();
}

}  // namespace caserelay::accounts
