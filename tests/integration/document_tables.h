// Reading a bulletin's documents back into tables, for the tests that
// check every figure of them (statistics_simulation_test): its CSV
// (bulletins/bulletin_html.h RenderCsv: UTF-8 with a BOM, CRLF lines, a
// blank line after each table, each table under a line with its name) and
// the cells of its HTML tables.
//
// Thread safety: pure functions.

#ifndef CASERELAY_TESTS_INTEGRATION_DOCUMENT_TABLES_H_
#define CASERELAY_TESTS_INTEGRATION_DOCUMENT_TABLES_H_

#include <string>
#include <vector>

#include "tests/integration/statistics_expected.h"

namespace caserelay::testing {

// The CSV's tables by name; the first line (title, period) under "".
// Quoted fields ("a,b", "say ""x""") are read as RFC 4180 says.
sim::Tables CsvTables(const std::string& csv);

// The text of every <th>/<td> cell of every <tr> of `html`, row by row,
// tags stripped and the five entities of the escaper decoded.
std::vector<std::vector<std::string>> HtmlRows(const std::string& html);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_DOCUMENT_TABLES_H_
