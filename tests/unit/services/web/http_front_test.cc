// The gateway's HTTP server over real loopback sockets
// (services/web/http_front.h; issue 15 items 1 and 3): static files with
// their content types and cache rules, the API behind it, the security
// headers on every answer, the refusals the server makes itself (413, 405,
// 404) in Chinese, the client address from the socket, and HTTPS with the
// configured certificate (compose's 443).

#include "services/web/http_front.h"

#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/services/web/api_fixture.h"

namespace caserelay::web {
namespace {

using rpc::testing::TempDir;
using rpc::testing::TestPki;
using webtest::ApiTest;

constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
    "'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri "
    "'none'";

class HttpFrontTest : public ApiTest {
 protected:
  void SetUp() override {
    static_dir_ = files_.path() + "/static";
    ASSERT_EQ(mkdir(static_dir_.c_str(), 0755), 0);
    files_.Write(
        "static/index.html",
        "<!DOCTYPE html><meta charset=\"utf-8\"><title>网上信访</title>", 0644);
    files_.Write("static/portal.css", "body{}", 0644);
  }

  HttpFrontOptions Options() const {
    HttpFrontOptions options;
    options.listen = config::HostPort{"127.0.0.1", 0};
    options.static_dir = static_dir_;
    options.max_body_bytes = 1024;
    options.threads = 2;
    return options;
  }

  void Start(const HttpFrontOptions& options) {
    auto front = HttpFront::Start(options, &api_, &registry_);
    ASSERT_TRUE(front.ok()) << front.status();
    front_ = *std::move(front);
  }

  static void ExpectSecurityHeaders(const httplib::Response& res) {
    EXPECT_EQ(res.get_header_value("Content-Security-Policy"), kCsp);
    EXPECT_EQ(res.get_header_value("X-Frame-Options"), "DENY");
    EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res.get_header_value("Referrer-Policy"), "no-referrer");
  }

  TempDir files_;
  std::string static_dir_;
  metrics::Registry registry_;
  std::unique_ptr<HttpFront> front_;
};

TEST_F(HttpFrontTest, ServesFilesApiAndItsOwnRefusalsWithTheHeaders) {
  ASSERT_NO_FATAL_FAILURE(Start(Options()));
  EXPECT_EQ(front_->scheme(), "http");
  httplib::Client client("127.0.0.1", front_->port());
  struct Row {
    const char* why;
    std::function<httplib::Result()> send;
    int status;
    const char* content_type;
    const char* cache;
  };
  const std::string big(2048, 'x');
  const std::vector<Row> rows = {
      {"w1: index.html at /, a page: never cached",
       [&] { return client.Get("/"); }, 200, "text/html; charset=utf-8",
       "no-store"},
      {"w1: CSS with its content type",
       [&] { return client.Get("/portal.css"); }, 200,
       "text/css; charset=utf-8", "no-cache"},
      {"w1: a missing page is 404, a Chinese page",
       [&] { return client.Get("/nope.html"); }, 404,
       "text/html; charset=utf-8", "no-store"},
      {"w1: a page POSTed to is 405",
       [&] { return client.Post("/index.html", "a=b", "text/plain"); }, 405,
       "text/html; charset=utf-8", "no-store"},
      {"w1: the API behind the server, JSON, never cached",
       [&] { return client.Get("/api/v1/session"); }, 200,
       "application/json; charset=utf-8", "no-store"},
      {"issue 15 item 3: a body over web.max_body_bytes is 413 before the "
       "API sees it",
       [&] {
         return client.Post("/api/v1/petitions", big, "application/json");
       },
       413, "application/json; charset=utf-8", "no-store"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    auto res = row.send();
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, row.status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), row.content_type);
    EXPECT_EQ(res->get_header_value("Cache-Control"), row.cache);
    ExpectSecurityHeaders(*res);
    if (res->status >= 400) {
      // Chinese for the user, never httplib's English.
      EXPECT_FALSE(absl::StrContains(res->body, "Not Found")) << res->body;
      EXPECT_TRUE(absl::StrContains(res->body, "页面") ||
                  absl::StrContains(res->body, "内容") ||
                  absl::StrContains(res->body, "操作"))
          << res->body;
    }
  }
  EXPECT_TRUE(backends_.calls.empty());
}

TEST_F(HttpFrontTest, TheClientAddressIsTheSocketsUnlessAProxyIsTrusted) {
  // issue 15 item 3: intake's look-up throttle counts this address.
  ASSERT_NO_FATAL_FAILURE(Start(Options()));
  httplib::Client client("127.0.0.1", front_->port());
  // A browser's session: its cookie, then the token that goes with it.
  auto session = client.Get("/api/v1/session");
  ASSERT_TRUE(session);
  const std::string set = session->get_header_value("Set-Cookie");
  const std::string body = session->body;
  const std::string key = "\"csrf_token\":\"";
  const size_t at = body.find(key) + key.size();
  httplib::Headers headers = {
      {"Cookie", set.substr(0, set.find(';'))},
      {"X-CSRF-Token", body.substr(at, body.find('"', at) - at)},
      // Anyone can send this; the server does not trust 127.0.0.1.
      {"X-Forwarded-For", "198.51.100.1"}};
  auto res = client.Post("/api/v1/phone-codes", headers,
                         "{\"phone\":\"13800001234\"}", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_EQ(backends_.calls[0].meta.client_address, "127.0.0.1");
}

TEST_F(HttpFrontTest, ServesHttpsWithTheConfiguredCertificate) {
  // issue 15 item 1: compose's HTTPS (web.tls_cert / web.tls_key).
  auto pki = TestPki::Create();
  ASSERT_TRUE(pki.ok()) << pki.status();
  HttpFrontOptions options = Options();
  options.tls_cert_path = (*pki)->Path("server.pem");
  options.tls_key_path = (*pki)->Path("server.key");
  ASSERT_NO_FATAL_FAILURE(Start(options));
  EXPECT_EQ(front_->scheme(), "https");
  httplib::SSLClient client("127.0.0.1", front_->port());
  client.set_ca_cert_path((*pki)->Path("ca.pem").c_str());
  client.enable_server_certificate_verification(true);
  auto res = client.Get("/");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(absl::StrContains(res->body, "网上信访"));
  ExpectSecurityHeaders(*res);
}

TEST_F(HttpFrontTest, StartRefusesWhatCannotServe) {
  struct Row {
    const char* why;
    std::function<void(HttpFrontOptions*)> change;
  };
  const std::vector<Row> rows = {
      {"no static directory",
       [](HttpFrontOptions* o) { o->static_dir = "/nonexistent/static"; }},
      {"a certificate without its key",
       [](HttpFrontOptions* o) { o->tls_cert_path = "/etc/hostname"; }},
      {"files OpenSSL cannot read as certificate and key",
       [](HttpFrontOptions* o) {
         o->tls_cert_path = "/etc/hostname";
         o->tls_key_path = "/etc/hostname";
       }},
      {"c2: a file of static_dir that would hide a composed page",
       [](HttpFrontOptions* o) { o->pages["/index.html"] = "<p>page</p>"; }},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    HttpFrontOptions options = Options();
    row.change(&options);
    EXPECT_EQ(HttpFront::Start(options, &api_, &registry_).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

// The pages composed at start-up (page_layout.h) are served at their path,
// index.html also at /, like the files were: HTML, never cached, with the
// security headers; other methods than GET and HEAD are 405.
TEST_F(HttpFrontTest, ServesTheComposedPages) {
  ASSERT_EQ(unlink((static_dir_ + "/index.html").c_str()), 0);
  HttpFrontOptions options = Options();
  options.pages["/index.html"] = "<title>网上信访</title>";
  options.pages["/case.html"] = "<title>我的信访事项</title>";
  ASSERT_NO_FATAL_FAILURE(Start(options));
  httplib::Client client("127.0.0.1", front_->port());
  struct Row {
    const char* path;
    const char* body;
  };
  for (const Row& row : {Row{"/", "<title>网上信访</title>"},
                         Row{"/index.html", "<title>网上信访</title>"},
                         Row{"/case.html", "<title>我的信访事项</title>"}}) {
    SCOPED_TRACE(row.path);
    auto res = client.Get(row.path);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, row.body);
    EXPECT_EQ(res->get_header_value("Content-Type"),
              "text/html; charset=utf-8");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    ExpectSecurityHeaders(*res);
    auto head = client.Head(row.path);
    ASSERT_TRUE(head) << httplib::to_string(head.error());
    EXPECT_EQ(head->status, 200);
  }
  // A path that only looks like a page ('.' is no wildcard).
  auto near = client.Get("/caseXhtml");
  ASSERT_TRUE(near) << httplib::to_string(near.error());
  EXPECT_EQ(near->status, 404);
  auto post = client.Post("/case.html", "a=b", "text/plain");
  ASSERT_TRUE(post) << httplib::to_string(post.error());
  EXPECT_EQ(post->status, 405);
}

}  // namespace
}  // namespace caserelay::web
