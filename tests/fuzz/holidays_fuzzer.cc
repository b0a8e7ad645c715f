// The holiday table loader (common/time Calendar::Load, the format of
// data/holidays/YYYY.tsv) on a hostile 2025.tsv. A calendar that loads must
// describe and count the days of its year and the next without crashing
// (the next year is refused: no table, uncovered years refused).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "common/time/calendar.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::string dir = [] {
    fuzz::WriteScratch("README.md", "not a table\n");
    return fuzz::ScratchDir();
  }();
  fuzz::WriteScratch("2025.tsv", text);
  auto calendar = time::Calendar::Load(dir);
  if (!calendar.ok()) return 0;
  for (absl::CivilDay day(2024, 12, 1); day < absl::CivilDay(2026, 1, 10);
       day += 7) {
    (void)calendar->Describe(day);
    (void)calendar->IsWorkingDay(day);
    (void)calendar->AddCalendarDays(day, 15);
    (void)calendar->AddWorkingDays(day, 60);
  }
  return 0;
}
