// Delivery reports bound to the deployment's secret (issue 14 item 1: a
// report without the MAC of its message and part under the secret,
// dlr_mac.h, is refused and changes nothing), called as Kannel 1.4.5 calls
// back (delivery_reports_fixture.h).

#include <optional>
#include <string>
#include <vector>

#include "common/admin/http_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/delivery_reports.h"
#include "services/notification/dlr_mac.h"
#include "tests/unit/services/notification/delivery_reports_fixture.h"

namespace caserelay::notification::dlrtest {
namespace {

using ::testing::IsEmpty;

TEST_F(DeliveryReportsTest, ForgedReportsAreRefusedAndChangeNothing) {
  // Issue 14 item 1: a report without the MAC of its message and part
  // under the deployment's secret (dlr_mac.h) is refused with 403, counted
  // by reason, and changes no record, queue or topic.
  Put(kMsg, "AA", /*queued=*/false);
  Put("routing/140431-20261122-000002/3/sms", "A", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  struct Row {
    const char* rule;
    std::optional<std::string> mac;  // nullopt: no k parameter
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"no MAC: anyone who reaches the port", std::nullopt, "missing"},
      {"a wrong MAC", std::string(64, '0'), "mismatch"},
      {"an empty MAC", "", "mismatch"},
      {"the MAC of another message",
       DlrMac(kDlrSecret, "routing/140431-20261122-000002/3/sms", 1, 2),
       "mismatch"},
      {"the MAC of the other part of this message",
       DlrMac(kDlrSecret, kMsg, 2, 2), "mismatch"},
      {"a MAC under another secret", DlrMac(std::string(64, 'x'), kMsg, 1, 2),
       "mismatch"},
  };
  for (int type : {kDelivered, kUndeliverable, kSmscSubmit, kSmscReject}) {
    for (const Row& row : rows) {
      admin::HttpRequest request = KannelCallsBack(kMsg, 1, 2, type, "ACK/");
      ASSERT_EQ(request.query.count(kDlrMacParam), 1u) << "the dlr-url has k";
      if (row.mac.has_value()) {
        request.query[kDlrMacParam] = *row.mac;
      } else {
        request.query.erase(kDlrMacParam);
      }
      admin::HttpResponse r = reports_->Handle(request);
      EXPECT_EQ(r.status, 403) << row.rule << ", type " << type;
      EXPECT_EQ(r.body.find(kDlrSecret), std::string::npos) << row.rule;
    }
  }
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before) << "nothing changed";
  EXPECT_THAT(Events(), IsEmpty());
  EXPECT_EQ(requeued_, 0);
  auto rejected = [this](const char* reason) {
    return t_->metrics()
        .GetCounter("caserelay_dlr_rejected_total", "", {{"reason", reason}})
        .Value();
  };
  EXPECT_EQ(rejected("missing"), 4u);
  EXPECT_EQ(rejected("mismatch"), 20u);
  // The genuine report, after all that, still applies.
  EXPECT_EQ(Call(kMsg, 1, 2, kDelivered, "").status, 200);
  EXPECT_EQ(Letters(Stored(kMsg)), "DA");
}

TEST_F(DeliveryReportsTest, WithoutASecretEveryReportIsRefused) {
  // delivery_reports.h: a notification without a secret (no Kannel)
  // refuses every report, even one signed with some secret.
  reports_ = std::make_unique<DeliveryReports>(t_->context(), book_.get(),
                                               "dev-file", DlrKeys(), [] {});
  Put(kMsg, "A", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  EXPECT_EQ(Call(kMsg, 1, 1, kDelivered, "").status, 403);
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before);
  EXPECT_THAT(Events(), IsEmpty());
  EXPECT_EQ(t_->metrics()
                .GetCounter("caserelay_dlr_rejected_total", "",
                            {{"reason", "no_secret"}})
                .Value(),
            1u);
}

}  // namespace
}  // namespace caserelay::notification::dlrtest
