// The console (信访工作台, issue 16) through real processes: devbroker, the
// four services, accounts and the web gateway, driven over HTTP as the
// console's pages do (console-contract.md "JSON API of the console").
// A county bureau's 登记员 registers a visit after the route preview and
// 交办s it; the township's 承办人 accepts and proposes the 处理意见; the
// township's 负责人 approves it; the case page names who acted and who
// approved, and the hash chain checks out.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "caserelay/v1/accounts.grpc.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/web_browser.h"

namespace caserelay::testing {
namespace {

namespace pb = google::protobuf;

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";
constexpr char kPassword[] = "console-pass-2026";

// A console user's browser: its cookies (cr_session before the login,
// cr_staff after) and the CSRF token of its session.
class Console {
 public:
  explicit Console(const std::string& url)
      : client_(url.substr(0, url.find('/', url.find("//") + 2))) {
    client_.set_connection_timeout(5);
    client_.set_read_timeout(20);
  }

  // GET session, then POST login; a gtest failure if either is refused.
  void Login(const std::string& username) {
    auto session = Get("/api/v1/console/session");
    ASSERT_EQ(session.first, 200) << session.second;
    csrf_ = Field(session.second, "csrf_token");
    auto login = Post("/api/v1/console/login",
                      absl::StrCat("{\"username\":\"", username,
                                   "\",\"password\":\"", kPassword, "\"}"));
    ASSERT_EQ(login.first, 200) << login.second;
    csrf_ = Field(login.second, "csrf_token");
    ASSERT_FALSE(csrf_.empty());
    ASSERT_TRUE(cookies_.count("cr_staff"));
  }

  std::pair<int, std::string> Get(const std::string& path) {
    auto res = client_.Get(path.c_str(), Headers());
    return Answer(res);
  }
  std::pair<int, std::string> Post(const std::string& path,
                                   const std::string& json) {
    httplib::Headers headers = Headers();
    headers.emplace("X-CSRF-Token", csrf_);
    auto res = client_.Post(path.c_str(), headers, json, "application/json");
    return Answer(res);
  }

  // The string field `key` of the JSON object `json` ("" if none).
  static std::string Field(const std::string& json, const std::string& key) {
    pb::Struct s;
    if (!pb::util::JsonStringToMessage(json, &s).ok()) return "";
    auto it = s.fields().find(key);
    return it == s.fields().end() ? "" : it->second.string_value();
  }

 private:
  httplib::Headers Headers() const {
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      absl::StrAppend(&cookie, cookie.empty() ? "" : "; ", name, "=", value);
    }
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return h;
  }
  std::pair<int, std::string> Answer(const httplib::Result& res) {
    if (!res) return {0, httplib::to_string(res.error())};
    for (const auto& [key, value] : res->headers) {
      if (key != "Set-Cookie") continue;
      const std::string pair = value.substr(0, value.find(';'));
      const size_t eq = pair.find('=');
      if (pair.substr(eq + 1).empty()) {
        cookies_.erase(pair.substr(0, eq));
      } else {
        cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
      }
    }
    return {res->status, res->body};
  }

  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// The case page's "case" as a CaseView, and the whole page.
struct CasePage {
  int status = 0;
  std::string body;
  v1::CaseView view;
};

CasePage ReadCase(Console& console, const std::string& id) {
  CasePage page;
  auto [status, body] = console.Get("/api/v1/console/cases/" + id);
  page.status = status;
  page.body = body;
  pb::Struct s;
  if (status == 200 && pb::util::JsonStringToMessage(body, &s).ok()) {
    std::string view_json;
    (void)pb::util::MessageToJsonString(s.fields().at("case").struct_value(),
                                        &view_json);
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    (void)pb::util::JsonStringToMessage(view_json, &page.view, options);
  }
  return page;
}

// Polls the case page until the case is in `state` (20 s).
CasePage AwaitState(Console& console, const std::string& id,
                    v1::CaseState state) {
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(20));
  CasePage page;
  do {
    page = ReadCase(console, id);
    if (page.status == 200 && page.view.state() == state) return page;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ADD_FAILURE() << "case " << id << " not in " << v1::CaseState_Name(state)
                << ": " << page.status << " " << page.body;
  return page;
}

// The office's first administrator, as casectl admin bootstrap makes it:
// the office's own credential calls accounts directly.
void Bootstrap(System& sys, const std::string& office,
               const std::string& username) {
  auto stub = v1::AccountsService::NewStub(sys.Channel("accounts", office));
  v1::BootstrapAdminRequest request;
  request.set_username(username);
  request.set_display_name("管理员");
  request.set_password(kPassword);
  v1::User user;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status s = stub->BootstrapAdmin(&ctx, request, &user);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

void CreateUser(Console& admin, const std::string& username,
                const std::string& name, const std::string& role) {
  auto [status, body] = admin.Post(
      "/api/v1/console/users",
      absl::StrCat("{\"username\":\"", username, "\",\"display_name\":\"", name,
                   "\",\"roles\":[\"", role, "\"],\"password\":\"", kPassword,
                   "\"}"));
  ASSERT_EQ(status, 200) << body;
}

// issue 16 "Must show": the clerk registers a visit, sees routing's
// proposal and 交办s it; the township 承办人 accepts and drafts the 处理意见;
// the head approves it; the case page shows 承办人 and 审批人 and the chain.
TEST(WebConsoleTest, RegisterAssignAcceptProposeApproveThroughTheConsole) {
  SystemOptions options;
  options.offices = {kCountyBureau, kTownshipGov};
  options.web = true;
  options.accounts = true;
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;

  Bootstrap(sys, kCountyBureau, "admin-county");
  Bootstrap(sys, kTownshipGov, "admin-town");
  Console county_admin(sys.web_url());
  ASSERT_NO_FATAL_FAILURE(county_admin.Login("admin-county"));
  CreateUser(county_admin, "clerk1", "登记员甲", "STAFF_ROLE_REGISTRAR");
  Console town_admin(sys.web_url());
  ASSERT_NO_FATAL_FAILURE(town_admin.Login("admin-town"));
  CreateUser(town_admin, "handler1", "承办人乙", "STAFF_ROLE_HANDLER");
  CreateUser(town_admin, "head1", "负责人丙", "STAFF_ROLE_HEAD");
  // The admins manage users; they read no case (roles.h ReadScopeOf).
  auto users = county_admin.Get("/api/v1/console/users");
  ASSERT_EQ(users.first, 200) << users.second;
  EXPECT_TRUE(absl::StrContains(users.second, "\"clerk1\"")) << users.second;

  // 登记: the route routing would take, with its rules, before saving.
  Console clerk(sys.web_url());
  ASSERT_NO_FATAL_FAILURE(clerk.Login("clerk1"));
  v1::SubmitPetitionRequest visit = SamplePetition(kTownship, 16);
  visit.mutable_matter()->set_channel(v1::CHANNEL_VISIT);
  visit.mutable_matter()->set_lodged_with(kCountyBureau);
  auto preview = clerk.Post("/api/v1/console/preview",
                            absl::StrCat("{\"matter\":", ToJson(visit.matter()),
                                         ",\"channel\":\"CHANNEL_VISIT\"}"));
  ASSERT_EQ(preview.first, 200) << preview.second;
  EXPECT_TRUE(absl::StrContains(preview.second, kTownshipGov))
      << preview.second;
  EXPECT_TRUE(absl::StrContains(preview.second, "\"rules\":[\""))
      << preview.second;
  auto registered = clerk.Post("/api/v1/console/registrations", ToJson(visit));
  ASSERT_EQ(registered.first, 200) << registered.second;
  const std::string id = Console::Field(registered.second, "case_number");
  ASSERT_FALSE(id.empty()) << registered.second;

  // 交办 by the clerk (Art. 22: the bureau registers, then assigns).
  CasePage page = AwaitState(clerk, id, v1::CASE_STATE_REGISTERED);
  ASSERT_EQ(page.status, 200);
  auto assigned =
      clerk.Post(absl::StrCat("/api/v1/console/cases/", id, "/actions"),
                 absl::StrCat("{\"expected_version\":", page.view.version(),
                              ",\"assign\":{}}"));
  ASSERT_EQ(assigned.first, 200) << assigned.second;

  // The township's 承办人: the case is in the inbox; accept, then propose
  // the 处理意见, which waits for the head.
  Console handler(sys.web_url());
  ASSERT_NO_FATAL_FAILURE(handler.Login("handler1"));
  auto inbox = handler.Get("/api/v1/console/inbox");
  ASSERT_EQ(inbox.first, 200) << inbox.second;
  EXPECT_TRUE(absl::StrContains(inbox.second, id)) << inbox.second;
  page = AwaitState(handler, id, v1::CASE_STATE_ASSIGNED);
  auto accepted =
      handler.Post(absl::StrCat("/api/v1/console/cases/", id, "/actions"),
                   absl::StrCat("{\"expected_version\":", page.view.version(),
                                ",\"accept\":{}}"));
  ASSERT_EQ(accepted.first, 200) << accepted.second;
  page = AwaitState(handler, id, v1::CASE_STATE_ACCEPTED);
  auto proposed = handler.Post(
      absl::StrCat("/api/v1/console/cases/", id, "/actions"),
      absl::StrCat("{\"expected_version\":", page.view.version(),
                   ",\"reason\":\"经核实，已督促用人单位支付\","
                   "\"reply\":{\"outcome\":\"OUTCOME_SUPPORT\"}}"));
  ASSERT_EQ(proposed.first, 200) << proposed.second;
  page = ReadCase(handler, id);
  EXPECT_EQ(page.view.state(), v1::CASE_STATE_ACCEPTED);  // not yet replied
  EXPECT_TRUE(page.view.has_pending()) << page.body;

  // The head's queue, and the approval.
  Console head(sys.web_url());
  ASSERT_NO_FATAL_FAILURE(head.Login("head1"));
  auto approvals = head.Get("/api/v1/console/approvals");
  ASSERT_EQ(approvals.first, 200) << approvals.second;
  EXPECT_TRUE(absl::StrContains(approvals.second, id)) << approvals.second;
  page = ReadCase(head, id);
  auto approved =
      head.Post(absl::StrCat("/api/v1/console/cases/", id, "/actions"),
                absl::StrCat("{\"expected_version\":", page.view.version(),
                             ",\"approve\":{}}"));
  ASSERT_EQ(approved.first, 200) << approved.second;

  // The case page: the reply by the handler, approved by the head; every
  // event chained.
  page = AwaitState(head, id, v1::CASE_STATE_REPLIED);
  EXPECT_TRUE(absl::StrContains(page.body, "\"operator\":\"handler1\""))
      << page.body;
  EXPECT_TRUE(absl::StrContains(page.body, "\"approved_by\":\"head1\""))
      << page.body;
  EXPECT_TRUE(absl::StrContains(page.body, "\"verified\":true")) << page.body;
  // supervision's deadlines, once it has read the case's events (it
  // consumes case-events on its own; until then the page leaves them out).
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(20));
  while (!absl::StrContains(page.body, "\"deadline_id\"") &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    page = ReadCase(head, id);
  }
  EXPECT_TRUE(absl::StrContains(page.body, "\"deadlines\":{\"")) << page.body;
  EXPECT_TRUE(absl::StrContains(page.body, "DEADLINE_STATE_ARMED"))
      << page.body;
  // The petitioner, for the holder's head (issue 16: to the offices
  // entitled to contact them): intake's GetPetitioner, once intake has read
  // the case's parties from case-events; never the look-up code.
  auto petitioner = [](const CasePage& p) {
    pb::Struct s;
    if (p.status != 200 || !pb::util::JsonStringToMessage(p.body, &s).ok() ||
        !s.fields().contains("petitioner")) {
      return pb::Struct();
    }
    return s.fields().at("petitioner").struct_value();
  };
  const absl::Time contact_deadline = absl::Now() + Scaled(absl::Seconds(20));
  while (petitioner(page).fields().empty() &&
         absl::Now() < contact_deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    page = ReadCase(head, id);
  }
  const pb::Struct contact = petitioner(page);
  ASSERT_TRUE(contact.fields().contains("name")) << page.body;
  EXPECT_EQ(contact.fields().at("name").string_value(),
            visit.petitioner().name());
  EXPECT_EQ(contact.fields().at("phone").string_value(),
            visit.petitioner().phone());
  EXPECT_EQ(contact.fields().at("address").string_value(),
            visit.petitioner().address());
  const std::string code = Console::Field(registered.second, "lookup_code");
  ASSERT_FALSE(code.empty());
  EXPECT_FALSE(absl::StrContains(page.body, code)) << page.body;

  // Another office's user gets nothing by naming the case (the county's
  // admin reads no case at all).
  auto guessed = county_admin.Get("/api/v1/console/cases/" + id);
  EXPECT_EQ(guessed.first, 403) << guessed.second;
}

}  // namespace
}  // namespace caserelay::testing
