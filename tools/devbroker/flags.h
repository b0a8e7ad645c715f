// devbroker command-line flags: what the embedded Kafka broker (嵌入式 Kafka
// 代理) hosts and where it publishes its addresses.
#ifndef CASERELAY_TOOLS_DEVBROKER_FLAGS_H_
#define CASERELAY_TOOLS_DEVBROKER_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/devbroker/mock_cluster.h"

namespace caserelay::devbroker {

// Everything the command line can say. Defaults are the local-run defaults
// of DESIGN.md "Kafka, here and in production".
struct Flags {
  // True when --help was given; nothing else is then meaningful.
  bool help = false;
  // Number of mock brokers, ids 1..brokers.
  int brokers = 1;
  // Topics to create; the four service topics with 8 partitions each when
  // no --topic was given.
  std::vector<TopicSpec> topics;
  // Where to write the bootstrap list (one line); empty = don't.
  std::string bootstrap_file;
  // Where to write "bootstrap=...\ncontrol=...\n"; empty = don't.
  std::string info_file;
  // Control channel listen address; must be an IPv4 loopback literal.
  std::string control_host = "127.0.0.1";
  // Control channel port; 0 picks a free one.
  int control_port = 0;
  // --broker-listen HOST:PORT: where the one broker listens and what it
  // advertises (broker_listen.h); empty = an ephemeral loopback port.
  std::string broker_listen;
};

// The topics created when no --topic is given: petitions, case-events,
// supervision-events, notification-events, 8 partitions each.
std::vector<TopicSpec> DefaultTopics();

// Parses the arguments after the program name. Accepts "--flag value" and
// "--flag=value".
// Returns the flags on success; INVALID_ARGUMENT naming the flag for an
// unknown flag, a missing or malformed value, a broker count outside
// [1, kMaxBrokers], an illegal or repeated topic name, a partition count
// outside [1, kMaxPartitions], a non-loopback control address, or
// --broker-listen with more than one broker or without a port.
absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args);

// The --help text: every flag with its default, and the control commands.
std::string Usage();

inline constexpr int kMaxBrokers = 16;
inline constexpr int kMaxPartitions = 1024;

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_FLAGS_H_
