// Test support: the real holiday calendar, the fake directory, a Lifecycle
// with the legal defaults, and cases brought into any state through the
// public API only (Register, then legal actions one hour apart).

#ifndef CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_CASE_BUILDER_H_
#define CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_CASE_BUILDER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/calendar.h"
#include "domain/lifecycle/lifecycle.h"
#include "tests/unit/domain/lifecycle/fake_offices.h"

namespace caserelay::lifecycle::testing {

// data/holidays of the source tree, loaded once. Aborts the test binary if
// it cannot be loaded.
const time::Calendar& RealCalendar();

// An instant in China Standard Time.
absl::Time China(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0);

// Whether an accepted case came by 转送 or 交办.
enum class Path { kTransfer, kAssign };

struct BuildOptions {
  Path path = Path::kTransfer;
  bool first_time = true;
  // The registering decision's disposition for REGISTERED and later.
  v1::Disposition disposition = v1::DISPOSITION_TRANSFER;
  // REPLIED and later, REVIEWED and later: the decision is served (送达,
  // SERVE by its office one hour after it, received that day), so the
  // petitioner's windows run (Arts. 35-36).
  bool served = false;
};

struct Built {
  v1::RoutingCaseRecord record;
  absl::Time last;  // the time of the last action taken
};

// A petition about a labour matter in 沁源县, received at `received`.
v1::PetitionReceived Petition(absl::Time received);
// Routing's decision: registered at the county bureau, target the county
// 人社局 (none for TRIAGE), with the dispositions' fields filled.
v1::RouteDecision Decision(v1::Disposition disposition);

// A command with every input valid: reason, operator, outcome,
// satisfaction, 10 extension days, route, service by post received at
// `now`, a leader (张某某, 副县长), a 回访 by phone with the view 认同;
// target left to the decision; for CORRECT the matter corrected to
// housing, routed to the county 住建局 (registered at the county bureau).
Command ValidCommand(v1::CaseAction action, std::string actor, absl::Time now);

class CaseBuilder {
 public:
  explicit CaseBuilder(Policy policy = Policy());

  const Lifecycle& lifecycle() const { return *lifecycle_; }
  const FakeOffices& offices() const { return offices_; }

  // The case received (and registered) at `start`, then moved by legal
  // actions one hour apart into `state`:
  //   RECEIVED: a record with only view.state set;
  //   REGISTERED/NOT_ACCEPTED/LINKED: Register();
  //   TRANSFERRED/ASSIGNED: then TRANSFER/ASSIGN to the county 人社局;
  //   ACCEPTED: TRANSFERRED or ASSIGNED (options.path), then ACCEPT;
  //   EXTENDED, REPLIED, EVALUATED: then EXTEND, REPLY, EVALUATE;
  //   REVIEW_REQUESTED, REVIEWED: from REPLIED, by the city 人社局;
  //   REREVIEW_REQUESTED, HEARING, TERMINATED: by the province's 人社厅;
  //   CLOSED: TERMINATED (after REPORT_RESULT on the kAssign path), CLOSE.
  absl::StatusOr<Built> InState(v1::CaseState state, absl::Time start,
                                BuildOptions options = {}) const;

  // Applies `action` by `actor` one hour after `built.last` with valid
  // inputs; returns the case after it.
  absl::StatusOr<Built> Then(absl::StatusOr<Built> built, v1::CaseAction action,
                             const std::string& actor) const;

 private:
  FakeOffices offices_;
  std::unique_ptr<Lifecycle> lifecycle_;
};

}  // namespace caserelay::lifecycle::testing

#endif  // CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_CASE_BUILDER_H_
