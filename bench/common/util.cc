#include "bench/common/util.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace caserelay::bench {

absl::Status ParseInt(absl::string_view flag, absl::string_view value, int lo,
                      int hi, int* out) {
  if (!absl::SimpleAtoi(value, out) || *out < lo || *out > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": expected an integer in ", lo, "..", hi,
                     ", got \"", value, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FreshStoreDir(const std::string& dir,
                                          absl::string_view name) {
  std::error_code ec;
  if (dir.empty()) {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        absl::StrCat(base && *base ? base : "/tmp", "/bench-", name, "-XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp ", tmpl, " failed"));
    }
    return tmpl;
  }
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--dir: ", dir, " is not empty (the stores must start empty)"));
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("--dir: cannot create ", dir, ": ", ec.message()));
  }
  return dir;
}

}  // namespace caserelay::bench
