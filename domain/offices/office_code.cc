#include "domain/offices/office_code.h"

namespace caserelay::offices {

bool IsUnitName(std::string_view unit) {
  if (unit.empty() || unit.front() < 'a' || unit.front() > 'z') return false;
  if (unit.back() == '-') return false;
  char previous = '\0';
  for (char c : unit) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    (c == '-' && previous != '-');
    if (!ok) return false;
    previous = c;
  }
  return true;
}

std::optional<OfficeCode> ParseOfficeCode(std::string_view code) {
  const size_t colon = code.find(':');
  if (colon == code.npos) return std::nullopt;
  OfficeCode parts{code.substr(0, colon), code.substr(colon + 1)};
  if (parts.region_code.size() != 6 && parts.region_code.size() != 9) {
    return std::nullopt;
  }
  for (char c : parts.region_code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (!IsUnitName(parts.unit)) return std::nullopt;  // also rejects a 2nd ':'
  return parts;
}

std::string MakeOfficeCode(std::string_view region_code,
                           std::string_view unit) {
  std::string code;
  code.reserve(region_code.size() + 1 + unit.size());
  code.append(region_code);
  code.push_back(':');
  code.append(unit);
  return code;
}

}  // namespace caserelay::offices
