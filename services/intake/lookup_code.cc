#include "services/intake/lookup_code.h"

#include "absl/strings/escaping.h"
#include "common/digest/digest.h"

namespace caserelay::intake {
namespace {
// Debian's absl::string_view is not std::string_view (PLATFORM-NOTES).
absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }

// 32 symbols: digits and capitals without 0/O, 1/I.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr int kCodeLength = 8;
}  // namespace

std::string LookupCodes::Derive(std::string_view case_number) const {
  const std::string mac = digest::HmacSha256(secret_, A(case_number));
  std::string code;
  for (int i = 0; i < kCodeLength; ++i) code.push_back(kAlphabet[mac[i] & 31]);
  return code;
}

std::string LookupCodes::HexMac(std::string_view input) const {
  return absl::BytesToHexString(digest::HmacSha256(secret_, A(input)));
}

bool LookupCodes::Verify(std::string_view case_number,
                         std::string_view code) const {
  const std::string want = Derive(case_number);
  return digest::ConstantTimeEquals(want, A(code));
}

}  // namespace caserelay::intake
