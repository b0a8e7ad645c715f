// Issue 23 item 2, through the real processes: `casectl token add` gives an
// office a token that routing accepts without a restart (the tokens file is
// watched), a token added by hand is taken at once on SIGHUP, and a broken
// tokens file leaves the tokens in use as they were.

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

constexpr char kHousing[] = "140431:housing";
constexpr char kLabour[] = "140431:labour";

// casectl inbox as the office whose token is in `token_file`.
CommandResult Inbox(System& sys, const std::string& token_file) {
  return RunCommand(absl::StrCat(Binary("tools/casectl/casectl"), " --routing ",
                                 sys.grpc_address("routing"), " --token-file ",
                                 token_file, " inbox"));
}

// Runs Inbox until it succeeds or `timeout` passes; the last result.
CommandResult InboxWithin(System& sys, const std::string& token_file,
                          absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  CommandResult r = Inbox(sys, token_file);
  while (r.code != 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    r = Inbox(sys, token_file);
  }
  return r;
}

// Waits until routing has answered `n` SIGHUPs with `result` ("ok" or
// "failed"); false after 10 s.
bool AwaitReloads(System& sys, const std::string& result, double n) {
  const std::string sample = absl::StrCat(
      "caserelay_credentials_reloads_total{result=\"", result, "\"}");
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    absl::StatusOr<double> v = sys.Metric("routing", sample);
    if (v.ok() && *v >= n) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

TEST(TokenReloadTest, NewTokensWorkWithoutRestartingRouting) {
  SystemOptions options;
  options.services = {"intake", "routing"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  // routing's auth.tokens_path (the harness's).
  const std::string tokens = (*sys)->dir() + "/tokens";
  const std::string bureau = (*sys)->token_file(System::kProvinceBureau);
  ASSERT_EQ(Inbox(**sys, bureau).code, 0);

  // 23.2: casectl token add; routing picks the file up by itself.
  const std::string housing = (*sys)->dir() + "/housing.token";
  CommandResult add = RunCommand(
      absl::StrCat(Binary("tools/casectl/casectl"), " token add ", kHousing,
                   " --tokens ", tokens, " --out ", housing));
  ASSERT_EQ(add.code, 0) << add.output;
  CommandResult r = InboxWithin(**sys, housing, absl::Seconds(10));
  EXPECT_EQ(r.code, 0) << r.output;

  // 23.2: a broken tokens file is refused as a whole; the tokens loaded
  // before keep working. SIGHUP makes routing try it at once.
  const std::string good = [&] {
    std::ifstream in(tokens);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  std::ofstream(tokens, std::ios::app) << "140431:labour not-a-hash\n";
  (*sys)->Signal("routing", SIGHUP);
  ASSERT_TRUE(AwaitReloads(**sys, "failed", 1));
  // The tokens loaded before still work after that attempt, as long as
  // the file stays broken (several calls, over more than a poll interval,
  // so the watcher has tried the broken file too).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Inbox(**sys, housing).code, 0);
    EXPECT_EQ(Inbox(**sys, bureau).code, 0);
    absl::SleepFor(absl::Milliseconds(500));
  }

  // 23.2: a token added by hand (as token_auth.h describes) works once the
  // file is whole again; SIGHUP takes it at once.
  const std::string labour_token(64, 'a');
  const std::string labour = (*sys)->dir() + "/labour.token";
  std::ofstream(labour) << labour_token << "\n";
  chmod(labour.c_str(), 0600);
  CommandResult hash = RunCommand(absl::StrCat(
      "printf %s ", labour_token, " | sha256sum | cut -d' ' -f1"));
  ASSERT_EQ(hash.code, 0);
  std::ofstream(tokens, std::ios::trunc)
      << good << kLabour << " " << hash.output;
  (*sys)->Signal("routing", SIGHUP);
  ASSERT_TRUE(AwaitReloads(**sys, "ok", 1));
  r = Inbox(**sys, labour);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(Inbox(**sys, housing).code, 0);
}

}  // namespace
}  // namespace caserelay::testing
