// Size and count bounds of a Matter (信访事项内容的大小上限), wherever one
// arrives: intake's SubmitPetition and routing's PreviewRoute (issue 22
// item 1: an unbounded list, e.g. 120,000 other_categories, made an event
// Kafka never took and stalled intake for good).
//
// Only sizes and counts: whether a code is known (a region of the tree, a
// category of the list, an office) is checked by the service that knows
// them, after these bounds, so nothing huge is parsed or looked up.
//
// Pure functions, thread-safe. Messages are for the person who filled the
// form: the field's path, then in Chinese what is allowed and what came,
// never the value itself.

#ifndef CASERELAY_DOMAIN_PETITION_MATTER_BOUNDS_H_
#define CASERELAY_DOMAIN_PETITION_MATTER_BOUNDS_H_

#include <cstddef>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "caserelay/v1/case.pb.h"

namespace caserelay::petition {

struct MatterBounds {
  int max_title_chars = 200;
  int max_text_chars = 10000;
  int max_accused_chars = 100;
  // Items of each list: accused_offices, other_regions, other_categories
  // (intake.max_list_items).
  int max_list_items = 20;
  // A region code is 6, 9 or 12 digits (GB/T 2260 and the township codes).
  int max_region_code_chars = 12;
  // A category ("public-security") or an office code ("140431:housing").
  int max_code_chars = 64;
};

// OK if every field of `matter` is within `bounds`; otherwise
// INVALID_ARGUMENT whose message starts with the first offending field's
// path under `path` (e.g. "matter.other_categories: ...").
absl::Status CheckMatterBounds(const caserelay::v1::Matter& matter,
                               const MatterBounds& bounds,
                               absl::string_view path = "matter");

// Unicode code points in valid UTF-8; the byte count if `utf8` is not
// well-formed, so stray continuation bytes cannot slip past a bound.
size_t CountCodePoints(absl::string_view utf8);

// INVALID_ARGUMENT "<path>: not valid UTF-8 at byte <n>" if `value` is not
// valid UTF-8 (common/text/utf8.h; it could be stored but never parsed
// back); INVALID_ARGUMENT "<path>: 最多 <max> 个字符，收到 <n> 个" if it has
// more than `max_chars` code points; OK otherwise.
absl::Status CheckChars(absl::string_view path, absl::string_view value,
                        int max_chars);

}  // namespace caserelay::petition

#endif  // CASERELAY_DOMAIN_PETITION_MATTER_BOUNDS_H_
