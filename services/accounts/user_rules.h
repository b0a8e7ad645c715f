// What a user of the console must look like (用户规则), pure: the login
// name, the person's name on the record, and the roles. The messages are
// for the office's administrator, in Chinese.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_ACCOUNTS_USER_RULES_H_
#define CASERELAY_SERVICES_ACCOUNTS_USER_RULES_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/case.pb.h"

namespace caserelay::accounts {

// A username is the ASCII login name: 3 to 32 of [a-z0-9._-], starting
// with a letter (so it is also a person label of common/rpc/principal.h
// and a safe key). INVALID_ARGUMENT "用户名须为3至32位小写字母、数字、点、
// 下划线或连字符，以字母开头" otherwise.
absl::Status CheckUsername(std::string_view username);

// The person's name as the record shows it: 1 to 32 characters of valid
// UTF-8 without control characters, not blank at either end.
// INVALID_ARGUMENT "姓名须为1至32个字符" / "姓名含有无效字符" otherwise.
absl::Status CheckDisplayName(std::string_view display_name);

// The roles, sorted and without duplicates: at least one (INVALID_ARGUMENT
// "至少选择一个角色"), each a StaffRole other than UNSPECIFIED
// (INVALID_ARGUMENT "角色不正确").
absl::StatusOr<std::vector<v1::StaffRole>> NormalizeRoles(
    const std::vector<int>& roles);

// True when `roles` holds `role`.
bool HasRole(const google::protobuf::RepeatedField<int>& roles,
             v1::StaffRole role);

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_USER_RULES_H_
