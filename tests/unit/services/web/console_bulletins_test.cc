// The console's bulletins through the gateway (services/web/
// console_api_bulletins.cc; issue 17 item 2: a bulletin is "listed in the
// console" and "shown in the console" as HTML, with its PDF and CSV): the
// list is the user's bureau's, the document the bytes statistics issued,
// statistics' refusals in Chinese (errors.h).

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "caserelay/v1/statistics.pb.h"
#include "gtest/gtest.h"
#include "services/web/http_front.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;
using webtest::ErrorCode;
using webtest::Header;

constexpr char kId[] = "140400:bureau/weekly/2026-03-09";

// console-contract.md (the lead's): the office comes only from accounts'
// User; issue 17 item 2: the bureau's bulletins, the last issued first.
TEST_F(ConsoleTest, BulletinsListTheUsersOwnBureau) {
  AddUser("leader1", "140400:bureau", {v1::STAFF_ROLE_LEADER});
  const std::string token = SessionOf("leader1");
  auto list = std::make_shared<v1::ListBulletinsResponse>();
  v1::Bulletin* b = list->add_bulletins();
  b->set_id(kId);
  b->set_kind(v1::BULLETIN_KIND_WEEKLY);
  b->set_year(2026);
  b->set_number(11);
  list->set_total(1);
  backends_.answers[ConsoleRpc::kListBulletins] = list;

  HttpCall call = Get("/api/v1/console/bulletins", token);
  call.query = {{"kind", "BULLETIN_KIND_WEEKLY"}, {"year", "2026"}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"BULLETIN_KIND_WEEKLY\""))
      << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"number\":11")) << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kListBulletins);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(
      absl::StrContains(calls[0].request, "bureau_code: \"140400:bureau\""))
      << calls[0].request;
  EXPECT_TRUE(absl::StrContains(calls[0].request, "year: 2026"));
  EXPECT_EQ(calls[0].meta.user, "leader1");
  EXPECT_EQ(calls[0].meta.office, "140400:bureau");
  EXPECT_EQ(calls[0].meta.roles, "leader");

  // A bureau named in the query is no parameter of the list: refused, never
  // passed on.
  backends_.calls.clear();
  HttpCall forged = Get("/api/v1/console/bulletins", token);
  forged.query = {{"bureau_code", "140000:bureau"}};
  HttpAnswer refused = console_.Handle(forged);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(ErrorCode(refused), "bad_query");
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kListBulletins).empty());
}

// Issue 17 item 2: HTML (shown in the console: saved, the portal's CSP
// kept, and sandboxed), PDF (for printing), CSV (the tables), byte for
// byte as issued.
TEST_F(ConsoleTest, BulletinDocumentIsPassedOnAsIssued) {
  AddUser("leader1", "140400:bureau", {v1::STAFF_ROLE_LEADER});
  const std::string token = SessionOf("leader1");
  struct Row {
    const char* rule;
    std::string format;  // the query's; "" none
    v1::BulletinFormat asked;
    std::string content_type;
    std::string disposition;
    std::string csp;  // the answer's own Content-Security-Policy
  };
  // The portal's policy (http_front.h) kept, with sandbox added.
  const std::string kHtmlPolicy =
      std::string(kContentSecurityPolicy) + "; sandbox";
  const std::vector<Row> rows = {
      {"issue 17 item 2: HTML by default", "", v1::BULLETIN_FORMAT_HTML,
       "text/html; charset=utf-8",
       "attachment; filename=\"140400-bureau-weekly-2026-03-09.html\"",
       kHtmlPolicy},
      {"issue 17 item 2: HTML", "html", v1::BULLETIN_FORMAT_HTML,
       "text/html; charset=utf-8",
       "attachment; filename=\"140400-bureau-weekly-2026-03-09.html\"",
       kHtmlPolicy},
      {"issue 17 item 2: PDF for printing and filing", "pdf",
       v1::BULLETIN_FORMAT_PDF, "application/pdf",
       "inline; filename=\"140400-bureau-weekly-2026-03-09.pdf\"", ""},
      {"issue 17 item 2: CSV of the tables", "csv", v1::BULLETIN_FORMAT_CSV,
       "text/csv; charset=utf-8",
       "attachment; filename=\"140400-bureau-weekly-2026-03-09.csv\"", ""},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    backends_.calls.clear();
    auto doc = std::make_shared<v1::GetBulletinResponse>();
    doc->set_content_type(r.content_type);
    doc->set_document(std::string("%PDF\0bytes", 10));
    backends_.answers[ConsoleRpc::kGetBulletin] = doc;
    HttpCall call = Get(std::string("/api/v1/console/bulletins/") + kId, token);
    if (!r.format.empty()) call.query = {{"format", r.format}};
    HttpAnswer answer = console_.Handle(call);
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.content_type, r.content_type);
    EXPECT_EQ(answer.body, std::string("%PDF\0bytes", 10));
    EXPECT_EQ(Header(answer, "Content-Disposition"), r.disposition);
    EXPECT_EQ(Header(answer, "Content-Security-Policy"), r.csp);
    auto calls = backends_.Of(ConsoleRpc::kGetBulletin);
    ASSERT_EQ(calls.size(), 1u);
    v1::GetBulletinRequest expected;
    expected.set_id(kId);
    expected.set_format(r.asked);
    EXPECT_EQ(calls[0].request, expected.ShortDebugString());
    EXPECT_EQ(calls[0].meta.office, "140400:bureau");
    EXPECT_EQ(calls[0].meta.roles, "leader");
  }
  HttpCall bad = Get(std::string("/api/v1/console/bulletins/") + kId, token);
  bad.query = {{"format", "docx"}};
  EXPECT_EQ(ErrorCode(console_.Handle(bad)), "bad_query");
}

// errors.h: statistics' refusals reach the user in Chinese; roles.h: an
// ADMIN-only user reads no bulletin (statistics decides, the gateway
// passes its reason on).
TEST_F(ConsoleTest, BulletinRefusalsAreChinese) {
  AddUser("admin1", "140400:bureau", {v1::STAFF_ROLE_ADMIN});
  const std::string token = SessionOf("admin1");
  struct Row {
    const char* rule;
    grpc::Status status;
    int http;
    std::string message;  // in the body
  };
  const std::vector<Row> rows = {
      {"roles.h ReadScopeOf: ADMIN alone reads nothing",
       grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                    "bureau_code 140400:bureau: "
                    "您的角色不查阅信访事项（管理员只管理本单位用户）"),
       403, "您的角色不查阅信访事项"},
      {"errors.h: statistics down or unset is 503",
       grpc::Status(grpc::StatusCode::UNAVAILABLE,
                    "statistics.address is not set"),
       503, ""},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    backends_.status[ConsoleRpc::kListBulletins] = r.status;
    backends_.status[ConsoleRpc::kGetBulletin] = r.status;
    for (const std::string& path :
         {std::string("/api/v1/console/bulletins"),
          std::string("/api/v1/console/bulletins/") + kId}) {
      HttpAnswer answer = console_.Handle(Get(path, token));
      EXPECT_EQ(answer.status, r.http) << path;
      EXPECT_TRUE(absl::StrContains(answer.body, r.message)) << answer.body;
      EXPECT_FALSE(absl::StrContains(answer.body, "statistics")) << answer.body;
      EXPECT_FALSE(absl::StrContains(answer.body, "bureau_code"))
          << answer.body;
    }
  }
}

TEST_F(ConsoleTest, BulletinRouteLabelsNameNoBureau) {
  EXPECT_EQ(ConsoleApi::RouteLabel(std::string("/api/v1/console/bulletins/") +
                                   kId),
            "/api/v1/console/bulletins/*/*/*");
  EXPECT_EQ(ConsoleApi::RouteLabel("/api/v1/console/bulletins"),
            "/api/v1/console/bulletins");
}

}  // namespace
}  // namespace caserelay::web
