// accounts through the real processes (issue 16 item 1; the lead's
// contract /work/notes/console-contract.md "accounts"): devbroker and the
// accounts binary on loopback, casectl bootstrapping the first
// administrator with the office's own token, and the web gateway's
// identity (service:web) calling the RPCs as the gateway does, with the
// browser's address in x-caserelay-client-address.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/accounts.grpc.pb.h"
#include "common/rpc/auth.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kOffice[] = "140431:bureau";
constexpr char kAdminPassword[] = "bureau-admin-pw-1";
constexpr char kHandlerPassword[] = "handler-pw-12345";

// A call as the web gateway makes it: 10 s, the browser's address.
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& address) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(10));
  ctx->AddMetadata(rpc::kClientAddressMetadata, address);
  return ctx;
}

class AccountsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SystemOptions options;
    options.offices = {kOffice};
    options.services = {};  // accounts needs only the broker
    options.accounts = true;
    auto sys = System::Start(options);
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = *std::move(sys);
    web_ =
        v1::AccountsService::NewStub(sys_->Channel("accounts", System::kWeb));
  }

  // casectl admin bootstrap as `office`, the password on stdin.
  CommandResult Bootstrap(const std::string& office,
                          const std::string& username) {
    return RunCommand(
        absl::StrCat("printf '%s\\n' '", kAdminPassword, "' | ",
                     Binary("tools/casectl/casectl"), " --accounts ",
                     sys_->grpc_address("accounts"), " --token-file ",
                     sys_->token_file(office), " admin bootstrap --username ",
                     username, " --display-name 管理员甲"));
  }

  grpc::Status Login(const std::string& user, const std::string& password,
                     v1::LoginResponse* out,
                     const std::string& address = "203.0.113.7") {
    v1::LoginRequest req;
    req.set_username(user);
    req.set_password(password);
    return web_->Login(Ctx(address).get(), req, out);
  }

  grpc::Status Authenticate(const std::string& token, v1::User* out) {
    v1::AuthenticateRequest req;
    req.set_session_token(token);
    return web_->Authenticate(Ctx("203.0.113.7").get(), req, out);
  }

  std::unique_ptr<System> sys_;
  std::unique_ptr<v1::AccountsService::Stub> web_;
};

TEST_F(AccountsIntegrationTest, AdminBootstrapsCreatesAHandlerWhoLogsIn) {
  CommandResult first = Bootstrap(kOffice, "bureau-admin");
  ASSERT_EQ(first.code, 0) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "administrator bureau-admin"))
      << first.output;
  EXPECT_FALSE(absl::StrContains(first.output, kAdminPassword));
  // Contract: FAILED_PRECONDITION once the office has an enabled ADMIN.
  CommandResult second = Bootstrap(kOffice, "bureau-admin2");
  EXPECT_EQ(second.code, 1) << second.output;
  EXPECT_TRUE(absl::StrContains(second.output, "FAILED_PRECONDITION"))
      << second.output;

  v1::LoginResponse admin;
  grpc::Status s = Login("bureau-admin", kAdminPassword, &admin);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(admin.user().office_code(), kOffice);
  EXPECT_FALSE(admin.user().office_name().empty());

  v1::CreateUserRequest create;
  create.set_session_token(admin.session_token());
  create.set_username("wangwu");
  create.set_display_name("王五");
  create.add_roles(v1::STAFF_ROLE_HANDLER);
  create.set_password(kHandlerPassword);
  v1::User created;
  s = web_->CreateUser(Ctx("203.0.113.7").get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::LoginResponse handler;
  s = Login("wangwu", kHandlerPassword, &handler);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(handler.user().display_name(), "王五");
  // The sections of the role table (domain/access/roles.h): a handler's
  // inbox, not the users' page.
  std::vector<int> views(handler.user().views().begin(),
                         handler.user().views().end());
  EXPECT_NE(std::find(views.begin(), views.end(), v1::CONSOLE_VIEW_INBOX),
            views.end());
  EXPECT_EQ(std::find(views.begin(), views.end(), v1::CONSOLE_VIEW_USERS),
            views.end());
  v1::User me;
  s = Authenticate(handler.session_token(), &me);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(me.username(), "wangwu");
  // A handler is no administrator.
  v1::ListUsersRequest list;
  list.set_session_token(handler.session_token());
  v1::ListUsersResponse users;
  EXPECT_EQ(
      web_->ListUsers(Ctx("203.0.113.7").get(), list, &users).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // Contract: 5 wrong passwords lock the username; then even the right
  // one is refused, with the seconds to wait in x-caserelay-retry-after.
  for (int i = 0; i < 5; ++i) {
    v1::LoginResponse out;
    s = Login("wangwu", "not-the-password", &out, "198.51.100.4");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << i;
    EXPECT_EQ(s.error_message(), "用户名或密码错误") << i;
  }
  {
    v1::LoginRequest req;
    req.set_username("wangwu");
    req.set_password(kHandlerPassword);
    v1::LoginResponse out;
    auto ctx = Ctx("192.0.2.55");
    s = web_->Login(ctx.get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    auto after =
        ctx->GetServerTrailingMetadata().find(rpc::kRetryAfterMetadata);
    ASSERT_NE(after, ctx->GetServerTrailingMetadata().end());
    EXPECT_GT(
        std::stoi(std::string(after->second.data(), after->second.size())),
        800);
  }

  // Disabled: the session that is open is refused at once.
  v1::UpdateUserRequest disable;
  disable.set_session_token(admin.session_token());
  disable.set_username("wangwu");
  disable.add_roles(v1::STAFF_ROLE_HANDLER);
  disable.set_disabled(true);
  v1::User disabled;
  s = web_->UpdateUser(Ctx("203.0.113.7").get(), disable, &disabled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(disabled.disabled());
  s = Authenticate(handler.session_token(), &me);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountsIntegrationTest, OnlyTheWebGatewayMayLogInOrAuthenticate) {
  ASSERT_EQ(Bootstrap(kOffice, "bureau-admin").code, 0);
  v1::LoginResponse admin;
  ASSERT_TRUE(Login("bureau-admin", kAdminPassword, &admin).ok());

  // An office's token (casectl's) may not sign anyone in or check a
  // session: it could guess passwords outside the gateway.
  auto office =
      v1::AccountsService::NewStub(sys_->Channel("accounts", kOffice));
  {
    v1::LoginRequest req;
    req.set_username("bureau-admin");
    req.set_password(kAdminPassword);
    v1::LoginResponse out;
    grpc::ClientContext ctx;
    EXPECT_EQ(office->Login(&ctx, req, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    v1::AuthenticateRequest req;
    req.set_session_token(admin.session_token());
    v1::User out;
    grpc::ClientContext ctx;
    EXPECT_EQ(office->Authenticate(&ctx, req, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // Another service's identity neither.
  auto intake =
      v1::AccountsService::NewStub(sys_->Channel("accounts", "service:intake"));
  {
    v1::AuthenticateRequest req;
    req.set_session_token(admin.session_token());
    v1::User out;
    grpc::ClientContext ctx;
    EXPECT_EQ(intake->Authenticate(&ctx, req, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // And the gateway may not bootstrap: only an office's own credential.
  {
    v1::BootstrapAdminRequest req;
    req.set_username("sneaky");
    req.set_display_name("某人");
    req.set_password("sneaky-password-1");
    v1::User out;
    EXPECT_EQ(
        web_->BootstrapAdmin(Ctx("203.0.113.7").get(), req, &out).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  // No credentials at all: UNAUTHENTICATED.
  auto anonymous =
      v1::AccountsService::NewStub(sys_->UnauthenticatedChannel("accounts"));
  v1::LoginRequest req;
  v1::LoginResponse out;
  grpc::ClientContext ctx;
  EXPECT_EQ(anonymous->Login(&ctx, req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace caserelay::testing
