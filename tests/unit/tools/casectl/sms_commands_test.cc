// sms and sms-resolve: their command lines, where notification is found,
// and what they send and print against a fake NotificationService on a
// loopback port. (The real service: tests/integration.)
#include "tools/casectl/sms_commands.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/connect.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

ParsedFlags Flags(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  EXPECT_TRUE(inv.ok()) << inv.status();
  return inv.ok() ? inv->flags : ParsedFlags();
}

TEST(SmsCliTest, SmsAndSmsResolveAreNotificationCommands) {
  auto inv = ParseInvocation(
      {"--notification", "127.0.0.1:7004", "sms", "C1", "--json"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kSms);
  EXPECT_EQ(inv->global.notification, "127.0.0.1:7004");
  EXPECT_TRUE(inv->global.json);
  EXPECT_EQ(inv->flags.positional(), std::vector<std::string>{"C1"});
  inv = ParseInvocation({"sms-resolve", "C1/5/sms", "--abandon", "--note",
                         "王五: number out of service",
                         "--notification=127.0.0.1:7005"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kSmsResolve);
  EXPECT_EQ(inv->global.notification, "127.0.0.1:7005");
  for (const char* name : {"sms", "sms-resolve"}) {
    const std::string help = CommandHelp(*FindCommand(name));
    EXPECT_TRUE(absl::StrContains(help, "Examples:\n  casectl ")) << name;
    EXPECT_TRUE(absl::StrContains(help, "UNKNOWN")) << name;
  }
  const std::string help = MainHelp();
  EXPECT_TRUE(absl::StrContains(help,
                                "Notification (短信告知):\n"
                                "  casectl sms CASE "));
  EXPECT_TRUE(absl::StrContains(help, "  casectl sms-resolve MESSAGE_ID "));
  EXPECT_TRUE(absl::StrContains(help, "--notification HOST:PORT"));
  EXPECT_TRUE(absl::StrContains(help, "$CASERELAY_NOTIFICATION"));
}

TEST(SmsCliTest, UsageErrors) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"sms"}, "sms takes CASE"},
      {{"sms", "C1", "C2"}, "sms takes CASE"},
      // sms-resolve's flags belong to it alone.
      {{"sms", "C1", "--sent"}, "unknown flag --sent"},
      {{"sms-resolve", "--sent", "--note", "n"},
       "sms-resolve takes MESSAGE_ID"},
      {{"sms-resolve", "C1/5/sms", "--sent", "--note"}, "--note needs TEXT"},
      {{"sms-resolve", "C1/5/sms", "--sent=yes", "--note", "n"},
       "--sent takes no value"},
      {{"sms-resolve", "C1/5/sms", "--retry", "--note", "n"},
       "unknown flag --retry"},
      {{"sms", "C1", "--notification"}, "--notification needs HOST:PORT"},
  };
  for (const Row& row : rows) {
    auto inv = ParseInvocation(row.args);
    EXPECT_EQ(inv.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(inv.status().message(), row.message);
  }
}

// notification.proto SmsResolution: one flag per decision.
TEST(SmsResolveRequestTest, EachFlagIsItsResolution) {
  struct Row {
    const char* flag;
    v1::SmsResolution resolution;
  };
  const Row rows[] = {
      {"--sent", v1::SMS_RESOLUTION_SENT},
      {"--resend", v1::SMS_RESOLUTION_RESEND},
      {"--abandon", v1::SMS_RESOLUTION_ABANDON},
  };
  for (const Row& row : rows) {
    auto req = ResolveRequestOf(Flags(
        {"sms-resolve", "C1/5/sms", row.flag, "--note", "王五: checked"}));
    ASSERT_TRUE(req.ok()) << row.flag << ": " << req.status();
    EXPECT_EQ(req->message_id(), "C1/5/sms");
    EXPECT_EQ(req->resolution(), row.resolution) << row.flag;
    EXPECT_EQ(req->note(), "王五: checked");
  }
}

TEST(SmsResolveRequestTest, ExactlyOneDecisionAndANote) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"sms-resolve", "C1/5/sms", "--note", "n"},
       "give exactly one of --sent, --resend or --abandon; got none"},
      {{"sms-resolve", "C1/5/sms", "--sent", "--abandon", "--note", "n"},
       "give exactly one of --sent, --resend or --abandon; got --sent and "
       "--abandon"},
      {{"sms-resolve", "C1/5/sms", "--sent", "--resend", "--abandon", "--note",
        "n"},
       "give exactly one of --sent, --resend or --abandon; got --sent and "
       "--resend and --abandon"},
      {{"sms-resolve", "C1/5/sms", "--resend"},
       "--note is required: who decided and why (kept with the message)"},
      {{"sms-resolve", "C1/5/sms", "--resend", "--note", " \t"},
       "--note is required: who decided and why (kept with the message)"},
  };
  for (const Row& row : rows) {
    auto req = ResolveRequestOf(Flags(row.args));
    EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(req.status().message(), row.message);
  }
}

class NotificationAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_sms_connect_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    Clear();
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    Clear();
  }
  static void Clear() {
    ::unsetenv("CASERELAY_NOTIFICATION");
    ::unsetenv("CASERELAY_TOKEN_FILE");
  }
  std::filesystem::path dir_;
};

TEST_F(NotificationAuthTest, FoundLikeTheOtherServices) {
  std::ofstream(dir_ / "notification.endpoints")
      << "admin=127.0.0.1:9\ngrpc=127.0.0.1:7007\n";
  EXPECT_EQ(*ServiceAddress("notification", "", dir_.string()),
            "127.0.0.1:7007");
  ::setenv("CASERELAY_NOTIFICATION", "127.0.0.1:7006", 1);
  EXPECT_EQ(*ServiceAddress("notification", "", dir_.string()),
            "127.0.0.1:7006");
  ::setenv("CASERELAY_TOKEN_FILE", "/run/token", 1);
  GlobalOptions global;
  global.notification = "127.0.0.1:7005";
  global.tls_ca = "ca.pem";
  auto auth = NotificationAuth(global);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->target, "127.0.0.1:7005");
  EXPECT_EQ(auth->token_file, "/run/token");
  EXPECT_EQ(auth->tls_ca_path, "ca.pem");
  global.tls_cert = "c.pem";  // without --tls-key
  EXPECT_EQ(NotificationAuth(global).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Answers from canned data and records what it was asked.
class FakeNotification final : public v1::NotificationService::Service {
 public:
  grpc::Status ListMessages(grpc::ServerContext*,
                            const v1::ListMessagesRequest* req,
                            v1::ListMessagesResponse* resp) override {
    absl::MutexLock lock(&mu_);
    list_requests_.push_back(*req);
    if (req->case_id() != "C1") return grpc::Status::OK;
    v1::SmsMessage* m = resp->add_messages();
    m->set_message_id("C1/5/sms");
    m->set_case_id("C1");
    m->set_trigger("accepted");
    m->set_state(v1::SMS_STATE_UNKNOWN);
    return grpc::Status::OK;
  }
  grpc::Status ResolveMessage(grpc::ServerContext*,
                              const v1::ResolveMessageRequest* req,
                              v1::ResolveMessageResponse* resp) override {
    absl::MutexLock lock(&mu_);
    resolve_requests_.push_back(*req);
    if (req->message_id() != "C1/5/sms") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "message C1/4/sms is delivered, not UNKNOWN");
    }
    v1::SmsMessage* m = resp->mutable_message();
    m->set_message_id(req->message_id());
    m->set_trigger("accepted");
    m->set_state(v1::SMS_STATE_SENDING);
    m->set_resolution_note(req->note());
    return grpc::Status::OK;
  }

  absl::Mutex mu_;
  std::vector<v1::ListMessagesRequest> list_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ResolveMessageRequest> resolve_requests_ ABSL_GUARDED_BY(mu_);
};

class SmsRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::NotificationService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                            grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  static v1::ResolveMessageRequest Resolve(const std::string& id) {
    v1::ResolveMessageRequest req;
    req.set_message_id(id);
    req.set_resolution(v1::SMS_RESOLUTION_RESEND);
    req.set_note("王五: not in the SMSC's log");
    return req;
  }

  FakeNotification fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::NotificationService::Stub> stub_;
};

TEST_F(SmsRunTest, SmsAsksForTheCaseAndFlagsTheUnknownMessage) {
  std::ostringstream out;
  ASSERT_TRUE(RunSms(*stub_, "C1", {}, out).ok());
  const std::string text = out.str();
  EXPECT_TRUE(absl::StartsWith(text,
                               "case C1: 1 SMS (times in China time)\n"
                               "!! 1 of them UNKNOWN — reconcile: see below\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "!!   casectl sms-resolve C1/5/sms --resend --note"))
      << text;
  absl::MutexLock lock(&fake_.mu_);
  ASSERT_EQ(fake_.list_requests_.size(), 1u);
  EXPECT_EQ(fake_.list_requests_[0].case_id(), "C1");
}

TEST_F(SmsRunTest, SmsOfACaseWithoutMessages) {
  std::ostringstream out;
  ASSERT_TRUE(RunSms(*stub_, "C9", {}, out).ok());
  EXPECT_EQ(out.str(), "no SMS of case C9 known to notification\n");
}

TEST_F(SmsRunTest, SmsJsonIsTheResponse) {
  std::ostringstream out;
  ASSERT_TRUE(RunSms(*stub_, "C1", PrintOptions{true}, out).ok());
  v1::ListMessagesResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out.str(), &parsed).ok())
      << out.str();
  ASSERT_EQ(parsed.messages_size(), 1);
  EXPECT_EQ(parsed.messages(0).state(), v1::SMS_STATE_UNKNOWN);
  EXPECT_TRUE(absl::StrContains(out.str(), "\"SMS_STATE_UNKNOWN\""))
      << out.str();
}

TEST_F(SmsRunTest, ResolveSendsTheDecisionAndPrintsTheMessage) {
  std::ostringstream out;
  ASSERT_TRUE(RunSmsResolve(*stub_, Resolve("C1/5/sms"), {}, out).ok());
  const std::string text = out.str();
  EXPECT_TRUE(absl::StartsWith(text,
                               "resolved C1/5/sms as resend (重新发送)\n"
                               "message C1/5/sms\n"
                               "  trigger: accepted\n"
                               "  state: sending (发送中)\n"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text, "  resolution: 王五: not in the SMSC's log\n"))
      << text;
  absl::MutexLock lock(&fake_.mu_);
  ASSERT_EQ(fake_.resolve_requests_.size(), 1u);
  EXPECT_EQ(fake_.resolve_requests_[0].message_id(), "C1/5/sms");
  EXPECT_EQ(fake_.resolve_requests_[0].resolution(), v1::SMS_RESOLUTION_RESEND);
  EXPECT_EQ(fake_.resolve_requests_[0].note(), "王五: not in the SMSC's log");
}

TEST_F(SmsRunTest, ResolveJsonIsTheResponse) {
  std::ostringstream out;
  ASSERT_TRUE(
      RunSmsResolve(*stub_, Resolve("C1/5/sms"), PrintOptions{true}, out).ok());
  v1::ResolveMessageResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out.str(), &parsed).ok())
      << out.str();
  EXPECT_EQ(parsed.message().message_id(), "C1/5/sms");
  EXPECT_EQ(parsed.message().resolution_note(), "王五: not in the SMSC's log");
}

TEST_F(SmsRunTest, RefusalIsTheServicesStatusAndPrintsNothing) {
  std::ostringstream out;
  absl::Status s = RunSmsResolve(*stub_, Resolve("C1/4/sms"), {}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "message C1/4/sms is delivered, not UNKNOWN");
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace caserelay::casectl
