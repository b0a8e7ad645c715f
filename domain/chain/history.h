// The check of a case's whole history as routing's GetCase gives it
// (案件历史校验): the hash chain of its events (chain.h) and their number
// against the case's version. One function for every reader that shows the
// check: casectl verify and the web console's case page (issue 16).
//
// Pure: no I/O. Thread safety: stateless functions.

#ifndef CASERELAY_DOMAIN_CHAIN_HISTORY_H_
#define CASERELAY_DOMAIN_CHAIN_HISTORY_H_

#include <cstddef>
#include <string>

#include "caserelay/v1/routing.pb.h"
#include "domain/chain/chain.h"

namespace caserelay::chain {

// What the check found.
struct HistoryCheck {
  Verdict verdict;
  size_t events = 0;
  std::string head_hex;  // hex SHA-256 of the last event; "" if none
};

// Checks `detail`: Verify of its events (no head hash: the view carries
// none), then that their number is the view's version (one event per
// version, so a history cut short at its end is caught). A count that
// differs is broken, naming the first missing event (or 0 when there are
// more events than versions).
HistoryCheck CheckHistory(const caserelay::v1::CaseDetail& detail);

}  // namespace caserelay::chain

#endif  // CASERELAY_DOMAIN_CHAIN_HISTORY_H_
