#include "tools/devbroker/flags.h"

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caserelay::devbroker {
namespace {

// Every flag that takes a value; --help is the only one that doesn't.
constexpr absl::string_view kValueFlags[] = {"--brokers", "--topic",
                                             "--bootstrap-file", "--info-file",
                                             "--control-listen",
                                             "--broker-listen"};

// Kafka's own rule for topic names: 1..249 of [a-zA-Z0-9._-], not "." or "..".
bool IsLegalTopicName(absl::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<TopicSpec> ParseTopic(absl::string_view value) {
  const size_t colon = value.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--topic: expected NAME:PARTITIONS, got \"", value, "\""));
  }
  TopicSpec spec;
  spec.name = std::string(value.substr(0, colon));
  if (!IsLegalTopicName(spec.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--topic: illegal topic name \"", spec.name,
                     "\" (1-249 of a-z A-Z 0-9 . _ -)"));
  }
  if (!absl::SimpleAtoi(value.substr(colon + 1), &spec.partitions) ||
      spec.partitions < 1 || spec.partitions > kMaxPartitions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--topic ", spec.name, ": partitions must be 1..", kMaxPartitions,
        ", got \"", value.substr(colon + 1), "\""));
  }
  return spec;
}

absl::Status ParseControlListen(absl::string_view value, Flags& flags) {
  const size_t colon = value.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--control-listen: expected HOST:PORT, got \"", value, "\""));
  }
  const std::string host(value.substr(0, colon));
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1 ||
      (ntohl(address.s_addr) >> 24) != 127) {
    return absl::InvalidArgumentError(
        absl::StrCat("--control-listen: host must be an IPv4 loopback address "
                     "(127.x.x.x), got \"",
                     host, "\""));
  }
  int port = 0;
  if (!absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--control-listen: port must be 0..65535, got \"",
                     value.substr(colon + 1), "\""));
  }
  flags.control_host = host;
  flags.control_port = port;
  return absl::OkStatus();
}

}  // namespace

std::vector<TopicSpec> DefaultTopics() {
  // The per-case topics, then (issue 19) each partitioned service's
  // changelog (co-partitioned with its input) and owners topic (one
  // partition, read whole by every instance).
  return {{"petitions", 8},
          {"case-events", 8},
          {"supervision-events", 8},
          {"notification-events", 8},
          {"supervision-changelog", 8},
          {"supervision-owners", 1},
          {"notification-changelog", 8},
          {"notification-owners", 1},
          {"routing-changelog", 8},
          {"routing-owners", 1},
          // statistics' issued bulletins, applied by every instance.
          {"statistics-bulletins", 1}};
}

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  std::set<std::string> topic_names;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return flags;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\""));
    }
    const size_t equals = arg.find('=');
    const std::string name(arg.substr(0, equals));
    if (std::find(std::begin(kValueFlags), std::end(kValueFlags), name) ==
        std::end(kValueFlags)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", name));
    }
    std::string value;
    if (equals != absl::string_view::npos) {
      value = std::string(arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(name, ": missing value"));
    }

    if (name == "--brokers") {
      if (!absl::SimpleAtoi(value, &flags.brokers) || flags.brokers < 1 ||
          flags.brokers > kMaxBrokers) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--brokers: must be 1..", kMaxBrokers, ", got \"", value, "\""));
      }
    } else if (name == "--topic") {
      absl::StatusOr<TopicSpec> spec = ParseTopic(value);
      if (!spec.ok()) return spec.status();
      if (!topic_names.insert(spec->name).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("--topic: ", spec->name, " given twice"));
      }
      flags.topics.push_back(*std::move(spec));
    } else if (name == "--bootstrap-file" || name == "--info-file") {
      if (value.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": empty path"));
      }
      (name == "--info-file" ? flags.info_file : flags.bootstrap_file) = value;
    } else if (name == "--broker-listen") {
      if (value.rfind(':') == std::string::npos || value.back() == ':' ||
          value.front() == ':') {
        return absl::InvalidArgumentError(absl::StrCat(
            "--broker-listen: expected HOST:PORT, got \"", value, "\""));
      }
      flags.broker_listen = value;
    } else {  // --control-listen
      if (absl::Status s = ParseControlListen(value, flags); !s.ok()) return s;
    }
  }
  if (!flags.broker_listen.empty() && flags.brokers != 1) {
    return absl::InvalidArgumentError(
        "--broker-listen: needs --brokers 1 (one address, one broker)");
  }
  if (flags.topics.empty()) flags.topics = DefaultTopics();
  return flags;
}

std::string Usage() {
  return absl::StrCat(
      "Usage: devbroker [flags]\n"
      "\n"
      "Hosts librdkafka's mock Kafka cluster on loopback for local runs and\n"
      "tests. Broker ports are ephemeral: read them from stdout or the files.\n"
      "Runs until SIGTERM or SIGINT, then stops the brokers and exits 0.\n"
      "\n"
      "Flags:\n"
      "  --brokers N              number of brokers, 1..",
      kMaxBrokers,
      " (default 1; use 1 or 3).\n"
      "                           Replication factor is min(3, N).\n"
      "  --topic NAME:PARTITIONS  create a topic; repeatable (partitions 1..",
      kMaxPartitions,
      ").\n"
      "                           Default: petitions, case-events,\n"
      "                           supervision-events, notification-events,\n"
      "                           8 partitions each; and for supervision,\n"
      "                           notification and routing <service>-changelog\n"
      "                           (8) and <service>-owners (1); and\n"
      "                           statistics-bulletins (1).\n"
      "  --bootstrap-file PATH    write the bootstrap list (one line) to "
      "PATH,\n"
      "                           atomically (temp file + rename).\n"
      "  --info-file PATH         write \"bootstrap=...\" and \"control=...\"\n"
      "                           lines to PATH, atomically.\n"
      "  --control-listen H:P     control channel address, IPv4 loopback\n"
      "                           only (default 127.0.0.1:0 = any free port).\n"
      "  --broker-listen H:P      with --brokers 1: the broker listens on\n"
      "                           and advertises H:P (H an address or a\n"
      "                           name of this host, resolved at start)\n"
      "                           instead of an ephemeral loopback port.\n"
      "                           For the embedded broker in a container\n"
      "                           (docker-compose profile embedded; it\n"
      "                           keeps nothing: not for production).\n"
      "  --help                   print this text and exit 0.\n"
      "\n"
      "Stdout, once ready: \"bootstrap=HOST:PORT,...\" then\n"
      "\"control=127.0.0.1:PORT\". Files are written only once both are up\n"
      "and removed again on a clean shutdown.\n"
      "\n"
      "Control channel: one command per line, one answer line each,\n"
      "\"ok ...\" or \"error <reason>\":\n"
      "  ping                     ok pong\n"
      "  brokers                  ok 1:up:0ms 2:down:0ms ...\n"
      "  broker N|all down        disconnect broker N, refuse connections\n"
      "  broker N|all up          accept connections again\n"
      "  rtt N|all MS             delay broker N's responses by MS\n"
      "  leader TOPIC P N         make broker N the leader of partition P\n"
      "  request-errors API COUNT ERROR\n"
      "                           fail the next COUNT requests of API\n"
      "                           (name like produce, or number) with ERROR\n"
      "                           (name like NOT_LEADER_FOR_PARTITION, or\n"
      "                           number)\n"
      "  clear-errors API         drop queued request errors of API\n"
      "  topic-error TOPIC ERROR  metadata for TOPIC answers ERROR\n"
      "                           (NO_ERROR clears)\n"
      "  topics                   ok petitions:8 ...\n"
      "  bootstrap                ok HOST:PORT,...\n"
      "  help                     ok <command list>\n"
      "\n"
      "Exit status: 0 after SIGTERM/SIGINT, 1 if the cluster or control\n"
      "channel cannot start, 2 for bad flags.\n");
}

}  // namespace caserelay::devbroker
