#include "domain/routing/matter_key.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace caserelay::routing {
namespace {

// Appends `value` with the separators and '%' written as %XX, so a field
// can never run into the next one.
void AppendEscaped(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '%' || c == '|' || c == ',' || c == '=') {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string MatterKey(const caserelay::v1::Matter& m) {
  std::vector<std::string> accused(m.accused_offices().begin(),
                                   m.accused_offices().end());
  std::sort(accused.begin(), accused.end());
  accused.erase(std::unique(accused.begin(), accused.end()), accused.end());

  std::string key = "m1|region=";
  AppendEscaped(key, m.region_code());
  key += "|category=";
  AppendEscaped(key, m.category());
  key += "|class=";
  key += std::to_string(static_cast<int>(m.matter_class()));
  key += "|accused=";
  for (size_t i = 0; i < accused.size(); ++i) {
    if (i > 0) key += ',';
    AppendEscaped(key, accused[i]);
  }
  return key;
}

}  // namespace caserelay::routing
