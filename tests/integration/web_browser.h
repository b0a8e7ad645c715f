// A browser for the web gateway's JSON API (issue 15), for the integration
// tests that go through HTTP: cpp-httplib's client with the one cookie the
// gateway sets (cr_session) and its session's CSRF token; and the portal's
// submission (the SMS code read from the dev sink, then the petition).
//
// Thread safety: a Browser is not thread-safe; one test thread drives it.

#ifndef CASERELAY_TESTS_INTEGRATION_WEB_BROWSER_H_
#define CASERELAY_TESTS_INTEGRATION_WEB_BROWSER_H_

#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {

// The whole file at `path` ("" if it cannot be read).
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `m` as the gateway's JSON (protobuf's mapping, snake_case field names).
inline std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return json;
}

class Browser {
 public:
  // `url` as System::web_url(): "http://127.0.0.1:<port>/" (httplib's
  // client takes scheme://host:port, without the path).
  explicit Browser(const std::string& url)
      : client_(url.substr(0, url.find('/', url.find("//") + 2))) {
    client_.set_connection_timeout(5);
    client_.set_read_timeout(10);
  }

  // GET /api/v1/session: the cookie and the token (a gtest failure if the
  // gateway does not give them).
  void Open() {
    auto res = Get("/api/v1/session");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    google::protobuf::Struct body;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(res->body, &body).ok());
    csrf_ = body.fields().at("csrf_token").string_value();
    ASSERT_FALSE(csrf_.empty());
  }

  httplib::Result Get(const std::string& path) {
    auto res = client_.Get(path.c_str(), Headers());
    Keep(res);
    return res;
  }

  // POSTs `json`, with the X-CSRF-Token header unless !with_csrf.
  httplib::Result Post(const std::string& path, const std::string& json,
                       bool with_csrf = true) {
    httplib::Headers headers = Headers();
    if (with_csrf) headers.emplace("X-CSRF-Token", csrf_);
    auto res = client_.Post(path.c_str(), headers, json, "application/json");
    Keep(res);
    return res;
  }

 private:
  httplib::Headers Headers() const {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    return h;
  }
  void Keep(const httplib::Result& res) {
    if (!res || !res->has_header("Set-Cookie")) return;
    const std::string set = res->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
  }

  httplib::Client client_;
  std::string cookie_;
  std::string csrf_;
};

// A test suite sharing one system started with the web gateway
// (SystemOptions::web) for all its tests; sys_ is null if it did not start
// (a fatal failure of every test).
class WebSystemTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SystemOptions options;
    options.web = true;
    auto sys = System::Start(options);
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = sys->release();
  }
  static void TearDownTestSuite() {
    delete sys_;
    sys_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(sys_, nullptr) << "the system did not start";
  }

  inline static System* sys_ = nullptr;
};

// The SMS code the system's dev sink holds for `challenge_id` ("" if none
// comes within Scaled(10 s): notification sends it on its own thread).
inline std::string CodeFromSink(const System& sys,
                                const std::string& challenge_id) {
  const std::regex code("验证码为([0-9]{6})");
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(10));
  while (absl::Now() < deadline) {
    std::istringstream lines(ReadAll(sys.sms_sink()));
    std::string line;
    while (std::getline(lines, line)) {
      if (!absl::StartsWith(line, "phone-code/" + challenge_id + "\t")) {
        continue;
      }
      std::smatch m;
      if (std::regex_search(line, m, code)) return m[1].str();
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return "";
}

// Submits `petition` through the portal as a petitioner does: the phone
// code (web -> notification), read from the dev sink, then the petition
// with it (web -> intake -> notification). Fills the receipt and the
// petition as sent; gtest failures if a step is refused.
inline void SubmitThroughPortal(const System& sys, Browser& browser,
                                caserelay::v1::SubmitPetitionRequest petition,
                                caserelay::v1::SubmitPetitionResponse* out,
                                caserelay::v1::SubmitPetitionRequest* sent) {
  auto res = browser.Post(
      "/api/v1/phone-codes",
      absl::StrCat("{\"phone\":\"", petition.petitioner().phone(), "\"}"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  caserelay::v1::SendPhoneCodeResponse challenge;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(res->body, &challenge).ok());
  const std::string code = CodeFromSink(sys, challenge.challenge_id());
  ASSERT_EQ(code.size(), 6u) << ReadAll(sys.sms_sink());
  petition.mutable_phone_proof()->set_challenge_id(challenge.challenge_id());
  petition.mutable_phone_proof()->set_code(code);
  res = browser.Post("/api/v1/petitions", ToJson(petition));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, out).ok());
  ASSERT_FALSE(out->case_number().empty());
  ASSERT_FALSE(out->lookup_code().empty());
  *sent = petition;
}

// GETs /api/v1/my-case every 200 ms until it answers routing's view of the
// session's case (a 200 with the petition's text; before routing registered
// the case the gateway answers intake's state, issue 15 item 2), for at
// most `wait`. The last answer in *last and its view in *view; gtest
// failures if an answer is missing, or a 200 is not a view with a state
// text.
inline void AwaitRoutingsView(Browser& browser, absl::Duration wait,
                              caserelay::v1::PetitionerView* view,
                              httplib::Result* last) {
  const absl::Time deadline = absl::Now() + Scaled(wait);
  do {
    *last = browser.Get("/api/v1/my-case");
    ASSERT_TRUE(*last);
    if ((*last)->status == 200) {
      view->Clear();
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage((*last)->body, view).ok())
          << (*last)->body;
      EXPECT_FALSE(view->state_text().empty()) << (*last)->body;
      if (!view->text().empty()) return;
    }
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
}

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_WEB_BROWSER_H_
