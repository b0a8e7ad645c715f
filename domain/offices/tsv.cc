#include "domain/offices/tsv.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/file/file.h"
#include "common/text/utf8.h"

namespace caserelay::offices {
namespace {

// Debian's absl::string_view is not std::string_view (PLATFORM-NOTES).
absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}


}  // namespace

absl::Status RowError(std::string_view path, int line, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(A(path), ":", line, ": ", A(what)));
}

absl::StatusOr<std::vector<TsvRow>> ReadTsv(const std::string& path,
                                            size_t columns,
                                            std::string_view header) {
  absl::StatusOr<std::string> text = file::ReadFile(path);
  if (!text.ok()) return text.status();
  // Names end up in every CaseEvent (proto3 strings): a file in GBK would
  // poison them all.
  if (absl::Status s = text::CheckUtf8Lines(*text, path); !s.ok()) return s;
  std::vector<TsvRow> rows;
  int line_number = 0;
  const std::string_view all(*text);
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\n', start);
    if (end == all.npos) end = all.size();
    std::string_view line = all.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    TsvRow row;
    row.line = line_number;
    for (size_t from = 0;;) {
      const size_t tab = line.find('\t', from);
      row.fields.emplace_back(line.substr(from, tab - from));
      if (tab == line.npos) break;
      from = tab + 1;
    }
    if (row.fields.size() != columns) {
      return RowError(
          path, line_number,
          absl::StrCat("expected ", columns, " tab-separated fields (",
                       A(header), "), got ", row.fields.size()));
    }
    for (size_t i = 0; i < columns; ++i) {
      if (row.fields[i].empty()) {
        return RowError(
            path, line_number,
            absl::StrCat("field ", i + 1, " of (", A(header), ") is empty"));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace caserelay::offices
