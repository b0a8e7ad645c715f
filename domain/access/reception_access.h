// Who keeps an office's schedule of leaders' reception days (领导接访安排,
// issue 18 item 1): the one rule intake applies to PublishReception and
// CancelReception. The web gateway and the console's pages re-implement
// none of it.
//
//   - Only the office holding the reception: an office publishes its own
//     leaders' days ("a schedule of reception days per office"); another
//     office, even a superior bureau, does not publish for it.
//   - Its own credential (casectl, scripts: a direct office principal)
//     may; a console user of the office may with the role 登记员
//     (REGISTRAR: registers the visits received there), 负责人 (HEAD) or
//     领导 (LEADER: the leader who receives); not a 承办人, 督查员 nor
//     管理员, whose work is a case's handling, supervision or the users.
//   - Services (the gateway for no user, notification, ...) never do.
// Reading the schedule is public (the portal's page).
//
// Pure, thread-safe.

#ifndef CASERELAY_DOMAIN_ACCESS_RECEPTION_ACCESS_H_
#define CASERELAY_DOMAIN_ACCESS_RECEPTION_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/case.pb.h"

namespace caserelay::access {

inline constexpr char kRuleReceptionSchedule[] =
    "issue 18 item 1: an office publishes its own leaders' reception days; "
    "登记员, 负责人 and 领导 keep the schedule";

// Who asks, as rpc::Principal says it: an office (its code) calling with
// its own credential (`every_role`) or for a console user with `roles`.
struct ReceptionKeeper {
  std::string office;  // empty: not an office (a service)
  bool every_role = false;
  std::vector<caserelay::v1::StaffRole> roles;
};

// OK if `keeper` may publish or cancel a reception of `reception_office`;
// PERMISSION_DENIED with the Chinese reason and kRuleReceptionSchedule
// otherwise.
absl::Status MayManageReception(const ReceptionKeeper& keeper,
                                absl::string_view reception_office);

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_RECEPTION_ACCESS_H_
