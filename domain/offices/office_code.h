// Office codes (机关代码): `<region code>:<unit>`, e.g. `140431:hrss`.
//
// Thread safety: stateless functions.
#ifndef CASERELAY_DOMAIN_OFFICES_OFFICE_CODE_H_
#define CASERELAY_DOMAIN_OFFICES_OFFICE_CODE_H_

#include <optional>
#include <string>
#include <string_view>

namespace caserelay::offices {

// The two parts of an office code, viewing the parsed string.
struct OfficeCode {
  std::string_view region_code;  // 6 or 9 digits
  std::string_view unit;         // e.g. "hrss", "public-security"
};

// Splits `code` into its parts; nullopt unless it is exactly a region code
// of 6 or 9 digits, one ':', and a unit that starts with a lower-case
// letter followed by lower-case letters, digits and single '-' (not at the
// end). The result views `code`.
std::optional<OfficeCode> ParseOfficeCode(std::string_view code);

// True if `unit` is a well-formed unit name (as in ParseOfficeCode); also
// the rule for category names.
bool IsUnitName(std::string_view unit);

// "<region_code>:<unit>".
std::string MakeOfficeCode(std::string_view region_code, std::string_view unit);

}  // namespace caserelay::offices

#endif  // CASERELAY_DOMAIN_OFFICES_OFFICE_CODE_H_
