#include "domain/petition/identity.h"

#include <cstddef>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caserelay::petition {
namespace {

constexpr size_t kIdLength = 18;
constexpr int kIdWeights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                3, 7, 9,  10, 5, 8, 4, 2};
constexpr char kIdCheckChars[] = "10X98765432";
constexpr int kEarliestBirthYear = 1800;

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

int ParseDigits(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

absl::Status IdError(const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("id_number (GB 11643-1999): ", what));
}

// Debian builds absl with its own absl::string_view, so the std::string_view
// helpers that absl/strings/strip.h would give are written out here.
std::string_view StripWhitespace(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s[0]))) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         absl::ascii_isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Strips whitespace at the ends; for a mobile also spaces and hyphens inside,
// and the country prefix. Returns "" if what is left is not a mobile.
std::string MobileDigits(std::string_view phone) {
  std::string s;
  for (char c : StripWhitespace(phone)) {
    if (c != ' ' && c != '-') s.push_back(c);
  }
  std::string_view rest = s;
  if (!ConsumePrefix(&rest, "+86") && !ConsumePrefix(&rest, "0086") &&
      rest.size() == 13) {
    ConsumePrefix(&rest, "86");
  }
  if (rest.size() != 11 || !AllDigits(rest) || rest[0] != '1' ||
      rest[1] < '3' || rest[1] > '9') {
    return "";
  }
  return std::string(rest);
}

bool IsLandline(std::string_view phone) {
  std::string_view s = StripWhitespace(phone);
  if (s.empty() || s[0] != '0') return false;
  const size_t hyphen = s.find('-');
  if (hyphen == std::string_view::npos) {
    return AllDigits(s) && s.size() >= 10 && s.size() <= 12;
  }
  const std::string_view area = s.substr(0, hyphen);
  const std::string_view number = s.substr(hyphen + 1);
  return AllDigits(area) && area.size() >= 3 && area.size() <= 4 &&
         AllDigits(number) && number.size() >= 7 && number.size() <= 8;
}

}  // namespace

absl::Status ValidateIdNumber(std::string_view id, absl::CivilDay today) {
  if (id.size() != kIdLength) {
    return IdError(absl::StrCat("must be 18 characters, got ", id.size()));
  }
  if (!AllDigits(id.substr(0, 17))) {
    return IdError("characters 1-17 must be digits");
  }
  const char check = absl::ascii_toupper(static_cast<unsigned char>(id[17]));
  if (!absl::ascii_isdigit(static_cast<unsigned char>(check)) && check != 'X') {
    return IdError("check character (18th) must be 0-9 or X");
  }

  const int year = ParseDigits(id.substr(6, 4));
  const int month = ParseDigits(id.substr(10, 2));
  const int day = ParseDigits(id.substr(12, 2));
  // CivilDay normalises out-of-range fields (Feb 30 -> Mar 2); a real date
  // comes back unchanged.
  const absl::CivilDay birth(year, month, day);
  if (birth.year() != year || birth.month() != month || birth.day() != day) {
    return IdError("birth date (characters 7-14, YYYYMMDD) is not a real date");
  }
  if (year < kEarliestBirthYear) {
    return IdError(absl::StrCat("birth date (characters 7-14) is before ",
                                kEarliestBirthYear));
  }
  if (birth > today) {
    return IdError("birth date (characters 7-14) is in the future");
  }

  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kIdWeights[i];
  if (kIdCheckChars[sum % 11] != check) {
    return IdError(
        "check character does not match the ISO 7064 MOD 11-2 checksum of "
        "the first 17 digits");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeIdNumber(std::string_view id,
                                              absl::CivilDay today) {
  if (absl::Status s = ValidateIdNumber(id, today); !s.ok()) return s;
  std::string normalized(id);
  normalized[17] = absl::ascii_toupper(static_cast<unsigned char>(id[17]));
  return normalized;
}

absl::Status ValidatePhone(std::string_view phone) {
  if (StripWhitespace(phone).empty()) {
    return absl::InvalidArgumentError("phone is empty");
  }
  if (IsMobile(phone) || IsLandline(phone)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "phone is neither a mainland mobile (1[3-9] + 9 digits, optional +86) "
      "nor a landline (0 + 2-3 digit area code + 7-8 digits)");
}

bool IsMobile(std::string_view phone) { return !MobileDigits(phone).empty(); }

absl::StatusOr<std::string> NormalizeMobile(std::string_view phone) {
  std::string digits = MobileDigits(phone);
  if (digits.empty()) {
    return absl::InvalidArgumentError(
        "phone is not a mainland mobile (1[3-9] + 9 digits, optional +86); "
        "SMS needs a mobile");
  }
  return digits;
}

}  // namespace caserelay::petition
