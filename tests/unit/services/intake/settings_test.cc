// intake's settings (definition.cc) refuse integers outside their range at
// start-up, naming the setting (issue 22 item 8: "intake.max_text_chars =
// -1 disables the limit").

#include <string>
#include <vector>

#include "common/config/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"

namespace caserelay::intake {
namespace {

using ::testing::HasSubstr;

TEST(IntakeSettingsTest, IntegersOutsideTheirRangeAreRefused) {
  const service::ServiceDefinition def = IntakeDefinition();
  struct Row {
    const char* env;
    const char* value;
    const char* want;  // "" when accepted
  };
  for (const Row& row : std::vector<Row>{
           {"CASERELAY_INTAKE_MAX_TEXT_CHARS", "-1",
            "\"intake.max_text_chars\" (from env "
            "CASERELAY_INTAKE_MAX_TEXT_CHARS): -1 is outside [1, 100000]"},
           {"CASERELAY_INTAKE_MAX_TEXT_CHARS", "0", "0 is outside [1, 100000]"},
           {"CASERELAY_INTAKE_MAX_TEXT_CHARS", "10000", ""},
           {"CASERELAY_LOOKUP_MAX_FAILURES", "0",
            "\"lookup.max_failures\" (from env CASERELAY_LOOKUP_MAX_FAILURES): "
            "0 is outside [1, 1000]"},
           {"CASERELAY_LOOKUP_MAX_FAILURES", "5", ""},
           {"CASERELAY_INTAKE_MAX_LIST_ITEMS", "0",
            "\"intake.max_list_items\" (from env "
            "CASERELAY_INTAKE_MAX_LIST_ITEMS): 0 is outside [1, 200]"},
           {"CASERELAY_INTAKE_MAX_LIST_ITEMS", "201", "201 is outside [1, 200]"},
           {"CASERELAY_INTAKE_MAX_LIST_ITEMS", "20", ""},
           // issue 18 item 3: a group petition's head count is bounded.
           {"CASERELAY_INTAKE_MAX_HEAD_COUNT", "0",
            "\"intake.max_head_count\" (from env "
            "CASERELAY_INTAKE_MAX_HEAD_COUNT): 0 is outside [1, 1000000]"},
           {"CASERELAY_INTAKE_MAX_HEAD_COUNT", "1000", ""},
       }) {
    SCOPED_TRACE(absl::StrCat(row.env, "=", row.value));
    auto config = config::Config::Load(
        "", def.settings,
        {{"CASERELAY_LOOKUP_SECRET", "s"}, {row.env, row.value}});
    if (*row.want == '\0') {
      EXPECT_TRUE(config.ok()) << config.status();
    } else {
      EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(config.status().message()), HasSubstr(row.want));
    }
  }
}

}  // namespace
}  // namespace caserelay::intake
