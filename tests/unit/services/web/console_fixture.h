// The fixture of the console API's tests (console_api_test.cc,
// console_cases_test.cc): a ConsoleApi over a simulated clock and a
// FakeConsoleBackends that plays accounts (users, passwords, sessions) and
// records every call with its metadata; the other services answer what a
// test puts in `answers` (an empty message by default) or `status`.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_WEB_CONSOLE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_WEB_CONSOLE_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/accounts.pb.h"
#include "common/time/clock.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/web/console_api.h"
#include "tests/unit/services/web/api_fixture.h"

namespace caserelay::web::webtest {

class FakeConsoleBackends : public ConsoleBackends {
 public:
  struct Record {
    ConsoleRpc rpc;
    CallMeta meta;
    std::string request;  // ShortDebugString
  };
  std::vector<Record> calls;
  // Accounts: the users by username with their password, and the live
  // sessions by token.
  std::map<std::string, std::pair<v1::User, std::string>> users;
  std::map<std::string, std::string> sessions;  // token -> username
  // The other services: a status for an RPC (default OK) and the answer.
  std::map<ConsoleRpc, grpc::Status> status;
  std::map<ConsoleRpc, std::shared_ptr<google::protobuf::Message>> answers;
  int retry_after = 0;

  RpcResult Call(ConsoleRpc rpc, const CallMeta& meta,
                 const google::protobuf::Message& request,
                 google::protobuf::Message* response) override {
    calls.push_back({rpc, meta, request.ShortDebugString()});
    auto s = status.find(rpc);
    if (s != status.end() && !s->second.ok()) return {s->second, retry_after};
    switch (rpc) {
      case ConsoleRpc::kLogin: {
        const auto& login = static_cast<const v1::LoginRequest&>(request);
        auto user = users.find(login.username());
        if (user == users.end() || user->second.second != login.password()) {
          return {grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                               "用户名或密码错误"),
                  0};
        }
        const std::string token = absl::StrCat("token-", ++logins_);
        sessions[token] = login.username();
        auto* out = static_cast<v1::LoginResponse*>(response);
        out->set_session_token(token);
        *out->mutable_user() = user->second.first;
        *out->mutable_expires_at() = time::ToProto(kStart + absl::Hours(8));
        return {grpc::Status::OK, 0};
      }
      case ConsoleRpc::kAuthenticate: {
        const auto& auth = static_cast<const v1::AuthenticateRequest&>(request);
        auto session = sessions.find(auth.session_token());
        if (session == sessions.end() ||
            users.at(session->second).first.disabled()) {
          return {grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                               "session: unknown or expired"),
                  0};
        }
        *static_cast<v1::User*>(response) = users.at(session->second).first;
        return {grpc::Status::OK, 0};
      }
      case ConsoleRpc::kLogout:
        sessions.erase(
            static_cast<const v1::LogoutRequest&>(request).session_token());
        return {grpc::Status::OK, 0};
      default:
        break;
    }
    auto answer = answers.find(rpc);
    if (answer != answers.end()) response->CopyFrom(*answer->second);
    return {grpc::Status::OK, 0};
  }

  // The calls of `rpc`, in order.
  std::vector<Record> Of(ConsoleRpc rpc) const {
    std::vector<Record> out;
    for (const Record& c : calls) {
      if (c.rpc == rpc) out.push_back(c);
    }
    return out;
  }

 private:
  int logins_ = 0;
};

class ConsoleTest : public ::testing::Test {
 public:
  ConsoleTest()
      : codec_(*SessionCodec::Create(std::string(32, 'k'))),
        clock_(kStart),
        console_(ConsoleApi::Options(), &codec_, &backends_, &clock_) {
    AddUser("handler1", "140431001:government",
            {v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD});
  }

  void AddUser(const std::string& username, const std::string& office,
               std::vector<v1::StaffRole> roles) {
    v1::User user;
    user.set_username(username);
    user.set_display_name("承办人甲");
    user.set_office_code(office);
    for (v1::StaffRole r : roles) user.add_roles(r);
    backends_.users[username] = {user, "correct-horse-1"};
  }

  // A live session of `username` (as if logged in), its token.
  std::string SessionOf(const std::string& username) {
    const std::string token = absl::StrCat("live-", username);
    backends_.sessions[token] = username;
    return token;
  }

  HttpCall Get(const std::string& path, const std::string& token) {
    HttpCall call;
    call.method = "GET";
    call.path = path;
    if (!token.empty()) call.cookie = absl::StrCat(kStaffCookie, "=", token);
    call.client_address = "203.0.113.9";
    return call;
  }
  // A POST with the CSRF token of `token`'s session.
  HttpCall Post(const std::string& path, const std::string& body,
                const std::string& token) {
    HttpCall call = Get(path, token);
    call.method = "POST";
    call.body = body;
    call.content_type = "application/json";
    call.csrf_token = codec_.StaffCsrfToken(token);
    return call;
  }

  SessionCodec codec_;
  time::SimulatedClock clock_;
  FakeConsoleBackends backends_;
  ConsoleApi console_;
};

// The cookie value a Set-Cookie header of `answer` gives `name` ("" if
// none; nullopt-like "-" when the header is absent).
inline std::string SetCookieValue(const HttpAnswer& answer,
                                  const std::string& name) {
  for (const auto& [key, value] : answer.headers) {
    if (key != "Set-Cookie" || value.rfind(name + "=", 0) != 0) continue;
    const size_t start = name.size() + 1;
    return value.substr(start, value.find(';') - start);
  }
  return "-";
}

}  // namespace caserelay::web::webtest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_WEB_CONSOLE_FIXTURE_H_
