// SupervisionServiceImpl over partitioned state (issue 19 item 5; the
// team's contract, items 2-6): the timers of each partition fire from that
// partition's DB, only while this instance holds it (the consume loop ticks
// held partitions only), each partition with its own scan state; the gRPC
// handlers read and write a case in its partition's DB.
#include <algorithm>
#include <string>

#include "common/store/partitioned_store.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {

bool SupervisionServiceImpl::MoreDue() const {
  for (const auto& [partition, scan] : scans_) {
    if (scan.more_due) return true;
  }
  return false;
}

absl::Status SupervisionServiceImpl::TickPartition(int32_t partition,
                                                   store::Store& store,
                                                   store::WriteBatch& batch) {
  // supervision.fire_batch bounds a round of the loop, as with one store:
  // the held partitions share it (each at least one timer), so a round's
  // work and what a crash leaves in the outboxes do not grow with the
  // partitions held.
  const int held =
      std::max<int>(1, static_cast<int>(context_.partitions == nullptr
                                            ? 1
                                            : context_.partitions->Held().size()));
  return TickIn(ScanOf(partition), store,
                std::max(1, options_.fire_batch / held), batch);
}

void SupervisionServiceImpl::PartitionHeld(int32_t partition) {
  scans_.erase(partition);
}

int32_t SupervisionServiceImpl::PartitionOfCase(
    std::string_view case_id) const {
  if (context_.partitions == nullptr) return -1;
  return context_.partitions->PartitionOfCase(case_id);
}

absl::StatusOr<SupervisionServiceImpl::CaseDb> SupervisionServiceImpl::DbOfCase(
    std::string_view case_id) const {
  return service::OpenKeyDb(context_, case_id, "supervision");
}

}  // namespace caserelay::supervision
