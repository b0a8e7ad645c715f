// Which case (and so which partition) an SMS belongs to, from its message
// id alone (message_case.h, "MC" below): a delivery report and
// ResolveMessage reach the instance holding the case's partition (issue 19
// item 5).

#include "services/notification/message_case.h"

#include <optional>
#include <string>

#include "common/kafka/partitioning.h"
#include "gtest/gtest.h"
#include "services/notification/notification_service.h"
#include "services/notification/report_peers.h"

namespace caserelay::notification {
namespace {

constexpr char kCase[] = "140431-20261207-000042";

struct Row {
  const char* rule;
  std::string message_id;
  std::optional<std::string> case_id;
};

TEST(MessageCaseTest, CaseOfEveryShapeRoutingQueuesAnSmsFor) {
  const std::string c = kCase;
  const Row rows[] = {
      // MC: REGISTER, routing_service.cc: intake's PetitionReceived id
      // ("intake/<case>/received", intake/submit.cc) + "/registered".
      {"REGISTER, the petitioner", "intake/" + c + "/received/registered/sms",
       c},
      // MC: a group petition's co-representative n (SmsMessageId).
      {"REGISTER, co-representative 2",
       "intake/" + c + "/received/registered/sms/2", c},
      // MC: every office action, office_api.cc: "<case>/<version>".
      {"office action (ACCEPT, version 3)", c + "/3/sms", c},
      {"office action, co-representative 4", c + "/12/sms/4", c},
      // MC: what names no case.
      {"a phone code's SMS (phone_codes.h)",
       "phone-code/0123456789abcdef0123456789abcdef", std::nullopt},
      {"no /sms suffix", c + "/3", std::nullopt},
      {"LINK_REPEAT queues none: not taken for its id's case",
       "intake/" + c + "/received/linked/sms", std::nullopt},
      {"a version that is no number", c + "/x/sms", std::nullopt},
      {"an empty case", "/3/sms", std::nullopt},
      {"intake's shape with an empty case",
       "intake//received/registered/sms", std::nullopt},
      {"empty", "", std::nullopt},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(CaseOfMessageId(row.message_id), row.case_id) << row.rule;
  }
}

TEST(MessageCaseTest, EveryMessageOfAnEventIsInItsCasePartition) {
  // MC: the message of the petitioner and of each co-representative of one
  // event land in the partition of the event's case (so its queue, its
  // records and its reports are one owner's).
  for (const std::string& event :
       {std::string("intake/") + kCase + "/received/registered",
        std::string(kCase) + "/7"}) {
    for (int r = 0; r <= 4; ++r) {
      auto c = CaseOfMessageId(SmsMessageId(event, r));
      ASSERT_TRUE(c.has_value()) << event << " " << r;
      EXPECT_EQ(kafka::PartitionOf(*c, 8), kafka::PartitionOf(kCase, 8));
    }
  }
}

TEST(ReportWireTest, EveryOutcomeCrossesTheWireUnchanged) {
  // report_peers.h: a report passed to the partition's owner says what
  // Kannel said.
  for (ReportOutcome o :
       {ReportOutcome::kSmscAccepted, ReportOutcome::kQueued,
        ReportOutcome::kDelivered, ReportOutcome::kFailed}) {
    auto back = FromWire(ToWire(o));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, o);
  }
  EXPECT_EQ(FromWire(caserelay::v1::REPORTED_OUTCOME_UNSPECIFIED).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::notification
