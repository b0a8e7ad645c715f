// Who reads a case's SMS and resolves them (issue 14 item 1: ListMessages
// checked no access, so 大同市信访局 read the SMS of a 沁源县 case, and any
// bureau resolved any message): the shared rule of domain/access over the
// parties notification keeps from case events (DESIGN.md "Security";
// Regulation Art. 30), and how a store from before parties reads.
#include <memory>
#include <string>
#include <vector>

#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/rpc/principal.h"
#include "gtest/gtest.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/notification/service_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using G = grpc::StatusCode;

constexpr char kAccusation[] =
    "140431-20261122-000002";  // accuses 长治市信访局
constexpr char kLegacyClaim[] = "140431-20261122-000003";
constexpr char kLegacyAccusation[] = "140431-20261122-000004";
constexpr char kHolder[] = "140431:hrss";  // 沁源县人社局, after the transfer

class NotificationAccessTest : public NotificationServiceTest {
 protected:
  void SetUp() override {
    NotificationServiceTest::SetUp();
    // kCase: registered at 沁源县信访局, then transferred to its 人社局.
    ApplyAndCommit(RegisterFor(kCase));
    Envelope transfer =
        CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER);
    transfer.mutable_case_event()->set_holder_office_code(kHolder);
    ApplyAndCommit(transfer);
    // An accusation naming 长治市信访局, held by 沁源县信访局.
    Envelope accusation =
        RegisterFor(kAccusation, caserelay::v1::DISPOSITION_TRANSFER,
                    caserelay::v1::MATTER_CLASS_ACCUSATION);
    accusation.mutable_case_event()->add_accused_office_codes("140400:bureau");
    ApplyAndCommit(accusation);
    accusation_sms_ = accusation.event_id() + "/sms";
    // Two cases registered before parties were kept: their REGISTER facts
    // only, and parties begun by a later event (sequence 2).
    for (const auto& [id, cls] :
         {std::pair{kLegacyClaim, caserelay::v1::MATTER_CLASS_CLAIM},
          std::pair{kLegacyAccusation,
                    caserelay::v1::MATTER_CLASS_ACCUSATION}}) {
      ApplyAndCommit(RegisterFor(id, caserelay::v1::DISPOSITION_TRANSFER, cls));
      store::WriteBatch batch(&t_->store());
      batch.Delete(kParties, id);
      ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    }
    Make("");
  }

  // Rebuilds the service over the shipped offices; `caller` set: with
  // auth, every call from it (and `person`, as the web gateway says).
  void Make(const std::string& caller, const std::string& person = "") {
    service::Context context = t_->context();
    if (!caller.empty()) {
      auth_ = std::make_unique<svctest::FixedCaller>(caller, person);
      context.auth = auth_.get();
    }
    service_ = std::make_unique<NotificationServiceImpl>(
        context, book_.get(), "fake", [this] { ++wakes_; }, SmsTexts{},
        &svctest::ShippedOfficeDirectory());
  }

  G List(const std::string& caller, const std::string& case_id) {
    Make(caller);
    caserelay::v1::ListMessagesRequest req;
    req.set_case_id(case_id);
    caserelay::v1::ListMessagesResponse resp;
    grpc::ServerContext ctx;
    return service_->ListMessages(&ctx, &req, &resp).error_code();
  }

  G ResolveAs(const std::string& caller, const std::string& id,
              const std::string& person = "") {
    Make(caller, person);
    caserelay::v1::ResolveMessageRequest req;
    req.set_message_id(id);
    req.set_resolution(caserelay::v1::SMS_RESOLUTION_SENT);
    req.set_note("checked with the gateway");
    caserelay::v1::ResolveMessageResponse resp;
    grpc::ServerContext ctx;
    return service_->ResolveMessage(&ctx, &req, &resp).error_code();
  }

  std::unique_ptr<svctest::FixedCaller> auth_;
  std::string accusation_sms_;
};

TEST_F(NotificationAccessTest, ListMessagesFollowsTheSharedRule) {
  struct Row {
    const char* rule;
    std::string caller;
    std::string case_id;
    G want;
  };
  const std::vector<Row> rows = {
      {"the holder reads its case", kHolder, kCase, G::OK},
      {"a past holder reads it", "140431:bureau", kCase, G::OK},
      {"a superior bureau reads its subtree", "140400:bureau", kCase, G::OK},
      {"issue 14: another city's bureau does not", "140200:bureau", kCase,
       G::PERMISSION_DENIED},
      {"departments supervise nothing: a sibling office does not",
       "140431:housing", kCase, G::PERMISSION_DENIED},
      {"another province's bureau does not", "130000:bureau", kCase,
       G::PERMISSION_DENIED},
      {"Art. 30: never the accused unit", "140400:bureau", kAccusation,
       G::PERMISSION_DENIED},
      {"the holder of the accusation reads it", "140431:bureau", kAccusation,
       G::OK},
      {"a superior not accused reads it", "140000:bureau", kAccusation, G::OK},
      {"a case never seen has no message: an empty list, to anyone",
       "140200:bureau", "140431-20261122-999999", G::OK},
      {"from before parties, no event since: no holder known, nobody reads",
       "140431:bureau", kLegacyClaim, G::PERMISSION_DENIED},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(List(r.caller, r.case_id), r.want)
        << r.rule << ": " << r.caller << " " << r.case_id;
  }
}

// A staff user the web gateway speaks for (x-caserelay-user-bin, -office,
// -roles), as rpc::Caller makes them.
class StaffUser final : public rpc::Authenticator {
 public:
  StaffUser(std::string office, caserelay::v1::StaffRole role)
      : principal_(rpc::Principal::Office(std::move(office), "user1")) {
    principal_.via = rpc::kWebService;
    principal_.roles = {role};
  }
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    return principal_;
  }

 private:
  rpc::Principal principal_;
};

// Issue 16 item 4 and K2's report (domain/access/roles.h ReadScopeOf, as
// routing applies it): the SMS of a case by the person's roles.
TEST_F(NotificationAccessTest, StaffReadTheSmsByTheirRoles) {
  struct Row {
    const char* rule;
    std::string office;
    caserelay::v1::StaffRole role;
    G want;
  };
  const std::vector<Row> rows = {
      {"roles.h: ADMIN alone reads no case", kHolder,
       caserelay::v1::STAFF_ROLE_ADMIN, G::PERMISSION_DENIED},
      {"roles.h: the holder's HANDLER reads it", kHolder,
       caserelay::v1::STAFF_ROLE_HANDLER, G::OK},
      {"roles.h: a past holder's REGISTRAR reads it", "140431:bureau",
       caserelay::v1::STAFF_ROLE_REGISTRAR, G::OK},
      {"roles.h: a superior bureau's HEAD does not (its own cases only)",
       "140400:bureau", caserelay::v1::STAFF_ROLE_HEAD, G::PERMISSION_DENIED},
      {"roles.h: a superior bureau's INSPECTOR reads the subtree",
       "140400:bureau", caserelay::v1::STAFF_ROLE_INSPECTOR, G::OK},
      {"roles.h + issue 14: another city's LEADER does not", "140200:bureau",
       caserelay::v1::STAFF_ROLE_LEADER, G::PERMISSION_DENIED},
  };
  for (const Row& r : rows) {
    StaffUser user(r.office, r.role);
    service::Context context = t_->context();
    context.auth = &user;
    service_ = std::make_unique<NotificationServiceImpl>(
        context, book_.get(), "fake", [this] { ++wakes_; }, SmsTexts{},
        &svctest::ShippedOfficeDirectory());
    caserelay::v1::ListMessagesRequest req;
    req.set_case_id(kCase);
    caserelay::v1::ListMessagesResponse resp;
    grpc::ServerContext ctx;
    EXPECT_EQ(service_->ListMessages(&ctx, &req, &resp).error_code(), r.want)
        << r.rule;
    service_.reset();
  }
}

TEST_F(NotificationAccessTest, AStoreFromBeforeDecidesConservatively) {
  // The next event of each legacy case begins its parties (sequence 2: the
  // REGISTER's accused offices are not known).
  for (const char* id : {kLegacyClaim, kLegacyAccusation}) {
    Envelope next = CaseEventFor(id, 2, caserelay::v1::CASE_ACTION_TRANSFER);
    next.mutable_case_event()->set_holder_office_code(kHolder);
    ApplyAndCommit(next);
  }
  EXPECT_EQ(List(kHolder, kLegacyClaim), G::OK) << "the holder reads";
  EXPECT_EQ(List("140400:bureau", kLegacyClaim), G::OK)
      << "the REGISTER's facts say it is no accusation: nobody is accused";
  EXPECT_EQ(List(kHolder, kLegacyAccusation), G::OK) << "the holder reads";
  EXPECT_EQ(List("140000:bureau", kLegacyAccusation), G::PERMISSION_DENIED)
      << "an accusation whose accused are unknown: no superior reads";
}

TEST_F(NotificationAccessTest, OnlyABureauThatMayReadTheCaseResolves) {
  const std::string id = QueuedUnknown(1, 1);  // kCase's receipt, UNKNOWN
  EXPECT_EQ(ResolveAs("140200:bureau", id), G::PERMISSION_DENIED)
      << "issue 14: any bureau resolved any message";
  EXPECT_EQ(ResolveAs(kHolder, id), G::PERMISSION_DENIED)
      << "only a petition bureau resolves (unchanged)";
  EXPECT_EQ(Message(id).message().state(), caserelay::v1::SMS_STATE_UNKNOWN)
      << "nothing changed";
  EXPECT_EQ(ResolveAs("140400:bureau", accusation_sms_), G::PERMISSION_DENIED)
      << "Art. 30: never the accused bureau";
  EXPECT_EQ(ResolveAs("140400:bureau", id), G::OK)
      << "the supervising bureau of the holder";
  EXPECT_EQ(Message(id).message().state(), caserelay::v1::SMS_STATE_SENT);
}

// Issue 14 items 1-2: the note names who decided from authentication (the
// token's holder, or the web gateway's user), and a service's identity is
// no bureau.
TEST_F(NotificationAccessTest, ResolveNoteNamesTheAuthenticatedPrincipal) {
  struct Row {
    const char* rule;
    const char* caller;
    const char* person;
    G want;
    const char* note;  // the stored resolution_note when allowed
  };
  // One message, UNKNOWN until the row that may resolve it does.
  const std::string id = QueuedUnknown(1, 1);
  for (const Row& row : std::vector<Row>{
           {"a service's identity is no bureau", "service:web", "",
            G::PERMISSION_DENIED, ""},
           {"a bureau's token holder", "140400:bureau", "王五", G::OK,
            "王五 (140400:bureau): checked with the gateway"},
       }) {
    EXPECT_EQ(ResolveAs(row.caller, id, row.person), row.want) << row.rule;
    EXPECT_EQ(Message(id).message().resolution_note(), row.note) << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::notification
