// Time and deadline helpers of internal.h.

#include <cstdint>

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle::internal {

std::string FormatChinaTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", t, time::ChinaTimeZone());
}

absl::StatusOr<absl::Time> DueAfterDays(const time::Calendar& calendar,
                                        absl::Time start, int days) {
  absl::StatusOr<absl::CivilDay> last =
      calendar.AddCalendarDays(time::ChinaDay(start), days);
  if (!last.ok()) return last.status();
  return time::EndOf(*last);
}

absl::StatusOr<absl::Time> DueAfterWorkingDays(const time::Calendar& calendar,
                                               absl::Time start, int days) {
  absl::StatusOr<absl::CivilDay> last =
      calendar.AddWorkingDays(time::ChinaDay(start), days);
  if (!last.ok()) return last.status();
  return time::EndOf(*last);
}

const v1::RunningDeadline* FindDeadline(const v1::CaseView& view,
                                        v1::DeadlineKind kind) {
  for (const v1::RunningDeadline& d : view.deadlines()) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

v1::RunningDeadline* FindDeadline(v1::CaseView& view, v1::DeadlineKind kind) {
  for (v1::RunningDeadline& d : *view.mutable_deadlines()) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

void StartDeadline(v1::CaseView& view, v1::DeadlineKind kind,
                   absl::string_view office_code, absl::Time started,
                   absl::Time due) {
  EndDeadline(view, kind);
  v1::RunningDeadline* d = view.add_deadlines();
  d->set_kind(kind);
  d->set_office_code(std::string(office_code));
  *d->mutable_started_at() = ToProto(started);
  *d->mutable_due_at() = ToProto(due);
}

void EndDeadline(v1::CaseView& view, v1::DeadlineKind kind) {
  auto* deadlines = view.mutable_deadlines();
  for (int i = deadlines->size() - 1; i >= 0; --i) {
    if (deadlines->Get(i).kind() == kind) deadlines->DeleteSubrange(i, 1);
  }
}

void EndLifecycleDeadlines(v1::CaseView& view) {
  auto* deadlines = view.mutable_deadlines();
  for (int i = deadlines->size() - 1; i >= 0; --i) {
    if (deadlines->Get(i).kind() != v1::DEADLINE_KIND_SUPERVISION_REPLY) {
      deadlines->DeleteSubrange(i, 1);
    }
  }
}

const v1::RunningDeadline* FindSupervisionReply(
    const v1::CaseView& view, absl::string_view supervision_id) {
  for (const v1::RunningDeadline& d : view.deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY &&
        d.supervision_id() == supervision_id) {
      return &d;
    }
  }
  return nullptr;
}

const v1::RunningDeadline* SupervisionReplyToAnswer(
    const v1::CaseView& view, absl::string_view supervision_id,
    absl::string_view actor) {
  if (!supervision_id.empty())
    return FindSupervisionReply(view, supervision_id);
  const v1::RunningDeadline* oldest = nullptr;
  const v1::RunningDeadline* oldest_of_actor = nullptr;
  auto older = [](const v1::RunningDeadline* best,
                  const v1::RunningDeadline& d) {
    return best == nullptr ||
           FromProto(d.started_at()) < FromProto(best->started_at());
  };
  for (const v1::RunningDeadline& d : view.deadlines()) {
    if (d.kind() != v1::DEADLINE_KIND_SUPERVISION_REPLY) continue;
    if (older(oldest, d)) oldest = &d;
    if (d.office_code() == actor && older(oldest_of_actor, d)) {
      oldest_of_actor = &d;
    }
  }
  return oldest_of_actor != nullptr ? oldest_of_actor : oldest;
}

}  // namespace caserelay::lifecycle::internal
