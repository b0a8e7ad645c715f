// routing's Act: the life-cycle command an ActRequest asks for, shared by
// the offices' and the petitioner's handlers.
//
// Pure functions; thread-safe.
#ifndef CASERELAY_SERVICES_ROUTING_ACT_COMMAND_H_
#define CASERELAY_SERVICES_ROUTING_ACT_COMMAND_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/routing.pb.h"
#include "common/rpc/principal.h"
#include "domain/lifecycle/lifecycle.h"
#include "grpcpp/support/status.h"

namespace caserelay::routing {

// The life-cycle command `req` asks for, by `caller` acting for office
// `office` (empty for the petitioner), at `now`: the operator is the
// caller's (rpc::Principal::Operator); a request's office_code (the organ
// a petitioner applies to) is the command's target_office_code.
// INVALID_ARGUMENT if it names no action, or names an operator other than
// the authenticated one.
absl::StatusOr<lifecycle::Command> CommandOf(
    const caserelay::v1::ActRequest& req, const rpc::Principal& caller,
    const std::string& office, absl::Time now);

// 更正登记 (issue 18 item 6): `registered` with each field `req` sets
// (category, matter_class, region_code, statutory_route) replaced; title,
// text, accused and the rest stay as registered.
caserelay::v1::Matter CorrectedMatter(
    const caserelay::v1::Matter& registered,
    const caserelay::v1::ActRequest::Correct& req);

// NOT_FOUND "case_id: no case <id>".
grpc::Status NoCase(const std::string& id);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_ACT_COMMAND_H_
