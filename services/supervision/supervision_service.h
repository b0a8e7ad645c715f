// supervision (督查督办): keeps every running legal deadline as a durable
// timer. This first form arms the transfer deadline (bureau registers,
// then 转送/交办: 15 days from receipt, Regulation Art. 22; DOMAIN.md
// "Deadlines") when a case is routed, and when a timer comes due marks the
// deadline missed and publishes DeadlineMissed on "supervision-events".
//
// Column families: "deadlines" (deadline id -> Deadline), "timers"
// (due time in µs, big-endian, + deadline id -> empty: ordered by due).
// Timers fire on the consume loop's thread (Tick), in the same batches as
// everything else, so a restart loses none and fires none twice.
//
// Thread safety: Apply/Tick on the loop's thread; gRPC handlers read only.

#ifndef CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/service/service_main.h"
#include "common/time/calendar.h"

namespace caserelay::supervision {

inline constexpr char kDeadlines[] = "deadlines";
inline constexpr char kTimers[] = "timers";

struct DeadlineRules {
  int transfer_days = 15;  // deadline.transfer_days
  int fire_batch = 1000;   // timers fired per batch at most
};

class SupervisionServiceImpl final
    : public caserelay::v1::SupervisionService::Service,
      public service::EventHandler {
 public:
  // `calendar` is not owned and outlives the service.
  SupervisionServiceImpl(const service::Context& context,
                         const time::Calendar* calendar, DeadlineRules rules);

  grpc::Status ListDeadlines(
      grpc::ServerContext* ctx, const caserelay::v1::ListDeadlinesRequest* req,
      caserelay::v1::ListDeadlinesResponse* resp) override;

  // CaseRouted arms the transfer deadline (once per case). A day outside
  // the holiday tables is FAILED_PRECONDITION (kept as a dead letter).
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

  // Fires the timers that are due, at most rules.fire_batch at a time.
  absl::Status Tick(store::WriteBatch& batch) override;

 private:
  const service::Context context_;
  const time::Calendar* const calendar_;
  const DeadlineRules rules_;
};

service::ServiceDefinition SupervisionDefinition();

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
