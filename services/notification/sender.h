// The sender (发送器): moves queued SMS through the gateway, one part at a
// time, with the "sending" record of DESIGN.md around every gateway call:
//
//   QUEUED --ask intake for the phone, render, segment--> parts PENDING
//   part: PENDING --recorded--> SENDING --gateway--> ACCEPTED
//     gateway not reached (UNAVAILABLE): PENDING again; the whole sender
//       pauses with exponential backoff (no try counted: nothing left)
//     "not now" (RESOURCE_EXHAUSTED): PENDING again, a try counted; the
//       message waits with exponential backoff; FAILED (SmsFailed) after
//       sms.max_attempts tries
//     no answer (UNKNOWN): the part and message are UNKNOWN, off the queue,
//       for a delivery report or an operator (ResolveMessage)
//     refused: FAILED (SmsFailed)
//   every part taken: SENT (SmsSent); delivery reports then make it
//   DELIVERED or FAILED (message_rules.h)
//   NO_PHONE when the petitioner has no mobile number.
//   The contacts are asked of intake once per pass for every case with a
//   message ready to go (not waiting, not held), at most
//   sms.intake_concurrency calls in flight, each with sms.intake_deadline
//   (contact_resolver.h); the parts then go out one at a time, in queue
//   order, as before.
//   intake not reached or not answering in time (UNAVAILABLE,
//   DEADLINE_EXCEEDED from ResolveContact): no further call is started and
//   the whole sender pauses with exponential backoff, as for the gateway,
//   instead of asking again for every queued case with a deadline each;
//   the messages before it in the queue whose contact came still go. Other
//   errors of intake make the one message wait.
//
// Order: a case's messages go in the order of its events; while one waits
// (backoff, quiet hours) the case's later ones wait behind it. Quiet hours
// (sms.quiet_hours, on the service clock in China time) hold non-urgent
// messages; the throughput limit (sms.rate_limit parts/s) paces every
// part on real time, as do the backoffs: a gateway's outage lasts in real
// time even when the service runs on a simulated clock.
//
// At start, and whenever a message is found SENDING (a crash, or a failed
// save after the gateway call), the part in flight is reconciled with the
// gateway (SmsGateway::Find): taken if the gateway has it, PENDING if it
// certainly has not, UNKNOWN if it cannot tell. It is never re-sent
// blindly.
//
// Thread safety: Start/Stop from the owner's thread; Wake from any.

#ifndef CASERELAY_SERVICES_NOTIFICATION_SENDER_H_
#define CASERELAY_SERVICES_NOTIFICATION_SENDER_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/metrics/metrics.h"
#include "common/service/service_main.h"
#include "domain/sms/segment.h"
#include "domain/sms/template_set.h"
#include "services/notification/contact_resolver.h"
#include "services/notification/gateway.h"
#include "services/notification/message_book.h"
#include "services/notification/pacing.h"

namespace caserelay::notification {

struct SenderOptions {
  // Tries the gateway answered "not now" before a message fails.
  int max_attempts = 5;
  // Backoff after a temporary failure (of a message, or of the whole
  // gateway when it cannot be reached): first_backoff, doubled each time,
  // at most max_backoff.
  absl::Duration first_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(5);
  sms::SegmentOptions segments;
  // Parts per second to the gateway (sms.rate_limit); 0: no limit.
  double rate_limit = 0;
  // The queue is looked at when something is queued (Wake), when a backoff
  // ends, and otherwise at most this often (held messages: quiet hours on
  // the service clock, which may be simulated).
  absl::Duration idle_rescan = absl::Seconds(1);
  QuietHours quiet_hours;
  // intake's ResolveContact: each call's deadline (sms.intake_deadline) and
  // the most calls in flight (sms.intake_concurrency, >= 1).
  absl::Duration intake_deadline = absl::Seconds(2);
  int intake_concurrency = 4;
};

class Sender {
 public:
  // Nothing is owned but `intake`; the rest outlives the sender.
  Sender(const service::Context& context, MessageBook* book,
         SmsGateway* gateway, const sms::TemplateSet* templates,
         std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
         SenderOptions options);
  ~Sender();  // Stop()

  // Reconciles messages left "sending", then starts the thread.
  absl::Status Start();
  void Stop();
  // Something was queued: look at the queue now.
  void Wake();

 private:
  // What one step on a message came to.
  enum class Step {
    kDone,         // finished, unknown, or moved as far as it can now
    kWait,         // the message waits (backoff); its case waits behind it
    kHeld,         // quiet hours: the message and its case wait, no backoff
    kAgain,        // reconciled back to the queue: on the next pass
    kGatewayDown,  // the gateway was not reached: pause the sender
    kIntakeDown,   // intake was not reached or hangs: pause the sender
    kStopping,
  };
  // Contacts asked this pass, by ContactKey (case and petitioner).
  using Contacts = std::map<std::string, ContactResolver::Contact>;
  void Run();
  // Works through the queue once.
  void Drain();
  // How long Run may sleep after a pass: until the first backoff ends, at
  // most options_.idle_rescan.
  absl::Duration Idle() const;
  // The contacts of the cases whose next message is ready to go, asked
  // in one go (ContactResolver::ResolveAll).
  Contacts ResolveReady(const std::vector<MessageBook::Queued>& queue);
  // One step on message `id`; its contact from `contacts`, or asked now.
  Step Advance(const std::string& id, const Contacts& contacts);
  // The part left SENDING in `record` (by a crash) asked of the gateway.
  Step Reconcile(const std::string& id, const caserelay::v1::SmsRecord& record);
  // Waits for the throughput limit; false if stopping meanwhile.
  bool Pace();
  bool stopping();
  // Logs an error of the book (the message stays as it was).
  Step BookError(const std::string& id, const absl::Status& s);

  const service::Context context_;
  MessageBook* const book_;
  SmsGateway* const gateway_;
  const sms::TemplateSet* const templates_;
  const SenderOptions options_;
  const ContactResolver resolver_;
  metrics::Counter& sent_;
  metrics::Counter& parts_;
  metrics::Counter& failed_;
  metrics::Counter& retried_;
  metrics::Counter& unknown_;
  metrics::Gauge& held_;
  metrics::Gauge& gateway_down_;
  metrics::Gauge& intake_down_;
  metrics::Counter& scans_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;

  // The sender thread's own pacing (real time).
  struct Backoff {
    absl::Time next;
    absl::Duration delay;
  };
  std::map<std::string, Backoff> backoff_;  // per message
  Backoff gateway_backoff_{absl::InfinitePast(), absl::ZeroDuration()};
  Backoff intake_backoff_{absl::InfinitePast(), absl::ZeroDuration()};
  TokenBucket bucket_;
  std::thread thread_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_SENDER_H_
