// What the simulated-year tests (simulation_test.cc, the supervision
// simulation; statistics_simulation_test.cc, its sibling over two years)
// share: the days of the script on the China clock, the petition a
// scripted one is submitted as, the offices' actions through routing, and
// the wait until the consumers of case-events have applied everything.
//
// Thread safety: Driver::Act may run on several threads at once (its
// stubs are made up front); the rest is for the test's thread.

#ifndef CASERELAY_TESTS_INTEGRATION_SIMULATION_DRIVER_H_
#define CASERELAY_TESTS_INTEGRATION_SIMULATION_DRIVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tests/integration/harness.h"
#include "tests/integration/simulation_script.h"

namespace caserelay::testing {

using Clock = std::chrono::steady_clock;

// Day `day` of the script (0 = 2026-01-01) at `hour`, China time.
absl::Time China(int day, int hour = 0);

// The integer in environment variable `name`, or `fallback`.
int EnvInt(const char* name, int fallback);

// Real seconds since `since`.
double Seconds(Clock::time_point since);

// Runs fn(0..n-1) on up to `threads` threads.
void ParallelFor(int n, int threads, const std::function<void(int)>& fn);

// A 30 s (or `seconds`) deadline on `ctx`.
void Within(grpc::ClientContext& ctx, int seconds = 30);

// The petition scripted petition `p` (number `index`) is submitted as: an
// online labour claim by petitioner p.petitioner, or a visit lodged with
// the higher bureau for a level-skipping one.
caserelay::v1::SubmitPetitionRequest PetitionOf(const sim::Petition& p,
                                                int index);

// The system with the stubs of every acting office made up front (the
// harness makes them lazily, which is not thread-safe).
class Driver {
 public:
  explicit Driver(System& sys);

  // Acts with the case's cached version; on ABORTED (a SUPERVISE or
  // LINK_REPEAT came in between) re-reads the version and tries again.
  grpc::Status Act(const std::string& case_id, const sim::Action& action,
                   uint64_t* version);

  System& sys() { return sys_; }

 private:
  System& sys_;
  std::map<std::string, caserelay::v1::RoutingService::Stub*> stubs_;
  caserelay::v1::RoutingService::Stub* province_;
};

// Waits until supervision — and each service of `also` — has applied every
// case-event routing owes: `events` from petitions and actions plus one
// SUPERVISE per instrument supervision issued. INTERNAL if one
// dead-lettered a case-event; DEADLINE_EXCEEDED after 120 s.
absl::Status Settle(System& sys, int64_t events,
                    const std::vector<std::string>& also = {});

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_SIMULATION_DRIVER_H_
