// The online petitioner's phone proof (手机号码验证, issue 15 item 2): a
// petition the web gateway submits (an online petition) carries
// phone_proof, the challenge of notification's SendPhoneCode and the code
// its SMS carried, and intake has notification redeem it before accepting
// the petition. PhoneProofs is the seam; NotificationPhoneProofs redeems
// over gRPC as service:intake, the only identity notification's
// RedeemPhoneCode answers.
//
// Settings (common/rpc/client_config.h, peer "notification"):
//   notification.address, notification.token_file, notification.tls_*.
// notification.address is optional here: without it intake takes no
// online petition (UNAVAILABLE, nothing accepted), and offices' petitions
// need none.
//
// Thread safety: implementations are thread-safe.

#ifndef CASERELAY_SERVICES_INTAKE_PHONE_PROOF_H_
#define CASERELAY_SERVICES_INTAKE_PHONE_PROOF_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "common/config/config.h"

namespace caserelay::intake {

class PhoneProofs {
 public:
  virtual ~PhoneProofs() = default;
  // Redeems `proof` for the petition's `phone`. OK once the code is
  // accepted (it is used up then); INVALID_ARGUMENT (a wrong code, with
  // the tries left) or FAILED_PRECONDITION (expired, used, dead, unknown)
  // with notification's message, which starts with "phone_proof" and
  // gives the reason in Chinese; UNAVAILABLE when notification cannot
  // answer now (nothing was consumed, as far as intake can tell).
  virtual absl::Status Redeem(const caserelay::v1::PhoneProof& proof,
                              std::string_view phone) = 0;
};

// RedeemPhoneCode on `stub` with a `deadline` per call.
class NotificationPhoneProofs final : public PhoneProofs {
 public:
  NotificationPhoneProofs(
      std::unique_ptr<caserelay::v1::NotificationService::StubInterface> stub,
      absl::Duration deadline)
      : stub_(std::move(stub)), deadline_(deadline) {}
  // Maps notification's answer: OK, INVALID_ARGUMENT and
  // FAILED_PRECONDITION as they come; every other code (unreachable,
  // deadline, a refused identity) becomes UNAVAILABLE naming
  // notification's code, for operators.
  absl::Status Redeem(const caserelay::v1::PhoneProof& proof,
                      std::string_view phone) override;

 private:
  const std::unique_ptr<caserelay::v1::NotificationService::StubInterface>
      stub_;
  const absl::Duration deadline_;
};

// The settings of the file comment, and notification.deadline (each
// RedeemPhoneCode call's, 100ms..30s, default 2s).
std::vector<config::Setting> PhoneProofSettings();

// NotificationPhoneProofs over the channel the settings of `cfg` describe;
// nullptr when notification.address is not set. Errors of
// rpc::PeerChannel (a bad token file or certificate stops start-up), or
// INVALID_ARGUMENT for a deadline out of range.
absl::StatusOr<std::unique_ptr<PhoneProofs>> PhoneProofsFromConfig(
    const config::Config& cfg);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_PHONE_PROOF_H_
