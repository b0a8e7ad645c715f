// The tab-separated data files of data/offices and data/routing: one row a
// line, `#` comment lines and empty lines skipped.
//
// Thread safety: stateless functions.
#ifndef CASERELAY_DOMAIN_OFFICES_TSV_H_
#define CASERELAY_DOMAIN_OFFICES_TSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace caserelay::offices {

// One data row of a file, with its 1-based line number.
struct TsvRow {
  int line = 0;
  std::vector<std::string> fields;
};

// Reads the UTF-8 file at `path` and splits each data line at tabs (a
// trailing '\r' is dropped). Every row must have exactly `columns` fields,
// none of them empty; `header` names them in error messages (e.g.
// "code, name").
//
// Returns the rows in file order. Fails with the errno-derived code
// (NOT_FOUND, PERMISSION_DENIED, ...) naming `path` if the file cannot be
// read, and with INVALID_ARGUMENT "path:line: ..." for a line that is not
// valid UTF-8 (common/text CheckUtf8Lines), a row of the wrong width or
// with an empty field.
absl::StatusOr<std::vector<TsvRow>> ReadTsv(const std::string& path,
                                            size_t columns,
                                            std::string_view header);

// INVALID_ARGUMENT "path:line: what", the error of a bad row.
absl::Status RowError(std::string_view path, int line, std::string_view what);

}  // namespace caserelay::offices

#endif  // CASERELAY_DOMAIN_OFFICES_TSV_H_
