// The casectl binary's exit codes and messages for sms and sms-resolve
// (cli.h: 0 done, 1 refused or failed, 2 bad usage), run as a child
// process against a fake NotificationService on a loopback port.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

constexpr char kCasectl[] = CASERELAY_BINARY_DIR "/tools/casectl/casectl";

// Case C1 has one delivered SMS; every resolve is refused; counts calls.
class TinyNotification final : public v1::NotificationService::Service {
 public:
  grpc::Status ListMessages(grpc::ServerContext*,
                            const v1::ListMessagesRequest* req,
                            v1::ListMessagesResponse* resp) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (req->case_id() == "C1") {
      v1::SmsMessage* m = resp->add_messages();
      m->set_message_id("C1/1/sms");
      m->set_trigger("received");
      m->set_state(v1::SMS_STATE_DELIVERED);
    }
    return grpc::Status::OK;
  }
  grpc::Status ResolveMessage(grpc::ServerContext*,
                              const v1::ResolveMessageRequest*,
                              v1::ResolveMessageResponse*) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "message C1/1/sms is delivered, not UNKNOWN");
  }

  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class SmsMainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_sms_main_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    server_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  // Runs casectl with `args` in the temp dir, without the CASERELAY_*
  // address and token variables.
  Result Run(const std::vector<std::string>& args) {
    std::vector<std::string> quoted;
    for (const std::string& a : args) quoted.push_back("'" + a + "'");
    const std::string command = absl::StrCat(
        "cd '", dir_.string(),
        "' && env -u CASERELAY_NOTIFICATION -u CASERELAY_TOKEN_FILE ", kCasectl,
        " ", absl::StrJoin(quoted, " "), " >out.txt 2>err.txt");
    Result r;
    const int status = std::system(command.c_str());
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = Slurp(dir_ / "out.txt");
    r.err = Slurp(dir_ / "err.txt");
    return r;
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  static std::string Slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  TinyNotification fake_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::filesystem::path dir_;
};

TEST_F(SmsMainTest, BadUsageExitsTwoAndSendsNothing) {
  struct Row {
    std::vector<std::string> args;
    std::string err;
  };
  const Row rows[] = {
      {{"sms-resolve", "C1/1/sms", "--sent", "--abandon", "--note", "n"},
       "casectl: give exactly one of --sent, --resend or --abandon; got "
       "--sent and --abandon (try casectl sms-resolve --help)\n"},
      {{"sms-resolve", "C1/1/sms", "--note", "n"},
       "casectl: give exactly one of --sent, --resend or --abandon; got none "
       "(try casectl sms-resolve --help)\n"},
      {{"sms-resolve", "C1/1/sms", "--resend"},
       "casectl: --note is required: who decided and why (kept with the "
       "message) (try casectl sms-resolve --help)\n"},
      {{"sms-resolve", "--sent", "--note", "n"},
       "casectl: sms-resolve takes MESSAGE_ID (try casectl --help)\n"},
      {{"sms"}, "casectl: sms takes CASE (try casectl --help)\n"},
  };
  for (const Row& row : rows) {
    std::vector<std::string> args = row.args;
    args.push_back("--notification");
    args.push_back(Address());
    Result r = Run(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
    EXPECT_EQ(r.err, row.err);
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(fake_.calls(), 0);
}

TEST_F(SmsMainTest, NoNotificationAddressExitsTwoSayingWhereToGiveOne) {
  Result r = Run({"sms", "C1"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  for (const char* want :
       {"--notification HOST:PORT", "$CASERELAY_NOTIFICATION",
        "run/notification.endpoints"}) {
    EXPECT_TRUE(absl::StrContains(r.err, want)) << r.err;
  }
}

TEST_F(SmsMainTest, AddressFromTheEndpointsFileAnswerExitsZero) {
  std::filesystem::create_directories(dir_ / "run");
  std::ofstream(dir_ / "run" / "notification.endpoints")
      << "admin=127.0.0.1:9\ngrpc=" << Address() << "\n";
  Result r = Run({"sms", "C1"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_TRUE(absl::StartsWith(r.out,
                               "case C1: 1 SMS (times in China time)\n\n"
                               "message C1/1/sms\n"
                               "  trigger: received\n"
                               "  state: delivered (已送达)\n"))
      << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(SmsMainTest, RefusalExitsOneWithTheCode) {
  Result r = Run({"--notification", Address(), "sms-resolve", "C1/1/sms",
                  "--sent", "--note", "王五: SMSC log"});
  EXPECT_EQ(r.exit_code, kExitFailed);
  EXPECT_EQ(r.err,
            "casectl: FAILED_PRECONDITION: message C1/1/sms is delivered, not "
            "UNKNOWN\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(fake_.calls(), 1);
}

TEST_F(SmsMainTest, HelpExitsZeroWithoutCalling) {
  Result r = Run({"sms-resolve", "--help"});
  EXPECT_EQ(r.exit_code, kExitOk);
  EXPECT_TRUE(absl::StartsWith(r.out, "Usage: casectl sms-resolve MESSAGE_ID"))
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "--note TEXT")) << r.out;
  EXPECT_EQ(fake_.calls(), 0);
}

}  // namespace
}  // namespace caserelay::casectl
