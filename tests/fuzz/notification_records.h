// The SMS record the notification targets of tests/fuzz keep in their
// store before every input, so that each input meets the same state: one
// message of three parts (accepted, unknown, pending), queued.

#ifndef CASERELAY_TESTS_FUZZ_NOTIFICATION_RECORDS_H_
#define CASERELAY_TESTS_FUZZ_NOTIFICATION_RECORDS_H_

#include <cstdio>
#include <cstdlib>

#include "caserelay/v1/records.pb.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"
#include "services/notification/notification_service.h"

namespace caserelay::fuzz {

inline constexpr char kSmsCase[] = "140431-20261122-000001";
inline constexpr char kSmsMessage[] = "routing/140431-20261122-000001/3/sms";

// Writes the record (replacing what an earlier input made of it); aborts
// if the store refuses it.
inline void PutSeedMessage(store::Store& store,
                           store::OutboxPublisher& publisher,
                           const time::Clock& clock) {
  using caserelay::v1::SmsRecord;
  SmsRecord r;
  r.mutable_message()->set_message_id(kSmsMessage);
  r.mutable_message()->set_case_id(kSmsCase);
  r.mutable_message()->set_trigger("received");
  r.set_queue_key(
      notification::MessageBook::QueueKey(kSmsCase, 3, kSmsMessage));
  notification::StartParts(r, 3, clock.Now());
  r.mutable_message()->mutable_part_states(0)->set_state(
      caserelay::v1::SMS_PART_STATE_ACCEPTED);
  r.mutable_message()->mutable_part_states(1)->set_state(
      caserelay::v1::SMS_PART_STATE_UNKNOWN);
  r.mutable_message()->set_state(notification::StateFromParts(r));
  store::WriteBatch batch(&store);
  batch.Put(notification::kMessages, kSmsMessage, r.SerializeAsString());
  batch.Put(notification::kQueue, r.queue_key(), kSmsMessage);
  if (!publisher.Commit(batch).ok()) {
    std::fprintf(stderr, "fuzz set-up: the seed SMS record was refused\n");
    std::abort();
  }
}

}  // namespace caserelay::fuzz

#endif  // CASERELAY_TESTS_FUZZ_NOTIFICATION_RECORDS_H_
