// Issue 22 item 4: request_id makes retries idempotent for the same caller
// and the same petition only (services/intake/request_ids.h, "RI" below).
// IntakeServiceImpl over a real temp-dir Store and a simulated clock; calls
// come from the web gateway (service:web) unless a test says otherwise.

#include "services/intake/request_ids.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "caserelay/v1/intake.pb.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::SubmitPetitionRequest;
using caserelay::v1::SubmitPetitionResponse;

constexpr absl::Duration kTtl = absl::Hours(24);

SubmitPetitionRequest Petition(const std::string& text,
                               const std::string& request_id) {
  SubmitPetitionRequest req = ValidPetition(text);
  req.set_request_id(request_id);
  return req;
}

class RequestIdsTest : public svctest::StoreFixture {
 protected:
  RequestIdsTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    t_->set_auth(&caller_);
    RequestIdOptions ids;
    ids.ttl = kTtl;
    service_ = NewIntakeService(*t_, LookupLimits(), ids);
  }

  grpc::Status Submit(const SubmitPetitionRequest& req,
                      SubmitPetitionResponse* resp) {
    return service_->SubmitPetition(&ctx_, &req, resp);
  }

  SubmitPetitionResponse MustSubmit(const SubmitPetitionRequest& req) {
    SubmitPetitionResponse resp;
    grpc::Status s = Submit(req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // Keys of the "requests" family.
  std::vector<std::string> RequestKeys() {
    std::vector<std::string> keys;
    EXPECT_TRUE(t_->store()
                    .Scan(kRequests, "", "",
                          [&](std::string_view k, std::string_view) {
                            keys.emplace_back(k);
                            return true;
                          })
                    .ok());
    return keys;
  }

  // The portal's gateway submits and looks up (issue 14 item 1).
  svctest::FixedCaller caller_{"service:web"};
  grpc::ServerContext ctx_;
  std::unique_ptr<IntakeServiceImpl> service_;
};

TEST_F(RequestIdsTest, RetryOfTheSameRequestGetsTheSameCaseAndCode) {
  // intake.proto: "Retrying with the same request_id returns the same case."
  auto first = MustSubmit(Petition("某公司拖欠工资三个月。", "rid-1"));
  auto retry = MustSubmit(Petition("某公司拖欠工资三个月。", "rid-1"));
  EXPECT_EQ(retry.case_number(), first.case_number());
  EXPECT_EQ(retry.lookup_code(), first.lookup_code());
  EXPECT_EQ(t_->Published("petitions").size(), 1u) << "one case, one event";
}

TEST_F(RequestIdsTest, DifferentPetitionUnderTheSameIdIsAlreadyExists) {
  // RI "Digest": the reproduction — two petitions with "rid-1".
  auto first = MustSubmit(Petition("某公司拖欠工资三个月。", "rid-1"));
  SubmitPetitionResponse second;
  grpc::Status s = Submit(Petition("小区物业乱收费。", "rid-1"), &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(s.error_message().rfind("request_id", 0), 0u) << s.error_message();
  EXPECT_TRUE(second.case_number().empty());
  EXPECT_TRUE(second.lookup_code().empty()) << "no one else's code";
  EXPECT_EQ(t_->Published("petitions").size(), 1u);
  // The refused petition took no case number.
  auto next = MustSubmit(Petition("小区物业乱收费。", "rid-2"));
  EXPECT_EQ(next.case_number(), "140431-20261122-000002");
}

TEST_F(RequestIdsTest, EveryFieldOfThePetitionCounts) {
  // RI "Digest": the request as submitted, request_id left out.
  const SubmitPetitionRequest base =
      Petition("某公司拖欠工资三个月。", "rid-1");
  MustSubmit(base);
  struct Row {
    const char* why;
    void (*change)(SubmitPetitionRequest&);
  };
  for (const Row& row : std::vector<Row>{
           {"another petitioner's name",
            [](SubmitPetitionRequest& r) {
              r.mutable_petitioner()->set_name("李四");
            }},
           {"another phone number",
            [](SubmitPetitionRequest& r) {
              r.mutable_petitioner()->set_phone("13900139000");
            }},
           {"another region",
            [](SubmitPetitionRequest& r) {
              r.mutable_matter()->set_region_code("140431100");
            }},
           {"another class",
            [](SubmitPetitionRequest& r) {
              r.mutable_matter()->set_matter_class(
                  caserelay::v1::MATTER_CLASS_SUGGESTION);
            }},
       }) {
    SCOPED_TRACE(row.why);
    SubmitPetitionRequest changed = base;
    row.change(changed);
    SubmitPetitionResponse resp;
    EXPECT_EQ(Submit(changed, &resp).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
}

TEST_F(RequestIdsTest, SameIdOnAnotherChannelIsAnotherRequest) {
  // RI "Scope": an id belongs to one caller and one channel.
  auto online = MustSubmit(Petition("某公司拖欠工资三个月。", "rid-1"));
  SubmitPetitionRequest letter = Petition("小区物业乱收费。", "rid-1");
  letter.mutable_matter()->set_channel(caserelay::v1::CHANNEL_LETTER);
  auto by_letter = MustSubmit(letter);
  EXPECT_NE(by_letter.case_number(), online.case_number());
}

TEST_F(RequestIdsTest, KeysAreScopedByCallerChannelAndId) {
  // RI "Scope" and the key layout: no two scopes share a key.
  const std::vector<std::string> keys = {
      RequestKey(kAnonymousCaller, caserelay::v1::CHANNEL_ONLINE, "1"),
      RequestKey("140431:bureau", caserelay::v1::CHANNEL_ONLINE, "1"),
      RequestKey("140400:bureau", caserelay::v1::CHANNEL_ONLINE, "1"),
      RequestKey("140431:bureau", caserelay::v1::CHANNEL_LETTER, "1"),
      RequestKey("140431:bureau", caserelay::v1::CHANNEL_ONLINE, "11"),
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) EXPECT_NE(keys[i], keys[j]);
  }
}

TEST_F(RequestIdsTest, IdIsRememberedForTheTtlOnly) {
  // RI "Expiry": within intake.request_id_ttl the id stands; after it the
  // same id makes a new case.
  auto first = MustSubmit(Petition("某公司拖欠工资三个月。", "rid-1"));
  t_->clock().Advance(kTtl - absl::Seconds(1));
  SubmitPetitionResponse resp;
  EXPECT_EQ(Submit(Petition("小区物业乱收费。", "rid-1"), &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  t_->clock().Advance(absl::Seconds(1));
  auto later = MustSubmit(Petition("小区物业乱收费。", "rid-1"));
  EXPECT_NE(later.case_number(), first.case_number());
  // ... and the id now stands for the new case.
  auto retry = MustSubmit(Petition("小区物业乱收费。", "rid-1"));
  EXPECT_EQ(retry.case_number(), later.case_number());
}

TEST_F(RequestIdsTest, ExpiredIdsAreDeletedByLaterSubmissions) {
  // RI "Expiry": the family does not grow without bound.
  for (int i = 0; i < 3; ++i) {
    MustSubmit(Petition("某公司拖欠工资三个月。", "rid-" + std::to_string(i)));
  }
  EXPECT_EQ(RequestKeys().size(), 6u) << "3 ids, 3 index entries";
  t_->clock().Advance(kTtl);
  MustSubmit(Petition("小区物业乱收费。", ""));
  EXPECT_TRUE(RequestKeys().empty());
}

TEST_F(RequestIdsTest, IdRememberedAgainAfterExpiryKeepsItsNewRecord) {
  // RI SweepRequests: at most kRequestSweepBatch ids a submission, and "an
  // id remembered again since keeps its newer record": the old index entry
  // of a renewed id, swept later, must not delete it.
  const int n = kRequestSweepBatch + 1;
  auto id = [](int i) { return absl::StrFormat("rid-%02d", i); };
  for (int i = 0; i < n; ++i) {
    MustSubmit(Petition("某公司拖欠工资三个月。", id(i)));
  }
  t_->clock().Advance(kTtl);
  // Sweeps the first kRequestSweepBatch ids; the last one is made anew.
  auto renewed = MustSubmit(Petition("小区物业乱收费。", id(n - 1)));
  EXPECT_EQ(RequestKeys().size(), 3u)
      << "the renewed id, its old and new index";
  t_->clock().Advance(absl::Seconds(1));
  MustSubmit(Petition("小区物业乱收费。", "rid-x"));  // sweeps the old index
  auto retry = MustSubmit(Petition("小区物业乱收费。", id(n - 1)));
  EXPECT_EQ(retry.case_number(), renewed.case_number());
  EXPECT_EQ(RequestKeys().size(), 4u) << "two ids with their index entries";
}

}  // namespace
}  // namespace caserelay::intake
