#include "bench/common/util.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

absl::StatusOr<std::pair<std::string, std::string>> TakeValueFlag(
    const std::vector<std::string>& args, size_t* i,
    absl::Span<const absl::string_view> known) {
  const absl::string_view arg = args[*i];
  if (arg.rfind("--", 0) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument \"", arg, "\" (see --help)"));
  }
  const size_t eq = arg.find('=');
  const absl::string_view name = arg.substr(0, eq);
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag \"", name, "\" (see --help)"));
  }
  if (eq != absl::string_view::npos) {
    return std::make_pair(std::string(name), std::string(arg.substr(eq + 1)));
  }
  if (*i + 1 >= args.size()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": missing value"));
  }
  ++*i;
  return std::make_pair(std::string(name), args[*i]);
}

const char* BuildType() {
#ifdef NDEBUG
  return "optimized (NDEBUG)";
#else
  return "NOT optimized (no NDEBUG): configure with -DCMAKE_BUILD_TYPE=Release";
#endif
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
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
