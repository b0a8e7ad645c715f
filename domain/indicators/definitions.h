// The definitions of the indicators (考核指标, DOMAIN.md "Supervision") and
// of the volume figures that share them (issue 17), item by item: ONE place
// for each, used by supervision's IndicatorCalculator (a scan of its case
// records) and by the statistics' index (counters kept per bucket). What a
// scope and a period are, and how items are summed, is in
// services/supervision/indicators.h; this file says what one deadline or
// one case counts as.
//
// Pure: no I/O, no clock. Thread safety: stateless functions.

#ifndef CASERELAY_DOMAIN_INDICATORS_DEFINITIONS_H_
#define CASERELAY_DOMAIN_INDICATORS_DEFINITIONS_H_

#include <optional>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/region/region_tree.h"

namespace caserelay::indicators {

// --- deadline-based: 及时受理率 (bureau, handling unit), 按期办结率 ---

// True for the kinds a rate counts: TRANSFER (及时受理率, bureau),
// ACCEPTANCE (及时受理率, handling unit), HANDLING and SIMPLIFIED
// (按期办结率). The other kinds count only in the backlog and red lights.
bool IsRated(caserelay::v1::DeadlineKind kind);

// The rate of `indicators` a deadline of `kind` counts in; nullptr for a
// kind IsRated says no to.
caserelay::v1::Rate* RateOf(caserelay::v1::DeadlineKind kind,
                            caserelay::v1::Indicators* indicators);

// A counted deadline is in time iff it is DONE: routing stopped listing it
// before it fell due. MISSED (ended late or still open) and ARMED past its
// due count against.
bool InTime(const caserelay::v1::Deadline& deadline);

// An ARMED deadline falls due by `t` iff due_at <= t: its miss timer fires
// at due_at, and an event at or after due_at finds it missed (an event
// exactly at the due is late).
bool FallsDueBy(const caserelay::v1::Deadline& deadline, absl::Time t);

// --- petition-based: 重复信访率, 越级访率 (and the volume's repeat and 越级) ---

// 重复信访: linked to the open case of the matter (LINKED_REPEAT) or
// refused as terminated (REFUSED_TERMINATED, 信访终结).
bool IsRepeat(caserelay::v1::Disposition disposition);

// 越级: redirected to the competent level (REDIRECT: 越级走访, or in
// progress below).
bool IsLevelSkipping(caserelay::v1::Disposition disposition);

// --- reply-based: 参评率, 群众满意率, 一次性化解率 ---

// Evaluated (参评): a satisfaction is recorded.
bool IsEvaluated(caserelay::v1::Satisfaction satisfaction);

// Satisfied: 满意 (SATISFIED) or 基本满意 (BASICALLY).
bool IsSatisfied(caserelay::v1::Satisfaction satisfaction);

// 一次性化解: no 复查 requested and no repeat petition linked.
bool IsFirstPass(const caserelay::v1::SupervisionCaseFacts& facts);

// --- scopes ---

// The region level an OfficeLevel names (IndicatorScope.level,
// VolumeScope.level); nullopt for UNSPECIFIED or an unknown value.
std::optional<region::Level> RegionLevel(caserelay::v1::OfficeLevel level);

// --- rates ---

// Counts one item in `rate`: the denominator always, the numerator if
// `hit`. REQUIRES: rate != nullptr.
void Tally(caserelay::v1::Rate* rate, bool hit);

// Sets rate.value to numerator / denominator when the denominator is
// positive; clears it otherwise.
void SetValue(caserelay::v1::Rate* rate);

// Sets every Rate.value of `indicators`: numerator / denominator, set only
// when the denominator is positive (cleared otherwise).
void SetValues(caserelay::v1::Indicators* indicators);

}  // namespace caserelay::indicators

#endif  // CASERELAY_DOMAIN_INDICATORS_DEFINITIONS_H_
