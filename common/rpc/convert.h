// Conversions at the wire's edge: absl::Status to grpc::Status (only in
// RPC handlers, CONVENTIONS.md #4) and absl::Time to protobuf Timestamp.

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

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_CONVERT_H_
