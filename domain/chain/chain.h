// The tamper-evident history of a case (DOMAIN.md "Records": the history
// is the audit trail and must never be rewritten). Every event routing
// publishes on case-events carries in Envelope.prev_hash the SHA-256 of
// the case's previous event exactly as published, so a case's history is
// a hash chain that anyone holding the events can check, and the case's
// head hash (kept with the case) pins the last one. The hash is
// digest::Sha256 of the event's bytes.
//
// Pure: no I/O. Thread safety: stateless functions.

#ifndef CASERELAY_DOMAIN_CHAIN_CHAIN_H_
#define CASERELAY_DOMAIN_CHAIN_CHAIN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caserelay::chain {

struct Verdict {
  bool intact = true;
  // When not intact: the sequence number of the event found altered (the
  // first, assuming one alteration; 0 if the chain cannot name one, e.g.
  // events are missing), and why, in one line.
  uint64_t altered_sequence = 0;
  std::string reason;
};

// Checks the history of case `case_id`: `events` are its serialized
// Envelopes, oldest first; `head_hash` the hash the case holds of its
// latest event (empty: not checked). Checks that each event parses, names
// the case, has sequence i (1-based), carries the hash of event i-1 (none
// for the first), and that the last one hashes to `head_hash`.
//
// Which event is altered: a changed event breaks the link to its
// successor (its hash no longer matches) and, if its own prev_hash field
// was changed, the link to its predecessor too. So with the first broken
// link between events j-1 and j: if the link after j is also broken,
// event j was altered; otherwise event j-1 was.
Verdict Verify(std::string_view case_id, const std::vector<std::string>& events,
               std::string_view head_hash);

}  // namespace caserelay::chain

#endif  // CASERELAY_DOMAIN_CHAIN_CHAIN_H_
