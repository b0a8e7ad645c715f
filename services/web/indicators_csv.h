// The indicators (指标) as CSV for the console's export (issue 16 item 3,
// GET /api/v1/console/indicators?format=csv): statistics'
// GetIndicatorsResponse as it is, one line per row, Chinese headers, for a
// spreadsheet. No figure is computed here: each rate's numerator,
// denominator and value are statistics' (from its index).
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_WEB_INDICATORS_CSV_H_
#define CASERELAY_SERVICES_WEB_INDICATORS_CSV_H_

#include <string>

#include "caserelay/v1/supervision.pb.h"

namespace caserelay::web {

// RFC 4180 CSV (CRLF line ends), UTF-8 with a byte-order mark (so common
// spreadsheets read the Chinese): a header line, the total (key "合计"),
// then each row of `response` by its key (office code or level). Per rate
// three columns: numerator, denominator and the value as a percentage
// with two decimals ("" when the denominator is 0); then 积案.
std::string IndicatorsCsv(const caserelay::v1::GetIndicatorsResponse& response);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_INDICATORS_CSV_H_
