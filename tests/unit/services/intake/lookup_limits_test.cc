// The look-up limit's rules (lookup_limits.h, "LL" below), one row per
// rule. Limits of every row: max_failures 5, backoff_first 1m,
// backoff_max 15m, quiet_period 1h, address_burst 3, address_refill 10m.

#include "services/intake/lookup_limits.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::intake {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

LookupLimits Limits() {
  LookupLimits l;
  l.max_failures = 5;
  l.backoff_first = absl::Minutes(1);
  l.backoff_max = absl::Minutes(15);
  l.quiet_period = absl::Hours(1);
  l.address_burst = 3;
  l.address_refill = absl::Minutes(10);
  return l;
}

TEST(LookupLimitsTest, CaseWaitDoublesFromMaxFailuresAndIsCapped) {
  struct Row {
    const char* rule;
    int64_t failures;
    absl::Duration wait;
  };
  const std::vector<Row> rows = {
      {"LL 2: the first max_failures - 1 failures carry no wait", 4,
       absl::ZeroDuration()},
      {"LL 2: failure max_failures waits backoff_first", 5, absl::Minutes(1)},
      {"LL 2: each further failure doubles the wait", 6, absl::Minutes(2)},
      {"LL 2: doubled again", 8, absl::Minutes(8)},
      {"LL 2: capped at backoff_max", 9, absl::Minutes(15)},
      {"LL 2: still capped far beyond (no overflow)", 100000,
       absl::Minutes(15)},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CaseWait(Limits(), r.failures), r.wait) << r.rule;
  }
}

TEST(LookupLimitsTest, Decide) {
  struct Row {
    const char* rule;
    std::optional<CaseFailures> c;
    std::optional<absl::Time> debt_end;
    absl::Duration at;  // after kT0
    LookupVerdict want;
  };
  const absl::Duration m = absl::Minutes(1);
  const std::vector<Row> rows = {
      {"LL: nothing recorded: check", std::nullopt, std::nullopt, m,
       LookupVerdict::kCheck},
      {"LL 2: four failures do not make the case wait", CaseFailures{kT0, 4},
       kT0 + 10 * m, absl::ZeroDuration(), LookupVerdict::kCheck},
      {"LL 2: the 5th failure's wait refuses an address with failures",
       CaseFailures{kT0, 5}, kT0 + 10 * m, 30 * absl::Seconds(1),
       LookupVerdict::kCaseWaiting},
      {"LL 2: the wait ends backoff_first after the 5th failure",
       CaseFailures{kT0, 5}, kT0 + 10 * m, m, LookupVerdict::kCheck},
      {"LL 2: a full budget is not refused by the wait, and pays it all",
       CaseFailures{kT0, 9}, std::nullopt, m, LookupVerdict::kCheckWholeBudget},
      {"LL 1: a budget whose debt has ended is full", CaseFailures{kT0, 9}, kT0,
       m, LookupVerdict::kCheckWholeBudget},
      {"LL 2: the capped wait still refuses after 14m", CaseFailures{kT0, 9},
       kT0 + 20 * m, 14 * m, LookupVerdict::kCaseWaiting},
      {"LL 2: after quiet_period the failures are forgotten",
       CaseFailures{kT0, 1000}, kT0 + 2 * m, 60 * m, LookupVerdict::kCheck},
      {"LL 1: burst 3: a debt of 2 refills leaves one token", std::nullopt,
       kT0 + 20 * m, absl::ZeroDuration(), LookupVerdict::kCheck},
      {"LL 1: a debt of 3 refills leaves none: refused, right code too",
       std::nullopt, kT0 + 30 * m, absl::ZeroDuration(),
       LookupVerdict::kAddressExhausted},
      {"LL 1: one refill later a token is back", std::nullopt, kT0 + 30 * m,
       10 * m, LookupVerdict::kCheck},
      {"LL 1: an empty budget is refused before the case is looked at",
       CaseFailures{kT0, 9}, kT0 + 30 * m, absl::ZeroDuration(),
       LookupVerdict::kAddressExhausted},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(Decide(Limits(), r.c, r.debt_end, kT0 + r.at), r.want) << r.rule;
  }
}

TEST(LookupLimitsTest, Failures) {
  const absl::Duration m = absl::Minutes(1);
  struct CaseRow {
    const char* rule;
    std::optional<CaseFailures> c;
    absl::Duration at;
    int64_t want_failures;
  };
  const std::vector<CaseRow> case_rows = {
      {"LL 2: the first failure starts the count", std::nullopt, m, 1},
      {"LL 2: a failure within quiet_period adds one", CaseFailures{kT0, 7},
       59 * m, 8},
      {"LL 2: a failure after quiet_period starts again", CaseFailures{kT0, 7},
       60 * m, 1},
  };
  for (const CaseRow& r : case_rows) {
    const CaseFailures next = AfterCaseFailure(Limits(), r.c, kT0 + r.at);
    EXPECT_EQ(next.failures, r.want_failures) << r.rule;
    EXPECT_EQ(next.last, kT0 + r.at) << r.rule;
  }
  struct AddressRow {
    const char* rule;
    std::optional<absl::Time> debt_end;
    bool whole_budget;
    absl::Time want;
  };
  const std::vector<AddressRow> address_rows = {
      {"LL 1: a full budget owes one refill", std::nullopt, false,
       kT0 + 10 * m},
      {"LL 1: an ended debt counts from now", kT0 - 5 * m, false, kT0 + 10 * m},
      {"LL 1: a running debt grows by one refill", kT0 + 15 * m, false,
       kT0 + 25 * m},
      {"LL 2: the full-budget exception costs burst * refill", std::nullopt,
       true, kT0 + 30 * m},
  };
  for (const AddressRow& r : address_rows) {
    EXPECT_EQ(AfterAddressFailure(Limits(), r.debt_end, kT0, r.whole_budget),
              r.want)
        << r.rule;
  }
}

TEST(LookupLimitsTest, CheckLookupLimitsNamesTheSetting) {
  struct Row {
    const char* rule;
    void (*change)(LookupLimits&);
    const char* names;  // empty: OK
  };
  const std::vector<Row> rows = {
      {"the defaults are usable", [](LookupLimits&) {}, ""},
      {"max_failures >= 1", [](LookupLimits& l) { l.max_failures = 0; },
       "lookup.max_failures"},
      {"backoff_first >= 1s",
       [](LookupLimits& l) { l.backoff_first = absl::Milliseconds(10); },
       "lookup.backoff_first"},
      {"backoff_max >= backoff_first",
       [](LookupLimits& l) { l.backoff_max = absl::Seconds(30); },
       "lookup.backoff_max"},
      {"quiet_period >= backoff_max: not forgotten while waiting",
       [](LookupLimits& l) { l.quiet_period = absl::Minutes(10); },
       "lookup.quiet_period"},
      {"address_burst >= 1", [](LookupLimits& l) { l.address_burst = 0; },
       "lookup.address_burst"},
      {"address_refill <= 24h",
       [](LookupLimits& l) { l.address_refill = absl::Hours(25); },
       "lookup.address_refill"},
  };
  for (const Row& r : rows) {
    LookupLimits l;
    r.change(l);
    absl::Status s = CheckLookupLimits(l);
    if (std::string(r.names).empty()) {
      EXPECT_TRUE(s.ok()) << r.rule << ": " << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << r.rule;
      EXPECT_NE(s.message().find(r.names), std::string::npos)
          << r.rule << ": " << s;
    }
  }
}

}  // namespace
}  // namespace caserelay::intake
