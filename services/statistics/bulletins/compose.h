// A bulletin's figures from the statistics' index (issue 17 item 2:
// "content from S1's query"): the ContentSource the service uses.
//
// For a bureau and a period [first, last] it asks the StatisticsQuery
// (services/statistics/query.h) twice, for the bureau's region subtree
// over [00:00 of first, 00:00 after last):
//   GetVolume, by child region: the headline figures with 环比 and 同比,
//     the channels, the top categories (most first, at most 5), the top
//     child regions (most cases first, then by code, at most 5, none with
//     0), the outcomes (化解), the ratings, red lights and 督办, and issue
//     18's figures with 环比 and 同比 (services/statistics/
//     leaders_figures.h: 接访 批次/人次, 当场解决, 群体访, 包案, 督办 by
//     source, 建议, 提级, 更正, 回访);
//   GetIndicators, by office: the offices with a counted deadline ranked
//     by 按期办结率, and those with an evaluation by 满意率 (higher rate
//     first; equal rates: more counted first, then by office code).
// Names come from the tables of domain/names (channels, outcomes, ratings,
// 督办 levels), the offices' categories and the region tree; nothing of a
// case but its counts reaches the bulletin. Accusations are counted where
// the index counts them, under the bureau, never under an accused unit.
//
// Thread safety: thread-safe if the query is (query.h says it is).

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_COMPOSE_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_COMPOSE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "services/statistics/bulletins/bulletin_issuer.h"
#include "services/statistics/query.h"

namespace caserelay::bulletins {

// How many categories and regions a bulletin lists.
inline constexpr int kTopRows = 5;

// `offices` with a denominator in the rate `pick` (&OfficeRates::on_time
// or &OfficeRates::satisfaction), the higher rate first; equal rates: more
// counted first, then by office code. Exact (no rounding).
std::vector<OfficeRates> Ranked(std::vector<OfficeRates> offices,
                                Ratio OfficeRates::*pick);

class QueryContentSource final : public ContentSource {
 public:
  // None is owned; all must outlive this.
  QueryContentSource(const statistics::StatisticsQuery* query,
                     const offices::OfficeDirectory* offices,
                     const region::RegionTree* regions)
      : query_(query), offices_(offices), regions_(regions) {}

  // See the file comment. Errors: the query's, unchanged.
  absl::StatusOr<BulletinContent> Figures(
      const offices::Office& bureau,
      const BulletinPeriod& period) const override;

 private:
  // Const after construction; not owned.
  const statistics::StatisticsQuery* const query_;
  const offices::OfficeDirectory* const offices_;
  const region::RegionTree* const regions_;
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_COMPOSE_H_
