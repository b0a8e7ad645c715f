// The SMS gateway seam (短信网关). Kannel's HTTP sendsms (kannel_gateway.h)
// implements it; an SMPP client or a cloud provider's HTTP API can too.
// DevFileGateway is the development sink.
//
// The sender hands the gateway one part of a message at a time, with the
// part already segmented (domain/sms/segment.h: UCS-2, 70 units alone, 67
// per part of a long message, surrogate pairs kept whole). So the parts
// that reach the SMSC are exactly ours, each part's fate is recorded on its
// own, and a retry never sends again a part the gateway already took.
//
// Thread safety: implementations are thread-safe.

#ifndef CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_
#define CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace caserelay::notification {

// One part of one message.
struct OutgoingPart {
  std::string message_id;  // ours, unique, stable across retries
  std::string phone;       // 11-digit mainland mobile, normalised
  int index = 1;           // 1-based
  int total = 1;           // parts of the message; > 1: concatenated
  // Concatenation reference (the UDH's reference byte, 0..255): the same
  // for every part of a message.
  int reference = 0;
  std::u16string text;  // this part's UTF-16 code units
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // A short name for records and metrics ("dev-file", "kannel").
  virtual std::string name() const = 0;

  // Hands one part to the gateway. Returns the gateway's id for the part.
  // The error code tells the sender what happened to the part:
  //   UNAVAILABLE         the gateway was not reached: the part certainly
  //                       was not sent (connection refused, no route).
  //                       Retried once the gateway is back; no try counted.
  //   RESOURCE_EXHAUSTED  the gateway answered that it cannot take the part
  //                       now (queue full, throttled): not sent; retried
  //                       with backoff, counted against sms.max_attempts.
  //   UNKNOWN             the request may have reached the gateway but no
  //                       answer came (timeout, connection lost mid-call):
  //                       never retried blindly, reconciled (delivery
  //                       report, Find, or an operator).
  //   anything else       the gateway refused the part for good (bad
  //                       number, bad credentials): the message fails.
  virtual absl::StatusOr<std::string> SendPart(const OutgoingPart& part) = 0;

  // After a crash or an UNKNOWN between recording a part "sending" and the
  // gateway's answer: the gateway's id for part `index` of `message_id` if
  // the gateway has it, nullopt if it certainly does not, UNIMPLEMENTED if
  // it cannot tell (then a delivery report or an operator decides),
  // UNAVAILABLE if it cannot answer now.
  virtual absl::StatusOr<std::optional<std::string>> Find(
      const std::string& message_id, int index) = 0;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_GATEWAY_H_
