// TokenFileAuthenticator: the tokens file is followed without a restart
// (issue 23 item 2), all or nothing.

#include "common/rpc/token_file_auth.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/rpc/token_auth.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"

namespace caserelay::rpc {
namespace {

using testing::TempDir;

constexpr char kBureau[] = "140431:bureau";
constexpr char kHousing[] = "140431:housing";

std::string Line(const std::string& office, const std::string& token) {
  return absl::StrCat(office, " ", TokenHash(token), "\n");
}

// The office of `token`, or the status code's name.
std::string OfficeOr(const TokenFileAuthenticator& auth,
                     const std::string& token) {
  absl::StatusOr<Principal> office = auth.PrincipalOfToken(token);
  return office.ok() ? office->Name()
                     : absl::StatusCodeToString(office.status().code());
}

TEST(TokenFileAuthTest, AddedTokenIsAcceptedWithoutRestart) {
  struct Row {
    std::string rule;
    absl::Duration poll_interval;
    bool sighup;  // Reload() as on SIGHUP; else wait for the watcher
  };
  for (const Row& row : std::vector<Row>{
           {"23.2 the file is watched", absl::Milliseconds(10), false},
           {"23.2 SIGHUP reloads at once", absl::Hours(1), true},
       }) {
    SCOPED_TRACE(row.rule);
    TempDir dir;
    const std::string a = NewToken(), b = NewToken();
    const std::string path = dir.Write("tokens", Line(kBureau, a));
    TokenFileOptions options;
    options.poll_interval = row.poll_interval;
    auto auth = TokenFileAuthenticator::Create(path, options);
    ASSERT_TRUE(auth.ok()) << auth.status();
    EXPECT_EQ(OfficeOr(**auth, b), "UNAUTHENTICATED");

    // As `casectl token add` does: append a line in place.
    dir.Write("tokens", Line(kBureau, a) + Line(kHousing, b));
    if (row.sighup) {
      EXPECT_TRUE((*auth)->Reload().ok());
    } else {
      const absl::Time deadline = absl::Now() + absl::Seconds(10);
      while (OfficeOr(**auth, b) != kHousing && absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
    EXPECT_EQ(OfficeOr(**auth, b), kHousing);
    EXPECT_EQ(OfficeOr(**auth, a), kBureau);
  }
}

TEST(TokenFileAuthTest, RemovedTokenIsRefusedAfterReload) {
  // 23.2: reloading also takes tokens away (a rotated-out token).
  TempDir dir;
  const std::string a = NewToken(), b = NewToken();
  const std::string path =
      dir.Write("tokens", Line(kBureau, a) + Line(kHousing, b));
  TokenFileOptions options;
  options.poll_interval = absl::Hours(1);
  auto auth = TokenFileAuthenticator::Create(path, options);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(OfficeOr(**auth, b), kHousing);
  dir.Write("tokens", Line(kBureau, a));
  ASSERT_TRUE((*auth)->Reload().ok());
  EXPECT_EQ(OfficeOr(**auth, b), "UNAUTHENTICATED");
  EXPECT_EQ(OfficeOr(**auth, a), kBureau);
}

TEST(TokenFileAuthTest, FileThatDoesNotLoadKeepsTheTokensInUse) {
  const std::string a = NewToken(), b = NewToken();
  struct Row {
    std::string rule;
    std::string content;  // "" with remove: the file is deleted
    mode_t mode;
    bool remove;
    absl::StatusCode code;
  };
  for (const Row& row : std::vector<Row>{
           {"23.2 a bad line refuses the whole file",
            Line(kHousing, b) + "140431:bureau not-a-hash\n", 0600, false,
            absl::StatusCode::kInvalidArgument},
           {"23.2 no entry (e.g. truncated)", "# nothing\n", 0600, false,
            absl::StatusCode::kInvalidArgument},
           {"23.2 readable by others", Line(kHousing, b), 0644, false,
            absl::StatusCode::kFailedPrecondition},
           {"23.2 missing", "", 0600, true, absl::StatusCode::kNotFound},
       }) {
    SCOPED_TRACE(row.rule);
    TempDir dir;
    const std::string path = dir.Write("tokens", Line(kBureau, a));
    TokenFileOptions options;
    options.poll_interval = absl::Hours(1);
    auto auth = TokenFileAuthenticator::Create(path, options);
    ASSERT_TRUE(auth.ok()) << auth.status();
    if (row.remove) {
      ASSERT_EQ(unlink(path.c_str()), 0);
    } else {
      dir.Write("tokens", row.content, row.mode);
    }
    absl::Status reloaded = (*auth)->Reload();
    EXPECT_EQ(reloaded.code(), row.code) << reloaded;
    EXPECT_THAT(std::string(reloaded.message()), ::testing::HasSubstr(path));
    EXPECT_EQ(OfficeOr(**auth, a), kBureau);
    EXPECT_EQ(OfficeOr(**auth, b), "UNAUTHENTICATED");
  }
}

TEST(TokenFileAuthTest, CreateRefusesWhatLoadRefuses) {
  TempDir dir;
  EXPECT_EQ(TokenFileAuthenticator::Create(dir.Path("missing")).status().code(),
            absl::StatusCode::kNotFound);
  const std::string path = dir.Write("tokens", Line(kBureau, NewToken()));
  TokenFileOptions never;
  never.poll_interval = absl::ZeroDuration();
  EXPECT_EQ(TokenFileAuthenticator::Create(path, never).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::rpc
