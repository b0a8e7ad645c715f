// 群体访 / 联名 (group petitions, issue 18 item 3): the rules on how many
// representatives a group petition keeps and how many persons it counts.
//
// 《信访工作条例》 Art. 18: "多人采用走访形式提出共同的信访事项的，应当推选
// 代表，代表人数不超过5人" — at most five representatives (the petitioner
// and up to four co-representatives); the same bound holds for a joint
// letter (联名信), whose signatories also name representatives. The head
// count (人次) is every person who came or signed; it is at least the
// number of representatives and at most a configurable bound
// (intake.max_head_count), so a typo cannot make a 100000-person visit.
// A group of at least group.alert_head_count persons alerts the
// registering bureau (GroupPetitionAlert, services/supervision).
//
// Pure functions, thread-safe. Messages are for the person who filled the
// form: the field's path, then in Chinese what is allowed.

#ifndef CASERELAY_DOMAIN_PETITION_GROUP_PETITION_H_
#define CASERELAY_DOMAIN_PETITION_GROUP_PETITION_H_

#include "absl/status/status.h"

namespace caserelay::petition {

// Art. 18: at most five representatives, fixed by the Regulation (not a
// setting).
inline constexpr int kMaxRepresentatives = 5;

struct GroupBounds {
  // The largest head count intake takes (intake.max_head_count).
  int max_head_count = 1000;
};

// OK if a petition with `representatives` representatives (the petitioner
// and its co-representatives, >= 1) and `head_count` persons (0: not
// given) may be registered; otherwise INVALID_ARGUMENT naming the field:
// "co_representatives: ..." for more than kMaxRepresentatives,
// "head_count: ..." for a negative count, one below `representatives`, or
// one above bounds.max_head_count.
absl::Status CheckGroup(int representatives, int head_count,
                        const GroupBounds& bounds);

// The persons a petition counts for (人次): `head_count` when given (> 0),
// else the number of representatives, at least one. Also the reading of
// PetitionReceived / CaseEvent head_count, where 0 means one.
int EffectiveHeadCount(int head_count, int representatives);

// True if a petition of `head_count` persons (as EffectiveHeadCount gives
// it) alerts the registering bureau under the setting
// group.alert_head_count (`alert_head_count` >= 2): at or above it.
bool AlertsBureau(int head_count, int alert_head_count);

}  // namespace caserelay::petition

#endif  // CASERELAY_DOMAIN_PETITION_GROUP_PETITION_H_
