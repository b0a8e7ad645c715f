// The built devbroker binary as a child process: its CLI contract, the files
// and stdout lines it publishes, a real librdkafka producer and consumer
// against it, and a broker taken down and up over the control port.
#include <arpa/inet.h>
#include <fcntl.h>
#include <librdkafka/rdkafkacpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/kafka/cluster_id.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::devbroker {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kDevbroker[] = CASERELAY_BINARY_DIR "/tools/devbroker/devbroker";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A devbroker child process with stdout and stderr captured in files. The
// destructor SIGKILLs and reaps it if the test did not, so no run leaves a
// stray process.
class Devbroker {
 public:
  Devbroker(const std::string& dir, const std::vector<std::string>& args)
      : out_path_(dir + "/stdout"), err_path_(dir + "/stderr") {
    pid_ = fork();
    if (pid_ == 0) {
      const int out =
          open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err =
          open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(126);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(kDevbroker));
      for (const std::string& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
      }
      argv.push_back(nullptr);
      execv(kDevbroker, argv.data());
      _exit(127);
    }
  }

  ~Devbroker() {
    if (pid_ > 0 && !exit_status_.has_value()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return pid_ > 0; }
  std::string out() const { return ReadFile(out_path_); }
  std::string err() const { return ReadFile(err_path_); }

  // The raw waitpid status once the child exited within `timeout`, else
  // nullopt (the child is then still running).
  std::optional<int> WaitForExit(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (!exit_status_.has_value()) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = status;
      } else if (absl::Now() > deadline) {
        break;
      } else {
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return exit_status_;
  }

  // Sends `signal` and waits up to 10 s; returns the exit code, -1 if the
  // child was killed by a signal or did not exit.
  int StopWith(int signal) {
    kill(pid_, signal);
    std::optional<int> status = WaitForExit(absl::Seconds(10));
    if (!status.has_value() || !WIFEXITED(*status)) return -1;
    return WEXITSTATUS(*status);
  }

  // Waits until `path` exists (or the child exits); returns its contents,
  // or "" on timeout or exit.
  std::string WaitForFile(const std::string& path) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (std::filesystem::exists(path)) return ReadFile(path);
      if (WaitForExit(absl::ZeroDuration()).has_value()) return "";
      absl::SleepFor(absl::Milliseconds(10));
    }
    return "";
  }

 private:
  const std::string out_path_;
  const std::string err_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

// The three lines of the info file.
struct Info {
  std::string bootstrap;
  std::string control_host;
  int control_port = 0;
  std::string log;  // this start's log name
};

std::optional<Info> ParseInfo(const std::string& text) {
  Info info;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&line, "bootstrap=")) {
      info.bootstrap = std::string(line);
    } else if (absl::ConsumePrefix(&line, "control=")) {
      std::pair<std::string, std::string> hp = absl::StrSplit(line, ':');
      info.control_host = hp.first;
      if (!absl::SimpleAtoi(hp.second, &info.control_port)) return std::nullopt;
    } else if (absl::ConsumePrefix(&line, "log=")) {
      info.log = std::string(line);
    } else {
      return std::nullopt;
    }
  }
  if (info.bootstrap.empty() || info.control_port == 0 || info.log.empty()) {
    return std::nullopt;
  }
  return info;
}

// Sends one control command, returns the answer line without '\n'.
std::string Control(const Info& info, const std::string& command) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(info.control_port));
  inet_pton(AF_INET, info.control_host.c_str(), &address.sin_addr);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
      0) {
    const std::string line = command + "\n";
    if (write(fd, line.data(), line.size()) ==
        static_cast<ssize_t>(line.size())) {
      char c;
      while (read(fd, &c, 1) == 1 && c != '\n') answer.push_back(c);
    }
  }
  close(fd);
  return answer;
}

class DeliveryCounter : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      ++delivered;
    } else {
      ++failed;
      last_error = message.errstr();
    }
  }
  int delivered = 0;
  int failed = 0;
  std::string last_error;
};

std::unique_ptr<RdKafka::Conf> KafkaConf(
    const std::vector<std::pair<std::string, std::string>>& settings) {
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string errstr;
  for (const auto& [name, value] : settings) {
    EXPECT_EQ(conf->set(name, value, errstr), RdKafka::Conf::CONF_OK) << name;
  }
  return conf;
}

// An idempotent acks=all producer that retries a downed broker quickly.
std::unique_ptr<RdKafka::Producer> MakeProducer(const std::string& bootstrap,
                                                DeliveryCounter* counter) {
  std::unique_ptr<RdKafka::Conf> conf =
      KafkaConf({{"bootstrap.servers", bootstrap},
                 {"enable.idempotence", "true"},
                 {"acks", "all"},
                 {"linger.ms", "5"},
                 {"reconnect.backoff.ms", "50"},
                 {"reconnect.backoff.max.ms", "300"},
                 {"log_level", "3"}});
  std::string errstr;
  EXPECT_EQ(conf->set("dr_cb", counter, errstr), RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(conf.get(), errstr));
  EXPECT_NE(producer, nullptr) << errstr;
  return producer;
}

RdKafka::ErrorCode Produce(RdKafka::Producer& producer, int32_t partition,
                           const std::string& payload) {
  return producer.produce("petitions", partition,
                          RdKafka::Producer::RK_MSG_COPY,
                          const_cast<char*>(payload.data()), payload.size(),
                          payload.data(), payload.size(), 0, nullptr);
}

class DevbrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/devbroker_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    info_path_ = dir_ + "/info";
  }

  void TearDown() override {
    broker_.reset();  // kills and reaps the child if still running
    std::filesystem::remove_all(dir_);
  }

  // Starts devbroker with the info file plus `args` and waits until it is
  // ready. REQUIRES: no broker running yet.
  std::optional<Info> Start(std::vector<std::string> args) {
    args.push_back("--info-file");
    args.push_back(info_path_);
    broker_ = std::make_unique<Devbroker>(dir_, args);
    if (!broker_->started()) return std::nullopt;
    std::optional<Info> info = ParseInfo(broker_->WaitForFile(info_path_));
    if (!info.has_value()) ADD_FAILURE() << "stderr: " << broker_->err();
    return info;
  }

  std::string dir_;
  std::string info_path_;
  std::unique_ptr<Devbroker> broker_;
};

TEST_F(DevbrokerTest, HelpPrintsEveryFlagAndExitsZero) {
  Devbroker help(dir_, {"--help"});
  std::optional<int> status = help.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  for (const char* flag : {"--brokers", "--topic", "--bootstrap-file",
                           "--info-file", "--control-listen",
                           "--broker-listen", "--help"}) {
    EXPECT_THAT(help.out(), HasSubstr(flag));
  }
  EXPECT_EQ(help.err(), "");
}

TEST_F(DevbrokerTest, BadFlagExitsTwoWithOneLineOnStderr) {
  Devbroker bad(dir_, {"--brokers", "1", "--bogus"});
  std::optional<int> status = bad.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_EQ(bad.err(),
            "devbroker: unknown flag --bogus (see devbroker --help)\n");
  EXPECT_EQ(bad.out(), "");
}

TEST_F(DevbrokerTest, TakenControlPortExitsOneWithoutWritingFiles) {
  const int taken = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  ASSERT_EQ(listen(taken, 1), 0);
  socklen_t length = sizeof(address);
  getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
  Devbroker broker(dir_, {"--control-listen",
                          absl::StrCat("127.0.0.1:", ntohs(address.sin_port)),
                          "--info-file", info_path_});
  std::optional<int> status = broker.WaitForExit(absl::Seconds(10));
  close(taken);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 1);
  EXPECT_THAT(broker.err(), HasSubstr("control channel"));
  EXPECT_FALSE(std::filesystem::exists(info_path_));
}

TEST_F(DevbrokerTest, PublishesAddressesOnStdoutAndInFilesUntilStopped) {
  const std::string bootstrap_path = dir_ + "/bootstrap";
  std::optional<Info> info = Start({"--bootstrap-file", bootstrap_path});
  ASSERT_TRUE(info.has_value());
  EXPECT_THAT(info->bootstrap, StartsWith("127.0.0.1:"));
  EXPECT_EQ(info->control_host, "127.0.0.1");
  EXPECT_EQ(ReadFile(bootstrap_path), info->bootstrap + "\n");
  const std::string expected_lines =
      absl::StrCat("bootstrap=", info->bootstrap,
                   "\ncontrol=127.0.0.1:", info->control_port, "\nlog=",
                   info->log, "\n");
  EXPECT_EQ(ReadFile(info_path_), expected_lines);
  EXPECT_EQ(broker_->out(), expected_lines);  // flushed before any client
  EXPECT_EQ(Control(*info, "ping"), "ok pong");

  EXPECT_EQ(broker_->StopWith(SIGTERM), 0);
  EXPECT_FALSE(std::filesystem::exists(info_path_));
  EXPECT_FALSE(std::filesystem::exists(bootstrap_path));
  // Only the two temp-file renames ever happened: no leftovers.
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    left.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(left, ::testing::UnorderedElementsAre("stdout", "stderr"));
}

// issue 24 item 2: in a container the broker must listen on, and
// advertise, an address the other containers reach (broker_listen.h).
// 127.0.0.2 is not the 127.0.0.1 librdkafka binds by itself, so a broker
// found there, and a round trip through it, show the address was applied.
TEST_F(DevbrokerTest, BrokerListenChoosesTheAddressTheBrokerAdvertises) {
  const int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.2", &address.sin_addr);
  ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  socklen_t length = sizeof(address);
  getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string chosen =
      absl::StrCat("127.0.0.2:", ntohs(address.sin_port));
  close(probe);

  std::optional<Info> info = Start({"--broker-listen", chosen});
  ASSERT_TRUE(info.has_value()) << broker_->err();
  EXPECT_EQ(info->bootstrap, chosen);
  EXPECT_EQ(info->control_host, "127.0.0.1");  // the control port unchanged

  DeliveryCounter counter;
  std::unique_ptr<RdKafka::Producer> producer =
      MakeProducer(info->bootstrap, &counter);
  ASSERT_NE(producer, nullptr);
  ASSERT_EQ(Produce(*producer, RdKafka::Topic::PARTITION_UA, "petition-1"),
            RdKafka::ERR_NO_ERROR);
  ASSERT_EQ(producer->flush(10000), RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(counter.delivered, 1);
  EXPECT_EQ(counter.failed, 0) << counter.last_error;
}

TEST_F(DevbrokerTest, BrokerListenOnAnAddressNotOfThisHostExitsOne) {
  // 198.51.100.0/24 is TEST-NET-2 (RFC 5737), documentation only: no
  // address of this host, so the bind fails and nothing is published.
  Devbroker broker(dir_, {"--broker-listen", "198.51.100.7:9092",
                          "--info-file", info_path_});
  std::optional<int> status = broker.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 1);
  EXPECT_THAT(broker.err(), HasSubstr("chosen address"));
  EXPECT_FALSE(std::filesystem::exists(info_path_));
}

TEST_F(DevbrokerTest, SigtermExitsZero) {
  ASSERT_TRUE(Start({}).has_value());
  EXPECT_EQ(broker_->StopWith(SIGTERM), 0) << broker_->err();
}

TEST_F(DevbrokerTest, SigintExitsZero) {
  ASSERT_TRUE(Start({}).has_value());
  EXPECT_EQ(broker_->StopWith(SIGINT), 0) << broker_->err();
}

TEST_F(DevbrokerTest, ProducedMessagesAreConsumedBackFromAllPartitions) {
  std::optional<Info> info = Start({});
  ASSERT_TRUE(info.has_value());
  constexpr int kMessages = 1000;

  DeliveryCounter counter;
  std::unique_ptr<RdKafka::Producer> producer =
      MakeProducer(info->bootstrap, &counter);
  ASSERT_NE(producer, nullptr);
  std::set<std::string> sent;
  for (int i = 0; i < kMessages; ++i) {
    const std::string payload = absl::StrCat("petition-", i);
    sent.insert(payload);
    ASSERT_EQ(Produce(*producer, RdKafka::Topic::PARTITION_UA, payload),
              RdKafka::ERR_NO_ERROR);
  }
  ASSERT_EQ(producer->flush(10000), RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(counter.delivered, kMessages);
  EXPECT_EQ(counter.failed, 0) << counter.last_error;

  std::unique_ptr<RdKafka::Conf> conf =
      KafkaConf({{"bootstrap.servers", info->bootstrap},
                 {"group.id", absl::StrCat("devbroker-test-", getpid())},
                 {"enable.auto.commit", "false"},
                 {"log_level", "3"}});
  std::string errstr;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), errstr));
  ASSERT_NE(consumer, nullptr) << errstr;
  std::vector<RdKafka::TopicPartition*> partitions;
  for (int p = 0; p < 8; ++p) {
    partitions.push_back(RdKafka::TopicPartition::create(
        "petitions", p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  ASSERT_EQ(consumer->assign(partitions), RdKafka::ERR_NO_ERROR);
  RdKafka::TopicPartition::destroy(partitions);

  std::multiset<std::string> received;
  std::set<int32_t> used_partitions;
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (received.size() < sent.size() && absl::Now() < deadline) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT) continue;
    ASSERT_EQ(message->err(), RdKafka::ERR_NO_ERROR) << message->errstr();
    received.insert(std::string(static_cast<const char*>(message->payload()),
                                message->len()));
    used_partitions.insert(message->partition());
  }
  consumer->close();
  EXPECT_EQ(received.size(), sent.size());
  EXPECT_EQ(std::set<std::string>(received.begin(), received.end()), sent);
  EXPECT_GT(used_partitions.size(), 1u);  // keyed messages spread out
}

TEST_F(DevbrokerTest, ProduceCompletesAfterBrokerDownAndUp) {
  std::optional<Info> info = Start({"--brokers", "3"});
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(
      std::vector<std::string>(absl::StrSplit(info->bootstrap, ',')).size(),
      3u);
  // Pin partition 0 on broker 1 so taking broker 1 down is sure to matter.
  ASSERT_EQ(Control(*info, "leader petitions 0 1"),
            "ok leader of petitions/0 is broker 1");
  ASSERT_EQ(Control(*info, "broker 1 down"), "ok broker 1 down");
  EXPECT_EQ(Control(*info, "brokers"), "ok 1:down:0ms 2:up:0ms 3:up:0ms");

  DeliveryCounter counter;
  std::unique_ptr<RdKafka::Producer> producer =
      MakeProducer(info->bootstrap, &counter);
  ASSERT_NE(producer, nullptr);
  constexpr int kMessages = 80;
  int to_partition_0 = 0;
  for (int i = 0; i < kMessages; ++i) {
    const int32_t partition = i % 8;
    if (partition == 0) ++to_partition_0;
    ASSERT_EQ(Produce(*producer, partition, absl::StrCat("petition-", i)),
              RdKafka::ERR_NO_ERROR);
  }
  // Partition 0's leader is down: its messages wait, nothing fails.
  producer->flush(1500);
  EXPECT_LE(counter.delivered, kMessages - to_partition_0);
  EXPECT_EQ(counter.failed, 0) << counter.last_error;

  ASSERT_EQ(Control(*info, "broker 1 up"), "ok broker 1 up");
  EXPECT_EQ(producer->flush(15000), RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(counter.delivered, kMessages);
  EXPECT_EQ(counter.failed, 0) << counter.last_error;

  int64_t low = -1;
  int64_t high = -1;
  ASSERT_EQ(
      producer->query_watermark_offsets("petitions", 0, &low, &high, 5000),
      RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(high - low, to_partition_0);

  // Replication factor is min(3, brokers).
  RdKafka::Metadata* raw = nullptr;
  ASSERT_EQ(producer->metadata(true, nullptr, &raw, 5000),
            RdKafka::ERR_NO_ERROR);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    for (const RdKafka::PartitionMetadata* partition : *topic->partitions()) {
      EXPECT_EQ(partition->replicas()->size(), 3u) << topic->topic();
    }
  }
  producer.reset();
  EXPECT_EQ(broker_->StopWith(SIGTERM), 0) << broker_->err();
}

TEST_F(DevbrokerTest, TopicFlagsReplaceTheDefaultTopics) {
  std::optional<Info> info =
      Start({"--topic", "orders:3", "--topic", "audit:1"});
  ASSERT_TRUE(info.has_value());
  DeliveryCounter counter;
  std::unique_ptr<RdKafka::Producer> producer =
      MakeProducer(info->bootstrap, &counter);
  ASSERT_NE(producer, nullptr);
  RdKafka::Metadata* raw = nullptr;
  ASSERT_EQ(producer->metadata(true, nullptr, &raw, 5000),
            RdKafka::ERR_NO_ERROR);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::map<std::string, size_t> partitions;
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    partitions[topic->topic()] = topic->partitions()->size();
    for (const RdKafka::PartitionMetadata* partition : *topic->partitions()) {
      EXPECT_EQ(partition->replicas()->size(), 1u) << topic->topic();
    }
  }
  EXPECT_EQ(partitions, (std::map<std::string, size_t>{
                            {"orders", 3},
                            {"audit", 1},
                            {kafka::kLogMarkerPrefix + info->log, 1}}));
}

// Every start is a new log (README.md; issue 23 item 1), whatever id
// librdkafka gives the mock cluster: a fresh random log name, and a log id
// the services can tell from the last one's.
TEST_F(DevbrokerTest, EachStartIsANewLog) {
  std::set<std::string> names, ids;
  for (int start = 0; start < 2; ++start) {
    std::optional<Info> info = Start({});
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->log.size(), 32u) << info->log;
    EXPECT_EQ(info->log.find_first_not_of("0123456789abcdef"),
              std::string::npos)
        << info->log;
    absl::StatusOr<std::string> id =
        kafka::LogId(info->bootstrap, absl::Seconds(10));
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(absl::EndsWith(*id, "/" + info->log)) << *id;
    names.insert(info->log);
    ids.insert(*id);
    EXPECT_EQ(broker_->StopWith(SIGTERM), 0) << broker_->err();
  }
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(ids.size(), 2u);
}

}  // namespace
}  // namespace caserelay::devbroker
