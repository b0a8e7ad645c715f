// Shared by the offices tests: the committed region tree and office
// tables, loaded once.
#ifndef CASERELAY_TESTS_UNIT_DOMAIN_OFFICES_OFFICES_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_DOMAIN_OFFICES_OFFICES_FIXTURE_H_

#include <cstdlib>
#include <string>

#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "gtest/gtest.h"

namespace caserelay::offices::testing {

inline const std::string kDataDir = std::string(CASERELAY_SOURCE_DIR) + "/data";

// The committed region tree and office tables, loaded once.
inline const region::RegionTree& Regions() {
  static const region::RegionTree* tree = [] {
    auto loaded = region::RegionTree::Load(kDataDir + "/regions/regions.tsv");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *tree;
}

inline const OfficeDirectory& Offices() {
  static const OfficeDirectory* directory = [] {
    auto loaded = OfficeDirectory::Load(kDataDir + "/offices", &Regions());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *directory;
}

}  // namespace caserelay::offices::testing

#endif  // CASERELAY_TESTS_UNIT_DOMAIN_OFFICES_OFFICES_FIXTURE_H_
