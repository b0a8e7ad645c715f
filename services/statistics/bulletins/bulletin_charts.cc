#include "services/statistics/bulletins/bulletin_charts.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/statistics/bulletins/bulletin_format.h"

namespace caserelay::bulletins {
namespace {

constexpr char kFont[] = "Noto Sans CJK SC, Noto Sans CJK, sans-serif";
// Print-safe colours: now, previous period, a year before.
constexpr const char* kSeries[] = {"#1f4e79", "#6f9fc8", "#c9d9ea"};

std::string Open(absl::string_view label, int width, int height) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" "
      "font-family=\"%s\" font-size=\"13\">",
      width, height, width, height, EscapeMarkup(label), kFont);
}

std::string Text(int x, int y, absl::string_view anchor, absl::string_view text,
                 absl::string_view extra = "") {
  return absl::StrFormat(
      "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>%s</text>", x, y, anchor,
      extra, EscapeMarkup(text));
}

}  // namespace

std::string BarChartSvg(absl::string_view label,
                        const std::vector<NamedCount>& rows, int64_t total) {
  constexpr int kWidth = 640, kRow = 26, kLabel = 150, kBars = 360, kTop = 8;
  const int height = kTop * 2 + kRow * std::max<int>(1, rows.size());
  int64_t most = 0;
  for (const NamedCount& row : rows) most = std::max(most, row.count);
  std::string svg = Open(label, kWidth, height);
  for (size_t i = 0; i < rows.size(); ++i) {
    const int y = kTop + static_cast<int>(i) * kRow;
    absl::StrAppend(&svg, Text(kLabel - 8, y + 17, "end", rows[i].name));
    int bar = 0;
    if (most > 0) {
      bar = static_cast<int>(kBars * rows[i].count / most);
      if (rows[i].count > 0) bar = std::max(bar, 1);
    }
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        "fill=\"%s\"/>",
                        kLabel, y + 4, bar, kRow - 8, kSeries[0]));
    std::string value = absl::StrCat(rows[i].count);
    if (total > 0) {
      absl::StrAppend(&value, "（", Percent({rows[i].count, total}), "）");
    }
    absl::StrAppend(&svg, Text(kLabel + bar + 6, y + 17, "start", value));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string ComparisonChartSvg(absl::string_view label,
                               const std::vector<Headline>& figures) {
  constexpr int kWidth = 640, kHeight = 250, kLeft = 20, kBottom = 200,
                kPlot = 150, kBar = 26;
  const char* const kNames[] = {"本期", "上期（环比）", "去年同期（同比）"};
  int64_t most = 0;
  for (const Headline& figure : figures) {
    most = std::max({most, figure.count.current, figure.count.previous,
                     figure.count.year_before});
  }
  std::string svg = Open(label, kWidth, kHeight);
  const int group =
      figures.empty() ? kWidth
                      : (kWidth - 2 * kLeft) / static_cast<int>(figures.size());
  for (size_t i = 0; i < figures.size(); ++i) {
    const int64_t values[] = {figures[i].count.current,
                              figures[i].count.previous,
                              figures[i].count.year_before};
    const int x0 = kLeft + static_cast<int>(i) * group + (group - 3 * kBar) / 2;
    for (int s = 0; s < 3; ++s) {
      int h = most > 0 ? static_cast<int>(kPlot * values[s] / most) : 0;
      if (values[s] > 0) h = std::max(h, 1);
      const int x = x0 + s * kBar;
      absl::StrAppend(&svg,
                      absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"%d\" "
                                      "height=\"%d\" fill=\"%s\"/>",
                                      x, kBottom - h, kBar - 4, h, kSeries[s]));
      absl::StrAppend(&svg, Text(x + (kBar - 4) / 2, kBottom - h - 4, "middle",
                                 absl::StrCat(values[s]), " font-size=\"11\""));
    }
    absl::StrAppend(&svg, Text(x0 + (3 * kBar) / 2, kBottom + 18, "middle",
                               figures[i].label));
  }
  absl::StrAppend(
      &svg, absl::StrFormat("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                            "stroke=\"#555\"/>",
                            kLeft, kBottom, kWidth - kLeft, kBottom));
  for (int s = 0; s < 3; ++s) {
    const int x = kLeft + s * 170;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                        "fill=\"%s\"/>",
                        x, kHeight - 20, kSeries[s]));
    absl::StrAppend(&svg, Text(x + 18, kHeight - 9, "start", kNames[s]));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

}  // namespace caserelay::bulletins
