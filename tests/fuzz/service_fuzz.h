// Drives a service's real entry points with hostile bytes for the service
// targets of tests/fuzz: a Kafka record as the consume loop hands it to
// the service (Envelope::ParseFromArray, then EventHandler::Apply into a
// batch that is never committed, so every input meets the same stored
// state), and a gRPC request as gRPC hands it to the handler (parsed from
// the bytes; the handler called with a server context of its own).
//
// Thread safety: called from libFuzzer's one thread.

#ifndef CASERELAY_TESTS_FUZZ_SERVICE_FUZZ_H_
#define CASERELAY_TESTS_FUZZ_SERVICE_FUZZ_H_

#include <grpcpp/server_context.h>

#include <cstddef>
#include <cstdint>

#include "caserelay/v1/events.pb.h"
#include "common/service/consume_loop.h"
#include "common/store/store.h"

namespace caserelay::fuzz {

// What the consume loop does with one record (consume_loop.cc ApplyOne):
// bytes that are no Envelope are a dead letter and never reach Apply.
inline void ApplyRecord(service::EventHandler& handler, store::Store& store,
                        const uint8_t* data, size_t size) {
  caserelay::v1::Envelope event;
  if (!event.ParseFromArray(data, static_cast<int>(size))) return;
  store::WriteBatch batch(&store);
  (void)handler.Apply(event, batch);
}

// One RPC: `call(&ctx, &request, &response)` on a request parsed from the
// bytes (gRPC refuses bytes that do not parse before any handler runs).
template <typename Request, typename Response, typename Call>
void CallRpc(const uint8_t* data, size_t size, Call call) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  grpc::ServerContext ctx;
  Response response;
  (void)call(&ctx, &request, &response);
}

}  // namespace caserelay::fuzz

#endif  // CASERELAY_TESTS_FUZZ_SERVICE_FUZZ_H_
