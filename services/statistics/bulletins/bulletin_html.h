// A bulletin's documents (issue 17 item 2): the HTML page (shown in the
// console, and the PDF's source: pdf_renderer.h) and the CSV of its
// tables. Both are functions of the BulletinContent alone, so the same
// content always gives the same bytes.
//
// The HTML comes from one mustache template (bulletin_template.cc) that
// escapes every value it is given; only the charts (bulletin_charts.h,
// which escape their own text) are inserted as markup. It holds no script
// and loads nothing: fonts are named, not fetched, and the CSS is inline.
// It is laid out for A4 (CSS @page) with the page number in the footer.
//
// Thread safety: pure functions.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_HTML_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_HTML_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/statistics/bulletins/bulletin_content.h"

namespace caserelay::bulletins {

// The whole HTML document. Errors: INTERNAL if the template fails to
// render (a broken template is a bug, not an input error).
absl::StatusOr<std::string> RenderHtml(const BulletinContent& content);

// The tables as CSV (RFC 4180, UTF-8 with a byte-order mark so that
// spreadsheet programs read the Chinese), one table after another, each
// headed by a line with its name and separated by an empty line.
std::string RenderCsv(const BulletinContent& content);

// The one-sentence summary that opens the bulletin, e.g. "本期共登记信访
// 事项120件、120人次，环比+9.1%，同比-4.0%；网上信访78件，占65.0%，同比
// +3.2个百分点。"
std::string Summary(const BulletinContent& content);

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_HTML_H_
