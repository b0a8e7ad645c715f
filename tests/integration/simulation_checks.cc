#include "tests/integration/simulation_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/progress.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::Indicators;
using caserelay::v1::Rate;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

absl::Time DayStart(int day) {
  return absl::FromCivil(absl::CivilSecond(absl::CivilDay(2026, 1, 1) + day),
                         kChina);
}

// The day a deadline is due at the end of.
int DueDay(const google::protobuf::Timestamp& due) {
  const absl::CivilDay d =
      absl::ToCivilDay(time::FromProto(due) - absl::Seconds(1), kChina);
  return static_cast<int>(d - absl::CivilDay(2026, 1, 1));
}

std::string R(const Rate& r) {
  std::string s = absl::StrCat(r.numerator(), "/", r.denominator());
  if (r.has_value()) absl::StrAppend(&s, "=", r.value());
  return s;
}

// ASCII, so that gtest shows a mismatch readably: 及时受理率 of the bureau
// and of the handling unit, 按期办结率, 参评率, 群众满意率, 重复信访率,
// 越级访率, 一次性化解率, 积案.
std::string Describe(const Indicators& i) {
  return absl::StrCat(
      "[", i.key(), "] accept_bureau ", R(i.timely_acceptance_bureau()),
      " accept_unit ", R(i.timely_acceptance_handling()), " on_time ",
      R(i.on_time_completion()), " evaluated ", R(i.evaluation()),
      " satisfied ", R(i.satisfaction()), " repeat ", R(i.repeat()),
      " skipping ", R(i.level_skipping()), " first_pass ",
      R(i.first_pass_resolution()), " backlog ", i.backlog());
}

std::string Describe(const caserelay::v1::GetIndicatorsResponse& r) {
  std::string s = Describe(r.total());
  for (const Indicators& row : r.rows())
    absl::StrAppend(&s, "\n", Describe(row));
  return s;
}

std::vector<sim::Query> Queries() {
  struct Period {
    const char* name;
    int from, to;
  };
  const std::vector<Period> periods = {
      {"2026", 0, sim::kEndDay}, {"Q1", 0, 90},    {"Q2", 90, 181},
      {"Q3", 181, 273},          {"Q4", 273, 365}, {"June", 151, 181}};
  std::vector<sim::Query> scopes(7);
  scopes[0].name = "deployment by office";
  scopes[0].breakdown = caserelay::v1::BREAKDOWN_OFFICE;
  scopes[1].name = "deployment by level";
  scopes[1].breakdown = caserelay::v1::BREAKDOWN_LEVEL;
  scopes[2].name = "office 140431:bureau";
  scopes[2].scope.set_office_code("140431:bureau");
  scopes[3].name = "office 140431100:gov";
  scopes[3].scope.set_office_code("140431100:gov");
  scopes[4].name = "region 140431 by office";
  scopes[4].scope.set_region_code("140431");
  scopes[4].breakdown = caserelay::v1::BREAKDOWN_OFFICE;
  scopes[5].name = "townships";
  scopes[5].scope.set_level(caserelay::v1::OFFICE_LEVEL_TOWNSHIP);
  scopes[6].name = "counties of 140400 by office";
  scopes[6].scope.set_region_code("140400");
  scopes[6].scope.set_level(caserelay::v1::OFFICE_LEVEL_COUNTY);
  scopes[6].breakdown = caserelay::v1::BREAKDOWN_OFFICE;
  std::vector<sim::Query> out;
  for (const Period& p : periods) {
    for (sim::Query q : scopes) {
      q.name = absl::StrCat(q.name, ", ", p.name);
      q.from_day = p.from;
      q.to_day = p.to;
      out.push_back(q);
    }
  }
  return out;
}

}  // namespace

void CheckIndicators(System& sys, const sim::Script& script) {
  // statistics answers the indicators from its index (issue 17; the
  // indicators' one place): it has applied every case-event first.
  ASSERT_TRUE(AwaitInputsApplied(sys, "statistics", "case-events",
                                 absl::Seconds(120))
                  .ok());
  for (const sim::Query& q : Queries()) {
    SCOPED_TRACE(q.name);
    caserelay::v1::GetIndicatorsRequest req;
    *req.mutable_scope() = q.scope;
    *req.mutable_from() = time::ToProto(DayStart(q.from_day));
    *req.mutable_to() = time::ToProto(DayStart(q.to_day));
    req.set_breakdown(q.breakdown);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(60));
    caserelay::v1::GetIndicatorsResponse got;
    grpc::Status s = sys.statistics().GetIndicators(&ctx, req, &got);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const caserelay::v1::GetIndicatorsResponse want = sim::Expected(script, q);
    EXPECT_EQ(Describe(got), Describe(want));
    if (q.from_day == 0 && q.to_day == sim::kEndDay &&
        q.breakdown != caserelay::v1::BREAKDOWN_NONE) {
      std::printf("simulation: %s\n%s\n", q.name.c_str(),
                  Describe(got).c_str());
    }
  }
}

void CheckRedLights(System& sys, const sim::Script& script,
                    const std::vector<std::string>& case_ids) {
  std::map<std::string, int> index_of;
  for (int i = 0; i < static_cast<int>(case_ids.size()); ++i) {
    index_of[case_ids[i]] = i;
  }
  for (const std::string region : {"", "140431"}) {
    SCOPED_TRACE(absl::StrCat("red lights of '", region, "'"));
    std::vector<caserelay::v1::RedLight> got;
    std::string token;
    do {
      caserelay::v1::ListRedLightsRequest req;
      req.set_region_code(region);
      req.set_limit(10000);
      req.set_page_token(token);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
      caserelay::v1::ListRedLightsResponse resp;
      grpc::Status s = sys.supervision().ListRedLights(&ctx, req, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
      got.insert(got.end(), resp.lights().begin(), resp.lights().end());
      token = resp.next_page_token();
    } while (!token.empty());
    const std::vector<sim::RedLight> want =
        sim::ExpectedRedLights(script, region);
    // Keyed by case, kind and office: the due range, the instrument.
    using Key = std::tuple<int, int, std::string>;
    std::map<Key, const sim::RedLight*> wanted;
    for (const sim::RedLight& w : want) {
      wanted[{w.case_index, sim::ToProto(w.deadline.kind), w.deadline.office}] =
          &w;
    }
    EXPECT_EQ(got.size(), want.size());
    int max_lo = -1;  // the latest earliest-due of the lights so far
    absl::Time previous_due = absl::InfinitePast();
    for (const caserelay::v1::RedLight& light : got) {
      const auto& d = light.deadline();
      auto idx = index_of.find(d.case_id());
      const int c = idx == index_of.end() ? -1 : idx->second;
      auto it = wanted.find({c, d.kind(), d.office_code()});
      if (it == wanted.end()) {
        ADD_FAILURE() << "unexpected red light " << d.ShortDebugString();
        continue;
      }
      const sim::Deadline& w = it->second->deadline;
      const int due = DueDay(d.due_at());
      EXPECT_TRUE(due >= w.lo && due <= w.hi)
          << d.ShortDebugString() << " due on " << sim::DayName(due)
          << ", the script's range " << sim::DayName(w.lo) << ".."
          << sim::DayName(w.hi);
      // The office's highest instrument: 挂牌督办 after a second miss.
      int misses = 0;
      for (const sim::Deadline& o : script.cases[c].deadlines) {
        misses += o.late && o.office == w.office;
      }
      EXPECT_EQ(light.supervision(),
                misses >= 2 ? caserelay::v1::SUPERVISION_LEVEL_LISTED
                            : caserelay::v1::SUPERVISION_LEVEL_LETTER)
          << d.ShortDebugString();
      // Oldest first, and never before one the script knows is older.
      EXPECT_GE(time::FromProto(d.due_at()), previous_due);
      EXPECT_GE(w.hi, max_lo) << d.ShortDebugString();
      previous_due = time::FromProto(d.due_at());
      max_lo = std::max(max_lo, w.lo);
      wanted.erase(it);
    }
    for (const auto& [key, w] : wanted) {
      ADD_FAILURE() << "missing red light: case " << case_ids[w->case_index]
                    << " " << caserelay::v1::DeadlineKind_Name(std::get<1>(key))
                    << " of " << std::get<2>(key) << " due in "
                    << sim::DayName(w->deadline.lo) << ".."
                    << sim::DayName(w->deadline.hi);
    }
    std::printf("simulation: red lights of '%s': %zu (expected %zu)\n",
                region.c_str(), got.size(), want.size());
  }
}

}  // namespace caserelay::testing
