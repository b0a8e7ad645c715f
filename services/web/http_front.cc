#include "services/web/http_front.h"

#include <httplib.h>
#include <sys/stat.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace caserelay::web {
namespace {

constexpr char kApiPrefix[] = "/api/";

// Content types of the portal's files; text in UTF-8.
constexpr std::pair<const char*, const char*> kMimeTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
};

// The page of a path that is no file (and of other refusals outside the
// API): plain Chinese, no script, no style of its own.
std::string ErrorPage(int status) {
  const char* text = status == 404   ? "您访问的页面不存在。"
                     : status == 405 ? "不支持该操作。"
                     : status == 413 ? "提交的内容过长。"
                     : status < 500  ? "请求有误。"
                                     : "系统繁忙，请稍后再试。";
  return absl::StrCat(
      "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><title>",
      text, "</title></head><body><h1>", text,
      "</h1><p><a href=\"/\">返回网上信访首页</a></p></body></html>");
}

HttpCall CallOf(const httplib::Request& req,
                const std::vector<std::string>& trusted_proxies) {
  HttpCall call;
  call.method = req.method;
  call.path = req.path;
  for (const auto& [key, value] : req.params) call.query[key] = value;
  call.cookie = req.get_header_value("Cookie");
  call.csrf_token = req.get_header_value("X-CSRF-Token");
  call.content_type = req.get_header_value("Content-Type");
  call.body = req.body;
  call.client_address =
      ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                    trusted_proxies);
  return call;
}

void Write(const HttpAnswer& answer, httplib::Response& res) {
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  res.set_header("Cache-Control", "no-store");
  res.set_content(answer.body, answer.content_type.c_str());
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string ClientAddress(const std::string& peer,
                          const std::string& forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](absl::string_view address) {
    for (const std::string& proxy : trusted_proxies) {
      if (address == proxy) return true;
    }
    return false;
  };
  if (!trusted(peer) || forwarded_for.empty()) return peer;
  std::vector<absl::string_view> hops = absl::StrSplit(forwarded_for, ',');
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    absl::string_view hop = absl::StripAsciiWhitespace(*it);
    if (hop.empty()) continue;
    if (!trusted(hop)) return std::string(hop);
  }
  return peer;
}

absl::StatusOr<std::unique_ptr<HttpFront>> HttpFront::Start(
    const HttpFrontOptions& options, const Api* api,
    metrics::Registry* metrics) {
  if (!IsDirectory(options.static_dir)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: web.static_dir: not a directory: ", options.static_dir));
  }
  for (const auto& [path, html] : options.pages) {
    struct stat st;
    if (stat((options.static_dir + path).c_str(), &st) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: web.static_dir: ", options.static_dir, path,
          " would hide the composed page ", path,
          " (pages come from web.pages_dir)"));
    }
  }
  if (options.tls_cert_path.empty() != options.tls_key_path.empty()) {
    return absl::InvalidArgumentError(
        "config: web.tls_cert and web.tls_key go together");
  }
  std::unique_ptr<httplib::Server> server;
  std::string scheme = "http";
  if (!options.tls_cert_path.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(
        options.tls_cert_path.c_str(), options.tls_key_path.c_str());
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: web.tls_cert / web.tls_key: OpenSSL refused ",
                       options.tls_cert_path, " with ", options.tls_key_path));
    }
    server = std::move(tls);
    scheme = "https";
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const int threads = options.threads;
  server->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // Headers and body go out in separate writes: without TCP_NODELAY,
  // Nagle's algorithm against the peer's delayed ACK holds each answer
  // ~40 ms (measured by bench/web).
  server->set_tcp_nodelay(true);
  server->set_payload_max_length(options.max_body_bytes);
  server->set_read_timeout(10, 0);
  server->set_write_timeout(10, 0);
  server->set_default_headers({
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  });
  for (const auto& [ext, mime] : kMimeTypes) {
    server->set_file_extension_and_mimetype_mapping(ext, mime);
  }
  if (!server->set_mount_point("/", options.static_dir)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: web.static_dir: cannot serve ", options.static_dir));
  }
  // Pages show personal data once their script ran: never kept.
  server->set_file_request_handler(
      [](const httplib::Request& req, httplib::Response& res) {
        const bool page =
            absl::EndsWith(req.path, ".html") || absl::EndsWith(req.path, "/");
        res.set_header("Cache-Control", page ? "no-store" : "no-cache");
      });

  // The composed pages: no file of static_dir has their names (checked
  // above), so httplib's file handler passes them on to these.
  for (const auto& [path, html] : options.pages) {
    auto serve = [page = html](const httplib::Request&,
                               httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      res.set_content(page, "text/html; charset=utf-8");
    };
    server->Get(absl::StrReplaceAll(path, {{".", "\\."}}), serve);
    if (path == "/index.html") server->Get("/", serve);
  }

  const std::vector<std::string> proxies = options.trusted_proxies;
  auto api_handler = [api, proxies](const httplib::Request& req,
                                    httplib::Response& res) {
    Write(api->Handle(CallOf(req, proxies)), res);
  };
  const std::string api_pattern = absl::StrCat(kApiPrefix, ".*");
  server->Get(api_pattern, api_handler);
  server->Post(api_pattern, api_handler);
  server->Put(api_pattern, api_handler);
  server->Patch(api_pattern, api_handler);
  server->Delete(api_pattern, api_handler);
  server->Options(api_pattern, api_handler);
  // Outside the API only files, read with GET or HEAD.
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
  };
  server->Post(".*", not_allowed);
  server->Put(".*", not_allowed);
  server->Patch(".*", not_allowed);
  server->Delete(".*", not_allowed);

  // Answers with no body yet (httplib's own 404, 413, 400 ..., the 405
  // above) get one: JSON under the API, a short page elsewhere.
  server->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        if (absl::StartsWith(req.path, kApiPrefix)) {
          HttpAnswer answer =
              res.status == 413 ? ErrorAnswer(413, "body_too_large",
                                              "提交的内容过长，请删减后重试")
              : res.status == 404
                  ? ErrorAnswer(404, "not_found", "您访问的页面不存在")
                  : ErrorAnswer(res.status, "bad_request",
                                "请求有误，请刷新页面后重试");
          Write(answer, res);
        } else {
          res.set_header("Cache-Control", "no-store");
          res.set_content(ErrorPage(res.status), "text/html; charset=utf-8");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  // Requests by endpoint and status; no path, query or address (they may
  // carry personal data).
  server->set_logger([metrics](const httplib::Request& req,
                               const httplib::Response& res) {
    const std::string route = absl::StartsWith(req.path, kApiPrefix)
                                  ? Api::RouteLabel(req.path)
                                  : "static";
    metrics
        ->GetCounter("caserelay_web_requests_total",
                     "HTTP requests of the portal, by endpoint and status.",
                     {{"route", route}, {"status", std::to_string(res.status)}})
        .Increment();
  });

  int port = options.listen.port;
  if (port == 0) {
    port = server->bind_to_any_port(options.listen.host);
  } else if (!server->bind_to_port(options.listen.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("web.listen: cannot bind ", options.listen.ToString()));
  }
  std::unique_ptr<HttpFront> front(
      new HttpFront(std::move(server), port, scheme));
  httplib::Server* s = front->server_.get();
  front->thread_ = std::thread([s] { s->listen_after_bind(); });
  return front;
}

HttpFront::HttpFront(std::unique_ptr<httplib::Server> server, int port,
                     std::string scheme)
    : server_(std::move(server)), port_(port), scheme_(std::move(scheme)) {}

HttpFront::~HttpFront() { Stop(); }

void HttpFront::Stop() {
  if (!thread_.joinable()) return;
  // Closes the listening socket: listen_after_bind returns, or, if it has
  // not started its loop yet, never enters it.
  server_->stop();
  thread_.join();
}

}  // namespace caserelay::web
