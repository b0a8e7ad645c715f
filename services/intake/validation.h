// Checks a SubmitPetitionRequest against DOMAIN.md "Who is involved" and
// "Channels": the required fields, the GB 11643 ID checksum when an ID is
// given, the phone format, the size limits of every field and the item
// counts of every list (domain/petition/matter_bounds.h), a known
// region, and a group petition's representatives (each checked like the
// petitioner, "co_representatives[i].phone: ...") and head count
// (domain/petition/group_petition.h, Art. 18).
//
// Thread safety: stateless apart from const inputs.

#ifndef CASERELAY_SERVICES_INTAKE_VALIDATION_H_
#define CASERELAY_SERVICES_INTAKE_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/intake.pb.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"

namespace caserelay::intake {

struct Limits {
  int max_name_chars = 100;
  int max_address_chars = 300;
  int max_title_chars = 200;
  int max_text_chars = 10000;  // intake.max_text_chars
  int max_request_id_chars = 64;
  // Items of each of matter.accused_offices, other_regions and
  // other_categories (intake.max_list_items).
  int max_list_items = 20;
  // The largest head count of a group petition (intake.max_head_count;
  // domain/petition/group_petition.h).
  int max_head_count = 1000;
};

// OK if the request may be stored; otherwise INVALID_ARGUMENT whose message
// starts with the offending field's path ("petitioner.id_number: ...").
// Any string that is not valid UTF-8 is refused first, "<path>: not valid
// UTF-8 at byte <n>" (a list item as "matter.other_regions[0]").
// The matter's codes are checked by routing's own check against the same
// tables routing decides by (domain/routing/matter_validation.h
// ValidateMatter), so no receipt is issued for a matter routing must
// refuse: the region is required; an empty category is a 无头事项 (the
// receiving bureau triages it), any other must be a row of categories.tsv;
// other categories and regions, lodged_with and accused offices must be
// known; FAILED_PRECONDITION "matter.accused_offices: accused-excluded: ..."
// when every bureau up to the province is accused, so no office of the
// tree may receive it (Art. 30). REQUIRES: `offices` was loaded over
// `regions`.
absl::Status ValidateSubmission(const caserelay::v1::SubmitPetitionRequest& req,
                                const region::RegionTree& regions,
                                const offices::OfficeDirectory& offices,
                                const Limits& limits, absl::CivilDay today);

// Number of Unicode code points in valid UTF-8 (bytes otherwise).
size_t CountChars(std::string_view utf8);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_VALIDATION_H_
