// System::StartWeb (harness.h): the web gateway of issue 15 beside the
// services, as service:web with the token the harness wrote for it.

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/harness.h"
#include "tests/integration/harness_config.h"

namespace caserelay::testing {

absl::Status System::StartWeb() {
  const std::string src = CASERELAY_SOURCE_DIR;
  const std::string endpoints = dir() + "/web.endpoints";
  const std::string conf = dir() + "/web.conf";
  const std::string secret = dir() + "/web.secret";
  std::remove(endpoints.c_str());
  {
    // The cookie-signing secret, owner-only as the gateway demands.
    std::ofstream(secret) << std::string(64, 'w') << "\n";
    chmod(secret.c_str(), 0600);
  }
  ConfigLines lines = {
      {"web.listen", "127.0.0.1:0"},
      {"admin.listen", "127.0.0.1:0"},
      {"endpoints.file", endpoints},
      {"web.static_dir", src + "/services/web/static"},
      {"web.pages_dir", src + "/services/web/pages"},
      {"web.secret_path", secret},
      {"regions.path", src + "/data/regions/regions.tsv"},
      {"offices.dir", src + "/data/offices"},
  };
  for (const char* peer : {"intake", "routing", "notification"}) {
    lines.push_back({absl::StrCat(peer, ".address"), addresses_.at(peer)});
    lines.push_back({absl::StrCat(peer, ".token_file"), token_file(kWeb)});
  }
  // The console's services (issue 16), when started: then its console is
  // on.
  if (addresses_.count("accounts") && addresses_.count("supervision")) {
    for (const char* peer : {"accounts", "supervision"}) {
      lines.push_back({absl::StrCat(peer, ".address"), addresses_.at(peer)});
      lines.push_back({absl::StrCat(peer, ".token_file"), token_file(kWeb)});
    }
  }
  // statistics (issue 17), when started: the console's 通报.
  if (addresses_.count("statistics")) {
    lines.push_back({"statistics.address", addresses_.at("statistics")});
    lines.push_back({"statistics.token_file", token_file(kWeb)});
  }
  auto overrides = settings_.find("web");
  WriteConfig(conf, std::move(lines),
              overrides == settings_.end()
                  ? std::map<std::string, std::string>()
                  : overrides->second);
  auto p = Process::Start({Binary("services/web/web"), "--config", conf}, {},
                          dir() + "/web.log");
  if (!p.ok()) return p.status();
  services_["web"] = *std::move(p);
  auto url = WaitForKey(endpoints, "url", Scaled(absl::Seconds(20)),
                        services_["web"].get());
  if (!url.ok()) return url.status();
  web_url_ = *url;
  auto admin = WaitForKey(endpoints, "admin", Scaled(absl::Seconds(5)),
                          services_["web"].get());
  if (!admin.ok()) return admin.status();
  admin_addresses_["web"] = *admin;
  return absl::OkStatus();
}

}  // namespace caserelay::testing
