// What every casectl command that talks to a service shares: one unary
// call with a deadline, its grpc::Status as an absl::Status, and the
// --json printer.
//
// Thread safety: stateless functions; thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_CALL_H_
#define CASERELAY_TOOLS_CASECTL_CALL_H_

#include <ostream>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace caserelay::casectl {

// How long one call may take before casectl gives up (DEADLINE_EXCEEDED).
inline constexpr absl::Duration kCallTimeout = absl::Seconds(10);

// How a command prints its answer.
struct PrintOptions {
  bool json = false;  // protobuf JSON, one line, instead of text
};

// Runs `rpc` with a fresh ClientContext whose deadline is kCallTimeout from
// now. Returns OK, or the call's status with the same code and message.
absl::Status Call(absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);
// As above with a deadline of `timeout` (a call known to take long, e.g.
// IssueBulletin, which renders a PDF).
absl::Status Call(absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc,
                  absl::Duration timeout);

// Prints `message` as protobuf JSON and a newline to `out`. INTERNAL if
// the printer fails (then nothing is printed).
absl::Status PrintJson(const google::protobuf::Message& message,
                       std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CALL_H_
