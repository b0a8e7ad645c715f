#include "services/intake/identity_key.h"

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/petition/identity.h"

namespace caserelay::intake {

std::string CompactName(std::string_view text) {
  absl::string_view name(text.data(), text.size());
  static constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";
  static constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::string out;
  out.reserve(name.size());
  while (!name.empty()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(name.front()))) {
      name.remove_prefix(1);
    } else if (absl::StartsWith(name, kNoBreakSpace)) {
      name.remove_prefix(kNoBreakSpace.size());
    } else if (absl::StartsWith(name, kIdeographicSpace)) {
      name.remove_prefix(kIdeographicSpace.size());
    } else {
      out.push_back(name.front());
      name.remove_prefix(1);
    }
  }
  return out;
}

std::string IdentityInput(const caserelay::v1::Petitioner& petitioner) {
  std::string id(absl::StripAsciiWhitespace(petitioner.id_number()));
  if (!id.empty()) return absl::StrCat("id:", absl::AsciiStrToUpper(id));
  std::string name = CompactName(petitioner.name());
  auto mobile = petition::NormalizeMobile(petitioner.phone());
  if (name.empty() || !mobile.ok()) return "";
  return absl::StrCat("np:", name, "|", *mobile);
}

std::string IdentityKey(const LookupCodes& codes,
                        const caserelay::v1::Petitioner& petitioner) {
  std::string input = IdentityInput(petitioner);
  return input.empty() ? std::string() : codes.HexMac(input);
}

}  // namespace caserelay::intake
