// How a bulletin writes its numbers, one place for the HTML, the charts
// and the CSV (issue 17 item 2): rates as percentages with one decimal,
// changes (同比/环比) signed, "—" where there is nothing to compare with,
// and text escaped for HTML and SVG.
//
// Thread safety: pure functions.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_FORMAT_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "services/statistics/bulletins/bulletin_content.h"

namespace caserelay::bulletins {

// "—": no rate (a denominator of 0) or no base to compare with.
inline constexpr char kNoFigure[] = "—";

// numerator / denominator as "62.5%", or kNoFigure.
std::string Percent(const Ratio& ratio);

// The change of `current` against `base` as "+12.5%", "-3.0%", "0.0%", or
// kNoFigure when base is 0.
std::string Change(int64_t current, int64_t base);

// The change of a rate in percentage points: "+2.1个百分点", or kNoFigure
// when either rate has no value.
std::string PointChange(const Ratio& current, const Ratio& base);

// `text` with & < > " ' replaced by entities: safe in HTML and SVG text
// and attribute values.
std::string EscapeMarkup(absl::string_view text);

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_FORMAT_H_
