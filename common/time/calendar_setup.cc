#include "common/time/calendar_setup.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/astronomical_almanac.h"

namespace caserelay::time {

absl::StatusOr<UncoveredYears> ParseUncoveredYears(std::string_view text) {
  if (text == "law") return UncoveredYears::kDeriveFromLaw;
  if (text == "weekends") return UncoveredYears::kWeekendsOnly;
  if (text == "refuse") return UncoveredYears::kRefuse;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", absl::string_view(text.data(), text.size()),
                   "\" is none of law, weekends, refuse"));
}

const char* UncoveredYearsName(UncoveredYears mode) {
  switch (mode) {
    case UncoveredYears::kDeriveFromLaw:
      return "law";
    case UncoveredYears::kWeekendsOnly:
      return "weekends";
    case UncoveredYears::kRefuse:
      return "refuse";
  }
  return "?";
}

absl::StatusOr<Calendar> LoadCalendar(
    const std::string& dir, UncoveredYears mode,
    std::function<void(absl::civil_year_t)> on_derived_year) {
  CalendarOptions options;
  options.uncovered = mode;
  if (mode == UncoveredYears::kDeriveFromLaw) {
    absl::StatusOr<std::unique_ptr<AstronomicalAlmanac>> almanac =
        AstronomicalAlmanac::Create();
    if (!almanac.ok()) return almanac.status();
    options.almanac = std::shared_ptr<const Almanac>(*std::move(almanac));
    options.on_derived_year = std::move(on_derived_year);
  }
  return Calendar::Load(dir, std::move(options));
}

}  // namespace caserelay::time
