#include "domain/indicators/definitions.h"

#include "common/time/timestamp.h"

namespace caserelay::indicators {

bool IsRated(caserelay::v1::DeadlineKind kind) {
  return kind == caserelay::v1::DEADLINE_KIND_TRANSFER ||
         kind == caserelay::v1::DEADLINE_KIND_ACCEPTANCE ||
         kind == caserelay::v1::DEADLINE_KIND_HANDLING ||
         kind == caserelay::v1::DEADLINE_KIND_SIMPLIFIED;
}

caserelay::v1::Rate* RateOf(caserelay::v1::DeadlineKind kind,
                            caserelay::v1::Indicators* indicators) {
  switch (kind) {
    case caserelay::v1::DEADLINE_KIND_TRANSFER:
      return indicators->mutable_timely_acceptance_bureau();
    case caserelay::v1::DEADLINE_KIND_ACCEPTANCE:
      return indicators->mutable_timely_acceptance_handling();
    case caserelay::v1::DEADLINE_KIND_HANDLING:
    case caserelay::v1::DEADLINE_KIND_SIMPLIFIED:
      return indicators->mutable_on_time_completion();
    default:
      return nullptr;
  }
}

bool InTime(const caserelay::v1::Deadline& deadline) {
  return deadline.state() == caserelay::v1::DEADLINE_STATE_DONE;
}

bool FallsDueBy(const caserelay::v1::Deadline& deadline, absl::Time t) {
  return deadline.state() == caserelay::v1::DEADLINE_STATE_ARMED &&
         time::FromProto(deadline.due_at()) <= t;
}

bool IsRepeat(caserelay::v1::Disposition disposition) {
  return disposition == caserelay::v1::DISPOSITION_LINKED_REPEAT ||
         disposition == caserelay::v1::DISPOSITION_REFUSED_TERMINATED;
}

bool IsLevelSkipping(caserelay::v1::Disposition disposition) {
  return disposition == caserelay::v1::DISPOSITION_REDIRECT;
}

bool IsEvaluated(caserelay::v1::Satisfaction satisfaction) {
  return satisfaction != caserelay::v1::SATISFACTION_UNSPECIFIED;
}

bool IsSatisfied(caserelay::v1::Satisfaction satisfaction) {
  return satisfaction == caserelay::v1::SATISFACTION_SATISFIED ||
         satisfaction == caserelay::v1::SATISFACTION_BASICALLY;
}

bool IsFirstPass(const caserelay::v1::SupervisionCaseFacts& facts) {
  return !facts.review_requested() && facts.repeats_linked() == 0;
}

std::optional<region::Level> RegionLevel(caserelay::v1::OfficeLevel level) {
  switch (level) {
    case caserelay::v1::OFFICE_LEVEL_PROVINCE:
      return region::Level::kProvince;
    case caserelay::v1::OFFICE_LEVEL_CITY:
      return region::Level::kCity;
    case caserelay::v1::OFFICE_LEVEL_COUNTY:
      return region::Level::kCounty;
    case caserelay::v1::OFFICE_LEVEL_TOWNSHIP:
      return region::Level::kTownship;
    default:
      return std::nullopt;
  }
}

void SetValue(caserelay::v1::Rate* rate) {
  if (rate->denominator() > 0) {
    rate->set_value(static_cast<double>(rate->numerator()) /
                    static_cast<double>(rate->denominator()));
  } else {
    rate->clear_value();
  }
}

void Tally(caserelay::v1::Rate* rate, bool hit) {
  rate->set_denominator(rate->denominator() + 1);
  if (hit) rate->set_numerator(rate->numerator() + 1);
}

void SetValues(caserelay::v1::Indicators* indicators) {
  SetValue(indicators->mutable_timely_acceptance_bureau());
  SetValue(indicators->mutable_timely_acceptance_handling());
  SetValue(indicators->mutable_on_time_completion());
  SetValue(indicators->mutable_evaluation());
  SetValue(indicators->mutable_satisfaction());
  SetValue(indicators->mutable_repeat());
  SetValue(indicators->mutable_level_skipping());
  SetValue(indicators->mutable_first_pass_resolution());
}

}  // namespace caserelay::indicators
