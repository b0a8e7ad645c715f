// The portal's session cookie (会话): who the browser is to the gateway, and
// the CSRF token bound to it (issue 15 item 3; web-contract.md "Cookies").
//
// Every browser gets a session at GET /api/v1/session: a random id and no
// case ("anonymous"), long enough to fill in a petition. A successful
// look-up (intake's GetCaseStatus with case number and look-up code) names
// the case in the session, which then lives web.session_ttl after its last
// use. The cookie carries only the random id, the case number and the
// expiry, signed with HMAC-SHA256 under the gateway's secret: no personal
// data, and nothing the browser can change unseen.
//
// Cookie value: "v1." base64url(id "|" case_id "|" expiry unix seconds) "."
// base64url(HMAC-SHA256(secret, "cr_session\0" payload)).
// CSRF token: hex HMAC-SHA256(secret, "csrf\0" id): the same for the life
// of the session id, so a page keeps its token across the look-up.
//
// Thread safety: a SessionCodec is immutable after Create(); its const
// methods may be called from any number of threads.

#ifndef CASERELAY_SERVICES_WEB_SESSION_H_
#define CASERELAY_SERVICES_WEB_SESSION_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace caserelay::web {

struct Session {
  std::string id;       // 32 lower-case hex digits, random
  std::string case_id;  // the looked-up case; empty: anonymous
  absl::Time expires_at;
};

class SessionCodec {
 public:
  // The shortest secret accepted, in bytes.
  static constexpr size_t kMinSecretBytes = 32;

  // INVALID_ARGUMENT when `secret` is shorter than kMinSecretBytes.
  static absl::StatusOr<SessionCodec> Create(std::string secret);

  // A new random session id (OpenSSL's CSPRNG), 32 hex digits.
  static std::string NewId();

  // The signed cookie value of `session`. REQUIRES: session.id is a NewId()
  // and session.case_id has no '|' (case numbers never do).
  std::string Encode(const Session& session) const;

  // The session `cookie` carries. UNAUTHENTICATED when it is malformed or
  // its signature does not verify (tampered, or signed under another
  // secret); DEADLINE_EXCEEDED when it verifies but expired at or before
  // `now`. Messages are for operators and never repeat the cookie.
  absl::StatusOr<Session> Decode(absl::string_view cookie,
                                 absl::Time now) const;

  // The CSRF token of `session` (64 hex digits).
  std::string CsrfToken(const Session& session) const;

  // True when `token` is CsrfToken(session), compared in constant time.
  bool CsrfMatches(const Session& session, absl::string_view token) const;

  // The CSRF token of a console session (issue 16, console_session.h):
  // hex HMAC-SHA256(secret, "csrf-staff\0" session_token), so a new login
  // (a new token from accounts) has a new one. REQUIRES: non-empty token.
  std::string StaffCsrfToken(absl::string_view session_token) const;

  // True when `token` is StaffCsrfToken(session_token), in constant time;
  // false for an empty session_token.
  bool StaffCsrfMatches(absl::string_view session_token,
                        absl::string_view token) const;

 private:
  explicit SessionCodec(std::string secret) : secret_(std::move(secret)) {}

  std::string secret_;  // const after Create
};

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_SESSION_H_
