// The SMS gateway seam (短信网关). Kannel's HTTP sendsms, SMPP or a cloud
// provider's API implement it; DevFileGateway is the development sink.
//
// Thread safety: implementations are thread-safe.

#ifndef CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_
#define CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace caserelay::notification {

struct OutgoingSms {
  std::string message_id;  // ours, unique, stable across retries
  std::string phone;       // 11-digit mainland mobile
  std::string text;        // UTF-8
  int parts = 1;
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // A short name for records and metrics ("dev-file", "kannel").
  virtual std::string name() const = 0;
  // Hands the message to the gateway. Returns the gateway's message id.
  // UNAVAILABLE: a temporary failure, retry later; any other error is
  // terminal for this message.
  virtual absl::StatusOr<std::string> Send(const OutgoingSms& sms) = 0;
  // After a crash between recording "sending" and recording the answer:
  // the gateway's id if it has the message, nullopt if it certainly does
  // not, UNIMPLEMENTED if it cannot tell (the operator must reconcile).
  virtual absl::StatusOr<std::optional<std::string>> Find(
      const std::string& message_id) = 0;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_
