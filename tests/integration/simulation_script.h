// The script of the simulated year (issue 4, "Must show": 10,000 cases
// with scripted office behaviour; every indicator equals the value
// computed independently from the scripted events), and the test's own
// computation of the indicators from it.
//
// Independence. The script knows no holiday calendar. A deadline of N
// calendar days started on day s falls due at the end of a day in
// [s+N, s+N+9]: a last day on a rest day moves to the next working day,
// and no run of rest days in 2026 is longer than 春节's nine (2026-02-15
// .. 02-23; data/holidays/README.md). Every scripted action is either on
// or before the first possible last day (in time) or after the last
// possible one (late), and every deadline whose due decides a figure (a
// rated deadline, or one late or never ended) has a range that lies wholly
// on one side of every period boundary queried; a plan that breaks this is
// drawn again. So every figure follows from the script's own days.
//
// Days are numbered from 2026-01-01 (day 0); an action of day d happens at
// 09:00 China time; a deadline "due on day d" falls due at the end of d.
//
// Thread safety: plain data and pure functions.

#ifndef CASERELAY_TESTS_INTEGRATION_SIMULATION_SCRIPT_H_
#define CASERELAY_TESTS_INTEGRATION_SIMULATION_SCRIPT_H_

#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "caserelay/v1/supervision.pb.h"

namespace caserelay::testing::sim {

inline constexpr int kNever = INT_MAX;  // an action beyond the simulation

// The simulated span: petitions are received on days kFirstReceipt ..
// kLastReceipt; actions run on days kFirstDay .. kLastDay; the clock then
// stops at the start of kEndDay (2027-01-01 00:00), "the end".
inline constexpr int kFirstDay = 4;       // 2026-01-05
inline constexpr int kLastReceipt = 353;  // 2026-12-20
inline constexpr int kLastDay = 364;      // 2026-12-31
inline constexpr int kEndDay = 365;       // 2027-01-01

// A way a petition is routed (checked against PreviewRoute by the test).
struct Route {
  std::string region_code;  // the matter's region
  std::string category;
  caserelay::v1::Disposition disposition;  // ASSIGN or TRANSFER
  std::string registering;                 // the county bureau
  std::string target;                      // the handling office
  std::string reviewer;                    // Art. 35 review office
  std::string higher_bureau;               // a visit there is 越级 (REDIRECT)
};

// The routes the script draws from.
const std::vector<Route>& Routes();

// Every office the script acts as (needs a token).
std::vector<std::string> ActingOffices();

enum class DeadlineKind {
  kTransfer,
  kAcceptance,
  kHandling,
  kSimplified,
  kResultReport,
  kReview
};
caserelay::v1::DeadlineKind ToProto(DeadlineKind kind);

// A deadline of the script: due at the end of a day in [lo, hi]; ended by
// the action of day `end` (kNever: not within the simulation).
struct Deadline {
  DeadlineKind kind;
  std::string office;
  int lo = 0;
  int hi = 0;
  int end = kNever;
  bool late = false;  // ended after hi, or never and hi < kEndDay - 2
  int level = 0;      // late: 1 = the office's first miss (督办函),
                      // 2 = second (挂牌督办), 3 = later (none)
};

// One office action of the script on a case.
struct Action {
  int day = 0;
  int order = 0;  // among the case's actions of the day
  std::string office;
  caserelay::v1::ActRequest request;  // case id and version left empty
};

enum class PetitionType { kOriginal, kRepeat, kRedirect };

struct Case {
  int route = 0;
  std::string region_code;  // township or county
  int petitioner = 0;
  int received = 0;
  std::vector<Deadline> deadlines;  // those started within the simulation
  std::vector<Action> actions;      // those within the simulation, by day
  int reply_day = kNever;
  caserelay::v1::Satisfaction satisfaction =
      caserelay::v1::SATISFACTION_UNSPECIFIED;  // evaluated within the year
  bool review_requested = false;
  int repeats = 0;  // repeat petitions linked within the year
};

struct Petition {
  int day = 0;
  PetitionType type = PetitionType::kOriginal;
  int petitioner = 0;   // who: the repeat's is its original's
  int case_index = -1;  // kOriginal, kRepeat: the (original) case
  int route = 0;
  std::string region_code;
  std::string registering;  // the bureau that registers it
};

struct Script {
  uint64_t seed = 0;
  std::vector<Petition> petitions;  // by day
  std::vector<Case> cases;          // the originals
  int redrawn = 0;                  // plans drawn again for a boundary or a tie
  int demoted = 0;  // originals made redirects (no clean plan on the day)
};

// Draws the script of `petitions` petitions with `seed`.
Script MakeScript(int petitions, uint64_t seed);

// A query of the test: scope and period [from_day, to_day).
struct Query {
  std::string name;
  caserelay::v1::IndicatorScope scope;
  int from_day = 0;
  int to_day = kEndDay;
  caserelay::v1::Breakdown breakdown = caserelay::v1::BREAKDOWN_NONE;
};

// The period boundaries the queries use (the script keeps figures clean
// of them).
const std::vector<int>& Boundaries();

// The indicators the script says `query` must answer (definitions of
// supervision.proto `Indicators`), computed from the script alone; rows
// by key; Rate.value set when the denominator is positive.
caserelay::v1::GetIndicatorsResponse Expected(const Script& script,
                                              const Query& query);

// A red light the script expects at the end: case, kind, office, due range
// and the highest instrument on the office.
struct RedLight {
  int case_index = 0;
  Deadline deadline;
};
std::vector<RedLight> ExpectedRedLights(const Script& script,
                                        const std::string& region_code);

// The parent of a region of the script's offices ("" for 山西 140000),
// and whether `region` is `root` or below it ("" root: every region);
// spelled out in simulation_expected.cc, not read from the region tree.
std::string ParentRegion(const std::string& region);
bool RegionWithin(std::string region, const std::string& root);

// Day number <-> civil date text "2026-01-05".
std::string DayName(int day);

}  // namespace caserelay::testing::sim

#endif  // CASERELAY_TESTS_INTEGRATION_SIMULATION_SCRIPT_H_
