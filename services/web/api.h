// The gateway's JSON API (门户接口) of web-contract.md, independent of the
// HTTP library: the server (http_front.h) turns each request under /api/
// into an HttpCall and writes the HttpAnswer back, so the unit tests drive
// every handler and refusal without a socket.
//
// Before any handler runs, Handle refuses, in this order:
//   404 not_found             a path that is not an endpoint
//   405 method_not_allowed    an endpoint with another method (Allow: ...)
//   413 body_too_large        a body over ApiOptions::max_body_bytes
//   415 unsupported_media_type a POST body that is not application/json
//   403 csrf_failed           a POST without a valid session cookie or
//                             with an X-CSRF-Token that is not its token
// and each handler then:
//   400 bad_json              a body that is not the expected JSON object
//                             (unknown fields included)
//   400 invalid_field         a field the gateway reads itself is missing
//                             or wrong (e.g. satisfaction), naming it
//   404 unknown_region        a region parent that is not in the tree
//   401 no_session / session_expired  my-case without a looked-up case
//   and the services' refusals through errors.h's table.
// Every answer but the static files' is JSON; errors as errors.h says.
// Paths under /api/v1/console/ are the console's (console_api.h): Handle
// passes them to the ConsoleApi given to the constructor (none: 404).
// The gateway decides no rule of a case: windows, allowed actions, due
// dates and state texts come from routing's PetitionerView as they are.
// Before routing has registered a looked-up case (NOT_FOUND) the look-up
// and my-case answer intake's state and state text instead
// (lookup_memo.h), for the session that looked the case up.
//
// Thread safety: Handle is const and may run on any number of threads; the
// pointers given to the constructor must outlive the Api and be
// thread-safe (Backends) or immutable (the rest).

#ifndef CASERELAY_SERVICES_WEB_API_H_
#define CASERELAY_SERVICES_WEB_API_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/region/region_tree.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"
#include "services/web/backends.h"
#include "services/web/errors.h"
#include "services/web/lookup_memo.h"
#include "services/web/session.h"

namespace caserelay::web {

class ConsoleApi;

// One HTTP request to the API, as the server read it.
struct HttpCall {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query, e.g. "/api/v1/regions"
  std::map<std::string, std::string> query;  // decoded
  std::string cookie;        // the Cookie header as sent; empty if none
  std::string csrf_token;    // the X-CSRF-Token header; empty if none
  std::string content_type;  // the Content-Type header; empty if none
  std::string body;
  // The end user's address (http_front.h: the socket's peer, or what a
  // trusted proxy said).
  std::string client_address;
};

// The answer to write back.
struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Extra headers in order: Set-Cookie, Retry-After, Allow.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiOptions {
  // A looked-up case's session lives this long after its last use.
  absl::Duration session_ttl = absl::Minutes(15);
  // An anonymous session (no case yet: filling in a petition).
  absl::Duration anonymous_ttl = absl::Hours(2);
  // Cookies get "Secure" (HTTPS deployments).
  bool secure_cookies = false;
  size_t max_body_bytes = 64 * 1024;
};

// The session cookie's name.
inline constexpr char kSessionCookie[] = "cr_session";

class Api {
 public:
  // None of the pointers is owned; all must outlive the Api. `console`
  // may be null (no console: its paths are 404).
  Api(ApiOptions options, const SessionCodec* sessions, Backends* backends,
      const region::RegionTree* regions,
      const offices::OfficeDirectory* offices, const time::Clock* clock,
      const ConsoleApi* console = nullptr);

  // The answer to `call`; never fails (errors are answers).
  HttpAnswer Handle(const HttpCall& call) const;

  // The endpoint `path` names ("/api/v1/my-case"), for metrics labels;
  // "other" for a path that is none.
  static std::string RouteLabel(const std::string& path);

 private:
  // What a handler gets besides the call.
  struct Context {
    const HttpCall& call;
    // The valid session the cookie carried; nullopt if none, bad or expired.
    std::optional<Session> session;
    bool session_expired = false;  // the cookie verified but had expired
  };
  using Handler = HttpAnswer (Api::*)(Context&) const;
  struct Route {
    const char* method;
    const char* path;
    Handler handler;
  };
  static const std::vector<Route>& Routes();

  // Endpoints (api_handlers.cc).
  HttpAnswer GetSession(Context& c) const;
  HttpAnswer GetRegions(Context& c) const;
  HttpAnswer GetForm(Context& c) const;
  // 领导接访安排 (issue 18 item 1; api_receptions.cc): intake's
  // ListReceptions with the query's region, office, from and to.
  HttpAnswer GetReceptions(Context& c) const;
  HttpAnswer PostPhoneCode(Context& c) const;
  HttpAnswer PostPetition(Context& c) const;
  HttpAnswer PostLookup(Context& c) const;
  HttpAnswer GetMyCase(Context& c) const;
  HttpAnswer PostRating(Context& c) const;
  HttpAnswer PostRequest(Context& c) const;
  HttpAnswer PostLogout(Context& c) const;

  // Helpers (api.cc).
  // `c.session` if it names a case; else the 401 answer in `refusal`.
  const Session* CaseSession(Context& c, HttpAnswer* refusal) const;
  // The session's case as routing shows it to its petitioner (before
  // routing has registered it: intake's answer to this session's look-up,
  // lookups_), with the session cookie renewed; or the error answer.
  HttpAnswer ViewAnswer(Context& c, const Session& session) const;
  // Adds the Set-Cookie of `session` (expiring ttl from now) to `answer`.
  void SetSessionCookie(Session session, absl::Duration ttl,
                        HttpAnswer* answer) const;
  CallMeta Meta(const Context& c, const std::string& petitioner_case) const;

  // Const after construction.
  const ApiOptions options_;
  const SessionCodec* const sessions_;
  Backends* const backends_;
  const region::RegionTree* const regions_;
  const offices::OfficeDirectory* const offices_;
  const time::Clock* const clock_;
  const ConsoleApi* const console_;
  // Intake's answers of look-ups whose case routing does not know yet.
  mutable LookupMemo lookups_;
};

// The value of cookie `name` in a Cookie header; empty if absent.
std::string CookieValue(const std::string& header, absl::string_view name);

// The Set-Cookie value of the portal's session cookie (kSessionCookie)
// carrying `session`, which then expires `ttl` after `now`.
std::string SessionCookie(const SessionCodec& codec, Session session,
                          absl::Time now, absl::Duration ttl, bool secure);

// True when a Content-Type header names application/json.
bool IsJson(const std::string& content_type);

// Answers shared by the API and the server's own refusals (http_front.h).
HttpAnswer ErrorAnswer(const ApiError& error);
HttpAnswer ErrorAnswer(int http_status, const std::string& code,
                       const std::string& message,
                       const std::string& field = "");

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_API_H_
