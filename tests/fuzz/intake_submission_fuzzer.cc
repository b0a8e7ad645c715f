// intake's petition validation (services/intake/validation.h
// ValidateSubmission), the check SubmitPetition makes before anything is
// stored, on a SubmitPetitionRequest parsed from hostile bytes (what gRPC
// hands the handler), against the shipped regions and offices. Bytes that
// are no request are gRPC's to refuse.

#include <cstddef>
#include <cstdint>

#include "absl/time/civil_time.h"
#include "caserelay/v1/intake.pb.h"
#include "services/intake/validation.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static const region::RegionTree& regions = fuzz::ShippedRegions();
  static const offices::OfficeDirectory& offices = fuzz::ShippedOffices();
  caserelay::v1::SubmitPetitionRequest req;
  if (!req.ParseFromArray(data, static_cast<int>(size))) return 0;
  (void)intake::ValidateSubmission(req, regions, offices, intake::Limits(),
                                   absl::CivilDay(2026, 11, 22));
  return 0;
}
