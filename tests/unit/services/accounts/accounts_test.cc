// Accounts (services/accounts/accounts.h) over a temp-dir store and a
// simulated clock: logins, the throttle, sessions and an office
// administrator's operations. Each test names the rule of the contract
// (/work/notes/console-contract.md, "accounts") it pins.
#include "services/accounts/accounts.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/unit/services/store_fixture.h"

namespace caserelay::accounts {
namespace {

constexpr char kOffice[] = "140431:bureau";
constexpr char kOtherOffice[] = "140431:labour";
constexpr char kAddress[] = "ipv4:203.0.113.7";
constexpr char kAdminPassword[] = "admin-password-1";
constexpr char kPassword[] = "handler-password-1";

class AccountsTest : public svctest::StoreFixture {
 protected:
  AccountsTest() : StoreFixture(ColumnFamilies()) {}
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    store_ = std::make_unique<AccountsStore>(&t_->store());
    AccountsOptions options;
    options.hash_cost = HashCost{1, 8192};  // libsodium's floor: fast tests
    accounts_ = std::make_unique<Accounts>(store_.get(), &t_->clock(), options);
    ASSERT_TRUE(
        accounts_
            ->BootstrapAdmin(kOffice, {"admin", "管理员甲", {}, kAdminPassword})
            .ok());
    admin_ = Login("admin", kAdminPassword);
    auto handler = accounts_->CreateUser(
        admin_, {"handler", "王五", {v1::STAFF_ROLE_HANDLER}, kPassword});
    ASSERT_TRUE(handler.ok()) << handler.status();
  }

  std::string Login(const std::string& user, const std::string& password,
                    const std::string& address = kAddress) {
    auto in = accounts_->Login(user, password, address);
    EXPECT_TRUE(in.ok()) << in.status();
    return in.ok() ? in->token : "";
  }
  void Advance(absl::Duration d) { t_->clock().Advance(d); }

  std::unique_ptr<AccountsStore> store_;
  std::unique_ptr<Accounts> accounts_;
  std::string admin_;
};

TEST_F(AccountsTest, LoginGivesANewTokenEveryTimeAndKeepsOnlyItsDigest) {
  auto first = accounts_->Login("handler", kPassword, kAddress);
  auto second = accounts_->Login("handler", kPassword, kAddress);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->token, second->token);  // contract: session fixation
  EXPECT_EQ(first->user.office_code(), kOffice);
  EXPECT_EQ(first->expires_at, t_->clock().Now() + absl::Hours(8));
  // The store holds the digest, never the token.
  auto session = store_->Session(TokenDigest(first->token));
  ASSERT_TRUE(session.ok() && session->has_value());
  auto raw = store_->Session(first->token);
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE(raw->has_value());
  auto user = accounts_->Authenticate(first->token);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->username(), "handler");
  EXPECT_TRUE(user->has_last_login_at());
}

TEST_F(AccountsTest, UnknownUserAndWrongPasswordGetTheSameWords) {
  auto unknown = accounts_->Login("nobody", kPassword, kAddress);
  auto wrong = accounts_->Login("handler", "wrong-password-1", kAddress);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().message(), kWrongCredentials);
  EXPECT_EQ(wrong.status().message(), kWrongCredentials);
}

TEST_F(AccountsTest, FiveFailuresLockTheUsernameEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->Login("handler", "wrong-password-1", kAddress)
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  // From another address too: the username is locked (contract: 5 -> 15m).
  auto locked = accounts_->Login("handler", kPassword, "ipv4:198.51.100.1");
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kResourceExhausted);
  auto after = locked.status().GetPayload(kRetryAfterPayload);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(std::string(*after), "900");
  Advance(absl::Minutes(15));
  EXPECT_TRUE(accounts_->Login("handler", kPassword, "ipv4:198.51.100.1").ok());
}

TEST_F(AccountsTest, OneAddressIsLockedAfterThirtyFailuresOnAnyUsernames) {
  for (int i = 0; i < 30; ++i) {
    (void)accounts_->Login("guess" + std::to_string(i), kPassword, kAddress);
  }
  // login_limits.h: the address is locked for every username...
  EXPECT_EQ(accounts_->Login("handler", kPassword, kAddress).status().code(),
            absl::StatusCode::kResourceExhausted);
  // ...and the username is not, from elsewhere.
  EXPECT_TRUE(accounts_->Login("handler", kPassword, "ipv4:198.51.100.1").ok());
}

TEST_F(AccountsTest, ForgottenFailureRecordsAreSwept) {
  auto records = [&] {
    int n = 0;
    EXPECT_TRUE(t_->store()
                    .Scan(kLoginFailures, "", "",
                          [&](std::string_view, std::string_view) {
                            ++n;
                            return true;
                          })
                    .ok());
    return n;
  };
  // accounts_store.h: made-up usernames from 20 addresses leave 20 address
  // records (and none per username: only existing users get one).
  for (int i = 0; i < 20; ++i) {
    (void)accounts_->Login("nobody", kPassword,
                           "ipv4:198.51.100." + std::to_string(i));
  }
  EXPECT_EQ(records(), 20);
  // Once forgotten (login_limits.h ForgottenAt: 15 min of quiet), each
  // later failure deletes up to kFailureSweepBatch of them.
  Advance(absl::Minutes(15));
  (void)accounts_->Login("nobody", kPassword, "ipv4:192.0.2.1");
  EXPECT_EQ(records(), 20 - kFailureSweepBatch + 1);
  (void)accounts_->Login("nobody", kPassword, "ipv4:192.0.2.2");
  EXPECT_EQ(records(), 2);
  // A record counted again since is kept with its newer end.
  EXPECT_EQ(accounts_->Login("handler", "wrong-password-1", "ipv4:192.0.2.1")
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, SessionEndsAfterIdleAndAtTheAbsoluteEnd) {
  const std::string token = Login("handler", kPassword);
  Advance(absl::Minutes(14));
  EXPECT_TRUE(accounts_->Authenticate(token).ok());  // moves the idle end
  Advance(absl::Minutes(14));
  EXPECT_TRUE(accounts_->Authenticate(token).ok());
  Advance(absl::Minutes(15));
  auto idle = accounts_->Authenticate(token);
  EXPECT_EQ(idle.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(idle.status().message(), kSessionEnded);

  const std::string busy = Login("handler", kPassword);
  for (int i = 0; i < 8 * 6 - 1; ++i) {  // a request every 10 minutes
    Advance(absl::Minutes(10));
    ASSERT_TRUE(accounts_->Authenticate(busy).ok()) << i;
  }
  Advance(absl::Minutes(10));  // 8h after login
  EXPECT_EQ(accounts_->Authenticate(busy).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, DisablingEndsTheSessionsAtOnce) {
  const std::string token = Login("handler", kPassword);
  auto updated =
      accounts_->UpdateUser(admin_, "handler", {v1::STAFF_ROLE_HANDLER}, true);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(accounts_->Authenticate(token).status().code(),
            absl::StatusCode::kUnauthenticated);
  auto again = accounts_->Login("handler", kPassword, kAddress);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(again.status().message(), kUserDisabled);
}

TEST_F(AccountsTest, LogoutAndPasswordChanges) {
  const std::string a = Login("handler", kPassword);
  const std::string b = Login("handler", kPassword);
  EXPECT_EQ(
      accounts_
          ->ChangePassword(a, "not-the-old-one", "new-password-2", kAddress)
          .message(),
      "原密码不正确");
  EXPECT_EQ(
      accounts_->ChangePassword(a, kPassword, "handler", kAddress).message(),
      "密码至少10个字符");
  ASSERT_TRUE(
      accounts_->ChangePassword(a, kPassword, "new-password-2", kAddress).ok());
  EXPECT_TRUE(accounts_->Authenticate(a).ok());   // the session that changed it
  EXPECT_FALSE(accounts_->Authenticate(b).ok());  // the others end
  EXPECT_TRUE(accounts_->Login("handler", "new-password-2", kAddress).ok());
  ASSERT_TRUE(accounts_->Logout(a).ok());
  EXPECT_FALSE(accounts_->Authenticate(a).ok());
  EXPECT_TRUE(accounts_->Logout(a).ok());  // twice is fine

  const std::string c = Login("handler", "new-password-2");
  ASSERT_TRUE(
      accounts_->ResetPassword(admin_, "handler", "reset-password-3").ok());
  EXPECT_FALSE(accounts_->Authenticate(c).ok());  // a reset ends them all
  EXPECT_TRUE(accounts_->Login("handler", "reset-password-3", kAddress).ok());
}

TEST_F(AccountsTest, WrongOldPasswordsCountAsFailedLogins) {
  // accounts.h ChangePassword: an open session is no faster way to guess
  // the password than Login (5 failures lock the username).
  const std::string token = Login("handler", kPassword);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_
                  ->ChangePassword(token, "guess-password-" + std::to_string(i),
                                   "new-password-2", kAddress)
                  .message(),
              "原密码不正确");
  }
  absl::Status locked =
      accounts_->ChangePassword(token, kPassword, "new-password-2", kAddress);
  EXPECT_EQ(locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(accounts_->Login("handler", kPassword, "ipv4:198.51.100.9")
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(AccountsTest, OnlyAnAdminOfTheOfficeManagesItsUsers) {
  const std::string handler = Login("handler", kPassword);
  EXPECT_EQ(accounts_->ListUsers(handler).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      accounts_
          ->CreateUser(handler,
                       {"clerk", "赵六", {v1::STAFF_ROLE_REGISTRAR}, kPassword})
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  auto users = accounts_->ListUsers(admin_);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].username(), "admin");
  EXPECT_EQ((*users)[1].username(), "handler");

  // Another office's admin cannot see or touch this office's users.
  ASSERT_TRUE(accounts_
                  ->BootstrapAdmin(kOtherOffice,
                                   {"labour-admin", "钱七", {}, kAdminPassword})
                  .ok());
  const std::string other = Login("labour-admin", kAdminPassword);
  EXPECT_EQ(
      accounts_->UpdateUser(other, "handler", {v1::STAFF_ROLE_HANDLER}, true)
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  auto theirs = accounts_->ListUsers(other);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->size(), 1u);
  // Usernames are unique across offices.
  EXPECT_EQ(
      accounts_
          ->CreateUser(other,
                       {"handler", "王五", {v1::STAFF_ROLE_HANDLER}, kPassword})
          .status()
          .code(),
      absl::StatusCode::kAlreadyExists);
}

TEST_F(AccountsTest, BootstrapOnlyWhileTheOfficeHasNoEnabledAdmin) {
  auto second = accounts_->BootstrapAdmin(
      kOffice, {"admin2", "管理员乙", {}, kAdminPassword});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), "该单位已有启用的管理员");
  // The last enabled admin cannot be disabled or lose the role.
  EXPECT_EQ(accounts_->UpdateUser(admin_, "admin", {v1::STAFF_ROLE_ADMIN}, true)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts_->UpdateUser(admin_, "admin", {v1::STAFF_ROLE_HEAD}, false)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // The bootstrap's password meets the policy too.
  EXPECT_EQ(
      accounts_->BootstrapAdmin("140431:civil", {"civil", "孙八", {}, "short"})
          .status()
          .message(),
      "密码至少10个字符");
}

}  // namespace
}  // namespace caserelay::accounts
