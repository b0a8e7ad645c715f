// The fixture of the gateway's API tests (api_test.cc, api_calls_test.cc):
// an Api over the shipped region tree and offices, a simulated clock and a
// RecordingBackends that stands in for the services and records what
// reached them.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_WEB_API_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_WEB_API_FIXTURE_H_

#include <google/protobuf/util/json_util.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include <google/protobuf/util/json_util.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "services/web/api.h"

namespace caserelay::web::webtest {

inline const absl::Time kStart = absl::FromUnixSeconds(1796000000);

// What reached the services, and what they answer.
class RecordingBackends : public Backends {
 public:
  struct Call {
    std::string rpc;
    CallMeta meta;
    std::string request;  // DebugString of the request
  };
  std::vector<Call> calls;
  grpc::Status status = grpc::Status::OK;  // every call's answer
  grpc::Status view_status = grpc::Status::OK;
  int retry_after = 0;
  uint64_t version = 7;

  RpcResult SubmitPetition(const CallMeta& meta,
                           const v1::SubmitPetitionRequest& request,
                           v1::SubmitPetitionResponse* response) override {
    Record("SubmitPetition", meta, request);
    response->set_case_number("SX-2026-000042");
    response->set_lookup_code("ABCD-EFGH");
    return {status, retry_after};
  }
  RpcResult GetCaseStatus(const CallMeta& meta,
                          const v1::GetCaseStatusRequest& request,
                          v1::GetCaseStatusResponse* response) override {
    Record("GetCaseStatus", meta, request);
    response->set_case_number(request.case_number());
    response->set_state(v1::CASE_STATE_RECEIVED);
    response->set_state_text("已收到，等待登记");  // as intake's answer
    return {status, retry_after};
  }
  // intake's limits as DescribeForm answers them; a test sets others.
  v1::DescribeFormResponse form_limits = [] {
    v1::DescribeFormResponse limits;
    limits.set_max_title_chars(200);
    limits.set_max_text_chars(10000);
    return limits;
  }();
  RpcResult DescribeForm(const CallMeta& meta,
                         const v1::DescribeFormRequest& request,
                         v1::DescribeFormResponse* response) override {
    Record("DescribeForm", meta, request);
    *response = form_limits;
    return {status, retry_after};
  }
  // intake's schedule as ListReceptions answers it; a test sets it.
  v1::ListReceptionsResponse receptions;
  RpcResult ListReceptions(const CallMeta& meta,
                           const v1::ListReceptionsRequest& request,
                           v1::ListReceptionsResponse* response) override {
    Record("ListReceptions", meta, request);
    *response = receptions;
    return {status, retry_after};
  }
  RpcResult SendPhoneCode(const CallMeta& meta,
                          const v1::SendPhoneCodeRequest& request,
                          v1::SendPhoneCodeResponse* response) override {
    Record("SendPhoneCode", meta, request);
    response->set_challenge_id("ch-1");
    return {status, retry_after};
  }
  RpcResult GetPetitionerView(const CallMeta& meta,
                              const v1::GetPetitionerViewRequest& request,
                              v1::PetitionerView* response) override {
    Record("GetPetitionerView", meta, request);
    response->set_case_id(request.case_id());
    response->set_state_text("正在办理");
    response->set_text("<script>alert(1)</script>");
    response->set_version(version);
    return {view_status, 0};
  }
  RpcResult Act(const CallMeta& meta, const v1::ActRequest& request,
                v1::CaseView* response) override {
    Record("Act", meta, request);
    response->set_case_id(request.case_id());
    return {status, retry_after};
  }

 private:
  void Record(const char* rpc, const CallMeta& meta,
              const google::protobuf::Message& request) {
    calls.push_back({rpc, meta, request.ShortDebugString()});
  }
};

class ApiTest : public ::testing::Test {
 public:  // the rows of RefusalsReachNoService call the helpers
  static void SetUpTestSuite() {
    auto regions = region::RegionTree::Load(
        absl::StrCat(CASERELAY_SOURCE_DIR, "/data/regions/regions.tsv"));
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = regions->release();
    auto offices = offices::OfficeDirectory::Load(
        absl::StrCat(CASERELAY_SOURCE_DIR, "/data/offices"), regions_);
    ASSERT_TRUE(offices.ok()) << offices.status();
    offices_ = offices->release();
  }
  static void TearDownTestSuite() {
    delete offices_;
    delete regions_;
  }

  ApiTest()
      : codec_(*SessionCodec::Create(std::string(32, 'k'))),
        clock_(kStart),
        api_(Options(), &codec_, &backends_, regions_, offices_, &clock_) {}

  static ApiOptions Options() {
    ApiOptions options;
    options.max_body_bytes = 1024;
    return options;
  }

  // A cookie header for a session with `case_id` (empty: anonymous).
  std::string Cookie(const std::string& case_id,
                     absl::Duration ttl = absl::Minutes(15)) {
    return absl::StrCat(kSessionCookie, "=",
                        codec_.Encode(Session{id_, case_id, kStart + ttl}));
  }
  std::string Token() { return codec_.CsrfToken(Session{id_, "", {}}); }

  HttpCall Post(const std::string& path, const std::string& body,
                const std::string& case_id = "") {
    HttpCall call;
    call.method = "POST";
    call.path = path;
    call.body = body;
    call.content_type = "application/json";
    call.cookie = Cookie(case_id);
    call.csrf_token = Token();
    call.client_address = "203.0.113.7";
    return call;
  }
  HttpCall Get(const std::string& path, const std::string& case_id = "") {
    HttpCall call;
    call.method = "GET";
    call.path = path;
    call.cookie = Cookie(case_id);
    call.client_address = "203.0.113.7";
    return call;
  }

  static inline const region::RegionTree* regions_ = nullptr;
  static inline const offices::OfficeDirectory* offices_ = nullptr;
  const std::string id_ = SessionCodec::NewId();
  SessionCodec codec_;
  time::SimulatedClock clock_;
  RecordingBackends backends_;
  Api api_;
};

// The error code of an answer's JSON body.
inline std::string ErrorCode(const HttpAnswer& answer) {
  const std::string key = "\"code\":\"";
  size_t at = answer.body.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return answer.body.substr(at, answer.body.find('"', at) - at);
}

inline std::string Header(const HttpAnswer& answer, const std::string& name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) return value;
  }
  return "";
}

}  // namespace caserelay::web::webtest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_WEB_API_FIXTURE_H_
