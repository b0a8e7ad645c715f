// The bulletin's charts as inline SVG drawn on the server (issue 17 item
// 2: "charts"; no script in the page, so the HTML, the console and the PDF
// show the same drawing). Each function returns one <svg> element whose
// text is escaped (bulletin_format.h), sized in CSS pixels, with role="img"
// and an aria-label naming what it shows.
//
// Thread safety: pure functions.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CHARTS_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CHARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/statistics/bulletins/bulletin_content.h"

namespace caserelay::bulletins {

// Horizontal bars, one per row in the given order, each labelled with its
// name on the left and its count and share of `total` (none when total is
// 0) on the right. Bars scale to the largest count; all zero (or no rows)
// draws the labels and no bars.
std::string BarChartSvg(absl::string_view label,
                        const std::vector<NamedCount>& rows, int64_t total);

// Grouped columns: for each figure its count now, in the previous period
// (环比) and a year before (同比), with a legend.
std::string ComparisonChartSvg(absl::string_view label,
                               const std::vector<Headline>& figures);

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CHARTS_H_
