#include "tools/devbroker/control_commands.h"

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace caserelay::devbroker {
namespace {

constexpr char kHelp[] =
    "ok commands: ping | brokers | broker ID|all down | broker ID|all up | "
    "rtt ID|all MS | leader TOPIC PARTITION ID | request-errors API COUNT "
    "ERROR | clear-errors API | "
    "topic-error TOPIC ERROR | topics | bootstrap | help";

struct ApiName {
  const char* name;
  int16_t key;
};

// Kafka protocol request types the mock broker implements.
constexpr ApiName kApis[] = {
    {"produce", 0},
    {"fetch", 1},
    {"list-offsets", 2},
    {"metadata", 3},
    {"offset-commit", 8},
    {"offset-fetch", 9},
    {"find-coordinator", 10},
    {"join-group", 11},
    {"heartbeat", 12},
    {"leave-group", 13},
    {"sync-group", 14},
    {"api-versions", 18},
    {"init-producer-id", 22},
    {"add-partitions-to-txn", 24},
    {"add-offsets-to-txn", 25},
    {"end-txn", 26},
    {"txn-offset-commit", 28},
};

absl::StatusOr<int32_t> ParseBrokerId(absl::string_view word) {
  if (word == "all") return kAllBrokers;
  int32_t id = 0;
  if (!absl::SimpleAtoi(word, &id) || id < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "broker id must be a positive number or \"all\", got \"", word, "\""));
  }
  return id;
}

absl::StatusOr<int16_t> ParseApi(absl::string_view word) {
  const std::string lower = absl::AsciiStrToLower(word);
  for (const ApiName& api : kApis) {
    if (lower == api.name) return api.key;
  }
  int key = 0;
  if (absl::SimpleAtoi(word, &key) && key >= 0 && key <= INT16_MAX) {
    return static_cast<int16_t>(key);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown api \"", word,
                   "\" (a request name like produce, or its number)"));
}

absl::StatusOr<rd_kafka_resp_err_t> ParseError(absl::string_view word) {
  std::string upper = absl::AsciiStrToUpper(word);
  constexpr absl::string_view kPrefix = "RD_KAFKA_RESP_ERR_";
  if (absl::StartsWith(upper, kPrefix)) upper.erase(0, kPrefix.size());
  const struct rd_kafka_err_desc* descs = nullptr;
  size_t count = 0;
  rd_kafka_get_err_descs(&descs, &count);
  int number = 0;
  const bool numeric = absl::SimpleAtoi(word, &number);
  for (size_t i = 0; i < count; ++i) {
    if (descs[i].name == nullptr) continue;
    if ((numeric && descs[i].code == number) || upper == descs[i].name) {
      return descs[i].code;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown error \"", word,
      "\" (a librdkafka error name like NOT_LEADER_FOR_PARTITION, or its "
      "number)"));
}

std::string ErrorAnswer(const absl::Status& status) {
  return absl::StrCat("error ", status.message());
}

std::string BrokerName(int32_t id) {
  return id == kAllBrokers ? "all" : absl::StrCat(id);
}

}  // namespace

std::string ControlCommands::Execute(absl::string_view line) {
  const std::vector<absl::string_view> words =
      absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
  if (words.empty()) return "error empty command";
  const absl::string_view command = words[0];
  const size_t args = words.size() - 1;
  auto usage = [&](absl::string_view form) {
    return absl::StrCat("error usage: ", form);
  };

  if (command == "ping") {
    return args == 0 ? "ok pong" : usage("ping");
  }
  if (command == "help") {
    return kHelp;
  }
  if (command == "bootstrap") {
    if (args != 0) return usage("bootstrap");
    return absl::StrCat("ok ", cluster_->bootstrap_servers());
  }
  if (command == "brokers") {
    if (args != 0) return usage("brokers");
    std::vector<std::string> parts;
    for (const BrokerState& broker : cluster_->brokers()) {
      parts.push_back(absl::StrCat(broker.id, ":", broker.up ? "up" : "down",
                                   ":", broker.rtt_ms, "ms"));
    }
    return absl::StrCat("ok ", absl::StrJoin(parts, " "));
  }
  if (command == "topics") {
    if (args != 0) return usage("topics");
    std::vector<std::string> parts;
    for (const TopicSpec& topic : cluster_->topics()) {
      parts.push_back(absl::StrCat(topic.name, ":", topic.partitions));
    }
    return absl::StrCat("ok ", absl::StrJoin(parts, " "));
  }
  if (command == "broker") {
    if (args != 2 || (words[2] != "down" && words[2] != "up")) {
      return usage("broker ID|all down|up");
    }
    absl::StatusOr<int32_t> id = ParseBrokerId(words[1]);
    if (!id.ok()) return ErrorAnswer(id.status());
    const bool down = words[2] == "down";
    absl::Status status =
        down ? cluster_->SetBrokerDown(*id) : cluster_->SetBrokerUp(*id);
    if (!status.ok()) return ErrorAnswer(status);
    return absl::StrCat("ok broker ", BrokerName(*id), down ? " down" : " up");
  }
  if (command == "rtt") {
    if (args != 2) return usage("rtt ID|all MS");
    absl::StatusOr<int32_t> id = ParseBrokerId(words[1]);
    if (!id.ok()) return ErrorAnswer(id.status());
    int rtt_ms = 0;
    if (!absl::SimpleAtoi(words[2], &rtt_ms)) {
      return absl::StrCat("error rtt must be a number of ms, got \"", words[2],
                          "\"");
    }
    if (absl::Status s = cluster_->SetBrokerRtt(*id, rtt_ms); !s.ok()) {
      return ErrorAnswer(s);
    }
    return absl::StrCat("ok broker ", BrokerName(*id), " rtt ", rtt_ms, "ms");
  }
  if (command == "leader") {
    if (args != 3) return usage("leader TOPIC PARTITION ID");
    int32_t partition = 0;
    if (!absl::SimpleAtoi(words[2], &partition)) {
      return absl::StrCat("error partition must be a number, got \"", words[2],
                          "\"");
    }
    absl::StatusOr<int32_t> id = ParseBrokerId(words[3]);
    if (!id.ok()) return ErrorAnswer(id.status());
    const std::string topic(words[1]);
    if (absl::Status s = cluster_->SetPartitionLeader(topic, partition, *id);
        !s.ok()) {
      return ErrorAnswer(s);
    }
    return absl::StrCat("ok leader of ", topic, "/", partition, " is broker ",
                        *id);
  }
  if (command == "request-errors") {
    if (args != 3) return usage("request-errors API COUNT ERROR");
    absl::StatusOr<int16_t> api = ParseApi(words[1]);
    if (!api.ok()) return ErrorAnswer(api.status());
    int count = 0;
    if (!absl::SimpleAtoi(words[2], &count)) {
      return absl::StrCat("error count must be a number, got \"", words[2],
                          "\"");
    }
    absl::StatusOr<rd_kafka_resp_err_t> error = ParseError(words[3]);
    if (!error.ok()) return ErrorAnswer(error.status());
    if (absl::Status s = cluster_->PushRequestErrors(*api, count, *error);
        !s.ok()) {
      return ErrorAnswer(s);
    }
    return absl::StrCat("ok next ", count, " requests of api ", *api,
                        " fail with ", rd_kafka_err2name(*error));
  }
  if (command == "clear-errors") {
    if (args != 1) return usage("clear-errors API");
    absl::StatusOr<int16_t> api = ParseApi(words[1]);
    if (!api.ok()) return ErrorAnswer(api.status());
    if (absl::Status s = cluster_->ClearRequestErrors(*api); !s.ok()) {
      return ErrorAnswer(s);
    }
    return absl::StrCat("ok cleared errors of api ", *api);
  }
  if (command == "topic-error") {
    if (args != 2) return usage("topic-error TOPIC ERROR");
    absl::StatusOr<rd_kafka_resp_err_t> error = ParseError(words[2]);
    if (!error.ok()) return ErrorAnswer(error.status());
    const std::string topic(words[1]);
    if (absl::Status s = cluster_->SetTopicError(topic, *error); !s.ok()) {
      return ErrorAnswer(s);
    }
    return absl::StrCat("ok topic ", topic, " error ",
                        rd_kafka_err2name(*error));
  }
  return absl::StrCat("error unknown command \"", command, "\" (try help)");
}

}  // namespace caserelay::devbroker
