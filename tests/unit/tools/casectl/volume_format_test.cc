// casectl stats volume's table (tools/casectl/volume_commands.h): issue
// 18's figures (statistics.proto VolumeFigures 19-28) are printed with
// their 环比 and 同比 under the labels of services/statistics/
// leaders_figures.h; table-driven, each row citing the issue item.
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/casectl/volume_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

void Keyed(google::protobuf::RepeatedPtrField<v1::KeyedCount>* out,
           const std::string& key, int64_t count) {
  v1::KeyedCount* c = out->Add();
  c->set_key(key);
  c->set_count(count);
}

TEST(VolumeFormatTest, PrintsIssue18FiguresWithTheirComparisons) {
  v1::GetVolumeResponse r;
  v1::VolumeFigures* now = r.mutable_total()->mutable_current();
  v1::VolumeFigures* before = r.mutable_total()->mutable_previous();
  now->set_cases(3);
  now->set_persons(14);
  now->set_reception_batches(2);
  now->set_reception_persons(9);
  before->set_reception_batches(1);
  now->set_on_the_spot(1);
  now->set_group_petitions(1);
  now->set_taken_charge(1);
  Keyed(now->mutable_supervisions_by_source(), "automatic", 2);
  Keyed(now->mutable_supervisions_by_source(), "manual", 1);
  Keyed(now->mutable_recommendations_by_kind(), "accountability", 1);
  now->set_escalated(1);
  now->set_corrected(1);
  Keyed(now->mutable_follow_ups_by_view(), "basically", 1);
  const std::string out = FormatVolume(r);
  struct Row {
    const char* rule;
    const char* label;
    int64_t now, before;
    const char* change;
  };
  const std::vector<Row> rows = {
      {"item 3: 人次 = Σ head_count", "人次", 14, 0, "—"},
      {"item 1: 批次 of receptions, 环比 against 1", "领导接访批次", 2, 1,
       "+100.0%"},
      {"item 1: 人次 of receptions", "领导接访人次", 9, 0, "—"},
      {"item 1: 当场解决", "当场解决", 1, 0, "—"},
      {"item 3: 群体访", "群体访（联名）", 1, 0, "—"},
      {"item 2: 包案", "领导包案", 1, 0, "—"},
      {"item 4: 督办 by source (automatic)", "自动督办", 2, 0, "—"},
      {"item 4: 督办 by source (manual)", "手动督办", 1, 0, "—"},
      {"item 4: 追责建议", "追责建议", 1, 0, "—"},
      {"item 4: no 改进工作建议", "改进工作建议", 0, 0, "—"},
      {"item 5: 提级", "提级办理", 1, 0, "—"},
      {"item 6: 更正", "更正登记", 1, 0, "—"},
      {"item 7: 回访 by view", "回访基本认同", 1, 0, "—"},
      {"item 7: 回访 by view (none)", "回访不认同", 0, 0, "—"},
  };
  for (const Row& row : rows) {
    EXPECT_THAT(out, HasSubstr(absl::StrFormat("  %-26s %8d %8d %8s ",
                                               row.label, row.now, row.before,
                                               row.change)))
        << row.rule << "\n"
        << out;
  }
}

}  // namespace
}  // namespace caserelay::casectl
