#include "services/supervision/case_facts.h"

#include <ostream>
#include <string>

#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace caserelay::supervision {
namespace {

using ::caserelay::v1::Envelope;
using ::caserelay::v1::SupervisionCaseFacts;
using ::google::protobuf::TextFormat;
using ::google::protobuf::util::MessageDifferencer;

// Text format, merged: a field given twice takes its last value, so a row
// can write "kRegistered + what changed".
template <typename T>
T Parse(const std::string& text) {
  T message;
  EXPECT_TRUE(TextFormat::MergeFromString(text, &message)) << text;
  return message;
}

// Facts of a case registered by 沁源县's bureau and transferred.
constexpr char kRegistered[] = R"pb(
  received_at { seconds: 1767225600 }
  registering_office_code: "140431:xfj"
  disposition: DISPOSITION_TRANSFER
  region_code: "140431100"
  state: CASE_STATE_TRANSFERRED
)pb";

struct UpdateCase {
  const char* rule;      // the rule of case_facts.h / DOMAIN.md it pins
  std::string before;    // SupervisionCaseFacts, text format
  std::string envelope;  // Envelope, text format
  std::string after;     // SupervisionCaseFacts, text format
};

// gtest names a failing row by its rule.
void PrintTo(const UpdateCase& c, std::ostream* os) { *os << c.rule; }

class UpdateFactsTest : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(UpdateFactsTest, AppliesTheActionsRule) {
  const UpdateCase& c = GetParam();
  auto facts = Parse<SupervisionCaseFacts>(c.before);
  ASSERT_TRUE(UpdateFacts(Parse<Envelope>(c.envelope), &facts).ok());
  auto want = Parse<SupervisionCaseFacts>(c.after);
  EXPECT_TRUE(MessageDifferencer::Equals(facts, want))
      << c.rule << "\n got: " << facts.ShortDebugString()
      << "\nwant: " << want.ShortDebugString();
}

INSTANTIATE_TEST_SUITE_P(
    Actions, UpdateFactsTest,
    ::testing::Values(
        UpdateCase{"PROPOSE (报批, issue 16): a handler's proposed 处理意见 is "
                   "no reply: nothing changes until the head approves it",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED",
                   R"pb(
                     occurred_at { seconds: 1767229200 }
                     case_event {
                       action: CASE_ACTION_PROPOSE
                       proposed_action: CASE_ACTION_REPLY
                       actor_office_code: "140431:hrss"
                       outcome: OUTCOME_SUPPORT
                       from_state: CASE_STATE_ACCEPTED
                       to_state: CASE_STATE_ACCEPTED
                     }
                   )pb",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED"},
        UpdateCase{"RETURN_PROPOSAL (退回, issue 16): nothing changes",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED",
                   R"pb(
                     occurred_at { seconds: 1767229200 }
                     case_event {
                       action: CASE_ACTION_RETURN_PROPOSAL
                       proposed_action: CASE_ACTION_REPLY
                       actor_office_code: "140431:hrss"
                       from_state: CASE_STATE_ACCEPTED
                       to_state: CASE_STATE_ACCEPTED
                     }
                   )pb",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED"},
        UpdateCase{"REGISTER (登记): received_at, the registering bureau, the "
                   "disposition (DOMAIN.md Routing) and the matter's region",
                   "",
                   R"pb(
                     occurred_at { seconds: 1767229200 }
                     case_event {
                       action: CASE_ACTION_REGISTER
                       from_state: CASE_STATE_RECEIVED
                       to_state: CASE_STATE_REGISTERED
                       received_at { seconds: 1767225600 }
                       region_code: "140431100"
                       decision {
                         disposition: DISPOSITION_TRANSFER
                         registering_office_code: "140431:xfj"
                         target_office_code: "140431:hrss"
                       }
                     }
                   )pb",
                   R"pb(
                     received_at { seconds: 1767225600 }
                     registering_office_code: "140431:xfj"
                     disposition: DISPOSITION_TRANSFER
                     region_code: "140431100"
                     state: CASE_STATE_REGISTERED
                   )pb"},
        UpdateCase{
            "REGISTER of a 越级 petition: disposition REDIRECT, the basis "
            "of 越级访率 (DOMAIN.md Supervision)",
            "",
            R"pb(
              case_event {
                action: CASE_ACTION_REGISTER
                to_state: CASE_STATE_NOT_ACCEPTED
                received_at { seconds: 100 }
                region_code: "140431"
                decision {
                  disposition: DISPOSITION_REDIRECT
                  registering_office_code: "140000:xfj"
                }
              }
            )pb",
            R"pb(
              received_at { seconds: 100 }
              registering_office_code: "140000:xfj"
              disposition: DISPOSITION_REDIRECT
              region_code: "140431"
              state: CASE_STATE_NOT_ACCEPTED
            )pb"},
        UpdateCase{"every event: the state after it (ACCEPT, 受理)",
                   kRegistered,
                   R"pb(
                     case_event {
                       action: CASE_ACTION_ACCEPT
                       actor_office_code: "140431:hrss"
                       to_state: CASE_STATE_ACCEPTED
                     }
                   )pb",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED"},
        UpdateCase{"the first REPLY (处理意见): the handling office and when; "
                   "the basis of 参评率 and 一次性化解率",
                   kRegistered,
                   R"pb(
                     occurred_at { seconds: 1770000000 }
                     case_event {
                       action: CASE_ACTION_REPLY
                       actor_office_code: "140431:hrss"
                       to_state: CASE_STATE_REPLIED
                       outcome: OUTCOME_SUPPORT
                     }
                   )pb",
                   std::string(kRegistered) + R"pb(
                     state: CASE_STATE_REPLIED
                     handling_office_code: "140431:hrss"
                     replied_at { seconds: 1770000000 }
                   )pb"},
        UpdateCase{"a later REPLY keeps the first reply's office and time",
                   std::string(kRegistered) + R"pb(
                     handling_office_code: "140431:hrss"
                     replied_at { seconds: 1770000000 }
                   )pb",
                   R"pb(
                     occurred_at { seconds: 1780000000 }
                     case_event {
                       action: CASE_ACTION_REPLY
                       actor_office_code: "140400:hrss"
                       to_state: CASE_STATE_REPLIED
                     }
                   )pb",
                   std::string(kRegistered) + R"pb(
                     state: CASE_STATE_REPLIED
                     handling_office_code: "140431:hrss"
                     replied_at { seconds: 1770000000 }
                   )pb"},
        UpdateCase{"EVALUATE (满意度评价): the satisfaction of 群众满意率",
                   kRegistered,
                   R"pb(
                     case_event {
                       action: CASE_ACTION_EVALUATE
                       to_state: CASE_STATE_EVALUATED
                       satisfaction: SATISFACTION_BASICALLY
                     }
                   )pb",
                   std::string(kRegistered) + R"pb(
                     state: CASE_STATE_EVALUATED
                     satisfaction: SATISFACTION_BASICALLY
                   )pb"},
        UpdateCase{
            "a later EVALUATE wins",
            std::string(kRegistered) + "satisfaction: SATISFACTION_SATISFIED",
            R"pb(
              case_event {
                action: CASE_ACTION_EVALUATE
                to_state: CASE_STATE_EVALUATED
                satisfaction: SATISFACTION_DISSATISFIED
              }
            )pb",
            std::string(kRegistered) + R"pb(
              state: CASE_STATE_EVALUATED
              satisfaction: SATISFACTION_DISSATISFIED
            )pb"},
        UpdateCase{
            "issue 15: the petitioner's own rating replaces an office-entered "
            "one as the source of 参评率/满意率",
            std::string(kRegistered) + "satisfaction: SATISFACTION_SATISFIED",
            R"pb(
              case_event {
                action: CASE_ACTION_EVALUATE
                to_state: CASE_STATE_EVALUATED
                satisfaction: SATISFACTION_DISSATISFIED
                by_petitioner: true
              }
            )pb",
            std::string(kRegistered) + R"pb(
              state: CASE_STATE_EVALUATED
              satisfaction: SATISFACTION_DISSATISFIED
              rated_by_petitioner: true
            )pb"},
        UpdateCase{
            "issue 15 item 2: the petitioner rates over an office-entered "
            "rating (EVALUATED -> EVALUATED): theirs is the one counted",
            R"pb(
              received_at { seconds: 1767225600 }
              registering_office_code: "140431:xfj"
              disposition: DISPOSITION_TRANSFER
              region_code: "140431100"
              state: CASE_STATE_EVALUATED
              satisfaction: SATISFACTION_SATISFIED
            )pb",
            R"pb(
              case_event {
                action: CASE_ACTION_EVALUATE
                to_state: CASE_STATE_EVALUATED
                satisfaction: SATISFACTION_BASICALLY
                by_petitioner: true
              }
            )pb",
            R"pb(
              received_at { seconds: 1767225600 }
              registering_office_code: "140431:xfj"
              disposition: DISPOSITION_TRANSFER
              region_code: "140431100"
              state: CASE_STATE_EVALUATED
              satisfaction: SATISFACTION_BASICALLY
              rated_by_petitioner: true
            )pb"},
        UpdateCase{
            "issue 15: an office-entered rating counts only where the "
            "petitioner gave none",
            std::string(kRegistered) +
                "satisfaction: SATISFACTION_DISSATISFIED "
                "rated_by_petitioner: true",
            R"pb(
              case_event {
                action: CASE_ACTION_EVALUATE
                to_state: CASE_STATE_EVALUATED
                satisfaction: SATISFACTION_SATISFIED
              }
            )pb",
            std::string(kRegistered) + R"pb(
              state: CASE_STATE_EVALUATED
              satisfaction: SATISFACTION_DISSATISFIED
              rated_by_petitioner: true
            )pb"},
        UpdateCase{"REQUEST_REVIEW (复查, Art. 35): not resolved at the first "
                   "pass (一次性化解率)",
                   kRegistered,
                   R"pb(
                     case_event {
                       action: CASE_ACTION_REQUEST_REVIEW
                       to_state: CASE_STATE_REVIEW_REQUESTED
                     }
                   )pb",
                   std::string(kRegistered) + R"pb(
                     state: CASE_STATE_REVIEW_REQUESTED
                     review_requested: true
                   )pb"},
        UpdateCase{"LINK_REPEAT (重复信访) counts each repeat linked",
                   std::string(kRegistered) + "repeats_linked: 1",
                   R"pb(
                     case_event {
                       action: CASE_ACTION_LINK_REPEAT
                       to_state: CASE_STATE_TRANSFERRED
                       linked_case_id: "140431-20260102-000002"
                     }
                   )pb",
                   std::string(kRegistered) + "repeats_linked: 2"},
        UpdateCase{"SUPERVISE (督办) changes only the state it lists",
                   kRegistered,
                   R"pb(
                     case_event {
                       action: CASE_ACTION_SUPERVISE
                       actor_office_code: "140400:xfj"
                       from_state: CASE_STATE_TRANSFERRED
                       to_state: CASE_STATE_TRANSFERRED
                       supervision { supervision_id: "c/supervision/1" }
                     }
                   )pb",
                   kRegistered},
        UpdateCase{"CORRECT (更正登记, issue 18 item 6): registered anew by the "
                   "new decision's bureau, in the corrected region; received "
                   "when it was",
                   kRegistered,
                   R"pb(
                     occurred_at { seconds: 1767229200 }
                     case_event {
                       action: CASE_ACTION_CORRECT
                       actor_office_code: "140431:xfj"
                       from_state: CASE_STATE_TRANSFERRED
                       to_state: CASE_STATE_NOT_ACCEPTED
                       region_code: "140402"
                       decision {
                         disposition: DISPOSITION_NOT_ACCEPTED
                         registering_office_code: "140402:xfj"
                       }
                     }
                   )pb",
                   std::string(kRegistered) + R"pb(
                     registering_office_code: "140402:xfj"
                     disposition: DISPOSITION_NOT_ACCEPTED
                     region_code: "140402"
                     state: CASE_STATE_NOT_ACCEPTED
                   )pb"},
        UpdateCase{"ESCALATE (提级, issue 18 item 5): the facts keep the "
                   "registration; only the state is the event's",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED",
                   R"pb(
                     occurred_at { seconds: 1767229200 }
                     case_event {
                       action: CASE_ACTION_ESCALATE
                       actor_office_code: "140400:xfj"
                       from_state: CASE_STATE_ACCEPTED
                       to_state: CASE_STATE_ACCEPTED
                       escalated_from_office_code: "140431:hrss"
                     }
                   )pb",
                   std::string(kRegistered) + "state: CASE_STATE_ACCEPTED"},
        UpdateCase{"an envelope without a CaseEvent leaves the facts as they "
                   "are",
                   kRegistered,
                   R"pb(
                     deadline_missed {
                       deadline_id: "c/transfer/1"
                       kind: DEADLINE_KIND_TRANSFER
                     }
                   )pb",
                   kRegistered}));

struct RejectCase {
  const char* rule;
  std::string envelope;
  const char* field;  // named in the message
};

// gtest names a failing row by its rule.
void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.rule; }

class UpdateFactsRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(UpdateFactsRejectTest, RejectsAndLeavesTheFactsUntouched) {
  const RejectCase& c = GetParam();
  auto facts = Parse<SupervisionCaseFacts>(kRegistered);
  absl::Status s = UpdateFacts(Parse<Envelope>(c.envelope), &facts);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
      << c.rule << ": " << s;
  EXPECT_NE(s.message().find(c.field), absl::string_view::npos)
      << c.rule << ": " << s;
  EXPECT_TRUE(MessageDifferencer::Equals(
      facts, Parse<SupervisionCaseFacts>(kRegistered)))
      << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
    MissingFields, UpdateFactsRejectTest,
    ::testing::Values(
        RejectCase{"REGISTER needs the decision (registering bureau)",
                   R"pb(case_event {
                          action: CASE_ACTION_REGISTER
                          to_state: CASE_STATE_REGISTERED
                          received_at { seconds: 1 }
                        })pb",
                   "decision"},
        RejectCase{"REGISTER needs the registering bureau",
                   R"pb(case_event {
                          action: CASE_ACTION_REGISTER
                          to_state: CASE_STATE_REGISTERED
                          received_at { seconds: 1 }
                          decision { disposition: DISPOSITION_TRANSFER }
                        })pb",
                   "decision.registering_office_code"},
        RejectCase{"REGISTER needs received_at (重复信访率, 越级访率 period)",
                   R"pb(case_event {
                          action: CASE_ACTION_REGISTER
                          to_state: CASE_STATE_REGISTERED
                          decision { registering_office_code: "140431:xfj" }
                        })pb",
                   "received_at"},
        RejectCase{"CORRECT needs the new decision's registering bureau "
                   "(issue 18 item 6)",
                   R"pb(case_event {
                          action: CASE_ACTION_CORRECT
                          to_state: CASE_STATE_REGISTERED
                          decision { disposition: DISPOSITION_TRANSFER }
                        })pb",
                   "decision.registering_office_code"},
        RejectCase{"REPLY needs the replying office",
                   R"pb(occurred_at { seconds: 1 }
                        case_event {
                          action: CASE_ACTION_REPLY
                          to_state: CASE_STATE_REPLIED
                        })pb",
                   "actor_office_code"},
        RejectCase{"REPLY needs the envelope's occurred_at (replied_at)",
                   R"pb(case_event {
                          action: CASE_ACTION_REPLY
                          actor_office_code: "140431:hrss"
                          to_state: CASE_STATE_REPLIED
                        })pb",
                   "occurred_at"},
        RejectCase{"EVALUATE needs a satisfaction",
                   R"pb(case_event {
                          action: CASE_ACTION_EVALUATE
                          to_state: CASE_STATE_EVALUATED
                        })pb",
                   "satisfaction"},
        RejectCase{"every CaseEvent names its action",
                   R"pb(case_event { to_state: CASE_STATE_ACCEPTED })pb",
                   "action"},
        RejectCase{"every CaseEvent names the state after it",
                   R"pb(case_event { action: CASE_ACTION_ACCEPT })pb",
                   "to_state"}));

}  // namespace
}  // namespace caserelay::supervision
