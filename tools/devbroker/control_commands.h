// ControlCommands: the devbroker control-channel language (控制通道命令),
// one text command in, one text answer out, applied to a MockCluster.
//
// Commands (words separated by spaces; ids are broker ids or "all"):
//   ping | help | brokers | topics | bootstrap
//   broker ID down | broker ID up | rtt ID MS | leader TOPIC PARTITION ID
//   request-errors API COUNT ERROR | clear-errors API
//   topic-error TOPIC ERROR
// API is a Kafka protocol request name (produce, fetch, metadata, ...) or
// its number; ERROR is a librdkafka error name without the RD_KAFKA_RESP_ERR
// prefix (NOT_LEADER_FOR_PARTITION, _TRANSPORT, NO_ERROR) or its number.
#ifndef CASERELAY_TOOLS_DEVBROKER_CONTROL_COMMANDS_H_
#define CASERELAY_TOOLS_DEVBROKER_CONTROL_COMMANDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "tools/devbroker/mock_cluster.h"

namespace caserelay::devbroker {

// Not thread-safe (it drives a MockCluster, which isn't).
class ControlCommands {
 public:
  // REQUIRES: cluster outlives this object. Does not take ownership.
  explicit ControlCommands(MockCluster* cluster) : cluster_(cluster) {}

  // Runs one command line (without its newline; surrounding whitespace and
  // a trailing '\r' are ignored). Returns the answer line without newline:
  // "ok" or "ok <detail>" when the command took effect, "error <reason>"
  // when it was not understood or the cluster refused it (nothing changed).
  std::string Execute(absl::string_view line);

 private:
  MockCluster* const cluster_;
};

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_CONTROL_COMMANDS_H_
