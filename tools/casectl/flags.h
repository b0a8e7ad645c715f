// The flag parser of casectl: GNU-style long flags after a command word.
//
//   --name value    --name=value    a value flag (repeatable ones collect)
//   --name          a boolean flag (no value allowed)
//   --              everything after it is positional
//   anything else   positional, including "-" (stdin)
//
// Thread safety: ParsedFlags is a value; const methods are thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_FLAGS_H_
#define CASERELAY_TOOLS_CASECTL_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caserelay::casectl {

enum class FlagKind {
  kValue,  // takes one value
  kBool,   // present or not
};

struct FlagSpec {
  std::string name;  // without the leading "--", e.g. "accused-office"
  FlagKind kind = FlagKind::kValue;
  bool repeatable = false;  // kValue only: may be given more than once
  std::string value_name;   // for help texts, e.g. "CODE"
  std::string help;         // one line for help texts
};

// What ParseFlags found.
class ParsedFlags {
 public:
  // Whether the flag was given (a kBool flag: whether it is set).
  bool Has(absl::string_view name) const;
  // The value of a kValue flag, "" when it was not given.
  std::string Value(absl::string_view name) const;
  // Every value of a repeatable flag, in command-line order.
  std::vector<std::string> Values(absl::string_view name) const;
  // The words that are not flags, in order.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend absl::StatusOr<ParsedFlags> ParseFlags(
      const std::vector<std::string>& args, const std::vector<FlagSpec>& spec);

  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Parses `args` against `spec`. Fails with INVALID_ARGUMENT naming the
// flag for: a flag not in `spec` ("unknown flag --x"), a value flag
// without a value, i.e. last or followed by a word starting with "--"
// ("--x needs VALUE"; write --x=--y for such a value), a value given to
// a kBool flag, and a non-repeatable value flag given twice (a kBool flag
// may be repeated).
absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& spec);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_FLAGS_H_
