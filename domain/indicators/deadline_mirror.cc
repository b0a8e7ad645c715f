#include "domain/indicators/deadline_mirror.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"

namespace caserelay::indicators {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::RunningDeadline;

std::string KindName(caserelay::v1::DeadlineKind kind) {
  std::string name = caserelay::v1::DeadlineKind_Name(kind);
  constexpr absl::string_view kPrefix = "DEADLINE_KIND_";
  if (!absl::StartsWith(name, kPrefix)) return absl::StrCat(kind);
  return absl::AsciiStrToLower(name.substr(kPrefix.size()));
}

// Sets `d` running as `l` says: ARMED with a timer, or PAUSED without.
void Run(const RunningDeadline& l, Deadline& d, TimerChanges& changes) {
  d.set_office_code(l.office_code());
  if (!l.supervision_id().empty()) d.set_supervision_id(l.supervision_id());
  if (!d.has_due_at() ||
      time::FromProto(d.due_at()) != time::FromProto(l.due_at())) {
    d.set_warned(false);  // a new due owes a new warning
  }
  *d.mutable_due_at() = l.due_at();
  d.clear_ended_at();
  if (l.has_paused_at()) {
    d.set_state(caserelay::v1::DEADLINE_STATE_PAUSED);
    *d.mutable_paused_at() = l.paused_at();
  } else {
    d.set_state(caserelay::v1::DEADLINE_STATE_ARMED);
    d.clear_paused_at();
    changes.arm.push_back({time::FromProto(l.due_at()), d.deadline_id()});
  }
}

}  // namespace

std::string DeadlineId(std::string_view case_id,
                       caserelay::v1::DeadlineKind kind,
                       absl::Time started_at) {
  return absl::StrCat(std::string(case_id), "/", KindName(kind), "/",
                      absl::ToUnixMicros(started_at));
}

std::string_view CaseOfDeadline(std::string_view deadline_id) {
  return deadline_id.substr(0, deadline_id.find('/'));
}

absl::Status CheckListed(
    const google::protobuf::RepeatedPtrField<RunningDeadline>& listed) {
  for (int i = 0; i < listed.size(); ++i) {
    const RunningDeadline& l = listed[i];
    auto field = [i](absl::string_view name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "case_event.deadlines[", i, "].", name, ": is required"));
    };
    if (l.kind() == caserelay::v1::DEADLINE_KIND_UNSPECIFIED ||
        !caserelay::v1::DeadlineKind_IsValid(l.kind())) {
      return field("kind");
    }
    if (!l.has_started_at()) return field("started_at");
    if (!l.has_due_at()) return field("due_at");
  }
  return absl::OkStatus();
}

TimerChanges Mirror(
    std::string_view case_id,
    const google::protobuf::RepeatedPtrField<RunningDeadline>& listed,
    absl::Time event_time,
    google::protobuf::RepeatedPtrField<Deadline>* known) {
  TimerChanges changes;
  std::set<std::string> seen;
  for (const RunningDeadline& l : listed) {
    std::string id =
        DeadlineId(case_id, l.kind(), time::FromProto(l.started_at()));
    seen.insert(id);
    Deadline* d = nullptr;
    for (Deadline& k : *known) {
      if (k.deadline_id() == id) d = &k;
    }
    if (d == nullptr) {
      d = known->Add();
      d->set_deadline_id(id);
      d->set_case_id(std::string(case_id));
      d->set_kind(l.kind());
      *d->mutable_started_at() = l.started_at();
      Run(l, *d, changes);
      continue;
    }
    switch (d->state()) {
      case caserelay::v1::DEADLINE_STATE_MISSED:
        break;  // reported once; stays missed
      case caserelay::v1::DEADLINE_STATE_ARMED: {
        Timer current{time::FromProto(d->due_at()), id};
        bool moved =
            l.has_paused_at() || time::FromProto(l.due_at()) != current.due;
        if (!moved) {
          d->set_office_code(l.office_code());
          if (!l.supervision_id().empty()) {
            d->set_supervision_id(l.supervision_id());
          }
          break;
        }
        changes.disarm.push_back(current);
        Run(l, *d, changes);
        break;
      }
      default:  // PAUSED, DONE
        Run(l, *d, changes);
        break;
    }
  }
  // Whatever is no longer listed has ended.
  for (Deadline& d : *known) {
    if (seen.count(d.deadline_id()) > 0) continue;
    switch (d.state()) {
      case caserelay::v1::DEADLINE_STATE_ARMED:
        changes.disarm.push_back(
            {time::FromProto(d.due_at()), d.deadline_id()});
        [[fallthrough]];
      case caserelay::v1::DEADLINE_STATE_PAUSED:
        d.set_state(caserelay::v1::DEADLINE_STATE_DONE);
        d.clear_paused_at();
        *d.mutable_ended_at() = time::ToProto(event_time);
        break;
      case caserelay::v1::DEADLINE_STATE_MISSED:
        if (!d.has_ended_at()) {
          *d.mutable_ended_at() = time::ToProto(event_time);
          changes.lights_out.push_back(
              {time::FromProto(d.due_at()), d.deadline_id()});
        }
        break;
      default:
        break;
    }
  }
  return changes;
}

}  // namespace caserelay::indicators
