// The parties of a case as supervision and notification keep them from
// its case events (records.proto CaseParties), and their reading as the
// access rule's CaseParties (case_access.h).
//
// Thread safety: stateless functions.
#ifndef CASERELAY_DOMAIN_ACCESS_CASE_PARTIES_H_
#define CASERELAY_DOMAIN_ACCESS_CASE_PARTIES_H_

#include <cstdint>
#include <string>

#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "domain/access/case_access.h"

namespace caserelay::access {

// Updates `kept` with case event `e`, the case's event of per-case
// sequence `sequence`:
//  - the first event (sequence 1: routing's REGISTER) sets the accused
//    offices from e.accused_office_codes and `registered`; a later event
//    never changes them (a store kept before them stays unknown);
//  - a holder_office_code other than the kept holder makes it the holder,
//    the kept one (if any) joining the past holders (each once).
// REQUIRES: `kept` non-null. Events are applied in sequence order.
void UpdateParties(const caserelay::v1::CaseEvent& e, uint64_t sequence,
                   caserelay::v1::CaseParties* kept);

// The rule's view of `kept` for case `case_id`: the holder (if known) as
// acting office, the past holders, and the accused offices if `registered`
// (nullopt otherwise: unknown).
CaseParties FromKept(const std::string& case_id,
                     const caserelay::v1::CaseParties& kept);

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_CASE_PARTIES_H_
