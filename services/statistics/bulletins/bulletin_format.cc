#include "services/statistics/bulletins/bulletin_format.h"

#include <cmath>
#include <cstdio>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/statistics/query.h"

namespace caserelay::bulletins {
namespace {

// One decimal, rounded half away from zero, without a "-0.0".
std::string OneDecimal(double value) {
  double rounded = std::round(value * 10.0) / 10.0;
  if (rounded == 0.0) rounded = 0.0;
  return absl::StrFormat("%.1f", rounded);
}

}  // namespace

std::string Percent(const Ratio& ratio) {
  if (ratio.denominator == 0) return kNoFigure;
  return absl::StrCat(OneDecimal(100.0 * static_cast<double>(ratio.numerator) /
                                 static_cast<double>(ratio.denominator)),
                      "%");
}

std::string Change(int64_t current, int64_t base) {
  // The definition of 同比/环比 is the statistics' (query.h).
  const std::optional<double> ratio = statistics::ChangeRatio(current, base);
  if (!ratio.has_value()) return kNoFigure;
  const double change = 100.0 * *ratio;
  std::string text = OneDecimal(change);
  return absl::StrCat(change > 0 && text != "0.0" ? "+" : "", text, "%");
}

std::string PointChange(const Ratio& current, const Ratio& base) {
  if (current.denominator == 0 || base.denominator == 0) return kNoFigure;
  double points = 100.0 * (static_cast<double>(current.numerator) /
                               static_cast<double>(current.denominator) -
                           static_cast<double>(base.numerator) /
                               static_cast<double>(base.denominator));
  std::string text = OneDecimal(points);
  return absl::StrCat(points > 0 && text != "0.0" ? "+" : "", text, "个百分点");
}

std::string EscapeMarkup(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace caserelay::bulletins
