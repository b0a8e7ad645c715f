#include "services/accounts/user_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "common/text/utf8.h"

namespace caserelay::accounts {

absl::Status CheckUsername(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 32 &&
            absl::ascii_islower(static_cast<unsigned char>(username[0]));
  for (char c : username) {
    const auto u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '.' &&
        c != '_' && c != '-') {
      ok = false;
    }
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "用户名须为3至32位小写字母、数字、点、下划线或连字符，以字母开头");
}

absl::Status CheckDisplayName(std::string_view name) {
  if (!text::IsValidUtf8(name)) {
    return absl::InvalidArgumentError("姓名含有无效字符");
  }
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError("姓名含有无效字符");
    }
  }
  const size_t chars = text::CountCodePoints(name);
  if (chars < 1 || chars > 32 || name.front() == ' ' || name.back() == ' ') {
    return absl::InvalidArgumentError("姓名须为1至32个字符");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::StaffRole>> NormalizeRoles(
    const std::vector<int>& roles) {
  if (roles.empty()) return absl::InvalidArgumentError("至少选择一个角色");
  std::vector<v1::StaffRole> out;
  for (int r : roles) {
    if (r == v1::STAFF_ROLE_UNSPECIFIED || !v1::StaffRole_IsValid(r)) {
      return absl::InvalidArgumentError("角色不正确");
    }
    out.push_back(static_cast<v1::StaffRole>(r));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool HasRole(const google::protobuf::RepeatedField<int>& roles,
             v1::StaffRole role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace caserelay::accounts
