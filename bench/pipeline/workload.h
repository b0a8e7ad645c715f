// What the benchmark sends: petitions (信访) about real Shanxi regions, and
// for the relay ceiling, PetitionReceived envelopes built the way intake
// builds them, so both runs move records of the same size.
#ifndef CASERELAY_BENCH_PIPELINE_WORKLOAD_H_
#define CASERELAY_BENCH_PIPELINE_WORKLOAD_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::bench {

// The county-level regions of Shanxi (140000) and the first township of
// each, from `regions_path` (data/regions/regions.tsv), sorted by code.
// Returns the Load() error of the tree, or NOT_FOUND if Shanxi has no
// counties there.
absl::StatusOr<std::vector<std::string>> ShanxiRegions(
    const std::string& regions_path);

// One Kafka record: the key (the case number) and the value.
using Record = std::pair<std::string, std::string>;

// `count` records as intake publishes them on "petitions": key = a case
// number "<county>-<yyyymmdd>-<seq>" of regions[i % size], value = a
// serialized Envelope carrying PetitionReceived for the sample petition
// numbered i. Keys are unique. REQUIRES: !regions.empty().
std::vector<Record> PetitionReceivedRecords(
    const std::vector<std::string>& regions, int count);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_WORKLOAD_H_
