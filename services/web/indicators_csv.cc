#include "services/web/indicators_csv.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace caserelay::web {
namespace {

using v1::Indicators;
using v1::Rate;

// Each rate's column name (supervision.proto's definitions) and field.
struct RateColumn {
  const char* name;
  const Rate& (Indicators::*rate)() const;
};
constexpr RateColumn kRates[] = {
    {"及时受理率（信访部门）", &Indicators::timely_acceptance_bureau},
    {"及时受理率（责任单位）", &Indicators::timely_acceptance_handling},
    {"按期办结率", &Indicators::on_time_completion},
    {"参评率", &Indicators::evaluation},
    {"群众满意率", &Indicators::satisfaction},
    {"重复信访率", &Indicators::repeat},
    {"越级访率", &Indicators::level_skipping},
    {"一次性化解率", &Indicators::first_pass_resolution},
};

// One CSV field: quoted when it holds a comma, quote or line end.
std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

std::string Line(const std::string& key, const Indicators& row) {
  std::vector<std::string> fields = {Field(key)};
  for (const RateColumn& column : kRates) {
    const Rate& rate = (row.*column.rate)();
    fields.push_back(absl::StrCat(rate.numerator()));
    fields.push_back(absl::StrCat(rate.denominator()));
    fields.push_back(
        rate.has_value() ? absl::StrFormat("%.2f%%", rate.value() * 100) : "");
  }
  fields.push_back(absl::StrCat(row.backlog()));
  return absl::StrCat(absl::StrJoin(fields, ","), "\r\n");
}

}  // namespace

std::string IndicatorsCsv(const v1::GetIndicatorsResponse& response) {
  std::vector<std::string> header = {"范围"};
  for (const RateColumn& column : kRates) {
    header.push_back(absl::StrCat(column.name, "（分子）"));
    header.push_back(absl::StrCat(column.name, "（分母）"));
    header.push_back(column.name);
  }
  header.push_back("积案");
  std::string csv =
      absl::StrCat("\xEF\xBB\xBF", absl::StrJoin(header, ","), "\r\n");
  absl::StrAppend(&csv, Line("合计", response.total()));
  for (const Indicators& row : response.rows()) {
    absl::StrAppend(&csv, Line(row.key(), row));
  }
  return csv;
}

}  // namespace caserelay::web
