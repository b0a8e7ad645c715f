// A GoogleTest fixture for a service's unit tests over a fresh TestContext
// (test_context.h): a temp-dir Store with the service's column families
// and a SimulatedClock at kFixtureStart. The tests of intake and
// notification derive their fixtures from it:
//
//   class FooTest : public svctest::StoreFixture {
//    protected:
//     FooTest() : StoreFixture(ColumnFamilies()) {}
//     void SetUp() override {
//       ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
//       ...  // t_ is open here
//     }
//   };
//
// Not thread-safe: used from the test's thread, as GoogleTest fixtures are.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_STORE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_STORE_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::svctest {

// When every StoreFixture's clock starts: 2026-11-22 10:00 China time (so
// the first case intake numbers is 140431-20261122-000001).
inline absl::Time FixtureStart() { return ChinaTime(2026, 11, 22, 10, 0); }

class StoreFixture : public ::testing::Test {
 protected:
  // The store of t_ will have `column_families` (the service's own).
  explicit StoreFixture(std::vector<std::string> column_families)
      : column_families_(std::move(column_families)) {}

  // Opens t_ in a new temp dir (removed when the test ends); a fatal
  // failure naming TestContext::Create's status if it cannot.
  void SetUp() override {
    auto t = TestContext::Create(column_families_, FixtureStart());
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
  }

  // Set by SetUp; destroyed after the derived fixture's members, so
  // whatever they build over it may use it to the end.
  std::unique_ptr<TestContext> t_;

 private:
  const std::vector<std::string> column_families_;
};

}  // namespace caserelay::svctest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_STORE_FIXTURE_H_
