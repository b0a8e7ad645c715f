// casectl's text output of supervision's answers (督查督办): the red-light
// board (灭红灯), the indicators and a case's deadlines with its 督办. Times
// and days are China Standard Time, as in format.h.
//
// Pure; thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_SUPERVISION_FORMAT_H_
#define CASERELAY_TOOLS_CASECTL_SUPERVISION_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "caserelay/v1/supervision.pb.h"

namespace caserelay::casectl {

// The scope of a red-light query in words: "the whole deployment",
// "region 140431", "office 140431:labour", or "office 140431:labour in
// region 1404".
std::string LightsScope(const caserelay::v1::ListRedLightsRequest& request);

// The board as a table, one row per light in the order given (the service
// lists oldest due first): DUE (the deadline's last day), OVERDUE ("3
// days"), KIND, OFFICE, CASE, SUPERVISION ("letter (督办函)", "listed
// (挂牌督办)" or "none"); then "N red lights in <scope> as of <as_of>".
// No lights: the single line "no red lights in <scope> as of <as_of>".
std::string FormatLights(const caserelay::v1::ListRedLightsRequest& request,
                         const caserelay::v1::ListRedLightsResponse& response);

// A rate as a percentage with one decimal and its fraction, "95.0% 19/20";
// "— 0/0" when the denominator is 0. Uses `value` when set, else the
// fraction.
std::string RateText(const caserelay::v1::Rate& rate);

// The scope of an indicators query in words: "office 140431:labour",
// "region 140431", "the whole deployment", with ", county offices" when a
// level is chosen.
std::string IndicatorScopeText(const caserelay::v1::IndicatorScope& scope);

// The indicators: a header (scope, the period from the response's from and
// to in China time, end exclusive), then the total as one line per
// indicator: Chinese name, percentage, numerator/denominator, English
// name; 积案 as a count. With a breakdown (response rows), a table instead:
// one row per key (an office code, or a level as "county (县级)"), one
// column per indicator ("95.0% 19/20"), and a last row "total".
std::string FormatIndicators(
    const caserelay::v1::GetIndicatorsRequest& request,
    const caserelay::v1::GetIndicatorsResponse& response);

// A case's deadlines as a table: KIND, OFFICE, STARTED, DUE (last day),
// STATE ("missed, warned", "paused since ..."), ENDED, FOR (the 督办 a
// supervision-reply deadline answers); then the 督办 issued on the case,
// each with level, issuer → target, the miss that caused it and its reply
// deadline. "no deadlines of case X known to supervision" when empty.
std::string FormatDeadlines(
    absl::string_view case_id,
    const caserelay::v1::ListDeadlinesResponse& response);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_SUPERVISION_FORMAT_H_
