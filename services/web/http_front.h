// The gateway's public HTTP server (门户 HTTP 服务), on cpp-httplib
// (Debian's libcpp-httplib-dev 0.11: a maintained, small, blocking
// thread-pool server with OpenSSL TLS, the library common/admin uses too).
//
// It serves:
//   /api/...   the JSON API (api.h), every method, through Api::Handle;
//   pages      the portal's pages, composed once at start-up
//              (page_layout.h) and given in `pages`, GET and HEAD only;
//              "/" is /index.html;
//   the rest   the files of the static directory (services/web/static: the
//              portal's CSS and JS), GET and HEAD only. A path that is no
//              file is 404 with a short Chinese page; a request body over
//              max_body_bytes is 413.
// Every answer carries the security headers of issue 15 item 3: the strict
// Content-Security-Policy of web-contract.md, X-Frame-Options DENY,
// X-Content-Type-Options nosniff, Referrer-Policy no-referrer; the API's
// answers and the HTML pages (which show personal data once their script
// ran) also Cache-Control no-store, other static files no-cache.
//
// The end user's address given to the services is the socket's peer, or,
// when that peer is one of trusted_proxies, the last address of
// X-Forwarded-For that is not itself a trusted proxy.
//
// Thread safety: Start and Stop from one thread; the server's threads call
// the Api concurrently.

#ifndef CASERELAY_SERVICES_WEB_HTTP_FRONT_H_
#define CASERELAY_SERVICES_WEB_HTTP_FRONT_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/metrics/metrics.h"
#include "services/web/api.h"

namespace httplib {
class Server;
}

namespace caserelay::web {

// The Content-Security-Policy of every answer (web-contract.md "Pages").
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'";

struct HttpFrontOptions {
  config::HostPort listen;  // port 0: a free port
  std::string static_dir;   // the portal's files
  // The composed pages by URL path ("/index.html" -> the HTML).
  std::map<std::string, std::string> pages;
  // Both set: HTTPS with this PEM certificate chain and key; both empty:
  // plain HTTP (local runs, or TLS ended by a proxy in front).
  std::string tls_cert_path;
  std::string tls_key_path;
  size_t max_body_bytes = 64 * 1024;
  int threads = 8;
  // Peers whose X-Forwarded-For is believed (exact addresses).
  std::vector<std::string> trusted_proxies;
};

// The end user's address for a request from `peer` that carried
// `forwarded_for` (the X-Forwarded-For header, "" if none): see the file
// comment. Exposed for the tests.
std::string ClientAddress(const std::string& peer,
                          const std::string& forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

class HttpFront {
 public:
  // Binds, starts serving on its own threads and returns. INVALID_ARGUMENT
  // for a static_dir that is not a directory or holds a file of a page's
  // name (it would hide the composed page), one of the TLS paths without
  // the other, or a certificate/key OpenSSL refuses; UNAVAILABLE when the
  // address cannot be bound. `api` and `metrics` are not owned and must
  // outlive the HttpFront.
  static absl::StatusOr<std::unique_ptr<HttpFront>> Start(
      const HttpFrontOptions& options, const Api* api,
      metrics::Registry* metrics);

  ~HttpFront();  // Stop()s.

  int port() const { return port_; }
  // "http" or "https".
  const std::string& scheme() const { return scheme_; }

  // Stops listening, lets running requests finish, joins the threads.
  // Idempotent.
  void Stop();

 private:
  HttpFront(std::unique_ptr<httplib::Server> server, int port,
            std::string scheme);

  std::unique_ptr<httplib::Server> server_;
  const int port_;
  const std::string scheme_;
  std::thread thread_;
};

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_HTTP_FRONT_H_
