// The config parser (common/config Config::Load) on a hostile file and
// hostile CASERELAY_* overrides, against a service's real schema (the
// settings every service has: service_main.h CommonSettings). The input is
// the file, then optionally a NUL byte and environment lines NAME=VALUE.
// Load must answer a Config or a status; a Config's getters must work for
// every setting it has.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/config/config.h"
#include "common/service/service_main.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static const std::vector<config::Setting>* schema =
      new std::vector<config::Setting>(service::CommonSettings("intake"));
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t nul = bytes.find('\0');
  std::map<std::string, std::string> env;
  if (nul != std::string_view::npos) {
    const std::string_view lines = bytes.substr(nul + 1);
    for (absl::string_view line :
         absl::StrSplit(absl::string_view(lines.data(), lines.size()), '\n',
                        absl::SkipEmpty())) {
      const size_t eq = line.find('=');
      if (eq == absl::string_view::npos) continue;
      env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
  }
  (void)config::ParseDuration(bytes);
  (void)config::ParseHostPort(bytes);
  const std::string path =
      fuzz::WriteScratch("service.conf", bytes.substr(0, nul));
  auto loaded = config::Config::Load(path, *schema, env);
  if (!loaded.ok()) return 0;
  for (const config::Setting& setting : *schema) {
    (void)loaded->GetString(setting.key);
    (void)loaded->Source(setting.key);
    if (!loaded->Has(setting.key)) continue;
    switch (setting.type) {
      case config::Setting::Type::kInt:
        (void)loaded->GetInt(setting.key);
        break;
      case config::Setting::Type::kBool:
        (void)loaded->GetBool(setting.key);
        break;
      case config::Setting::Type::kDuration:
        (void)loaded->GetDuration(setting.key);
        break;
      case config::Setting::Type::kPath:
        (void)loaded->GetPath(setting.key);
        break;
      case config::Setting::Type::kHostPort:
        (void)loaded->GetHostPort(setting.key);
        break;
      case config::Setting::Type::kString:
        break;
    }
  }
  return 0;
}
