// The case facts for the indicators live in domain/indicators (shared with
// the statistics' index, issue 17); supervision names them here.
#ifndef CASERELAY_SERVICES_SUPERVISION_CASE_FACTS_H_
#define CASERELAY_SERVICES_SUPERVISION_CASE_FACTS_H_

#include "domain/indicators/case_facts.h"

namespace caserelay::supervision {
using indicators::UpdateFacts;
}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_CASE_FACTS_H_
