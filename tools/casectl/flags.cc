#include "tools/casectl/flags.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caserelay::casectl {

bool ParsedFlags::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

std::string ParsedFlags::Value(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return "";
  return it->second.back();
}

std::vector<std::string> ParsedFlags::Values(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  return it->second;
}

absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& spec) {
  ParsedFlags parsed;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || !absl::StartsWith(arg, "--")) {
      parsed.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const FlagSpec* flag = nullptr;
    for (const FlagSpec& s : spec) {
      if (s.name == name) flag = &s;
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (flag->kind == FlagKind::kBool) {
      if (inline_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes no value"));
      }
    } else if (!inline_value) {
      if (i + 1 >= args.size() || absl::StartsWith(args[i + 1], "--")) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--", name, " needs ",
            flag->value_name.empty() ? "a value" : flag->value_name));
      }
      value = args[++i];
    }
    auto& values = parsed.values_[name];
    if (!values.empty() && !flag->repeatable &&
        flag->kind == FlagKind::kValue) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " given twice"));
    }
    values.push_back(std::move(value));
  }
  return parsed;
}

}  // namespace caserelay::casectl
