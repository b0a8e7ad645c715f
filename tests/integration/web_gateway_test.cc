// The web gateway through real HTTP against the real processes (issue 15
// items 1-3): devbroker, the four services and web, started by the
// harness (SystemOptions::web); a cpp-httplib client plays the browser.
// A petitioner asks for the SMS code, reads it from the dev SMS sink,
// submits, looks the case up, reads it back; a wrong code is a Chinese
// 404; a <script> in the petition comes back as data; every answer carries
// the security headers; the gateway's log holds no personal data.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/web_browser.h"

namespace caserelay::testing {
namespace {

namespace pb = google::protobuf;

constexpr char kScript[] = "<script>alert('xss')</script>";

// The error code and message of an error answer.
std::pair<std::string, std::string> ErrorOf(const std::string& body) {
  pb::Struct s;
  if (!pb::util::JsonStringToMessage(body, &s).ok()) return {"", ""};
  const auto& error = s.fields().at("error").struct_value().fields();
  return {error.at("code").string_value(), error.at("message").string_value()};
}

class WebGatewayTest : public WebSystemTest {
 protected:
  // Submits SamplePetition(n) with kScript in its text through the portal:
  // the phone code first, then the petition. Fills the receipt.
  static void Submit(Browser& browser, int n, v1::SubmitPetitionResponse* out,
                     v1::SubmitPetitionRequest* sent) {
    v1::SubmitPetitionRequest petition = SamplePetition("140431", n);
    petition.mutable_matter()->set_text(
        absl::StrCat(kScript, petition.matter().text()));
    SubmitThroughPortal(*sys_, browser, petition, out, sent);
  }
};

TEST_F(WebGatewayTest, SubmitWithSmsCodeThenLookUpShowsTheCaseAsData) {
  Browser browser(sys_->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  v1::SubmitPetitionResponse receipt;
  v1::SubmitPetitionRequest sent;
  ASSERT_NO_FATAL_FAILURE(Submit(browser, 1, &receipt, &sent));

  auto res = browser.Post("/api/v1/lookups", ToJson([&] {
                            v1::GetCaseStatusRequest r;
                            r.set_case_number(receipt.case_number());
                            r.set_lookup_code(receipt.lookup_code());
                            return r;
                          }()));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  EXPECT_TRUE(absl::StrContains(set_cookie, "HttpOnly")) << set_cookie;
  EXPECT_TRUE(absl::StrContains(set_cookie, "SameSite=Strict")) << set_cookie;
  {
    // Issue 15 item 2: registered by routing yet or not (then intake's
    // answer), the look-up shows the state in plain Chinese.
    v1::PetitionerView first;
    ASSERT_TRUE(pb::util::JsonStringToMessage(res->body, &first).ok())
        << res->body;
    EXPECT_EQ(first.case_id(), receipt.case_number());
    EXPECT_FALSE(first.state_text().empty()) << res->body;
  }

  // The session now names the case: my-case shows routing's view once
  // routing registered it, with the petition's text as data.
  v1::PetitionerView view;
  ASSERT_NO_FATAL_FAILURE(
      AwaitRoutingsView(browser, absl::Seconds(20), &view, &res));
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(view.case_id(), receipt.case_number());
  EXPECT_EQ(view.text(), sent.matter().text());
  EXPECT_FALSE(view.state_text().empty());
  // A <script> is data in a JSON answer the browser may not sniff.
  EXPECT_EQ(res->get_header_value("Content-Type"),
            "application/json; charset=utf-8");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");

  // Logged out, the case is no longer reachable.
  res = browser.Post("/api/v1/logout", "");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = browser.Get("/api/v1/my-case");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << res->body;
}

TEST_F(WebGatewayTest, WrongLookupCodeIsAChinese404AndNoSession) {
  Browser browser(sys_->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  v1::SubmitPetitionResponse receipt;
  v1::SubmitPetitionRequest sent;
  ASSERT_NO_FATAL_FAILURE(Submit(browser, 2, &receipt, &sent));
  auto res =
      browser.Post("/api/v1/lookups",
                   absl::StrCat("{\"case_number\":\"", receipt.case_number(),
                                "\",\"lookup_code\":\"WRONG-CODE\"}"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404) << res->body;
  auto [code, message] = ErrorOf(res->body);
  EXPECT_EQ(code, "lookup_failed");
  EXPECT_EQ(message, "案件编号或查询码不正确");
  res = browser.Get("/api/v1/my-case");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(WebGatewayTest, RefusalsAndSecurityHeadersOverHttp) {
  Browser browser(sys_->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  struct Row {
    const char* why;
    std::function<httplib::Result()> send;
    int status;
  };
  const std::string big(70 * 1024, 'a');
  const std::vector<Row> rows = {
      {"issue 15 item 3: a POST without the CSRF token",
       [&] { return browser.Post("/api/v1/lookups", "{}", false); }, 403},
      {"issue 15 item 3: a body over 64 KiB",
       [&] { return browser.Post("/api/v1/petitions", big); }, 413},
      {"w1: bad JSON",
       [&] { return browser.Post("/api/v1/petitions", "{\"matter\":"); }, 400},
      {"w1: wrong method", [&] { return browser.Get("/api/v1/lookups"); }, 405},
      {"w1: unknown API path", [&] { return browser.Get("/api/v1/nothing"); },
       404},
      {"w1: unknown region",
       [&] { return browser.Get("/api/v1/regions?parent=999999"); }, 404},
      {"w1: no session", [&] { return browser.Get("/api/v1/my-case"); }, 401},
      {"the portal's home page", [&] { return browser.Get("/"); }, 200},
      {"a page that is not there",
       [&] { return browser.Get("/no-such-page.html"); }, 404},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    httplib::Result res = row.send();
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, row.status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self'; "
              "img-src 'self' data:; frame-ancestors 'none'; form-action "
              "'self'; base-uri 'none'");
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
    if (res->status >= 400 && absl::StrContains(res->body, "\"error\"")) {
      auto [code, message] = ErrorOf(res->body);
      EXPECT_FALSE(code.empty()) << res->body;
      EXPECT_FALSE(message.empty()) << res->body;
    }
  }
  auto home = browser.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->get_header_value("Content-Type"), "text/html; charset=utf-8");
}

TEST_F(WebGatewayTest, HealthMetricsAndNoPersonalDataInTheLog) {
  auto health = sys_->Healthz("web");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, 200);
  Browser browser(sys_->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  v1::SubmitPetitionResponse receipt;
  v1::SubmitPetitionRequest sent;
  ASSERT_NO_FATAL_FAILURE(Submit(browser, 3, &receipt, &sent));
  // The server counts a request once its answer is written: poll.
  double submitted = 0;
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(5));
  do {
    auto metrics = sys_->AdminGet("web", "/metrics");
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    submitted = MetricSum(*metrics, "caserelay_web_requests_total",
                          "route=\"/api/v1/petitions\",status=\"200\"");
    if (submitted >= 1) break;
    absl::SleepFor(absl::Milliseconds(50));
  } while (absl::Now() < deadline);
  EXPECT_GE(submitted, 1);
  const std::string log = ReadAll(sys_->dir() + "/web.log");
  EXPECT_FALSE(log.empty());
  for (const std::string& pii :
       {sent.petitioner().name(), sent.petitioner().phone(),
        sent.petitioner().address(), sent.matter().title(),
        sent.phone_proof().code(), receipt.lookup_code()}) {
    EXPECT_FALSE(absl::StrContains(log, pii)) << pii;
  }
}

// Issue 15 item 2: the submit page's limits are the ones this intake
// enforces (DescribeForm), here a shorter intake.max_text_chars than the
// default, not the gateway's copy of the defaults.
TEST(WebGatewayFormTest, FormShowsTheRunningIntakesLimits) {
  SystemOptions options;
  options.web = true;
  options.settings["intake"]["intake.max_text_chars"] = "2500";
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Browser browser((*sys)->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  httplib::Result res = browser.Get("/api/v1/form");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  pb::Struct form;
  ASSERT_TRUE(pb::util::JsonStringToMessage(res->body, &form).ok());
  EXPECT_EQ(form.fields().at("max_text_chars").number_value(), 2500);
  EXPECT_EQ(form.fields().at("max_title_chars").number_value(), 200);
}

}  // namespace
}  // namespace caserelay::testing
