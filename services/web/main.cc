// web: the petitioner's portal (网上信访) and its JSON API in front of the
// services (DESIGN.md "web"; services/web/README.md). No Kafka, no store:
// it calls intake, routing and notification as service:web, and its only
// state is the signed session cookie the browser holds.

#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/admin/http_server.h"
#include "common/config/command_line.h"
#include "common/config/config.h"
#include "common/file/file.h"
#include "common/log/log.h"
#include "common/metrics/metrics.h"
#include "common/region/region_tree.h"
#include "common/rpc/client_config.h"
#include "common/rpc/files.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"
#include "services/web/api.h"
#include "services/web/backends.h"
#include "services/web/console_api.h"
#include "services/web/console_backends.h"
#include "services/web/http_front.h"
#include "services/web/page_layout.h"
#include "services/web/session.h"
#include "services/web/settings.h"

namespace caserelay::web {
namespace {

void PrintHelp() {
  std::printf(
      "web — the petitioner's portal (网上信访) and the offices' console "
      "(信访工作台): pages and a JSON API over HTTP(S), calling intake, "
      "routing and notification (and, for the console, accounts, "
      "supervision and statistics) as service:web\n\n"
      "Usage: web [--config FILE]\n\n"
      "  --config FILE  settings as `key = value` lines (see deploy/config/)\n"
      "  --help         this text\n\n"
      "Every setting may also come from the environment (CASERELAY_...),\n"
      "which wins over the file. Settings:\n\n%s\n"
      "Stops cleanly on SIGTERM or SIGINT.\n",
      config::DescribeSettings(Settings()).c_str());
}

int Fail(const absl::Status& s, int code) {
  std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
  return code;
}

int Run(int argc, char** argv) {
  absl::StatusOr<config::CommandLine> line =
      config::ParseCommandLine(argc, argv);
  if (!line.ok()) {
    std::fprintf(stderr, "web: %s\n",
                 std::string(line.status().message()).c_str());
    return 2;
  }
  if (line->help) {
    PrintHelp();
    return 0;
  }
  const std::string& config_path = line->config_path;
  log::SetService("web");
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto cfg = config::Config::Load(config_path, Settings(),
                                  config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status(), 2);
  auto secret = rpc::ReadSmallFile(cfg->GetPath("web.secret_path"),
                                   rpc::FileAccess::kOwnerOnly);
  if (!secret.ok()) {
    return Fail(absl::Status(secret.status().code(),
                             absl::StrCat("config: web.secret_path: ",
                                          secret.status().message())),
                2);
  }
  auto sessions = SessionCodec::Create(
      std::string(absl::StripTrailingAsciiWhitespace(*secret)));
  if (!sessions.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
                    "config: web.secret_path: ", sessions.status().message())),
                2);
  }
  if (cfg->GetDuration("web.session_ttl") <= absl::ZeroDuration() ||
      cfg->GetDuration("web.anonymous_ttl") <= absl::ZeroDuration() ||
      cfg->GetDuration("web.rpc_timeout") <= absl::ZeroDuration()) {
    return Fail(absl::InvalidArgumentError(
                    "config: web.session_ttl, web.anonymous_ttl and "
                    "web.rpc_timeout must be longer than 0"),
                2);
  }
  // The portal's private key, like every key of the deployment, is read
  // only by its owner.
  if (cfg->Has("web.tls_key")) {
    auto key = rpc::ReadSmallFile(cfg->GetPath("web.tls_key"),
                                  rpc::FileAccess::kOwnerOnly);
    if (!key.ok()) {
      return Fail(absl::Status(key.status().code(),
                               absl::StrCat("config: web.tls_key: ",
                                            key.status().message())),
                  2);
    }
  }
  auto regions = region::RegionTree::Load(cfg->GetPath("regions.path"));
  if (!regions.ok()) return Fail(regions.status(), 2);
  auto offices = offices::OfficeDirectory::Load(cfg->GetPath("offices.dir"),
                                                regions->get());
  if (!offices.ok()) return Fail(offices.status(), 2);

  GrpcBackendsOptions backend_options;
  GrpcConsoleBackendsOptions console_backend_options;
  backend_options.timeout = cfg->GetDuration("web.rpc_timeout");
  console_backend_options.timeout = backend_options.timeout;
  for (const rpc::PeerClient& peer : Peers()) {
    auto channel = rpc::PeerChannel(*cfg, peer);
    if (!channel.ok()) return Fail(channel.status(), 2);
    if (peer.peer == "intake") {
      backend_options.intake = console_backend_options.intake = *channel;
    }
    if (peer.peer == "routing") {
      backend_options.routing = console_backend_options.routing = *channel;
    }
    if (peer.peer == "notification") {
      backend_options.notification = console_backend_options.notification =
          *channel;
    }
  }
  // The console (issue 16) when its services are configured.
  bool with_console = true;
  for (const rpc::PeerClient& peer : ConsolePeers()) {
    if (!cfg->Has(peer.peer + ".address")) {
      with_console = false;
      continue;
    }
    auto channel = rpc::PeerChannel(*cfg, peer);
    if (!channel.ok()) return Fail(channel.status(), 2);
    if (peer.peer == "supervision") {
      console_backend_options.supervision = *channel;
    }
    if (peer.peer == "accounts") console_backend_options.accounts = *channel;
  }
  // The console's 通报 (issue 17) when statistics is configured.
  if (cfg->Has(StatisticsPeer().peer + ".address")) {
    auto channel = rpc::PeerChannel(*cfg, StatisticsPeer());
    if (!channel.ok()) return Fail(channel.status(), 2);
    console_backend_options.statistics = *channel;
  } else if (with_console) {
    log::Info("console without bulletins: statistics.address unset");
  }
  std::unique_ptr<Backends> backends = NewGrpcBackends(backend_options);
  std::unique_ptr<ConsoleBackends> console_backends =
      with_console ? NewGrpcConsoleBackends(console_backend_options) : nullptr;

  ApiOptions api_options;
  api_options.session_ttl = cfg->GetDuration("web.session_ttl");
  api_options.anonymous_ttl = cfg->GetDuration("web.anonymous_ttl");
  api_options.secure_cookies = cfg->GetBool("web.secure_cookies");
  api_options.max_body_bytes =
      static_cast<size_t>(cfg->GetInt("web.max_body_bytes"));
  time::SystemClock clock;
  ConsoleApi::Options console_options;
  console_options.secure_cookies = api_options.secure_cookies;
  console_options.max_body_bytes = api_options.max_body_bytes;
  console_options.anonymous_ttl = api_options.anonymous_ttl;
  ConsoleApi console(console_options, &*sessions, console_backends.get(),
                     &clock);
  Api api(api_options, &*sessions, backends.get(), regions->get(),
          offices->get(), &clock, with_console ? &console : nullptr);

  HttpFrontOptions front_options;
  front_options.listen = cfg->GetHostPort("web.listen");
  front_options.static_dir = cfg->GetPath("web.static_dir");
  auto pages = ComposeAllPages(cfg->GetPath("web.pages_dir"));
  if (!pages.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
                    "config: web.pages_dir: ", pages.status().message())),
                2);
  }
  front_options.pages = *std::move(pages);
  // Said only once the settings are known good: a refused start prints
  // one line, the setting at fault (binaries_test WebConfigTest).
  if (!with_console) {
    log::Info("console off: accounts.address or supervision.address unset");
  }
  front_options.tls_cert_path = cfg->GetString("web.tls_cert");
  front_options.tls_key_path = cfg->GetString("web.tls_key");
  front_options.max_body_bytes = api_options.max_body_bytes;
  front_options.threads = static_cast<int>(cfg->GetInt("web.threads"));
  for (absl::string_view proxy :
       absl::StrSplit(cfg->GetString("web.trusted_proxies"), ',',
                      absl::SkipWhitespace())) {
    front_options.trusted_proxies.emplace_back(
        absl::StripAsciiWhitespace(proxy));
  }
  metrics::Registry registry;
  auto front = HttpFront::Start(front_options, &api, &registry);
  if (!front.ok()) return Fail(front.status(), 1);

  std::map<std::string, admin::Handler> routes;
  routes["/healthz"] = [](const admin::HttpRequest&) {
    return admin::HttpResponse{200, "text/plain; charset=utf-8", "ok\n"};
  };
  routes["/metrics"] = [&registry](const admin::HttpRequest&) {
    return admin::HttpResponse{200, metrics::kContentType, registry.Render()};
  };
  auto admin_server = admin::HttpServer::Create(
      cfg->GetHostPort("admin.listen").ToString(), routes);
  if (!admin_server.ok()) return Fail(admin_server.status(), 1);

  const std::string http_address =
      absl::StrCat(front_options.listen.ToString().substr(
                       0, front_options.listen.ToString().rfind(':')),
                   ":", (*front)->port());
  const std::string url =
      absl::StrCat((*front)->scheme(), "://", http_address, "/");
  const std::string admin_address = absl::StrCat(
      cfg->GetHostPort("admin.listen").host, ":", (*admin_server)->port());
  if (!cfg->GetString("endpoints.file").empty()) {
    absl::Status w = file::WriteFileAtomically(
        cfg->GetString("endpoints.file"),
        absl::StrCat("http=", http_address, "\nurl=", url,
                     "\nadmin=", admin_address, "\n"));
    if (!w.ok()) return Fail(w, 1);
  }
  log::Info("ready", {{"url", url}, {"admin", admin_address}});

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("stopping", {{"signal", strsignal(sig)}});
  (*front)->Stop();
  (*admin_server)->Shutdown();
  log::Info("stopped");
  return 0;
}

}  // namespace
}  // namespace caserelay::web

int main(int argc, char** argv) { return caserelay::web::Run(argc, argv); }
