#include "tests/integration/petition_steps.h"

#include <chrono>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "caserelay/v1/routing.pb.h"
#include "grpcpp/client_context.h"

namespace caserelay::testing {

absl::StatusOr<std::string> Submit(
    System& sys, const caserelay::v1::SubmitPetitionRequest& req) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s = sys.intake().SubmitPetition(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return resp.case_number();
}

bool Routed(System& sys, const std::string& case_id, absl::Duration wait) {
  absl::Time deadline = absl::Now() + wait;
  do {
    grpc::ClientContext ctx;
    caserelay::v1::GetCaseRequest req;
    req.set_case_id(case_id);
    caserelay::v1::CaseDetail detail;
    if (sys.routing().GetCase(&ctx, req, &detail).ok()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  return false;
}

}  // namespace caserelay::testing
