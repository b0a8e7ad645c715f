// Test helper: a fresh directory under the test's temp root, removed with
// everything in it when the TempDir goes away.

#ifndef CASERELAY_TESTS_UNIT_COMMON_STORE_TEMP_DIR_H_
#define CASERELAY_TESTS_UNIT_COMMON_STORE_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "gtest/gtest.h"

namespace caserelay::store::testing {

// Not thread-safe; one owner.
class TempDir {
 public:
  TempDir() {
    std::string root = ::testing::TempDir();
    if (root.empty() || root.back() != '/') root += '/';
    std::string tmpl = root + "caserelay-store.XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed under " << root;
      return;
    }
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;  // best effort: a leftover dir must not fail a test
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory, without a trailing slash; empty if it could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace caserelay::store::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_STORE_TEMP_DIR_H_
