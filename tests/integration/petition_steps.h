// Steps on one petition that several integration tests take against the
// real processes: submit it through intake, and wait until routing knows
// its case.
//
// Thread safety: stateless functions; not for concurrent use with the same
// System from several threads (System is not thread-safe).

#ifndef CASERELAY_TESTS_INTEGRATION_PETITION_STEPS_H_
#define CASERELAY_TESTS_INTEGRATION_PETITION_STEPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {

// Submits `req` through sys.intake() (as the province bureau), waiting at most
// 10 s: the case number intake acknowledged, or intake's gRPC status as an
// absl::Status with the same code and message.
absl::StatusOr<std::string> Submit(
    System& sys, const caserelay::v1::SubmitPetitionRequest& req);

// True once routing knows `case_id` (it consumed its PetitionReceived):
// GetCase as the province bureau every 100 ms, at least once, until
// `wait` has passed (not scaled). False if it never did.
bool Routed(System& sys, const std::string& case_id, absl::Duration wait);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_PETITION_STEPS_H_
