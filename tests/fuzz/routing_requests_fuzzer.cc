// routing's request checks (services/routing/request_bounds.h), made
// before a handler does anything with a request, on requests parsed from
// hostile bytes: the first byte picks GetCase, ListInbox, Act or
// PreviewRoute, the rest is the request as gRPC would hand it over.

#include <cstddef>
#include <cstdint>

#include "caserelay/v1/routing.pb.h"
#include "services/routing/request_bounds.h"

namespace {

template <typename Request, typename Check>
void Try(const uint8_t* data, size_t size, Check check) {
  Request req;
  if (!req.ParseFromArray(data, static_cast<int>(size))) return;
  (void)check(req, caserelay::routing::RequestBounds());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  if (size == 0) return 0;
  const uint8_t which = data[0] % 4;
  ++data;
  --size;
  switch (which) {
    case 0:
      Try<v1::GetCaseRequest>(data, size, routing::CheckGetCase);
      break;
    case 1:
      Try<v1::ListInboxRequest>(data, size, routing::CheckListInbox);
      break;
    case 2:
      Try<v1::ActRequest>(data, size, routing::CheckAct);
      break;
    case 3:
      Try<v1::PreviewRouteRequest>(data, size, routing::CheckPreviewRoute);
      break;
  }
  return 0;
}
