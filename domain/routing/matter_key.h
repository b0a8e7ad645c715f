// "The same matter" (DOMAIN.md "Routing", 重复信访 and 信访终结).
//
// Two petitions of the same petitioner are on the same matter when they
// agree on all of:
//   - the matter's region code (where it is: the township, not the county);
//   - the category (empty — 无头事项 — is a value like any other);
//   - the matter class (建议意见 / 检举控告 / 申诉求决);
//   - the set of accused offices (order and duplicates do not matter).
// Everything else — title, text, channel, the office lodged with, the
// statutory route, other regions and categories — may differ: it is how the
// petitioner tells the story, not what the story is about. Who the
// petitioner is (the identity key) is the service's half of the match.
//
// Thread safety: a stateless function.
#ifndef CASERELAY_DOMAIN_ROUTING_MATTER_KEY_H_
#define CASERELAY_DOMAIN_ROUTING_MATTER_KEY_H_

#include <string>

#include "caserelay/v1/case.pb.h"

namespace caserelay::routing {

// A stable string key of `m`'s matter as defined above: equal for the same
// matter, different otherwise (fields are escaped, so no two matters
// collide). The format is versioned ("m1|...") and must not change once
// keys are stored; it is readable but not meant to be parsed.
std::string MatterKey(const caserelay::v1::Matter& m);

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_MATTER_KEY_H_
