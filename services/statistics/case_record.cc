#include "services/statistics/case_record.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/indicators/case_facts.h"
#include "domain/indicators/deadline_mirror.h"
#include "domain/indicators/definitions.h"

namespace caserelay::statistics {
namespace {

const std::string& OrElse(const std::string& code,
                          const std::string& fallback) {
  return code.empty() ? fallback : code;
}

// Records the action of `event` counted under `office` at the event's time.
caserelay::v1::StatisticsAct* AddAct(
    const caserelay::v1::Envelope& event, const std::string& office,
    caserelay::v1::StatisticsCaseRecord* record) {
  caserelay::v1::StatisticsAct* act = record->add_acts();
  act->set_action(event.case_event().action());
  act->set_office_code(office);
  *act->mutable_at() = event.occurred_at();
  return act;
}

}  // namespace

absl::Status UpdateRecord(const caserelay::v1::Envelope& event,
                          caserelay::v1::StatisticsCaseRecord* record) {
  if (!event.has_case_event()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.event_id(), ": not a CaseEvent"));
  }
  const caserelay::v1::CaseEvent& e = event.case_event();
  if (absl::Status s = indicators::CheckListed(e.deadlines()); !s.ok()) {
    return s;
  }
  // Computed on a copy: a refused event leaves the record untouched.
  caserelay::v1::SupervisionCaseFacts facts = record->facts();
  if (absl::Status s = indicators::UpdateFacts(event, &facts); !s.ok()) {
    return s;
  }
  *record->mutable_facts() = std::move(facts);
  const absl::Time event_time = time::FromProto(event.occurred_at());
  for (caserelay::v1::Deadline& d : *record->mutable_deadlines()) {
    if (indicators::FallsDueBy(d, event_time)) {
      d.set_state(caserelay::v1::DEADLINE_STATE_MISSED);
    }
  }
  indicators::Mirror(event.case_id(), e.deadlines(), event_time,
                     record->mutable_deadlines());
  switch (e.action()) {
    case caserelay::v1::CASE_ACTION_REGISTER:
      record->set_channel(e.channel());
      record->set_category(e.category());
      record->set_matter_class(e.matter_class());
      record->set_head_count(e.head_count());
      record->set_at_reception(!e.reception().reception_id().empty());
      break;
    case caserelay::v1::CASE_ACTION_CORRECT:
      record->set_category(e.category());
      record->set_matter_class(e.matter_class());
      AddAct(event, e.actor_office_code(), record);
      break;
    case caserelay::v1::CASE_ACTION_ACCEPT:
      record->set_accepted(true);
      break;
    case caserelay::v1::CASE_ACTION_DECLINE:
      record->set_declined(true);
      break;
    case caserelay::v1::CASE_ACTION_REPLY:
      if (record->outcome() == caserelay::v1::OUTCOME_UNSPECIFIED) {
        record->set_outcome(e.outcome());
      }
      if (e.on_the_spot()) record->set_on_the_spot(true);
      break;
    case caserelay::v1::CASE_ACTION_SUPERVISE: {
      auto* s = record->add_supervisions();
      s->set_level(e.supervision().level());
      s->set_target_office_code(e.supervision().target_office_code());
      *s->mutable_issued_at() = event.occurred_at();
      s->set_source(e.supervision().source());
      break;
    }
    case caserelay::v1::CASE_ACTION_TAKE_CHARGE:
      AddAct(event,
             OrElse(e.leader_in_charge().office_code(), e.actor_office_code()),
             record);
      break;
    case caserelay::v1::CASE_ACTION_RECOMMEND:
      AddAct(event,
             OrElse(e.recommendation().target_office_code(),
                    e.holder_office_code()),
             record)
          ->set_recommendation(e.recommendation().kind());
      break;
    case caserelay::v1::CASE_ACTION_ESCALATE:
      AddAct(event, OrElse(e.holder_office_code(), e.actor_office_code()),
             record);
      break;
    case caserelay::v1::CASE_ACTION_FOLLOW_UP:
      AddAct(event,
             OrElse(e.follow_up().office_code(), e.actor_office_code()),
             record)
          ->set_view(e.follow_up().view());
      break;
    default:
      break;
  }
  record->set_case_id(event.case_id());
  record->set_sequence(event.sequence());
  return absl::OkStatus();
}

}  // namespace caserelay::statistics
