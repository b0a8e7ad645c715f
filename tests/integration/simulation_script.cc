#include "tests/integration/simulation_script.h"

#include <algorithm>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"

namespace caserelay::testing::sim {
namespace {

using caserelay::v1::ActRequest;

constexpr auto kAssign = caserelay::v1::DISPOSITION_ASSIGN;
constexpr auto kTransfer = caserelay::v1::DISPOSITION_TRANSFER;

// The longest run of rest days a calendar-day deadline can be moved over
// (春节 2026-02-15 .. 02-23) — the width of every due range but SIMPLIFIED.
constexpr int kShift = 9;

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int Between(int lo, int hi) {  // inclusive
    return std::uniform_int_distribution<int>(lo, hi)(gen_);
  }
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(gen_); }

 private:
  std::mt19937_64 gen_;
};

// 送达 (issue 23 item 4): the decision reached the petitioner through the
// portal on `day`, recorded that day, so no SERVICE deadline is ever late
// and the review windows run from that day.
void Serve(ActRequest* r, int day) {
  r->mutable_serve()->set_method(caserelay::v1::SERVICE_METHOD_PORTAL);
  *r->mutable_serve()->mutable_received_at() = time::ToProto(
      time::StartOf(absl::CivilDay(2026, 1, 1) + day) + absl::Hours(9));
}

bool IsRated(DeadlineKind kind) {
  return kind == DeadlineKind::kTransfer || kind == DeadlineKind::kAcceptance ||
         kind == DeadlineKind::kHandling || kind == DeadlineKind::kSimplified;
}

// The range lies wholly on one side of every boundary, with a day to
// spare: due before `B` 00:00 - 1 day, or after B + 1 day.
bool Clean(const Deadline& d) {
  for (int b : Boundaries()) {
    if (!(d.hi <= b - 3 || d.lo >= b + 1)) return false;
  }
  return true;
}

// Draws one plan for an original received on `received` by `route`;
// false if it breaks a rule of the file comment (then it is drawn again).
bool DrawPlan(Rng& rng, int received, int route_index, Case* c) {
  const Route& route = Routes()[route_index];
  const bool assign = route.disposition == kAssign;
  *c = Case();
  c->route = route_index;
  c->received = received;
  int order = 0;
  auto act = [&](int day, const std::string& office) -> ActRequest* {
    if (day > kLastDay) return nullptr;
    c->actions.push_back({day, order++, office, ActRequest()});
    return &c->actions.back().request;
  };
  auto deadline = [&](DeadlineKind kind, const std::string& office, int lo,
                      int hi) -> int {
    c->deadlines.push_back({kind, office, lo, hi});
    return static_cast<int>(c->deadlines.size()) - 1;
  };
  auto end = [&](int index, int day) {
    c->deadlines[index].end = day <= kLastDay ? day : kNever;
  };

  // The bureau: 转送/交办 in time (1-5 days), late (30-40) or never.
  const double bureau = rng.Unit();
  const int sent = bureau < 0.88   ? received + rng.Between(1, 5)
                   : bureau < 0.98 ? received + rng.Between(30, 40)
                                   : kNever;
  const int transfer = deadline(DeadlineKind::kTransfer, route.registering,
                                received + 15, received + 15 + kShift);
  end(transfer, sent);
  ActRequest* r = sent == kNever ? nullptr : act(sent, route.registering);
  if (r != nullptr) {
    assign ? (void)r->mutable_assign() : (void)r->mutable_transfer();
    const int acceptance = deadline(DeadlineKind::kAcceptance, route.target,
                                    sent + 15, sent + 15 + kShift);
    const int report = assign
                           ? deadline(DeadlineKind::kResultReport, route.target,
                                      sent + 90, sent + 90 + kShift)
                           : -1;
    // The handling unit: accepts in time (1-5), late (30-40) or never.
    const double unit = rng.Unit();
    const int accepted = unit < 0.80   ? sent + rng.Between(1, 5)
                         : unit < 0.92 ? sent + rng.Between(30, 40)
                                       : kNever;
    end(acceptance, accepted);
    const double mode = rng.Unit();
    const bool simplified = mode < 0.08;
    const bool extended = !simplified && mode < 0.20;
    r = accepted == kNever ? nullptr : act(accepted, route.target);
    if (r != nullptr) {
      r->mutable_accept()->set_simplified(simplified);
      const bool on_time = rng.Unit() < 0.75;
      int handling;
      int replied;
      if (simplified) {
        // 10 working days: at least 10 calendar days, at most 21 in 2026
        // (春节, 国庆 with their 调休), kept to 28.
        handling = deadline(DeadlineKind::kSimplified, route.target,
                            accepted + 10, accepted + 28);
        replied =
            accepted + (on_time ? rng.Between(3, 10) : rng.Between(30, 45));
      } else {
        handling = deadline(DeadlineKind::kHandling, route.target,
                            accepted + 60, accepted + 60 + kShift);
        replied =
            accepted + (on_time ? rng.Between(10, 40) : rng.Between(75, 100));
        const int extend_day = accepted + rng.Between(20, 50);
        if (extended && (r = act(extend_day, route.target)) != nullptr) {
          r->set_reason("需调取材料，核实情况");
          r->mutable_extend()->set_days(30);
          // The last day moves by 30 from the (moved) last day.
          c->deadlines[handling].lo = accepted + 90;
          c->deadlines[handling].hi = accepted + 90 + 2 * kShift;
          replied = accepted +
                    (on_time ? rng.Between(70, 90) : rng.Between(109, 130));
        }
      }
      end(handling, replied);
      if ((r = act(replied, route.target)) != nullptr) {
        c->reply_day = replied;
        r->mutable_reply()->set_outcome(static_cast<caserelay::v1::Outcome>(
            rng.Between(caserelay::v1::OUTCOME_SUPPORT,
                        caserelay::v1::OUTCOME_REJECT)));
        if (assign) {
          act(replied, route.target)->mutable_report_result();
          end(report, replied);
        }
        Serve(act(replied, route.target), replied);
        const double eval = rng.Unit();
        if (eval < 0.70 && (r = act(replied + 3, route.target)) != nullptr) {
          c->satisfaction = eval < 0.35 ? caserelay::v1::SATISFACTION_SATISFIED
                            : eval < 0.52
                                ? caserelay::v1::SATISFACTION_BASICALLY
                                : caserelay::v1::SATISFACTION_DISSATISFIED;
          r->mutable_evaluate()->set_satisfaction(c->satisfaction);
        }
        const int asked = replied + 10;
        if (rng.Unit() < 0.10 && (r = act(asked, route.reviewer)) != nullptr) {
          r->mutable_request_review();
          c->review_requested = true;
          const int review = deadline(DeadlineKind::kReview, route.reviewer,
                                      asked + 30, asked + 30 + kShift);
          end(review, asked + 10);
          if ((r = act(asked + 10, route.reviewer)) != nullptr) {
            r->mutable_decide_review()->set_outcome(
                caserelay::v1::OUTCOME_EXPLAIN);
            Serve(act(asked + 10, route.reviewer), asked + 10);
          }
        }
      }
    }
  }

  // In time or late, never in between; clean of the boundaries where the
  // due decides a figure.
  for (Deadline& d : c->deadlines) {
    if (d.end != kNever) {
      if (d.end > d.lo && d.end <= d.hi) return false;
      d.late = d.end > d.hi;
    } else {
      d.late = d.hi < kEndDay;
    }
    if ((IsRated(d.kind) || d.late || d.end == kNever) && !Clean(d)) {
      return false;
    }
  }
  // 督办: an office's misses on the case, by due; two must not be able to
  // fall due together (covered by one instrument). Each of the first two
  // gets an instrument, answered 3 days after its latest possible due.
  std::map<std::string, std::vector<Deadline*>> misses;
  for (Deadline& d : c->deadlines) {
    if (d.late) misses[d.office].push_back(&d);
  }
  for (auto& [office, list] : misses) {
    std::sort(
        list.begin(), list.end(),
        [](const Deadline* a, const Deadline* b) { return a->lo < b->lo; });
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0 && list[i - 1]->hi >= list[i]->lo) return false;
      list[i]->level = static_cast<int>(std::min<size_t>(i + 1, 3));
      if (i < 2 && (r = act(list[i]->hi + 3, office)) != nullptr) {
        c->actions.back().order = 100 + static_cast<int>(i);
        r->set_reason("已按督办要求整改并回复");
        r->mutable_reply_supervision();
      }
    }
  }
  std::stable_sort(c->actions.begin(), c->actions.end(),
                   [](const Action& a, const Action& b) {
                     return std::tie(a.day, a.order) < std::tie(b.day, b.order);
                   });
  return true;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const auto* routes = new std::vector<Route>{
      {"140431100", "labour", kAssign, "140431:bureau", "140431100:gov",
       "140431:gov", "140400:bureau"},
      {"140431101", "housing", kAssign, "140431:bureau", "140431101:gov",
       "140431:gov", "140400:bureau"},
      {"140431200", "land", kAssign, "140431:bureau", "140431200:gov",
       "140431:gov", "140400:bureau"},
      {"140431", "housing", kTransfer, "140431:bureau", "140431:housing",
       "140431:gov", "140000:bureau"},
      {"140431", "labour", kTransfer, "140431:bureau", "140431:hrss",
       "140431:gov", "140000:bureau"},
      {"140430100", "labour", kAssign, "140430:bureau", "140430100:gov",
       "140430:gov", "140400:bureau"},
      {"140430101", "housing", kAssign, "140430:bureau", "140430101:gov",
       "140430:gov", "140400:bureau"},
  };
  return *routes;
}

std::vector<std::string> ActingOffices() {
  std::set<std::string> offices;
  for (const Route& r : Routes()) {
    offices.insert({r.registering, r.target, r.reviewer});
  }
  return {offices.begin(), offices.end()};
}

caserelay::v1::DeadlineKind ToProto(DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kTransfer:
      return caserelay::v1::DEADLINE_KIND_TRANSFER;
    case DeadlineKind::kAcceptance:
      return caserelay::v1::DEADLINE_KIND_ACCEPTANCE;
    case DeadlineKind::kHandling:
      return caserelay::v1::DEADLINE_KIND_HANDLING;
    case DeadlineKind::kSimplified:
      return caserelay::v1::DEADLINE_KIND_SIMPLIFIED;
    case DeadlineKind::kResultReport:
      return caserelay::v1::DEADLINE_KIND_RESULT_REPORT;
    case DeadlineKind::kReview:
      return caserelay::v1::DEADLINE_KIND_REVIEW;
  }
  return caserelay::v1::DEADLINE_KIND_UNSPECIFIED;
}

std::string DayName(int day) {
  return absl::FormatCivilTime(absl::CivilDay(2026, 1, 1) + day);
}

const std::vector<int>& Boundaries() {
  // 2026-04-01, 06-01, 07-01, 10-01 (the quarters and June); September
  // and its week 09-21..09-27 (the bulletins of statistics_simulation_test);
  // the end.
  auto day = [](int month, int d) {
    return static_cast<int>(absl::CivilDay(2026, month, d) -
                            absl::CivilDay(2026, 1, 1));
  };
  static const auto* days =
      new std::vector<int>{day(4, 1), day(6, 1), day(7, 1),  day(9, 1),
                           day(9, 21), day(9, 28), day(10, 1), kEndDay};
  return *days;
}

Script MakeScript(int petitions, uint64_t seed) {
  Script script;
  script.seed = seed;
  Rng rng(seed);
  std::vector<int> days;
  for (int i = 0; i < petitions; ++i) {
    days.push_back(rng.Between(kFirstDay, kLastReceipt));
  }
  std::sort(days.begin(), days.end());
  const int routes = static_cast<int>(Routes().size());
  int earlier = 0;  // originals received before the day (days are sorted)
  for (int i = 0; i < petitions; ++i) {
    Petition p;
    p.day = days[i];
    p.petitioner = i + 1;
    const double type = rng.Unit();
    // A repeat: the same petitioner and matter as an original received on
    // an earlier day (every original stays open: none is closed).
    while (earlier < static_cast<int>(script.cases.size()) &&
           script.cases[earlier].received < p.day) {
      ++earlier;
    }
    if (type < 0.06 && earlier > 0) {
      p.type = PetitionType::kRepeat;
      p.case_index = rng.Between(0, earlier - 1);
      Case& original = script.cases[p.case_index];
      ++original.repeats;
      p.route = original.route;
      p.region_code = original.region_code;
      p.registering = Routes()[p.route].registering;
      p.petitioner = original.petitioner;
      script.petitions.push_back(p);
      continue;
    }
    p.route = rng.Between(0, routes - 1);
    p.region_code = Routes()[p.route].region_code;
    if (type >= 0.10) {
      Case c;
      bool drawn = false;
      for (int attempt = 0; attempt < 200 && !drawn; ++attempt) {
        drawn = DrawPlan(rng, p.day, p.route, &c);
        if (!drawn) ++script.redrawn;
      }
      if (drawn) {
        c.region_code = p.region_code;
        c.petitioner = p.petitioner;
        p.type = PetitionType::kOriginal;
        p.case_index = static_cast<int>(script.cases.size());
        p.registering = Routes()[p.route].registering;
        script.cases.push_back(std::move(c));
        script.petitions.push_back(p);
        continue;
      }
      ++script.demoted;
    }
    // A visit to a bureau two levels above the competent office (越级走访).
    p.type = PetitionType::kRedirect;
    p.registering = Routes()[p.route].higher_bureau;
    script.petitions.push_back(p);
  }
  return script;
}

}  // namespace caserelay::testing::sim
