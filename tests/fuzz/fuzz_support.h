// What the libFuzzer targets of tests/fuzz share: a scratch directory for
// the loaders that read files, and the data the project ships (regions,
// offices) loaded once per process.
//
// Thread safety: libFuzzer calls a target from one thread; so do these.

#ifndef CASERELAY_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define CASERELAY_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"

namespace caserelay::fuzz {

// A directory of this process under /dev/shm (else $TMPDIR, else /tmp),
// made on first use and removed with its contents at exit.
const std::string& ScratchDir();

// Writes `bytes` to ScratchDir()/`name` (replacing it) with `mode`;
// returns the path. Aborts if the file cannot be written: the target
// would test nothing.
std::string WriteScratch(const std::string& name, std::string_view bytes,
                         int mode = 0600);

// A path under the source tree, e.g. "data/regions/regions.tsv".
std::string SourcePath(std::string_view relative);

// data/regions/regions.tsv and data/offices over it; aborts with the
// status if they do not load.
const region::RegionTree& ShippedRegions();
const offices::OfficeDirectory& ShippedOffices();

// The value, or one line on stderr and abort (set-up of a target only).
template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "fuzz set-up failed: %s\n",
                 value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

}  // namespace caserelay::fuzz

#endif  // CASERELAY_TESTS_FUZZ_FUZZ_SUPPORT_H_
