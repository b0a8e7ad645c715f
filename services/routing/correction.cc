// 更正登记 (issue 18 item 6): the corrected matter of a CORRECT, routed by
// the same Decide() a new petition is (routing_service.h FillCorrection).
#include <utility>

#include "services/routing/act_command.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

absl::Status RoutingServiceImpl::FillCorrection(
    const caserelay::v1::RoutingCaseRecord& before,
    const caserelay::v1::ActRequest::Correct& req, absl::Time now,
    lifecycle::Command& cmd) const {
  caserelay::v1::Matter matter = CorrectedMatter(before.view().matter(), req);
  // Committed state only (partitioned: the cases this instance holds).
  auto decision = Decide(matter, before.identity_key(), CommittedCases(), now,
                         {}, nullptr, before.view().case_id());
  if (!decision.ok()) return decision.status();
  cmd.correction =
      lifecycle::Command::Correction{std::move(matter), *std::move(decision)};
  return absl::OkStatus();
}

}  // namespace caserelay::routing
