#include "tests/unit/domain/lifecycle/case_builder.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/transitions.h"

namespace caserelay::lifecycle::testing {

const time::Calendar& RealCalendar() {
  static const time::Calendar* const kCalendar = [] {
    absl::StatusOr<time::Calendar> loaded =
        time::Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays");
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load data/holidays: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new time::Calendar(*std::move(loaded));
  }();
  return *kCalendar;
}

absl::Time China(int y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         time::ChinaTimeZone());
}

v1::PetitionReceived Petition(absl::Time received) {
  v1::PetitionReceived p;
  p.set_case_number("QY-2026-000001");
  p.mutable_petitioner()->set_id("PQY-2026-000001");
  p.set_identity_key("k1");
  v1::Matter& m = *p.mutable_matter();
  m.set_region_code("140431");
  m.set_category("labour");
  m.set_matter_class(v1::MATTER_CLASS_CLAIM);
  m.set_channel(v1::CHANNEL_ONLINE);
  m.set_title("拖欠工资");
  m.set_text("某公司拖欠工资三个月");
  const int64_t seconds = absl::ToUnixSeconds(received);
  p.mutable_received_at()->set_seconds(seconds);
  p.mutable_received_at()->set_nanos(static_cast<int32_t>(
      (received - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return p;
}

v1::RouteDecision Decision(v1::Disposition disposition) {
  v1::RouteDecision d;
  d.set_disposition(disposition);
  d.set_registering_office_code(kCountyBureau);
  d.set_registering_office_name("沁源县信访局");
  d.add_rules("territorial-tiered");
  if (disposition != v1::DISPOSITION_TRIAGE) {
    d.set_target_office_code(kCountyHrss);
    d.set_target_office_name("沁源县人力资源和社会保障局");
  }
  if (disposition == v1::DISPOSITION_NOT_ACCEPTED) {
    d.set_route("向劳动人事争议仲裁委员会申请仲裁");
  }
  if (disposition == v1::DISPOSITION_LINKED_REPEAT) {
    d.set_linked_case_id("QY-2026-000000");
  }
  return d;
}

Command ValidCommand(v1::CaseAction action, std::string actor, absl::Time now) {
  Command cmd;
  cmd.action = action;
  cmd.actor_office_code = std::move(actor);
  cmd.operator_name = "王科员";
  cmd.reason = "依规定办理";
  cmd.outcome = v1::OUTCOME_SUPPORT;
  cmd.satisfaction = v1::SATISFACTION_SATISFIED;
  cmd.days = 10;
  cmd.route = "向劳动人事争议仲裁委员会申请仲裁";
  cmd.service_method = v1::SERVICE_METHOD_POST;
  cmd.received_at = now;
  cmd.recommendation_kind = v1::RECOMMENDATION_KIND_IMPROVEMENT;
  cmd.leader_name = "张某某";
  cmd.leader_title = "副县长";
  cmd.follow_up_method = v1::FOLLOW_UP_METHOD_PHONE;
  cmd.follow_up_view = v1::FOLLOW_UP_VIEW_AGREE;
  if (action == v1::CASE_ACTION_CORRECT) {
    // 更正登记: the matter was housing, not labour; routing's decision on
    // it names the county 住建局.
    Command::Correction c{Petition(now).matter(),
                          Decision(v1::DISPOSITION_TRANSFER)};
    c.matter.set_category("housing");
    c.decision.set_target_office_code(kCountyHousing);
    c.decision.set_target_office_name("沁源县住房和城乡建设局");
    cmd.correction = std::move(c);
  }
  cmd.now = now;
  return cmd;
}

CaseBuilder::CaseBuilder(Policy policy)
    : lifecycle_(
          std::make_unique<Lifecycle>(policy, &RealCalendar(), &offices_)) {}

absl::StatusOr<Built> CaseBuilder::Then(absl::StatusOr<Built> built,
                                        v1::CaseAction action,
                                        const std::string& actor) const {
  if (!built.ok()) return built;
  const absl::Time now = built->last + absl::Hours(1);
  absl::StatusOr<v1::CaseEvent> event =
      lifecycle_->Apply(ValidCommand(action, actor, now), built->record);
  if (!event.ok()) {
    return absl::Status(event.status().code(),
                        absl::StrCat("building: ", ActionName(action), ": ",
                                     event.status().message()));
  }
  built->last = now;
  return built;
}

absl::StatusOr<Built> CaseBuilder::InState(v1::CaseState state,
                                           absl::Time start,
                                           BuildOptions options) const {
  const bool assign = options.path == Path::kAssign;
  auto registered = [&](v1::Disposition disposition) -> absl::StatusOr<Built> {
    Built built;
    built.record.set_first_time(options.first_time);
    built.last = start;
    absl::StatusOr<v1::CaseEvent> event = lifecycle_->Register(
        Petition(start), Decision(disposition), start, built.record);
    if (!event.ok()) return event.status();
    return built;
  };
  switch (state) {
    case v1::CASE_STATE_RECEIVED: {
      Built built;
      built.record.mutable_view()->set_state(v1::CASE_STATE_RECEIVED);
      built.last = start;
      return built;
    }
    case v1::CASE_STATE_REGISTERED:
      return registered(options.disposition);
    case v1::CASE_STATE_NOT_ACCEPTED:
      return registered(v1::DISPOSITION_NOT_ACCEPTED);
    case v1::CASE_STATE_LINKED:
      return registered(v1::DISPOSITION_LINKED_REPEAT);
    case v1::CASE_STATE_TRANSFERRED:
      return Then(InState(v1::CASE_STATE_REGISTERED, start, options),
                  v1::CASE_ACTION_TRANSFER, kCountyBureau);
    case v1::CASE_STATE_ASSIGNED:
      return Then(InState(v1::CASE_STATE_REGISTERED, start, options),
                  v1::CASE_ACTION_ASSIGN, kCountyBureau);
    case v1::CASE_STATE_ACCEPTED:
      return Then(
          InState(assign ? v1::CASE_STATE_ASSIGNED : v1::CASE_STATE_TRANSFERRED,
                  start, options),
          v1::CASE_ACTION_ACCEPT, kCountyHrss);
    case v1::CASE_STATE_EXTENDED:
      return Then(InState(v1::CASE_STATE_ACCEPTED, start, options),
                  v1::CASE_ACTION_EXTEND, kCountyHrss);
    case v1::CASE_STATE_REPLIED: {
      absl::StatusOr<Built> replied =
          Then(InState(v1::CASE_STATE_ACCEPTED, start, options),
               v1::CASE_ACTION_REPLY, kCountyHrss);
      if (!options.served) return replied;
      return Then(std::move(replied), v1::CASE_ACTION_SERVE, kCountyHrss);
    }
    case v1::CASE_STATE_EVALUATED:
      return Then(InState(v1::CASE_STATE_REPLIED, start, options),
                  v1::CASE_ACTION_EVALUATE, kCountyHrss);
    case v1::CASE_STATE_REVIEW_REQUESTED:
      return Then(InState(v1::CASE_STATE_REPLIED, start, options),
                  v1::CASE_ACTION_REQUEST_REVIEW, kCityHrss);
    case v1::CASE_STATE_REVIEWED: {
      absl::StatusOr<Built> reviewed =
          Then(InState(v1::CASE_STATE_REVIEW_REQUESTED, start, options),
               v1::CASE_ACTION_DECIDE_REVIEW, kCityHrss);
      if (!options.served) return reviewed;
      return Then(std::move(reviewed), v1::CASE_ACTION_SERVE, kCityHrss);
    }
    case v1::CASE_STATE_REREVIEW_REQUESTED:
      return Then(InState(v1::CASE_STATE_REVIEWED, start, options),
                  v1::CASE_ACTION_REQUEST_REREVIEW, kProvinceHrss);
    case v1::CASE_STATE_HEARING:
      return Then(InState(v1::CASE_STATE_REREVIEW_REQUESTED, start, options),
                  v1::CASE_ACTION_START_HEARING, kProvinceHrss);
    case v1::CASE_STATE_TERMINATED:
      return Then(InState(v1::CASE_STATE_REREVIEW_REQUESTED, start, options),
                  v1::CASE_ACTION_DECIDE_REREVIEW, kProvinceHrss);
    case v1::CASE_STATE_CLOSED: {
      absl::StatusOr<Built> terminated =
          InState(v1::CASE_STATE_TERMINATED, start, options);
      if (assign) {
        terminated = Then(std::move(terminated), v1::CASE_ACTION_REPORT_RESULT,
                          kCountyHrss);
      }
      return Then(std::move(terminated), v1::CASE_ACTION_CLOSE, kProvinceHrss);
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("CaseBuilder: no way to state ", StateName(state)));
  }
}

}  // namespace caserelay::lifecycle::testing
