#include "services/web/session.h"

#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/digest/digest.h"

namespace caserelay::web {
namespace {

constexpr char kVersion[] = "v1";

std::string Mac(const std::string& secret, absl::string_view purpose,
                absl::string_view data) {
  return digest::HmacSha256(secret,
                            absl::StrCat(purpose, std::string(1, '\0'), data));
}

bool IsHexId(absl::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<SessionCodec> SessionCodec::Create(std::string secret) {
  if (secret.size() < kMinSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("session secret: at least ", kMinSecretBytes,
                     " bytes needed, got ", secret.size()));
  }
  return SessionCodec(std::move(secret));
}

std::string SessionCodec::NewId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // No randomness means no safe session at all: a broken invariant.
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string SessionCodec::Encode(const Session& session) const {
  const std::string payload =
      absl::StrCat(session.id, "|", session.case_id, "|",
                   absl::ToUnixSeconds(session.expires_at));
  std::string encoded, mac;
  absl::WebSafeBase64Escape(payload, &encoded);
  absl::WebSafeBase64Escape(Mac(secret_, "cr_session", payload), &mac);
  return absl::StrCat(kVersion, ".", encoded, ".", mac);
}

absl::StatusOr<Session> SessionCodec::Decode(absl::string_view cookie,
                                             absl::Time now) const {
  std::vector<absl::string_view> parts = absl::StrSplit(cookie, '.');
  if (parts.size() != 3 || parts[0] != kVersion) {
    return absl::UnauthenticatedError("session cookie: malformed");
  }
  std::string payload, mac;
  if (!absl::WebSafeBase64Unescape(parts[1], &payload) ||
      !absl::WebSafeBase64Unescape(parts[2], &mac)) {
    return absl::UnauthenticatedError("session cookie: not base64url");
  }
  if (!digest::ConstantTimeEquals(mac, Mac(secret_, "cr_session", payload))) {
    return absl::UnauthenticatedError("session cookie: signature mismatch");
  }
  std::vector<std::string> fields = absl::StrSplit(payload, '|');
  int64_t expiry = 0;
  if (fields.size() != 3 || !IsHexId(fields[0]) ||
      !absl::SimpleAtoi(fields[2], &expiry)) {
    return absl::UnauthenticatedError("session cookie: malformed payload");
  }
  Session session{fields[0], fields[1], absl::FromUnixSeconds(expiry)};
  if (session.expires_at <= now) {
    return absl::DeadlineExceededError("session cookie: expired");
  }
  return session;
}

std::string SessionCodec::CsrfToken(const Session& session) const {
  return absl::BytesToHexString(Mac(secret_, "csrf", session.id));
}

bool SessionCodec::CsrfMatches(const Session& session,
                               absl::string_view token) const {
  return digest::ConstantTimeEquals(token, CsrfToken(session));
}

std::string SessionCodec::StaffCsrfToken(
    absl::string_view session_token) const {
  return absl::BytesToHexString(Mac(secret_, "csrf-staff", session_token));
}

bool SessionCodec::StaffCsrfMatches(absl::string_view session_token,
                                    absl::string_view token) const {
  return !session_token.empty() &&
         digest::ConstantTimeEquals(token, StaffCsrfToken(session_token));
}

}  // namespace caserelay::web
