// The devbroker control channel in-process: ControlCommands against a real
// MockCluster, and ControlServer's line protocol over a loopback socket.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/devbroker/control_commands.h"
#include "tools/devbroker/control_server.h"
#include "tools/devbroker/mock_cluster.h"

namespace caserelay::devbroker {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ControlCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
        MockCluster::Create(ClusterOptions{3, {{"orders", 4}}, std::nullopt});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    commands_ = std::make_unique<ControlCommands>(cluster_.get());
  }

  std::unique_ptr<MockCluster> cluster_;
  std::unique_ptr<ControlCommands> commands_;
};

struct CommandCase {
  const char* command;
  const char* answer;  // exact, or the prefix when it ends in '*'
};

// Runs the rows in order (later rows see earlier effects).
void ExpectAnswers(ControlCommands& commands,
                   std::initializer_list<CommandCase> rows) {
  for (const CommandCase& row : rows) {
    const std::string answer = commands.Execute(row.command);
    const std::string expected = row.answer;
    if (!expected.empty() && expected.back() == '*') {
      EXPECT_THAT(answer, StartsWith(expected.substr(0, expected.size() - 1)))
          << row.command;
    } else {
      EXPECT_EQ(answer, expected) << row.command;
    }
  }
}

TEST_F(ControlCommandsTest, BrokerDownAndUpAreReportedByBrokers) {
  ExpectAnswers(*commands_,
                {
                    {"brokers", "ok 1:up:0ms 2:up:0ms 3:up:0ms"},
                    {"broker 2 down", "ok broker 2 down"},
                    {"brokers", "ok 1:up:0ms 2:down:0ms 3:up:0ms"},
                    {"broker all down", "ok broker all down"},
                    {"brokers", "ok 1:down:0ms 2:down:0ms 3:down:0ms"},
                    {"broker 2 up", "ok broker 2 up"},
                    {"brokers", "ok 1:down:0ms 2:up:0ms 3:down:0ms"},
                });
  EXPECT_FALSE(cluster_->brokers()[0].up);
  EXPECT_TRUE(cluster_->brokers()[1].up);
}

TEST_F(ControlCommandsTest, RttIsRecordedPerBroker) {
  ExpectAnswers(*commands_, {
                                {"rtt 3 250", "ok broker 3 rtt 250ms"},
                                {"brokers", "ok 1:up:0ms 2:up:0ms 3:up:250ms"},
                                {"rtt all 0", "ok broker all rtt 0ms"},
                                {"brokers", "ok 1:up:0ms 2:up:0ms 3:up:0ms"},
                            });
}

TEST_F(ControlCommandsTest, InformationCommandsAnswerOk) {
  ExpectAnswers(*commands_,
                {
                    {"ping", "ok pong"},
                    {"  ping \r", "ok pong"},  // whitespace and CR ignored
                    {"topics", "ok orders:4"},
                    {"help", "ok commands: *"},
                });
  EXPECT_EQ(commands_->Execute("bootstrap"),
            absl::StrCat("ok ", cluster_->bootstrap_servers()));
}

TEST_F(ControlCommandsTest, FaultInjectionCommandsAcceptNamesAndNumbers) {
  ExpectAnswers(
      *commands_,
      {
          {"request-errors produce 2 NOT_LEADER_FOR_PARTITION",
           "ok next 2 requests of api 0 fail with NOT_LEADER_FOR_PARTITION"},
          {"request-errors 1 1 _transport",
           "ok next 1 requests of api 1 fail with _TRANSPORT"},
          {"request-errors metadata 1 6",
           "ok next 1 requests of api 3 fail with NOT_LEADER_FOR_PARTITION"},
          {"clear-errors produce", "ok cleared errors of api 0"},
          {"clear-errors fetch", "ok cleared errors of api 1"},
          {"clear-errors metadata", "ok cleared errors of api 3"},
          {"topic-error orders UNKNOWN_TOPIC_OR_PART",
           "ok topic orders error UNKNOWN_TOPIC_OR_PART"},
          {"topic-error orders NO_ERROR", "ok topic orders error NO_ERROR"},
          {"leader orders 3 2", "ok leader of orders/3 is broker 2"},
      });
}

TEST_F(ControlCommandsTest, BadCommandsAnswerErrorWithTheReason) {
  ExpectAnswers(
      *commands_,
      {
          {"", "error empty command"},
          {"launch", "error unknown command \"launch\" (try help)"},
          {"ping now", "error usage: ping"},
          {"broker 1", "error usage: broker ID|all down|up"},
          {"broker 1 sideways", "error usage: broker ID|all down|up"},
          {"broker 4 down", "error no broker 4; brokers are 1..3"},
          {"broker 0 up", "error broker id must be a positive number*"},
          {"rtt 1 slow", "error rtt must be a number of ms, got \"slow\""},
          {"rtt 1 -5", "error rtt must be >= 0 ms, got -5"},
          {"request-errors teleport 1 6", "error unknown api \"teleport\"*"},
          {"request-errors produce 0 6", "error error count must be >= 1*"},
          {"request-errors produce 1 NO_SUCH_ERROR",
           "error unknown error \"NO_SUCH_ERROR\"*"},
          {"topic-error petitions NO_ERROR", "error no topic petitions"},
          {"leader orders 4 1",
           "error topic orders has partitions 0..3, got 4"},
          {"leader orders 0 9", "error no broker 9; brokers are 1..3"},
      });
  // Nothing changed.
  EXPECT_EQ(commands_->Execute("brokers"), "ok 1:up:0ms 2:up:0ms 3:up:0ms");
}

// A connected client socket to the server's port.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return -1;
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

// Reads until the peer closes or `lines` newlines arrived.
std::string ReadLines(int fd, int lines) {
  std::string data;
  char c;
  while (lines > 0 && read(fd, &c, 1) == 1) {
    data.push_back(c);
    if (c == '\n') --lines;
  }
  return data;
}

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stop_fd_ = eventfd(0, EFD_CLOEXEC);
    ASSERT_GE(stop_fd_, 0);
    absl::StatusOr<std::unique_ptr<ControlServer>> server =
        ControlServer::Create("127.0.0.1", 0, [](absl::string_view line) {
          return absl::StrCat("ok <", line, ">");
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    serving_ = std::thread([this] { served_ = server_->Serve(stop_fd_); });
  }

  void TearDown() override { Stop(); }

  void Stop() {
    if (!serving_.joinable()) return;
    const uint64_t one = 1;
    ASSERT_EQ(write(stop_fd_, &one, sizeof(one)), 8);
    serving_.join();
    close(stop_fd_);
  }

  int stop_fd_ = -1;
  std::unique_ptr<ControlServer> server_;
  std::thread serving_;
  absl::Status served_ = absl::UnknownError("not served");
};

TEST_F(ControlServerTest, AnswersEachLineInOrderAcrossPartialWrites) {
  ASSERT_NE(server_->port(), 0);
  EXPECT_EQ(server_->address(), absl::StrCat("127.0.0.1:", server_->port()));
  const int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  const std::string first = "one\ntw";
  ASSERT_EQ(write(fd, first.data(), first.size()), 6);
  EXPECT_EQ(ReadLines(fd, 1), "ok <one>\n");
  const std::string rest = "o\nthree\n";
  ASSERT_EQ(write(fd, rest.data(), rest.size()), 8);
  EXPECT_EQ(ReadLines(fd, 2), "ok <two>\nok <three>\n");
  close(fd);
}

TEST_F(ControlServerTest, AnswersLinesSentBeforeTheClientHalfCloses) {
  const int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "a\nb\n", 4), 4);
  shutdown(fd, SHUT_WR);
  EXPECT_EQ(ReadLines(fd, 10), "ok <a>\nok <b>\n");  // then EOF
  close(fd);
}

TEST_F(ControlServerTest, OverlongLineGetsAnErrorAndTheClientIsDropped) {
  const int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  const std::string junk(ControlServer::kMaxLineBytes + 10, 'x');
  ASSERT_EQ(write(fd, junk.data(), junk.size()),
            static_cast<ssize_t>(junk.size()));
  EXPECT_EQ(ReadLines(fd, 10),
            absl::StrCat("error line longer than ",
                         ControlServer::kMaxLineBytes, " bytes\n"));
  close(fd);
  // Other clients are still served.
  const int other = Connect(server_->port());
  ASSERT_GE(other, 0);
  ASSERT_EQ(write(other, "ping\n", 5), 5);
  EXPECT_EQ(ReadLines(other, 1), "ok <ping>\n");
  close(other);
}

TEST_F(ControlServerTest, ServeReturnsOkWhenStopFdIsReadable) {
  Stop();
  EXPECT_TRUE(served_.ok()) << served_;
}

TEST(ControlServerCreateTest, NonIpv4HostIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<ControlServer>> server = ControlServer::Create(
      "localhost", 0, [](absl::string_view) { return "ok"; });
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ControlServerCreateTest, TakenPortIsUnavailable) {
  absl::StatusOr<std::unique_ptr<ControlServer>> first = ControlServer::Create(
      "127.0.0.1", 0, [](absl::string_view) { return "ok"; });
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<ControlServer>> second = ControlServer::Create(
      "127.0.0.1", (*first)->port(), [](absl::string_view) { return "ok"; });
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST(MockClusterTest, ZeroBrokersIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
      MockCluster::Create(ClusterOptions{0, {}, std::nullopt});
  EXPECT_EQ(cluster.status().code(), absl::StatusCode::kInvalidArgument);
}

// issue 24 item 2: a chosen address is one broker's (broker_listen.h).
TEST(MockClusterTest, ChosenAddressWithThreeBrokersIsInvalidArgument) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(9092);
  absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
      MockCluster::Create(ClusterOptions{3, {{"orders", 2}}, address});
  EXPECT_EQ(cluster.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MockClusterTest, BootstrapListsOneLoopbackAddressPerBroker) {
  absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
      MockCluster::Create(ClusterOptions{3, {{"orders", 2}}, std::nullopt});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  const std::vector<std::string> entries =
      absl::StrSplit((*cluster)->bootstrap_servers(), ',');
  ASSERT_EQ(entries.size(), 3u);
  for (const std::string& entry : entries) {
    EXPECT_THAT(entry, StartsWith("127.0.0.1:"));
  }
}

}  // namespace
}  // namespace caserelay::devbroker
