#include "common/rpc/principal.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/text/utf8.h"

namespace caserelay::rpc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

}  // namespace

bool IsOfficeCode(absl::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  size_t colon = code.find(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    if (!IsDigit(code[i])) return false;
  }
  absl::string_view unit = code.substr(colon + 1);
  if (unit.empty() || !IsLower(unit[0])) return false;
  for (char c : unit) {
    if (!(IsLower(c) || IsDigit(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool IsServiceName(absl::string_view name) {
  for (const char* known : kServiceNames) {
    if (name == known) return true;
  }
  return false;
}

bool IsPersonLabel(absl::string_view label) {
  if (label.empty() || label.size() > 100) return false;
  for (char c : label) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return text::IsValidUtf8(std::string_view(label.data(), label.size()));
}

bool IsCaseIdLabel(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z') || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string Principal::Name() const {
  return kind == Kind::kOffice ? id : absl::StrCat(kServicePrefix, id);
}

std::string Principal::Operator() const {
  if (!person.empty()) return person;
  return IsPetitioner() ? "petitioner" : Name();
}

std::string Principal::ToString() const {
  if (IsPetitioner()) {
    return absl::StrCat("petitioner of case ", petitioner_case, " (", Name(),
                        ")");
  }
  if (person.empty()) return Name();
  if (via.empty() || (kind == Kind::kService && id == via)) {
    return absl::StrCat(person, " (", Name(), ")");
  }
  if (roles.empty()) {
    return absl::StrCat(person, " (", Name(), " via ", kServicePrefix, via,
                        ")");
  }
  return absl::StrCat(person, " (", Name(), " via ", kServicePrefix, via,
                      ", roles ", RolesMetadataValue(roles), ")");
}

absl::StatusOr<Principal> ParsePrincipal(absl::string_view text) {
  if (absl::StartsWith(text, kServicePrefix)) {
    absl::string_view name = text.substr(sizeof(kServicePrefix) - 1);
    if (!IsServiceName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", text,
          "\" names no service: service:intake, service:routing, "
          "service:supervision, service:notification or service:web"));
    }
    return Principal::Service(std::string(name));
  }
  if (!IsOfficeCode(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\" is neither an office code (<region code>:<unit>, e.g. "
                     "140431:bureau) nor service:<name>"));
  }
  return Principal::Office(std::string(text));
}

}  // namespace caserelay::rpc
