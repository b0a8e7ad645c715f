#include "domain/reception/reception.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/petition/matter_bounds.h"

namespace caserelay::reception {
namespace {

namespace v1 = caserelay::v1;

absl::Status Required(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": 请填写", what));
}

absl::Status VisitRefused(absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("reception_id: ", why, "（", kRuleVisit, "）"));
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field,
                                        absl::string_view text) {
  absl::CivilDay day;
  // Exactly "YYYY-MM-DD": absl also takes other spellings of a day.
  bool shape = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shape && i < text.size(); ++i) {
    if (i != 4 && i != 7 && !absl::ascii_isdigit(text[i])) shape = false;
  }
  if (!shape || !absl::ParseCivilTime(text, &day) || FormatDay(day) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": 请按 年-月-日 填写日期，例如 2026-03-04"));
  }
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(),
                         day.day());
}

absl::Status ValidatePublish(const v1::PublishReceptionRequest& req,
                             absl::CivilDay today,
                             const ReceptionBounds& bounds) {
  if (req.leader_name().empty()) return Required("leader_name", "接访领导的姓名");
  if (absl::Status s = petition::CheckChars("leader_name", req.leader_name(),
                                            bounds.max_leader_chars);
      !s.ok()) {
    return s;
  }
  if (req.leader_title().empty()) {
    return Required("leader_title", "接访领导的职务，例如 县长");
  }
  if (absl::Status s = petition::CheckChars("leader_title", req.leader_title(),
                                            bounds.max_title_chars);
      !s.ok()) {
    return s;
  }
  if (req.kind() == v1::RECEPTION_KIND_UNSPECIFIED ||
      !v1::ReceptionKind_IsValid(req.kind())) {
    return absl::InvalidArgumentError(
        "kind: 请选择接访方式：领导接访日、下访或带案下访");
  }
  if (req.day().empty()) return Required("day", "接访日期");
  absl::StatusOr<absl::CivilDay> day = ParseDay("day", req.day());
  if (!day.ok()) return day.status();
  if (*day < today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "day: 接访日期不能早于今天（", FormatDay(today), "）"));
  }
  if (*day > today + bounds.max_days_ahead) {
    return absl::InvalidArgumentError(absl::StrCat(
        "day: 只能安排 ", bounds.max_days_ahead, " 天以内的接访"));
  }
  if (req.place().empty()) return Required("place", "接访地点");
  if (absl::Status s = petition::CheckChars("place", req.place(),
                                            bounds.max_place_chars);
      !s.ok()) {
    return s;
  }
  return petition::CheckChars("topic", req.topic(), bounds.max_topic_chars);
}

absl::Status CheckCancel(const v1::Reception& reception, absl::CivilDay today) {
  if (reception.cancelled()) {
    return absl::FailedPreconditionError(
        absl::StrCat("reception_id: 该接访安排已经取消（", kRuleCancel, "）"));
  }
  absl::StatusOr<absl::CivilDay> day = ParseDay("day", reception.day());
  if (!day.ok()) return day.status();
  if (today >= *day) {
    return absl::FailedPreconditionError(absl::StrCat(
        "reception_id: 接访当天及以后不能取消（", kRuleCancel, "）"));
  }
  return absl::OkStatus();
}

absl::Status CheckVisit(const v1::Reception& reception,
                        absl::string_view office, v1::Channel channel,
                        absl::CivilDay today) {
  if (reception.cancelled()) return VisitRefused("该接访安排已经取消");
  if (reception.office_code() != office) {
    return VisitRefused("这是其他单位的接访安排，只能由举办接访的单位登记");
  }
  absl::StatusOr<absl::CivilDay> day = ParseDay("day", reception.day());
  if (!day.ok()) return day.status();
  if (*day != today) {
    return VisitRefused(absl::StrCat("该接访安排在 ", reception.day(),
                                     "，只能在接访当天登记来访"));
  }
  if (channel != v1::CHANNEL_VISIT) {
    return VisitRefused("只有走访（来访）才能登记在领导接访中");
  }
  return absl::OkStatus();
}

v1::ReceptionRef RefOf(const v1::Reception& reception) {
  v1::ReceptionRef ref;
  ref.set_reception_id(reception.reception_id());
  ref.set_office_code(reception.office_code());
  ref.set_leader_name(reception.leader_name());
  ref.set_leader_title(reception.leader_title());
  ref.set_kind(reception.kind());
  absl::StatusOr<absl::CivilDay> day = ParseDay("day", reception.day());
  if (day.ok()) *ref.mutable_day() = time::ToProto(time::StartOf(*day));
  return ref;
}

std::string ReceptionId(absl::CivilDay published, uint64_t seq) {
  return absl::StrFormat("JF%04d%02d%02d-%04d", published.year(),
                         published.month(), published.day(), seq);
}

bool MayBeReceptionId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace caserelay::reception
