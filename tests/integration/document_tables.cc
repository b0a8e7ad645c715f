#include "tests/integration/document_tables.h"

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace caserelay::testing {
namespace {

// The records of an RFC 4180 text with CRLF line ends.
std::vector<std::vector<std::string>> CsvRecords(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
      ++i;
    } else {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

}  // namespace

sim::Tables CsvTables(const std::string& csv) {
  std::string text = csv;
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text = text.substr(3);
  sim::Tables tables;
  bool first = true;
  sim::Table* table = nullptr;
  for (const auto& record : CsvRecords(text)) {
    const bool blank = record.size() == 1 && record[0].empty();
    if (blank) {
      table = nullptr;
      continue;
    }
    if (first) {
      tables[""].push_back(record);
      first = false;
    } else if (table == nullptr) {
      table = &tables[record[0]];
    } else {
      table->push_back(record);
    }
  }
  return tables;
}

std::vector<std::vector<std::string>> HtmlRows(const std::string& html) {
  std::vector<std::vector<std::string>> rows;
  size_t at = 0;
  while ((at = html.find("<tr>", at)) != std::string::npos) {
    const size_t end = html.find("</tr>", at);
    if (end == std::string::npos) break;
    const std::string row = html.substr(at, end - at);
    std::vector<std::string> cells;
    size_t cell = 0;
    while ((cell = row.find("<t", cell + 1)) != std::string::npos) {
      if (row.compare(cell, 3, "<td") != 0 && row.compare(cell, 3, "<th") != 0)
        continue;
      const size_t open = row.find('>', cell);
      const size_t close = row.find("</t", open);
      if (open == std::string::npos || close == std::string::npos) break;
      std::string text = row.substr(open + 1, close - open - 1);
      text = absl::StrReplaceAll(text, {{"&lt;", "<"},
                                        {"&gt;", ">"},
                                        {"&quot;", "\""},
                                        {"&#39;", "'"},
                                        {"&apos;", "'"},
                                        {"&amp;", "&"}});
      cells.push_back(text);
      cell = close;
    }
    rows.push_back(cells);
    at = end;
  }
  return rows;
}

}  // namespace caserelay::testing
