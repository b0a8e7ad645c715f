#include "domain/petition/group_petition.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace caserelay::petition {

absl::Status CheckGroup(int representatives, int head_count,
                        const GroupBounds& bounds) {
  if (representatives > kMaxRepresentatives) {
    return absl::InvalidArgumentError(absl::StrCat(
        "co_representatives: 代表人数不超过", kMaxRepresentatives,
        "人（《信访工作条例》第十八条），收到 ", representatives, " 人"));
  }
  if (head_count < 0) {
    return absl::InvalidArgumentError("head_count: 人数不能为负数");
  }
  if (head_count == 0) return absl::OkStatus();
  if (head_count < representatives) {
    return absl::InvalidArgumentError(
        absl::StrCat("head_count: 人数不能少于代表人数 ", representatives,
                     " 人，收到 ", head_count, " 人"));
  }
  if (head_count > bounds.max_head_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "head_count: 人数最多 ", bounds.max_head_count, " 人，收到 ",
        head_count, " 人；请核对"));
  }
  return absl::OkStatus();
}

int EffectiveHeadCount(int head_count, int representatives) {
  if (head_count > 0) return head_count;
  return std::max(1, representatives);
}

bool AlertsBureau(int head_count, int alert_head_count) {
  return head_count >= alert_head_count;
}

}  // namespace caserelay::petition
