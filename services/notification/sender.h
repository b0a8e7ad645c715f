// The sender: moves queued SMS through the gateway, one at a time, with
// the "sending" record of DESIGN.md around every gateway call:
//
//   QUEUED --resolve phone, render--> SENDING (committed) --gateway-->
//     SENT (gateway id, SmsSent)         on success
//     QUEUED again, after a backoff      on a temporary failure
//     FAILED (SmsFailed)                 on a terminal one, or after
//                                        max_attempts temporary ones
//   NO_PHONE                             when the petitioner has no mobile
//
// At start, a message left SENDING by a crash is reconciled with the
// gateway (SmsGateway::Find): SENT if the gateway has it, QUEUED if it
// certainly has not, UNKNOWN (for an operator) if it cannot tell. It is
// never re-sent blindly.
//
// Thread safety: Start/Stop from the owner's thread; Wake from any.

#ifndef CASERELAY_SERVICES_NOTIFICATION_SENDER_H_
#define CASERELAY_SERVICES_NOTIFICATION_SENDER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/metrics/metrics.h"
#include "common/service/service_main.h"
#include "domain/sms/segment.h"
#include "domain/sms/template_set.h"
#include "services/notification/gateway.h"

namespace caserelay::notification {

struct SenderOptions {
  int max_attempts = 5;
  absl::Duration first_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(5);
  sms::SegmentOptions segments;
};

class Sender {
 public:
  // Nothing is owned but `intake`; the rest outlives the sender.
  Sender(const service::Context& context, SmsGateway* gateway,
         const sms::TemplateSet* templates,
         std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
         SenderOptions options);
  ~Sender();  // Stop()

  // Reconciles messages left "sending", then starts the thread.
  absl::Status Start();
  void Stop();
  // Something was queued: look at the queue now.
  void Wake();

 private:
  void Run();
  // Works through the queue once; returns when it is empty or everything
  // left waits for a backoff.
  void Drain();
  // One step for one message; UNAVAILABLE means "try again later".
  absl::Status Advance(const std::string& id);
  absl::Status Reconcile(const std::string& id);
  absl::Status Save(caserelay::v1::SmsRecord& record, bool done,
                    const caserelay::v1::Envelope* event);
  // Final outcomes: state, counter, SmsSent / SmsFailed event, saved and
  // taken off the queue in one commit.
  absl::Status MarkSent(caserelay::v1::SmsRecord& record,
                        const std::string& gateway_id);
  absl::Status MarkFailed(caserelay::v1::SmsRecord& record,
                          absl::string_view reason);
  absl::StatusOr<std::vector<std::string>> QueuedIds() const;
  absl::StatusOr<caserelay::v1::SmsRecord> Load(const std::string& id);

  const service::Context context_;
  SmsGateway* const gateway_;
  const sms::TemplateSet* const templates_;
  const std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake_;
  const SenderOptions options_;
  metrics::Counter& sent_;
  metrics::Counter& failed_;
  metrics::Counter& retried_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Retry pacing per message after a temporary failure (sender thread
  // only). Real time on purpose: a gateway outage lasts in real time,
  // also when the service runs on a simulated clock.
  struct Backoff {
    absl::Time next;
    absl::Duration delay;
  };
  std::map<std::string, Backoff> backoff_;
  std::thread thread_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_SENDER_H_
