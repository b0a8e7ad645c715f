// The fixture of the tests that need the real almanac (ICU + libnova): one
// AstronomicalAlmanac per test suite, built once since building it loads
// ICU's calendar data.

#ifndef CASERELAY_TESTS_UNIT_COMMON_TIME_ALMANAC_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_COMMON_TIME_ALMANAC_FIXTURE_H_

#include "common/time/astronomical_almanac.h"
#include "gtest/gtest.h"

namespace caserelay::time {

class AlmanacFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto almanac = AstronomicalAlmanac::Create();
    ASSERT_TRUE(almanac.ok()) << almanac.status();
    almanac_ = almanac->release();
  }
  static void TearDownTestSuite() {
    delete almanac_;
    almanac_ = nullptr;
  }
  inline static const AstronomicalAlmanac* almanac_ = nullptr;
};

}  // namespace caserelay::time

#endif  // CASERELAY_TESTS_UNIT_COMMON_TIME_ALMANAC_FIXTURE_H_
