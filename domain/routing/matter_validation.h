// The one check of a petition's matter against the tables routing decides
// by (the region tree, data/offices): intake calls it before it issues a
// case number (services/intake/validation.cc) and Router::Decide before its
// rules, so intake never gives a receipt for a matter routing must refuse
// (issue 22 item 3). Also the receiving bureau (the bureau that registers
// every case not transferred or assigned, and triages what the rules
// cannot place), which the check needs.
//
// Thread safety: free functions over immutable tables; call from any
// number of threads.
#ifndef CASERELAY_DOMAIN_ROUTING_MATTER_VALIDATION_H_
#define CASERELAY_DOMAIN_ROUTING_MATTER_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/case.pb.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"

namespace caserelay::routing {

// OK if routing can register `m`: every code names an entry of the
// tables and some bureau may receive it. Otherwise, naming the field:
//   - INVALID_ARGUMENT "matter.region_code: ..." when it is empty or not a
//     region; "matter.category: ..." when it is neither empty (无头事项,
//     triaged by the receiving bureau) nor a row of categories.tsv;
//     "matter.other_categories[i]: ..." for an unknown category;
//     "matter.lodged_with: ..." and "matter.accused_offices[i]: ..." for a
//     code that is not an office; "matter.other_regions[i]: ..." for an
//     unknown region; "matter.statutory_route: ..." outside the enum;
//   - FAILED_PRECONDITION "matter.accused_offices: accused-excluded: ..."
//     when every bureau from the receiving one up to the province is
//     accused or a member of an accused government: no office of the tree
//     may register it (Art. 30); the message ends with where the
//     petitioner can go instead, in Chinese.
// REQUIRES: `offices` was loaded over `regions`.
absl::Status ValidateMatter(const caserelay::v1::Matter& m,
                            const region::RegionTree& regions,
                            const offices::OfficeDirectory& offices);

// A bureau chosen for a case; `passed_over` if an accused one (or a member
// of an accused government) was skipped to reach it.
struct ChosenBureau {
  offices::Office office;
  bool passed_over = false;
};

// The bureau of `region`, or for an accusation with accused offices the
// lowest one above it that is neither accused nor a member of an accused
// government. FAILED_PRECONDITION naming accused-excluded if there is none
// up to the province. REQUIRES: `region` is a region of `regions`.
absl::StatusOr<ChosenBureau> BureauNotAccused(
    const caserelay::v1::Matter& m, const region::Region& region,
    const region::RegionTree& regions, const offices::OfficeDirectory& offices);

// The bureau that received the petition: the bureau of lodged_with's
// region when that is an office, else the county bureau of the matter's
// region (the region's own for a city or province), as BureauNotAccused
// for an accusation. INVALID_ARGUMENT if matter.region_code is not a
// region; FAILED_PRECONDITION as BureauNotAccused.
absl::StatusOr<ChosenBureau> ReceivingBureau(
    const caserelay::v1::Matter& m, const region::RegionTree& regions,
    const offices::OfficeDirectory& offices);

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_MATTER_VALIDATION_H_
