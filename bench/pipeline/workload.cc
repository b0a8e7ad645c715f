#include "bench/pipeline/workload.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "common/region/region_tree.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {

absl::StatusOr<std::vector<std::string>> ShanxiRegions(
    const std::string& regions_path) {
  auto tree = region::RegionTree::Load(regions_path);
  if (!tree.ok()) return tree.status();
  std::vector<std::string> out;
  for (const region::Region* city : (*tree)->Children("140000")) {
    for (const region::Region* county : (*tree)->Children(city->code)) {
      if (county->level != region::Level::kCounty) continue;
      out.push_back(county->code);
      auto towns = (*tree)->Children(county->code);
      if (!towns.empty()) out.push_back(towns[0]->code);
    }
  }
  if (out.empty()) {
    return absl::NotFoundError(
        absl::StrCat(regions_path, ": no county-level regions under 140000"));
  }
  return out;
}

std::vector<Record> PetitionReceivedRecords(
    const std::vector<std::string>& regions, int count) {
  std::vector<Record> out;
  out.reserve(count);
  const absl::Time now = absl::Now();
  const int64_t seconds = absl::ToUnixSeconds(now);
  for (int i = 0; i < count; ++i) {
    const std::string& region = regions[i % regions.size()];
    caserelay::v1::SubmitPetitionRequest req =
        caserelay::testing::SamplePetition(region, i);
    // As intake: "<county>-<China date>-<sequence>".
    std::string case_number =
        absl::StrFormat("%s-20250101-%06d", region.substr(0, 6), i + 1);
    caserelay::v1::Envelope event;
    event.set_event_id(absl::StrCat("intake/", case_number, "/received"));
    event.set_case_id(case_number);
    event.set_producer("intake");
    event.mutable_occurred_at()->set_seconds(seconds);
    event.mutable_occurred_at()->set_nanos(123456789);
    auto* received = event.mutable_petition_received();
    received->set_case_number(case_number);
    received->mutable_petitioner()->set_id(absl::StrCat("P", case_number));
    *received->mutable_matter() = req.matter();
    *received->mutable_received_at() = event.occurred_at();
    // As intake: the hex HMAC-SHA256 of who petitions (64 characters).
    received->set_identity_key(absl::StrFormat("%064x", i + 1));
    out.emplace_back(case_number, event.SerializeAsString());
  }
  return out;
}

}  // namespace caserelay::bench
