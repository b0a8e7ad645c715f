// The end of the simulated year (simulation_test.cc): the indicators and
// the red-light board as statistics and supervision answer them (the
// indicators from statistics' index, issue 17), compared with what the
// script implies (simulation_script.h).
//
// Thread safety: one test thread.

#ifndef CASERELAY_TESTS_INTEGRATION_SIMULATION_CHECKS_H_
#define CASERELAY_TESTS_INTEGRATION_SIMULATION_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/integration/harness.h"
#include "tests/integration/simulation_script.h"

namespace caserelay::testing {

// Queries GetIndicators for the scopes and periods of the test and expects
// every field of the total and of every row to equal sim::Expected.
void CheckIndicators(System& sys, const sim::Script& script);

// Expects ListRedLights (the deployment, and 沁源县) to be exactly the
// script's missed and still running deadlines, oldest first; case_ids[i]
// is the case number of script.cases[i].
void CheckRedLights(System& sys, const sim::Script& script,
                    const std::vector<std::string>& case_ids);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_SIMULATION_CHECKS_H_
