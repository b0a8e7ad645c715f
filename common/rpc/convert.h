// Conversions at the wire's edge: absl::Status to grpc::Status (only in
// RPC handlers, CONVENTIONS.md #4). Times: common/time/timestamp.h.

#ifndef CASERELAY_COMMON_RPC_CONVERT_H_
#define CASERELAY_COMMON_RPC_CONVERT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/support/status.h"

namespace caserelay::rpc {

// Same code, same message.
grpc::Status ToGrpc(const absl::Status& status);
// Same code, same message.
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_CONVERT_H_
