#include "tools/casectl/call.h"

#include "common/rpc/convert.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

absl::Status Call(absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  return Call(rpc, kCallTimeout);
}

absl::Status Call(absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc,
                  absl::Duration timeout) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return rpc::FromGrpc(rpc(&ctx));
}

absl::Status PrintJson(const google::protobuf::Message& message,
                       std::ostream& out) {
  absl::StatusOr<std::string> json = ToJson(message);
  if (!json.ok()) return json.status();
  out << *json << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
