// What a consumer does with an Envelope whose payload does not belong on
// the topic it came from (issue 14 item 5: a poison record on any topic
// goes to the dead letters with its reason): it refuses it, so the
// consume loop keeps it in "dead-letters" instead of skipping it unseen.
//
// Pure function, thread-safe.

#ifndef CASERELAY_COMMON_SERVICE_PAYLOAD_H_
#define CASERELAY_COMMON_SERVICE_PAYLOAD_H_

#include <string_view>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"

namespace caserelay::service {

// OK if `event` carries the payload `expected`; otherwise INVALID_ARGUMENT
// "<topic>: event <event id> carries <payload field, or no payload>, not
// <expected field>", e.g. "case-events: event x carries sms_sent, not
// case_event".
absl::Status ExpectPayload(const caserelay::v1::Envelope& event,
                           caserelay::v1::Envelope::PayloadCase expected,
                           std::string_view topic);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_PAYLOAD_H_
