#include "domain/sms/template_set.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/sms/segment.h"
#include "domain/sms/triggers.h"

namespace caserelay::sms {
namespace {

namespace fs = std::filesystem;

constexpr char kExtension[] = ".txt";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsValidName(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

absl::Status CheckDeclarations(
    const std::map<std::string, std::set<std::string>>& required) {
  if (required.empty()) {
    return absl::InvalidArgumentError("SMS templates: no triggers declared");
  }
  for (const auto& [trigger, variables] : required) {
    if (!IsValidName(trigger)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "SMS trigger name '", trigger, "' is not [a-z][a-z0-9_]*"));
    }
    for (const std::string& variable : variables) {
      if (!IsValidName(variable)) {
        return absl::InvalidArgumentError(
            absl::StrCat("SMS trigger '", trigger, "' declares variable '",
                         variable, "' whose name is not [a-z][a-z0-9_]*"));
      }
      if (IsForbiddenVariable(variable)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "SMS trigger '", trigger, "' declares forbidden variable '",
            variable,
            "': no SMS may carry accusation content, an ID number or "
            "personal data (DOMAIN.md \"Notifying the petitioner\")"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open SMS template file ", path.string()));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read SMS template file ", path.string()));
  }
  return content.str();
}

std::string_view StripFraming(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    text.remove_prefix(kUtf8Bom.size());
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

absl::StatusOr<TemplateSet::Template> TemplateSet::Parse(
    const std::string& path, std::string_view text) {
  if (text.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("SMS template ", path, " is empty"));
  }
  if (absl::Status s = Utf8ToUtf16(text).status(); !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("SMS template ", path, ": ", s.message()));
  }
  Template parsed;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '}') {
      return absl::FailedPreconditionError(
          absl::StrCat("SMS template ", path, ": unbalanced '}' at byte ", i));
    }
    if (c != '{') {
      literal.push_back(c);
      ++i;
      continue;
    }
    const size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || text[close] != '}') {
      return absl::FailedPreconditionError(
          absl::StrCat("SMS template ", path, ": unbalanced '{' at byte ", i));
    }
    const std::string name(text.substr(i + 1, close - i - 1));
    if (!IsValidName(name)) {
      return absl::FailedPreconditionError(
          absl::StrCat("SMS template ", path, ": placeholder '{", name,
                       "}' at byte ", i, " is not [a-z][a-z0-9_]*"));
    }
    if (!literal.empty()) {
      parsed.pieces.push_back({false, std::move(literal)});
      literal.clear();
    }
    parsed.pieces.push_back({true, name});
    parsed.variables.insert(name);
    i = close + 1;
  }
  if (!literal.empty()) parsed.pieces.push_back({false, std::move(literal)});
  return parsed;
}

absl::StatusOr<TemplateSet> TemplateSet::Load(
    const std::string& dir,
    const std::map<std::string, std::set<std::string>>& required) {
  if (absl::Status s = CheckDeclarations(required); !s.ok()) return s;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("SMS template directory ", dir, " is not a directory"));
  }

  std::map<std::string, Template, std::less<>> templates;
  for (const auto& [trigger, declared] : required) {
    const fs::path path = fs::path(dir) / absl::StrCat(trigger, kExtension);
    if (!fs::is_regular_file(path, ec)) {
      return absl::NotFoundError(absl::StrCat("SMS template file ",
                                              path.string(), " for trigger '",
                                              trigger, "' is missing"));
    }
    absl::StatusOr<std::string> content = ReadFile(path);
    if (!content.ok()) return content.status();
    absl::StatusOr<Template> parsed =
        Parse(path.string(), StripFraming(*content));
    if (!parsed.ok()) return parsed.status();
    for (const std::string& used : parsed->variables) {
      if (declared.count(used) == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("SMS template ", path.string(), " uses variable '",
                         used, "' not declared for trigger '", trigger,
                         "' (declared: ", absl::StrJoin(declared, ", "), ")"));
      }
    }
    for (const std::string& want : declared) {
      if (parsed->variables.count(want) == 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "SMS template ", path.string(), " leaves out variable '", want,
            "' required for trigger '", trigger, "'"));
      }
    }
    templates.emplace(trigger, *std::move(parsed));
  }

  // A template file nobody declared is a misnamed or stale template.
  for (fs::directory_iterator entry(dir, ec), end; !ec && entry != end;
       entry.increment(ec)) {
    const fs::path& path = entry->path();
    if (path.extension() != kExtension) continue;
    if (required.count(path.stem().string()) == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "SMS template file ", path.string(), " has no declared trigger '",
          path.stem().string(), "' (misnamed or stale template?)"));
    }
  }
  if (ec) {
    return absl::NotFoundError(absl::StrCat(
        "cannot list SMS template directory ", dir, ": ", ec.message()));
  }
  return TemplateSet(std::move(templates));
}

absl::StatusOr<std::string> TemplateSet::Render(
    std::string_view trigger,
    const std::map<std::string, std::string>& vars) const {
  // Debian's absl::string_view is not std::string_view; StrCat takes this.
  const std::string trigger_name(trigger);
  const auto it = templates_.find(trigger);
  if (it == templates_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no SMS template for trigger '", trigger_name, "'"));
  }
  const Template& tmpl = it->second;
  for (const auto& [name, value] : vars) {
    if (tmpl.variables.count(name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "variable '", name, "' is not declared for SMS trigger '",
          trigger_name, "'"));
    }
  }
  std::string out;
  for (const Piece& piece : tmpl.pieces) {
    if (!piece.is_variable) {
      out += piece.text;
      continue;
    }
    const auto var = vars.find(piece.text);
    if (var == vars.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("SMS trigger '", trigger_name, "' needs variable '",
                       piece.text, "'"));
    }
    if (var->second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("variable '", piece.text, "' for SMS trigger '",
                       trigger_name, "' is empty"));
    }
    if (!Utf8ToUtf16(var->second).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("variable '", piece.text, "' for SMS trigger '",
                       trigger_name, "' is not valid UTF-8"));
    }
    out += var->second;
  }
  return out;
}

std::vector<std::string> TemplateSet::Triggers() const {
  std::vector<std::string> names;
  names.reserve(templates_.size());
  for (const auto& [name, tmpl] : templates_) names.push_back(name);
  return names;
}

}  // namespace caserelay::sms
