// Accounts: an office administrator's operations and the bootstrap of the
// first administrator (用户管理).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "services/accounts/accounts.h"
#include "services/accounts/user_rules.h"

namespace caserelay::accounts {

bool HasEnabledAdmin(const std::vector<v1::AccountUserRecord>& users,
                     std::string_view except) {
  return std::any_of(users.begin(), users.end(), [&](const auto& u) {
    return u.username() != except && !u.disabled() &&
           HasRole(u.roles(), v1::STAFF_ROLE_ADMIN);
  });
}

absl::StatusOr<v1::AccountUserRecord> Accounts::Admin(std::string_view token) {
  auto actor = Authenticate(token);
  if (!actor.ok()) return actor.status();
  if (!HasRole(actor->roles(), v1::STAFF_ROLE_ADMIN)) {
    return absl::PermissionDeniedError("仅本单位管理员可以管理用户");
  }
  return actor;
}

absl::StatusOr<v1::AccountUserRecord> Accounts::OfficeUser(
    std::string_view office, std::string_view username) {
  auto user = store_->User(username);
  if (!user.ok()) return user.status();
  // Another office's user is as unknown as one that does not exist.
  if (!user->has_value() || (*user)->office_code() != office) {
    return absl::NotFoundError("用户不存在");
  }
  return **user;
}

absl::StatusOr<v1::AccountUserRecord> Accounts::NewRecord(
    std::string_view office, const NewUser& user, std::string_view created_by) {
  if (absl::Status s = CheckUsername(user.username); !s.ok()) return s;
  if (absl::Status s = CheckDisplayName(user.display_name); !s.ok()) return s;
  auto roles = NormalizeRoles(user.roles);
  if (!roles.ok()) return roles.status();
  if (absl::Status s = CheckPasswordPolicy(user.username, user.password);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> hash;
  {
    HashGate::Slot slot(&hashes_);
    hash = HashPassword(user.password, options_.hash_cost);
  }
  if (!hash.ok()) return hash.status();
  const absl::Time now = clock_->Now();
  v1::AccountUserRecord record;
  record.set_username(user.username);
  record.set_display_name(user.display_name);
  record.set_office_code(std::string(office));
  for (v1::StaffRole r : *roles) record.add_roles(r);
  record.set_password_hash(*hash);
  *record.mutable_created_at() = time::ToProto(now);
  *record.mutable_updated_at() = time::ToProto(now);
  record.set_created_by(std::string(created_by));
  return record;
}

absl::Status Accounts::InsertLocked(const v1::AccountUserRecord& record) {
  auto existing = store_->User(record.username());
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError("用户名已被使用");
  }
  store::WriteBatch batch(store_->store());
  store_->PutUser(batch, record);
  return store_->Commit(batch);
}

absl::StatusOr<std::vector<v1::AccountUserRecord>> Accounts::ListUsers(
    std::string_view token) {
  auto actor = Admin(token);
  if (!actor.ok()) return actor.status();
  return store_->OfficeUsers(actor->office_code());
}

absl::StatusOr<v1::AccountUserRecord> Accounts::CreateUser(
    std::string_view token, const NewUser& user) {
  auto actor = Admin(token);
  if (!actor.ok()) return actor.status();
  auto record = NewRecord(actor->office_code(), user, actor->username());
  if (!record.ok()) return record.status();
  absl::MutexLock lock(&mu_);
  if (absl::Status s = InsertLocked(*record); !s.ok()) return s;
  return record;
}

absl::StatusOr<v1::AccountUserRecord> Accounts::UpdateUser(
    std::string_view token, std::string_view username,
    const std::vector<int>& roles, bool disabled) {
  auto actor = Admin(token);
  if (!actor.ok()) return actor.status();
  auto normalized = NormalizeRoles(roles);
  if (!normalized.ok()) return normalized.status();
  absl::MutexLock lock(&mu_);
  auto user = OfficeUser(actor->office_code(), username);
  if (!user.ok()) return user.status();
  v1::AccountUserRecord record = *std::move(user);
  record.clear_roles();
  for (v1::StaffRole r : *normalized) record.add_roles(r);
  record.set_disabled(disabled);
  *record.mutable_updated_at() = time::ToProto(clock_->Now());
  if (disabled || !HasRole(record.roles(), v1::STAFF_ROLE_ADMIN)) {
    auto users = store_->OfficeUsers(actor->office_code());
    if (!users.ok()) return users.status();
    if (!HasEnabledAdmin(*users, record.username())) {
      return absl::FailedPreconditionError("本单位至少保留一名启用的管理员");
    }
  }
  store::WriteBatch batch(store_->store());
  store_->PutUser(batch, record);
  if (disabled) {
    if (absl::Status s = store_->DeleteUserSessions(batch, record.username());
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = store_->Commit(batch); !s.ok()) return s;
  return record;
}

absl::Status Accounts::ResetPassword(std::string_view token,
                                     std::string_view username,
                                     std::string_view password) {
  auto actor = Admin(token);
  if (!actor.ok()) return actor.status();
  if (absl::Status s = CheckPasswordPolicy(username, password); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> hash;
  {
    HashGate::Slot slot(&hashes_);
    hash = HashPassword(password, options_.hash_cost);
  }
  if (!hash.ok()) return hash.status();
  absl::MutexLock lock(&mu_);
  auto user = OfficeUser(actor->office_code(), username);
  if (!user.ok()) return user.status();
  v1::AccountUserRecord record = *std::move(user);
  record.set_password_hash(*hash);
  *record.mutable_updated_at() = time::ToProto(clock_->Now());
  store::WriteBatch batch(store_->store());
  store_->PutUser(batch, record);
  if (absl::Status s = store_->DeleteUserSessions(batch, record.username());
      !s.ok()) {
    return s;
  }
  return store_->Commit(batch);
}

absl::StatusOr<v1::AccountUserRecord> Accounts::BootstrapAdmin(
    std::string_view office_code, const NewUser& user) {
  NewUser admin = user;
  admin.roles = {v1::STAFF_ROLE_ADMIN};
  auto record =
      NewRecord(office_code, admin,
                absl::StrCat("bootstrap by ", std::string(office_code)));
  if (!record.ok()) return record.status();
  absl::MutexLock lock(&mu_);
  auto users = store_->OfficeUsers(office_code);
  if (!users.ok()) return users.status();
  if (HasEnabledAdmin(*users)) {
    return absl::FailedPreconditionError("该单位已有启用的管理员");
  }
  if (absl::Status s = InsertLocked(*record); !s.ok()) return s;
  return record;
}

}  // namespace caserelay::accounts
