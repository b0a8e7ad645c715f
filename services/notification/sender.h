// The sender (发送器): moves queued SMS through the gateway, with the
// "sending" record of DESIGN.md around every gateway call:
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
//
// The window (发送窗口, issue 20 item 2): up to `window` messages are in
// flight at once (sms.window, at most sms.rate_limit when there is a
// limit), each of another case, each on a worker thread of its own that
// sends its parts one after the other exactly as above: every part is
// recorded SENDING before its gateway call and its answer after it, so a
// crash leaves at most `window` parts SENDING, each reconciled on its own.
// The rate is then window / (the gateway's time per part) instead of
// 1 / (that time), up to sms.rate_limit, which paces every part of every
// worker (one token bucket). The sender's own thread (the scheduler) walks
// the queue, picks the first message of each case that is not in flight,
// waiting or held, asks intake for their contacts, and hands them to the
// workers as slots free up; what a worker's message came to (Step) is
// applied by the scheduler alone (backoffs, pauses).
//
//   The contacts are asked of intake for the picked messages in chunks of
//   a few windows, at most sms.intake_concurrency calls in flight, each
//   with sms.intake_deadline (contact_resolver.h).
//   intake not reached or not answering in time (UNAVAILABLE,
//   DEADLINE_EXCEEDED from ResolveContact): no further message is handed
//   out and the whole sender pauses with exponential backoff, as for the
//   gateway, instead of asking again for every queued case with a deadline
//   each; the messages already in flight finish. Other errors of intake
//   make the one message wait. Several messages finding the gateway (or
//   intake) down at once pause the sender once.
//
// Order: a case's messages go in the order of its events, one at a time;
// while one waits (backoff, quiet hours) or is in flight, the case's
// later ones wait behind it. Messages of different cases may reach the
// gateway in any order. Quiet hours (sms.quiet_hours, on the service clock
// in China time) hold non-urgent messages; the throughput limit
// (sms.rate_limit parts/s) paces every part on real time, as do the
// backoffs: a gateway's outage lasts in real time even when the service
// runs on a simulated clock.
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

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
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
  // Messages in flight at once (sms.window), each on a worker thread;
  // >= 1. With a rate_limit, at most ceil(rate_limit) of them are used
  // (EffectiveWindow).
  int window = 1;
};

// The window the sender uses: options.window (at least 1), and with a
// throughput limit no more than one second's worth of parts,
// ceil(options.rate_limit): a wider window would only wait on the bucket.
int EffectiveWindow(const SenderOptions& options);

class Sender {
 public:
  // Nothing is owned but `intake`; the rest outlives the sender.
  Sender(const service::Context& context, MessageBook* book,
         SmsGateway* gateway, const sms::TemplateSet* templates,
         std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
         SenderOptions options);
  ~Sender();  // Stop()

  // Reconciles messages left "sending", then starts the scheduler and the
  // window's workers.
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
  // A message handed to a worker: its id and case, and its contact if
  // asked in the pass (otherwise the worker asks).
  struct Job {
    std::string id;
    std::string case_id;
    std::optional<ContactResolver::Contact> contact;
  };
  // What a worker's message came to; `contact_ok`: intake answered.
  struct Outcome {
    Step step = Step::kDone;
    bool contact_ok = false;
  };
  struct Finished {
    Job job;
    Outcome outcome;
  };

  // The scheduler's thread.
  void Run();
  // Works through the queue once: picks, asks contacts, hands out.
  void Drain();
  // Applies what finished messages came to (backoffs, pauses); true if a
  // case that has a later message waiting finished (worth a new pass).
  bool Collect();
  // True while the gateway or intake is down (a pause is running).
  bool Paused() const;
  // Waits until a slot of the window is free; false if stopping or a
  // finished message paused the sender meanwhile.
  bool AwaitSlot();
  // How long Run may sleep after a pass: until the first backoff ends, at
  // most options_.idle_rescan.
  absl::Duration Idle() const;
  // A worker's thread: runs jobs until Stop.
  void Work();

  // On a worker: one step on message `id` of case `case_id`
  // (sender_message.cc), in the case's Db, held throughout (kDone at once
  // when this instance no longer holds the case's partition: its new
  // owner goes on with it); its contact from the pass, or asked now.
  Outcome Advance(const std::string& id, const std::string& case_id,
                  const std::optional<ContactResolver::Contact>& contact);
  Outcome Advance(const MessageBook::Db& db, const std::string& id,
                  const std::optional<ContactResolver::Contact>& contact);
  // The part left SENDING in `record` (by a crash, or by the instance that
  // held the partition before) asked of the gateway.
  Step Reconcile(const MessageBook::Db& db, const std::string& id,
                 const caserelay::v1::SmsRecord& record);
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
  const int window_;
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
  metrics::Gauge& in_flight_parts_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Handed out, not yet taken by a worker.
  std::deque<Job> jobs_ ABSL_GUARDED_BY(mu_);
  // Messages handed out and not finished (jobs_ included).
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // Finished, not yet collected by the scheduler.
  std::vector<Finished> finished_ ABSL_GUARDED_BY(mu_);

  // The scheduler's own state (its thread only).
  // Cases with a message in flight.
  std::set<std::string> busy_;
  // Cases skipped by the last pass because they were in flight: when
  // their message finishes, their next one is worth a pass.
  std::set<std::string> more_;
  struct Backoff {
    absl::Time next;
    absl::Duration delay;
  };
  std::map<std::string, Backoff> backoff_;  // per message
  Backoff gateway_backoff_{absl::InfinitePast(), absl::ZeroDuration()};
  Backoff intake_backoff_{absl::InfinitePast(), absl::ZeroDuration()};

  absl::Mutex bucket_mu_;  // after mu_ never taken with it
  TokenBucket bucket_ ABSL_GUARDED_BY(bucket_mu_);
  std::thread thread_;
  std::vector<std::thread> workers_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_SENDER_H_
