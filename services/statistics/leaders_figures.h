// Issue 18's volume figures (statistics.proto VolumeFigures 19-28: 领导接访
// 批次/人次, 当场解决, 群体访, 包案, 督办 by source, 建议 by kind, 提级, 更正,
// 回访 by view) as their readers print them — casectl stats volume and the
// bulletins (services/statistics/bulletins/compose.h): each figure's
// Chinese label and how to read it from a VolumeFigures, in the order
// shown. One list, so that every reader says the same words for the same
// number.
//
// Thread safety: the list is constant; the functions are thread-safe.

#ifndef CASERELAY_SERVICES_STATISTICS_LEADERS_FIGURES_H_
#define CASERELAY_SERVICES_STATISTICS_LEADERS_FIGURES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "caserelay/v1/statistics.pb.h"

namespace caserelay::statistics {

struct LabeledFigure {
  std::string_view label;  // e.g. "领导接访批次"
  int64_t (*of)(const caserelay::v1::VolumeFigures&);
};

// The figures in the order shown. The same object on every call.
const std::vector<LabeledFigure>& LeadersWorkFigures();

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_LEADERS_FIGURES_H_
