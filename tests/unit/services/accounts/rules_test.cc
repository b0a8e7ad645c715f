// The pure rules of accounts: the password policy, the user rules, the
// login throttle and when a session ends. Each row cites the rule it pins
// (issue 16 item 1, the lead's contract /work/notes/console-contract.md,
// or the header that states it).
#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/accounts/login_limits.h"
#include "services/accounts/password.h"
#include "services/accounts/sessions.h"
#include "services/accounts/user_rules.h"

namespace caserelay::accounts {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

TEST(PasswordPolicyTest, Table) {
  struct Row {
    const char* rule;
    std::string username, password;
    absl::StatusCode code;
    std::string message;
  };
  for (const Row& r : std::vector<Row>{
           {"contract: length >= 10 accepted", "wangwu", "abcdefghij",
            absl::StatusCode::kOk, ""},
           {"contract: length >= 10 (9 refused)", "wangwu", "abcdefghi",
            absl::StatusCode::kInvalidArgument, "密码至少10个字符"},
           {"characters, not bytes: 9 Chinese characters are 27 bytes",
            "wangwu", "信访工作条例第十条", absl::StatusCode::kInvalidArgument,
            "密码至少10个字符"},
           {"10 Chinese characters", "wangwu", "信访工作条例第十一条",
            absl::StatusCode::kOk, ""},
           {"contract: not the username", "wangwu12345", "wangwu12345",
            absl::StatusCode::kInvalidArgument, "密码不能与用户名相同"},
           {"not the username, whatever the case", "wangwu12345", "WangWu12345",
            absl::StatusCode::kInvalidArgument, "密码不能与用户名相同"},
           {"password.h: at most 128 bytes", "wangwu", std::string(129, 'a'),
            absl::StatusCode::kInvalidArgument, "密码不能超过128个字节"},
           {"password.h: 128 bytes accepted", "wangwu", std::string(128, 'a'),
            absl::StatusCode::kOk, ""},
           {"password.h: no control characters", "wangwu", "abcdefghij\n",
            absl::StatusCode::kInvalidArgument, "密码含有无效字符"},
           {"password.h: valid UTF-8 only", "wangwu", "abcdefghij\xff",
            absl::StatusCode::kInvalidArgument, "密码含有无效字符"},
       }) {
    absl::Status s = CheckPasswordPolicy(r.username, r.password);
    EXPECT_EQ(s.code(), r.code) << r.rule;
    EXPECT_EQ(s.message(), r.message) << r.rule;
  }
}

TEST(PasswordHashTest, Argon2idVerifiesOnlyTheRightPassword) {
  // The cheapest cost libsodium allows keeps the test fast; the format and
  // the algorithm are the same (password.h).
  const HashCost cheap{1, 8192};
  ASSERT_TRUE(CheckHashCost(cheap).ok());
  auto hash = HashPassword("correct horse battery", cheap);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  // A fresh salt each time: the same password never hashes the same.
  auto again = HashPassword("correct horse battery", cheap);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);
  // A hash made under other costs still verifies (the string carries them).
  auto dearer = HashPassword("correct horse battery", HashCost{2, 16384});
  ASSERT_TRUE(dearer.ok());
  EXPECT_TRUE(VerifyPassword(*dearer, "correct horse battery"));
}

TEST(PasswordHashTest, MalformedStoredHashNeverVerifies) {
  for (const char* stored :
       {"", "plaintext-password", "$argon2i$v=19$m=8,t=1,p=1$AAAA$BBBB",
        "$argon2id$garbage"}) {
    EXPECT_FALSE(VerifyPassword(stored, "plaintext-password")) << stored;
  }
}

TEST(PasswordHashTest, CostBounds) {
  EXPECT_EQ(CheckHashCost({0, 8192}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckHashCost({1, 1024}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckHashCost(HashCost{}).ok());
}

TEST(HashGateTest, AtMostMaxHashesAtOnce) {
  // password.h HashGate: argon2id's memory times the callers must stay
  // bounded however many logins arrive together.
  HashGate gate(2);
  absl::Mutex mu;
  int inside = 0, most = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      HashGate::Slot slot(&gate);
      {
        absl::MutexLock lock(&mu);
        most = std::max(most, ++inside);
      }
      absl::SleepFor(absl::Milliseconds(20));
      absl::MutexLock lock(&mu);
      --inside;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(most, 2);
}

TEST(UserRulesTest, Usernames) {
  struct Row {
    const char* rule;
    const char* username;
    bool ok;
  };
  for (const Row& r : std::vector<Row>{
           {"user_rules.h: lower-case ASCII login name", "wangwu", true},
           {"digits, '.', '_', '-' after the first letter", "wang.wu_2-a",
            true},
           {"at least 3", "ww", false},
           {"at most 32", "a234567890123456789012345678901x", true},
           {"33 is too long", "a2345678901234567890123456789012x", false},
           {"starts with a letter", "1wangwu", false},
           {"no upper case (one spelling per person)", "WangWu", false},
           {"no space", "wang wu", false},
           {"no Chinese (the name goes in display_name)", "王五", false},
           {"no separator of the store's keys", "wang\x1fwu", false},
       }) {
    EXPECT_EQ(CheckUsername(r.username).ok(), r.ok) << r.rule;
  }
}

TEST(UserRulesTest, DisplayNamesAndRoles) {
  EXPECT_TRUE(CheckDisplayName("王五").ok());
  EXPECT_TRUE(CheckDisplayName("Anna Li").ok());
  EXPECT_EQ(CheckDisplayName("").message(), "姓名须为1至32个字符");
  EXPECT_EQ(CheckDisplayName(" 王五").message(), "姓名须为1至32个字符");
  EXPECT_EQ(CheckDisplayName("王\n五").message(), "姓名含有无效字符");

  struct Row {
    const char* rule;
    std::vector<int> roles;
    std::vector<v1::StaffRole> want;  // empty: refused
    const char* message;
  };
  for (const Row& r : std::vector<Row>{
           {"issue 16 item 1: a user has one or more roles",
            {},
            {},
            "至少选择一个角色"},
           {"sorted, duplicates dropped",
            {v1::STAFF_ROLE_HEAD, v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD},
            {v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD},
            ""},
           {"UNSPECIFIED is no role",
            {v1::STAFF_ROLE_UNSPECIFIED},
            {},
            "角色不正确"},
           {"an unknown number is no role", {99}, {}, "角色不正确"},
       }) {
    auto got = NormalizeRoles(r.roles);
    if (r.want.empty()) {
      EXPECT_EQ(got.status().message(), r.message) << r.rule;
    } else {
      ASSERT_TRUE(got.ok()) << r.rule;
      EXPECT_EQ(*got, r.want) << r.rule;
    }
  }
}

TEST(LoginLimitsTest, Table) {
  const LockRule rule{5, absl::Minutes(15), absl::Minutes(15)};
  struct Row {
    const char* rule;
    std::optional<FailureCount> before;
    absl::Duration at;  // after kT0
    int64_t want_failures;
    std::optional<absl::Duration> want_locked_for;  // from `at`
  };
  auto count = [](int64_t n, absl::Duration last,
                  std::optional<absl::Duration> locked = std::nullopt) {
    FailureCount c;
    c.failures = n;
    c.last_failure = kT0 + last;
    if (locked) c.locked_until = kT0 + *locked;
    return std::optional<FailureCount>(c);
  };
  for (const Row& r : std::vector<Row>{
           {"login_limits.h: the first failure counts 1", std::nullopt,
            absl::ZeroDuration(), 1, std::nullopt},
           {"a failure within the window adds", count(3, absl::ZeroDuration()),
            absl::Minutes(14), 4, std::nullopt},
           {"contract: the 5th failure locks for 15 min",
            count(4, absl::ZeroDuration()), absl::Minutes(1), 5,
            absl::Minutes(15)},
           {"after a quieter spell than the window a new count starts",
            count(4, absl::ZeroDuration()), absl::Minutes(15), 1, std::nullopt},
           {"once the lock passed the next failure starts a new count",
            count(5, absl::ZeroDuration(), absl::Minutes(15)),
            absl::Minutes(15), 1, std::nullopt},
       }) {
    FailureCount got = AfterFailure(rule, r.before, kT0 + r.at);
    EXPECT_EQ(got.failures, r.want_failures) << r.rule;
    EXPECT_EQ(got.last_failure, kT0 + r.at) << r.rule;
    if (r.want_locked_for) {
      ASSERT_TRUE(got.locked_until.has_value()) << r.rule;
      EXPECT_EQ(*got.locked_until, kT0 + r.at + *r.want_locked_for) << r.rule;
    } else {
      EXPECT_FALSE(got.locked_until.has_value()) << r.rule;
    }
  }
  // Locked while now < locked_until, refused whatever the password.
  auto locked = count(5, absl::ZeroDuration(), absl::Minutes(15));
  EXPECT_EQ(LockedUntil(locked, kT0 + absl::Minutes(14)),
            kT0 + absl::Minutes(15));
  EXPECT_EQ(LockedUntil(locked, kT0 + absl::Minutes(15)), std::nullopt);
  EXPECT_EQ(LockedUntil(std::nullopt, kT0), std::nullopt);
  // Forgotten once both the lock and the window have passed.
  EXPECT_EQ(ForgottenAt(rule, *count(2, absl::Minutes(1))),
            kT0 + absl::Minutes(16));
  EXPECT_EQ(ForgottenAt(rule, *count(5, absl::Minutes(1), absl::Hours(1))),
            kT0 + absl::Hours(1));
  EXPECT_EQ(RetryAfterSeconds(kT0 + absl::Milliseconds(1500), kT0), 2);
  EXPECT_EQ(RetryAfterSeconds(kT0, kT0), 1);
  EXPECT_EQ(
      CheckLockRule({0, absl::Minutes(1), absl::Minutes(1)}, "accounts.user")
          .message(),
      "config: accounts.user_max_failures 0 is outside [1, 10000]");
}

TEST(SessionsTest, EndTable) {
  const SessionLimits limits{absl::Minutes(15), absl::Hours(8)};
  struct Row {
    const char* rule;
    absl::Duration last_seen;  // after login at kT0
    absl::Duration now;
    bool live;
  };
  for (const Row& r : std::vector<Row>{
           {"contract: accounts.session_idle 15m — live before",
            absl::ZeroDuration(), absl::Minutes(14), true},
           {"idle end after 15m without a request", absl::ZeroDuration(),
            absl::Minutes(15), false},
           {"sliding: a request moves the idle end", absl::Minutes(10),
            absl::Minutes(24), true},
           {"contract: accounts.session_max 8h — absolute end, however busy",
            absl::Hours(8) - absl::Minutes(1), absl::Hours(8), false},
           {"just before the absolute end", absl::Hours(8) - absl::Minutes(1),
            absl::Hours(8) - absl::Seconds(1), true},
       }) {
    EXPECT_EQ(SessionLive(limits, {kT0, kT0 + r.last_seen}, kT0 + r.now),
              r.live)
        << r.rule;
  }
  EXPECT_FALSE(
      SessionNeedsTouch({kT0, kT0}, kT0 + kTouchStep - absl::Seconds(1)));
  EXPECT_TRUE(SessionNeedsTouch({kT0, kT0}, kT0 + kTouchStep));
  EXPECT_EQ(CheckSessionLimits({absl::Hours(2), absl::Hours(1)}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SessionsTest, TokensAreFreshAndKeptAsDigests) {
  auto a = NewSessionToken();
  auto b = NewSessionToken();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_EQ(a->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                 "qrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(TokenDigest(*a).size(), 32u);
  EXPECT_EQ(TokenDigest(*a).find(*a), std::string::npos);
}

}  // namespace
}  // namespace caserelay::accounts
