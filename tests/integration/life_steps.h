// Steps of a case's life for integration tests: submit, act as an office,
// and wait until routing, supervision and notification show what a step
// must leave behind.
//
// Thread safety: not thread-safe; one test thread drives it.

#ifndef CASERELAY_TESTS_INTEGRATION_LIFE_STEPS_H_
#define CASERELAY_TESTS_INTEGRATION_LIFE_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {

class Steps {
 public:
  explicit Steps(System& sys) : sys_(sys) {}

  // Submits through intake; the case number, or "" (with a test failure).
  std::string Submit(const caserelay::v1::SubmitPetitionRequest& req);

  // GetCase as `office`.
  absl::StatusOr<caserelay::v1::CaseDetail> Get(const std::string& office,
                                                const std::string& id);
  // Polls GetCase as `office` until the case is in `state` (20 s).
  absl::StatusOr<caserelay::v1::CaseDetail> AwaitState(
      const std::string& office, const std::string& id,
      caserelay::v1::CaseState state);

  // `req` for case `id` as `office`, at the case's current version (read
  // as the province bureau, which supervises every Shanxi case).
  grpc::Status Act(const std::string& office, const std::string& id,
                   caserelay::v1::ActRequest req);

  // Expects, within 15 s, supervision's ARMED deadlines of the case to be
  // exactly `kinds` (in any order).
  void ExpectDeadlines(const std::string& id,
                       std::vector<caserelay::v1::DeadlineKind> kinds);
  // Expects, within 15 s, notification's messages of the case to be
  // exactly `triggers` (in any order), each SENT.
  void ExpectSms(const std::string& id, std::vector<std::string> triggers);

  // The casectl command line acting as `office` against this system.
  std::string Casectl(const std::string& office) const;

 private:
  System& sys_;
};

// SamplePetition(region_code, n) made an accusation (检举控告, category
// discipline) against a staff member of `accused_office`, described by
// `accused`: what Art. 30 keeps from the accused unit.
caserelay::v1::SubmitPetitionRequest SampleAccusation(
    const std::string& region_code, int n, const std::string& accused_office,
    const std::string& accused = "某单位工作人员");

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_LIFE_STEPS_H_
