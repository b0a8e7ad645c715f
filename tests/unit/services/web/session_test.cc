// The session cookie (services/web/session.h): signed, expiring, carrying
// no personal data, and its CSRF token (issue 15 item 3).

#include "services/web/session.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace caserelay::web {
namespace {

const std::string kSecret(32, 's');
const absl::Time kNow = absl::FromUnixSeconds(1796000000);

SessionCodec Codec(const std::string& secret = kSecret) {
  auto codec = SessionCodec::Create(secret);
  EXPECT_TRUE(codec.ok()) << codec.status();
  return *codec;
}

TEST(SessionCodecTest, RefusesASecretShorterThan32Bytes) {
  // issue 15 item 3: the cookie is signed with HMAC-SHA256; a short key is
  // a guessable one.
  EXPECT_EQ(SessionCodec::Create(std::string(31, 's')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(SessionCodec::Create(std::string(32, 's')).ok());
}

TEST(SessionCodecTest, NewIdsAre32HexDigitsAndDiffer) {
  const std::string a = SessionCodec::NewId(), b = SessionCodec::NewId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(SessionCodecTest, RoundTripKeepsIdCaseAndExpiry) {
  SessionCodec codec = Codec();
  Session in{SessionCodec::NewId(), "SX-2026-000042", kNow + absl::Minutes(15)};
  auto out = codec.Decode(codec.Encode(in), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->id, in.id);
  EXPECT_EQ(out->case_id, in.case_id);
  EXPECT_EQ(out->expires_at, in.expires_at);
}

// Replaces the payload part of a cookie, keeping its MAC.
std::string WithPayload(const std::string& cookie, const std::string& payload) {
  std::vector<std::string> parts = absl::StrSplit(cookie, '.');
  std::string encoded;
  absl::WebSafeBase64Escape(payload, &encoded);
  return absl::StrCat(parts[0], ".", encoded, ".", parts[2]);
}

TEST(SessionCodecTest, DecodeRefusesWhatWasNotSignedHereOrHasExpired) {
  SessionCodec codec = Codec();
  const std::string id = SessionCodec::NewId();
  const Session anonymous{id, "", kNow + absl::Minutes(15)};
  const std::string good = codec.Encode(anonymous);
  struct Row {
    const char* why;
    std::string cookie;
    absl::StatusCode code;
  };
  const Row rows[] = {
      {"issue 15 item 3: a case named by the browser itself is refused "
       "(payload changed, MAC kept)",
       WithPayload(good, absl::StrCat(id, "|SX-2026-000001|",
                                      absl::ToUnixSeconds(kNow) + 900)),
       absl::StatusCode::kUnauthenticated},
      {"issue 15 item 3: a longer life written by the browser is refused",
       WithPayload(good,
                   absl::StrCat(id, "||", absl::ToUnixSeconds(kNow) + 86400)),
       absl::StatusCode::kUnauthenticated},
      {"a cookie signed under another secret (rotated) is refused",
       Codec(std::string(32, 't')).Encode(anonymous),
       absl::StatusCode::kUnauthenticated},
      {"web-contract.md: session_ttl — an expired session is no session",
       codec.Encode(Session{id, "SX-2026-000042", kNow}),
       absl::StatusCode::kDeadlineExceeded},
      {"not three parts", "v1.abc", absl::StatusCode::kUnauthenticated},
      {"an unknown version", absl::StrCat("v2", good.substr(2)),
       absl::StatusCode::kUnauthenticated},
      {"not base64url", "v1.@@@.@@@", absl::StatusCode::kUnauthenticated},
      {"empty", "", absl::StatusCode::kUnauthenticated},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    EXPECT_EQ(codec.Decode(row.cookie, kNow).status().code(), row.code);
  }
  EXPECT_TRUE(codec.Decode(good, kNow).ok());
}

TEST(SessionCodecTest, CookieCarriesNoPersonalData) {
  // issue 15 item 3 / web-contract.md "Cookies": the id, the case number
  // and the expiry, nothing else.
  SessionCodec codec = Codec();
  const std::string cookie =
      codec.Encode(Session{SessionCodec::NewId(), "SX-2026-000042", kNow});
  std::vector<std::string> parts = absl::StrSplit(cookie, '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  std::vector<std::string> fields = absl::StrSplit(payload, '|');
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1], "SX-2026-000042");
}

TEST(SessionCodecTest, CsrfTokenIsBoundToTheSessionId) {
  // issue 15 item 3: a token read from one session does not pass another's.
  SessionCodec codec = Codec();
  Session mine{SessionCodec::NewId(), "", kNow};
  Session other{SessionCodec::NewId(), "", kNow};
  const std::string token = codec.CsrfToken(mine);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(codec.CsrfMatches(mine, token));
  EXPECT_FALSE(codec.CsrfMatches(other, token));
  EXPECT_FALSE(codec.CsrfMatches(mine, ""));
  EXPECT_FALSE(codec.CsrfMatches(mine, token.substr(1)));
  // The look-up keeps the id, so the page's token stays valid.
  Session looked_up{mine.id, "SX-2026-000042", kNow};
  EXPECT_TRUE(codec.CsrfMatches(looked_up, token));
}

}  // namespace
}  // namespace caserelay::web
