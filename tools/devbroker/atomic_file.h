// Atomic small-file writes for the files devbroker publishes (地址文件):
// readers polling for a file see either nothing or the whole content.
#ifndef CASERELAY_TOOLS_DEVBROKER_ATOMIC_FILE_H_
#define CASERELAY_TOOLS_DEVBROKER_ATOMIC_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace caserelay::devbroker {

// Writes `contents` to "<path>.tmp.<pid>", fsyncs it and renames it over
// `path`. Returns OK; UNAVAILABLE naming the path if any step fails, in
// which case `path` is untouched and the temp file is removed.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_ATOMIC_FILE_H_
