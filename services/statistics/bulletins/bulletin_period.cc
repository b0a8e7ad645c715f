#include "services/statistics/bulletins/bulletin_period.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::bulletins {

absl::string_view KindWord(BulletinKind kind) {
  switch (kind) {
    case BulletinKind::kDaily:
      return "daily";
    case BulletinKind::kWeekly:
      return "weekly";
    case BulletinKind::kMonthly:
      return "monthly";
  }
  return "daily";
}

absl::StatusOr<BulletinKind> ParseKind(absl::string_view word) {
  for (BulletinKind kind :
       {BulletinKind::kDaily, BulletinKind::kWeekly, BulletinKind::kMonthly}) {
    if (word == KindWord(kind)) return kind;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "bulletin kind \"", word, "\": expected daily, weekly or monthly"));
}

absl::string_view KindTitle(BulletinKind kind) {
  switch (kind) {
    case BulletinKind::kDaily:
      return "每日信访";
    case BulletinKind::kWeekly:
      return "周通报";
    case BulletinKind::kMonthly:
      return "月分析";
  }
  return "每日信访";
}

std::string PeriodWords(const BulletinPeriod& period) {
  const absl::CivilDay a = period.first;
  const absl::CivilDay b = period.last;
  if (period.kind == BulletinKind::kMonthly && a.day() == 1 &&
      absl::CivilMonth(b + 1) != absl::CivilMonth(b)) {
    return absl::StrCat(a.year(), "年", a.month(), "月");
  }
  std::string words =
      absl::StrCat(a.year(), "年", a.month(), "月", a.day(), "日");
  if (a == b) return words;
  absl::StrAppend(&words, "至");
  if (b.year() != a.year()) absl::StrAppend(&words, b.year(), "年");
  absl::StrAppend(&words, b.month(), "月", b.day(), "日");
  return words;
}

absl::StatusOr<PeriodRules> PeriodRules::Create(
    const time::Calendar& calendar, absl::Weekday weekly_issue_weekday,
    int monthly_issue_day) {
  if (monthly_issue_day < 1 || monthly_issue_day > 28) {
    return absl::InvalidArgumentError(
        absl::StrCat("bulletins.monthly_day ", monthly_issue_day,
                     ": a day of the month from 1 to 28 (every month has it)"));
  }
  return PeriodRules(calendar, weekly_issue_weekday, monthly_issue_day);
}

absl::StatusOr<absl::CivilDay> PeriodRules::WorkingOnOrAfter(
    absl::CivilDay day) const {
  // The longest break of the tables is nine days; a year of rest days
  // would be a broken table, not a calendar.
  for (int i = 0; i < 366; ++i, ++day) {
    absl::StatusOr<bool> working = calendar_->IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (*working) return day;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no working day in the year after ", absl::FormatCivilTime(day)));
}

absl::StatusOr<BulletinPeriod> PeriodRules::Covering(BulletinKind kind,
                                                     absl::CivilDay day) const {
  BulletinPeriod period;
  period.kind = kind;
  switch (kind) {
    case BulletinKind::kDaily: {
      // The period starts on the last working day on or before `day`.
      absl::CivilDay first = day;
      for (int i = 0;; ++i, --first) {
        if (i == 366) {
          return absl::FailedPreconditionError(
              absl::StrCat("no working day in the year before ",
                           absl::FormatCivilTime(day)));
        }
        absl::StatusOr<bool> working = calendar_->IsWorkingDay(first);
        if (!working.ok()) return working.status();
        if (*working) break;
      }
      absl::StatusOr<absl::CivilDay> next = WorkingOnOrAfter(first + 1);
      if (!next.ok()) return next.status();
      period.first = first;
      period.last = *next - 1;
      period.issue_day = *next;
      return period;
    }
    case BulletinKind::kWeekly: {
      absl::CivilDay due = day + 1;
      while (absl::GetWeekday(due) != weekday_) ++due;
      period.first = due - 7;
      period.last = due - 1;
      break;
    }
    case BulletinKind::kMonthly: {
      absl::CivilMonth month(day);
      if (day.day() < monthly_issue_day_) month -= 1;
      period.first =
          absl::CivilDay(month.year(), month.month(), monthly_issue_day_);
      absl::CivilMonth after = month + 1;
      period.last =
          absl::CivilDay(after.year(), after.month(), monthly_issue_day_) - 1;
      break;
    }
  }
  absl::StatusOr<absl::CivilDay> issue = WorkingOnOrAfter(period.last + 1);
  if (!issue.ok()) return issue.status();
  period.issue_day = *issue;
  return period;
}

absl::StatusOr<BulletinPeriod> PeriodRules::Next(
    const BulletinPeriod& period) const {
  return Covering(period.kind, period.last + 1);
}

}  // namespace caserelay::bulletins
