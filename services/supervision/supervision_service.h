// supervision (督查督办): keeps every running legal deadline as a durable
// timer. Routing computes the deadlines (DOMAIN.md "Deadlines") and lists
// those running after each CaseEvent; supervision mirrors them
// (deadline_mirror.h: armed, paused for a hearing, moved by an extension,
// done when no longer listed) and, when an armed deadline's timer comes
// due, marks it missed and publishes DeadlineMissed on
// "supervision-events".
//
// Column families: "deadlines" (case id -> ListDeadlinesResponse: every
// deadline of the case, as ListDeadlines answers), "timers" (due time in
// µs, big-endian, + deadline id -> empty: ordered by due), "sequences"
// (case id -> the last case-events sequence applied, big-endian).
// Timers fire on the consume loop's thread (Tick), in the same batches as
// everything else, so a restart loses none and fires none twice.
//
// Thread safety: Apply/Tick on the loop's thread; gRPC handlers read only.

#ifndef CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include <string>
#include <vector>

#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/service/service_main.h"

namespace caserelay::supervision {

inline constexpr char kDeadlines[] = "deadlines";
inline constexpr char kTimers[] = "timers";
inline constexpr char kSequences[] = "sequences";

// Every family the service's store needs.
inline const std::vector<std::string>& ColumnFamilies() {
  static const auto* const kFamilies =
      new std::vector<std::string>{kDeadlines, kTimers, kSequences};
  return *kFamilies;
}

struct TimerOptions {
  int fire_batch = 1000;  // timers fired per Tick at most
};

class SupervisionServiceImpl final
    : public caserelay::v1::SupervisionService::Service,
      public service::EventHandler {
 public:
  // The store of `context` has every family of ColumnFamilies().
  SupervisionServiceImpl(const service::Context& context,
                         TimerOptions options = {});

  // Every deadline of the case (INVALID_ARGUMENT without a case_id; an
  // empty list for an unknown case; DATA_LOSS if its record is corrupt).
  grpc::Status ListDeadlines(
      grpc::ServerContext* ctx, const caserelay::v1::ListDeadlinesRequest* req,
      caserelay::v1::ListDeadlinesResponse* resp) override;

  // A CaseEvent's deadlines are mirrored (deadline_mirror.h) into the
  // case's record and the timers. An event whose sequence is not above the
  // case's last applied one is skipped, writing nothing. Other payloads
  // are ignored. INVALID_ARGUMENT (nothing written; the loop keeps it as a
  // dead letter) for a sequence of 0 or a listed deadline without kind,
  // started_at or due_at; DATA_LOSS for a corrupt record.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

  // Fires the timers that are due (armed deadlines whose due_at <= now on
  // the clock), at most options.fire_batch at a time: each becomes MISSED
  // and one DeadlineMissed is published, with the event id
  // "supervision/<deadline id>/missed". A paused, done or moved deadline's
  // stale timer is dropped without firing.
  absl::Status Tick(store::WriteBatch& batch) override;

 private:
  const service::Context context_;
  const TimerOptions options_;
};

service::ServiceDefinition SupervisionDefinition();

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
