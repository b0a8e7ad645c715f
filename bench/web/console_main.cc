// bench_web_console: the console's inbox (信访工作台 待办, issue 16 "Must
// show": p99 <= 50 ms with 1,000,000 cases stored) through the web gateway
// beside the same routing.ListInbox straight to gRPC, in one run on one
// system (README.md). A plain executable.
//
// Routing's store is filled before routing starts, as bench_routing fills
// it (bench/routing/populate.h: CaseStore::Append, batch by batch, cases
// moving REGISTER -> ASSIGN -> ACCEPT -> EXTEND); then devbroker, the four
// services (routing on that store), accounts and web start; a handler of
// the office holding the most cases signs in through the console's API.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/common/util.h"
#include "bench/pipeline/stats.h"
#include "bench/routing/populate.h"
#include "bench/routing/tree.h"
#include "caserelay/v1/accounts.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/auth.h"
#include "grpcpp/client_context.h"
#include "services/routing/case_store.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {
namespace {

namespace pb = google::protobuf;

struct Flags {
  bool help = false;
  int cases = 1000000;
  int queries = 2000;  // per path
  std::string dir;
};

const char* Usage() {
  return "Usage: bench_web_console [--cases N] [--queries N] [--dir DIR]\n\n"
         "Fills routing's store with N cases (as bench_routing does), starts\n"
         "devbroker, the four services (routing on that store), accounts\n"
         "and web, signs a handler of the busiest office in through the\n"
         "console, then alternates GET /api/v1/console/inbox (first page;\n"
         "a state filter) with the same routing.ListInbox straight to gRPC\n"
         "as service:web for that user. Prints p50/p99 of each (goal: the\n"
         "gateway's p99 <= 50 ms).\n\n"
         "  --cases N    1..2000000 (default 1000000)\n"
         "  --queries N  per path, 1..100000 (default 2000)\n"
         "  --dir DIR    where the store goes (default a new dir in $TMPDIR)\n";
}

absl::StatusOr<Flags> Parse(const std::vector<std::string>& args) {
  Flags flags;
  static constexpr absl::string_view kKnown[] = {"--cases", "--queries",
                                                 "--dir"};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      flags.help = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kKnown);
    if (!flag.ok()) return flag.status();
    absl::Status s = absl::OkStatus();
    if (flag->first == "--cases") {
      s = ParseInt(flag->first, flag->second, 1, 2000000, &flags.cases);
    } else if (flag->first == "--queries") {
      s = ParseInt(flag->first, flag->second, 1, 100000, &flags.queries);
    } else {
      flags.dir = flag->second;
    }
    if (!s.ok()) return s;
  }
  return flags;
}

int Fail(const std::string& what, const absl::Status& s) {
  std::fprintf(stderr, "bench_web_console: %s: %s\n", what.c_str(),
               std::string(s.message()).c_str());
  return kExitFailure;
}

constexpr char kPassword[] = "bench-console-pass";

// The console of one signed-in user: its cookies and CSRF token, one
// kept-alive connection.
class ConsoleClient {
 public:
  explicit ConsoleClient(const std::string& url)
      : client_(url.substr(0, url.find('/', url.find("//") + 2))) {
    client_.set_keep_alive(true);
    client_.set_read_timeout(30);
  }
  absl::Status Login(const std::string& username) {
    auto session = Call("GET", "/api/v1/console/session", "");
    if (!session.ok()) return session.status();
    csrf_ = Field(*session, "csrf_token");
    auto login = Call("POST", "/api/v1/console/login",
                      absl::StrCat("{\"username\":\"", username,
                                   "\",\"password\":\"", kPassword, "\"}"));
    if (!login.ok()) return login.status();
    csrf_ = Field(*login, "csrf_token");
    return absl::OkStatus();
  }
  // The body of a 200 answer; INTERNAL with the status and body otherwise.
  absl::StatusOr<std::string> Call(const std::string& method,
                                   const std::string& path,
                                   const std::string& json) {
    httplib::Headers headers;
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      absl::StrAppend(&cookie, cookie.empty() ? "" : "; ", name, "=", value);
    }
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    httplib::Result res =
        method == "GET"
            ? client_.Get(path.c_str(), headers)
            : (headers.emplace("X-CSRF-Token", csrf_),
               client_.Post(path.c_str(), headers, json, "application/json"));
    if (!res) return absl::InternalError(httplib::to_string(res.error()));
    for (const auto& [key, value] : res->headers) {
      if (key != "Set-Cookie") continue;
      const std::string pair = value.substr(0, value.find(';'));
      const size_t eq = pair.find('=');
      cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    if (res->status != 200) {
      return absl::InternalError(
          absl::StrCat(method, " ", path, ": ", res->status, " ", res->body));
    }
    return res->body;
  }

 private:
  static std::string Field(const std::string& json, const std::string& key) {
    pb::Struct s;
    if (!pb::util::JsonStringToMessage(json, &s).ok()) return "";
    auto it = s.fields().find(key);
    return it == s.fields().end() ? "" : it->second.string_value();
  }

  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

absl::Status Bootstrap(testing::System& sys, const std::string& office) {
  auto stub = v1::AccountsService::NewStub(sys.Channel("accounts", office));
  v1::BootstrapAdminRequest request;
  request.set_username("bench-admin");
  request.set_display_name("管理员");
  request.set_password(kPassword);
  v1::User user;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status s = stub->BootstrapAdmin(&ctx, request, &user);
  if (!s.ok()) return absl::InternalError(s.error_message());
  return absl::OkStatus();
}

struct Path {
  std::vector<absl::Duration> samples;
  int64_t items = 0;  // inbox items returned, all queries
};

int Run(const Flags& flags) {
  auto tree = LoadTree(CASERELAY_SOURCE_DIR);
  if (!tree.ok()) return Fail("reference data", tree.status());
  auto dir = FreshStoreDir(flags.dir, "web-console");
  if (!dir.ok()) return Fail("store directory", dir.status());
  const std::string store_path = *dir + "/routing";

  // 1. routing's store, as routing writes it, before routing starts.
  Population population;
  {
    store::StoreOptions so;
    so.path = store_path;
    so.column_families = routing::ColumnFamilies();
    so.sync = false;
    auto store = store::Store::Open(so);
    if (!store.ok()) return Fail("store", store.status());
    // As routing's first start on an empty store (inbox_index.h).
    if (auto marked = routing::InboxIndex::Backfill(**store, {});
        !marked.ok()) {
      return Fail("store", marked.status());
    }
    PopulateOptions po;
    po.cases = flags.cases;
    po.now = absl::Now();
    po.progress = [&](int done, absl::Duration elapsed) {
      std::printf("populated %d/%d (%.0f s)\n", done, flags.cases,
                  absl::ToDoubleSeconds(elapsed));
      std::fflush(stdout);
    };
    auto filled = Populate(**store, *tree, po);
    if (!filled.ok()) return Fail("populate", filled.status());
    population = *std::move(filled);
  }  // closed: routing opens it next
  // The office holding the most cases, and its count.
  std::vector<int> held(population.offices.size());
  for (const Holding& h : population.cases) ++held[h.office];
  const size_t busiest =
      std::max_element(held.begin(), held.end()) - held.begin();
  const std::string office = population.offices[busiest];
  std::printf("%d cases in %zu offices; busiest %s holds %d\n", flags.cases,
              population.offices.size(), office.c_str(), held[busiest]);

  // 2. The system, routing on that store.
  testing::SystemOptions options;
  options.offices = {office};
  options.web = true;
  options.accounts = true;
  options.settings["routing"] = {{"store.path", store_path}};
  auto sys = testing::System::Start(options);
  if (!sys.ok()) return Fail("system", sys.status());
  if (absl::Status s = Bootstrap(**sys, office); !s.ok()) {
    return Fail("bootstrap", s);
  }
  ConsoleClient admin((*sys)->web_url());
  if (absl::Status s = admin.Login("bench-admin"); !s.ok()) {
    return Fail("admin login", s);
  }
  auto created = admin.Call(
      "POST", "/api/v1/console/users",
      absl::StrCat("{\"username\":\"bench-handler\",\"display_name\":\"承办人"
                   "\",\"roles\":[\"STAFF_ROLE_HANDLER\",\"STAFF_ROLE_HEAD\"],"
                   "\"password\":\"",
                   kPassword, "\"}"));
  if (!created.ok()) return Fail("create user", created.status());
  ConsoleClient console((*sys)->web_url());
  if (absl::Status s = console.Login("bench-handler"); !s.ok()) {
    return Fail("login", s);
  }
  // The same call as the gateway makes for that user.
  auto routing = v1::RoutingService::NewStub(
      (*sys)->Channel("routing", testing::System::kWeb));
  const std::string roles =
      rpc::RolesMetadataValue({v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD});
  auto direct = [&](const v1::ListInboxRequest& request,
                    v1::ListInboxResponse* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    ctx.AddMetadata(rpc::kClientAddressMetadata, "127.0.0.1");
    ctx.AddMetadata(rpc::kUserMetadata, "bench-handler");
    ctx.AddMetadata(rpc::kOfficeMetadata, office);
    ctx.AddMetadata(rpc::kRolesMetadata, roles);
    return routing->ListInbox(&ctx, request, response);
  };

  // 3. Alternating queries: the first page, then a state filter (a state
  // the office holds), each through both paths; the order alternates.
  const v1::CaseState state = [&] {
    for (const Holding& h : population.cases) {
      if (h.office == busiest) return h.state;
    }
    return v1::CASE_STATE_REGISTERED;
  }();
  Path gateway, grpc_path;
  const int warmup = 50;
  for (int q = 0; q < flags.queries + warmup; ++q) {
    const bool filtered = q % 2 == 1;
    v1::ListInboxRequest request;
    if (filtered) request.add_states(state);
    const std::string url = filtered
                                ? absl::StrCat("/api/v1/console/inbox?state=",
                                               v1::CaseState_Name(state))
                                : std::string("/api/v1/console/inbox");
    for (int side = 0; side < 2; ++side) {
      const bool via_gateway = (side == 0) == (q % 4 < 2);
      const SteadyTime t0 = SteadyClock::now();
      int64_t items = 0;
      if (via_gateway) {
        auto body = console.Call("GET", url, "");
        if (!body.ok()) return Fail("gateway inbox", body.status());
        v1::ListInboxResponse parsed;
        (void)pb::util::JsonStringToMessage(*body, &parsed);
        items = parsed.items_size();
      } else {
        v1::ListInboxResponse response;
        grpc::Status s = direct(request, &response);
        if (!s.ok()) {
          return Fail("direct inbox", absl::InternalError(s.error_message()));
        }
        items = response.items_size();
      }
      const absl::Duration took = Since(t0, SteadyClock::now());
      if (q < warmup) continue;
      Path& path = via_gateway ? gateway : grpc_path;
      path.samples.push_back(took);
      path.items += items;
    }
  }
  const LatencySummary g = Summarize(gateway.samples);
  const LatencySummary d = Summarize(grpc_path.samples);
  std::printf("bench_web_console — %s; load %s\n", BuildType(),
              LoadAverage().c_str());
  std::printf(
      "%d cases stored; office %s holds %d; %d queries per path (first page "
      "and state %s alternately, page size 50)\n\n",
      flags.cases, office.c_str(), held[busiest], flags.queries,
      v1::CaseState_Name(state).c_str());
  std::printf("%-10s %8s %8s %8s %10s\n", "", "p50 ms", "p99 ms", "max ms",
              "items/q");
  std::printf("%-10s %8.2f %8.2f %8.2f %10.1f\n", "gateway", Ms(g.p50),
              Ms(g.p99), Ms(g.max),
              static_cast<double>(gateway.items) / flags.queries);
  std::printf("%-10s %8.2f %8.2f %8.2f %10.1f\n", "gRPC", Ms(d.p50), Ms(d.p99),
              Ms(d.max), static_cast<double>(grpc_path.items) / flags.queries);
  std::printf(
      "\nRESULT cases=%d office_cases=%d gateway_p50_ms=%.2f "
      "gateway_p99_ms=%.2f grpc_p50_ms=%.2f grpc_p99_ms=%.2f goal_p99_ms=50 "
      "met=%s\n",
      flags.cases, held[busiest], Ms(g.p50), Ms(g.p99), Ms(d.p50), Ms(d.p99),
      Ms(g.p99) <= 50 ? "yes" : "no");
  // The store is the bench's own (gigabytes at 1M): gone with the system,
  // unless --dir named where to keep it.
  sys->reset();
  if (flags.dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(*dir, ignored);
  }
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  return caserelay::bench::BenchMain(
      argc, argv, "bench_web_console", caserelay::bench::Parse,
      caserelay::bench::Usage, caserelay::bench::Run);
}
