// Whole files: data tables read at start-up, and small files that one
// process publishes and others poll (地址文件): devbroker's info file, the
// services' endpoints files. The latter are written atomically, so a
// reader sees either nothing or the whole content, and hold `key=value`
// lines.
//
// Thread safety: stateless functions.
#ifndef CASERELAY_COMMON_FILE_FILE_H_
#define CASERELAY_COMMON_FILE_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caserelay::file {

// Writes `contents` to "<path>.tmp.<pid>", fsyncs it and renames it over
// `path`. Returns OK; UNAVAILABLE naming the path if any step fails, in
// which case `path` is untouched and the temp file is removed.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// The whole content of `path`. Fails with the errno-derived code
// (NOT_FOUND, PERMISSION_DENIED, ...) and a message "cannot open <path>"
// or "cannot read <path>".
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The value of the first `key=value` line of `path` whose key is `key`,
// trimmed of surrounding whitespace. NOT_FOUND naming the path when the
// file cannot be read or has no such line.
absl::StatusOr<std::string> ReadKeyValue(const std::string& path,
                                         absl::string_view key);

}  // namespace caserelay::file

#endif  // CASERELAY_COMMON_FILE_FILE_H_
