// The two ways bench_web reaches the services (README.md): straight to
// gRPC as service:web, and through the web gateway's JSON API over HTTP,
// making the same service calls for the same user action:
//   send code   notification.SendPhoneCode
//   submit      intake.SubmitPetition (with the phone proof)
//   look up     intake.GetCaseStatus, then routing.GetPetitionerView
//
// Thread safety: one thread per Portal.

#ifndef CASERELAY_BENCH_WEB_PORTALS_H_
#define CASERELAY_BENCH_WEB_PORTALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {

class Portal {
 public:
  virtual ~Portal() = default;
  // The challenge of a code sent to `phone`.
  virtual absl::StatusOr<std::string> SendCode(const std::string& phone) = 0;
  // The receipt of `petition` (which carries its phone proof).
  virtual absl::StatusOr<v1::SubmitPetitionResponse> Submit(
      const v1::SubmitPetitionRequest& petition) = 0;
  // OK when the case's petitioner view came back.
  virtual absl::Status LookUp(const std::string& case_number,
                              const std::string& lookup_code) = 0;
};

// gRPC as service:web on `sys`, with the user's address in the metadata.
std::unique_ptr<Portal> DirectPortal(const testing::System& sys);

// The gateway of `sys` (started with SystemOptions::web): one browser, its
// session and CSRF token, one kept-alive connection. INTERNAL if the
// session cannot be opened.
absl::StatusOr<std::unique_ptr<Portal>> GatewayPortal(
    const testing::System& sys);

// The 6-digit code the dev SMS sink of `sys` holds for `challenge_id`,
// waiting up to 5 s for it (the SMS the user would read).
absl::StatusOr<std::string> CodeFromSink(const testing::System& sys,
                                         const std::string& challenge_id);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_WEB_PORTALS_H_
