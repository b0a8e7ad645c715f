#include "bench/web/portals.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/auth.h"

namespace caserelay::bench {
namespace {

namespace pb = google::protobuf;
using testing::System;

// The address the gateway forwards for a loopback browser.
constexpr char kUserAddress[] = "127.0.0.1";

absl::Status FromGrpc(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

class Direct : public Portal {
 public:
  explicit Direct(const System& sys)
      : intake_(
            v1::IntakeService::NewStub(sys.Channel("intake", System::kWeb))),
        routing_(
            v1::RoutingService::NewStub(sys.Channel("routing", System::kWeb))),
        notification_(v1::NotificationService::NewStub(
            sys.Channel("notification", System::kWeb))) {}

  absl::StatusOr<std::string> SendCode(const std::string& phone) override {
    grpc::ClientContext ctx;
    Prepare(&ctx, "");
    v1::SendPhoneCodeRequest req;
    req.set_phone(phone);
    v1::SendPhoneCodeResponse resp;
    grpc::Status s = notification_->SendPhoneCode(&ctx, req, &resp);
    if (!s.ok()) return FromGrpc(s);
    return resp.challenge_id();
  }

  absl::StatusOr<v1::SubmitPetitionResponse> Submit(
      const v1::SubmitPetitionRequest& petition) override {
    grpc::ClientContext ctx;
    Prepare(&ctx, "");
    v1::SubmitPetitionResponse resp;
    grpc::Status s = intake_->SubmitPetition(&ctx, petition, &resp);
    if (!s.ok()) return FromGrpc(s);
    return resp;
  }

  absl::Status LookUp(const std::string& case_number,
                      const std::string& lookup_code) override {
    grpc::ClientContext ctx;
    Prepare(&ctx, "");
    v1::GetCaseStatusRequest req;
    req.set_case_number(case_number);
    req.set_lookup_code(lookup_code);
    v1::GetCaseStatusResponse status;
    grpc::Status s = intake_->GetCaseStatus(&ctx, req, &status);
    if (!s.ok()) return FromGrpc(s);
    grpc::ClientContext view_ctx;
    Prepare(&view_ctx, status.case_number());
    v1::GetPetitionerViewRequest view_req;
    view_req.set_case_id(status.case_number());
    v1::PetitionerView view;
    return FromGrpc(routing_->GetPetitionerView(&view_ctx, view_req, &view));
  }

 private:
  static void Prepare(grpc::ClientContext* ctx, const std::string& case_id) {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(5));
    ctx->AddMetadata(rpc::kClientAddressMetadata, kUserAddress);
    if (!case_id.empty()) {
      ctx->AddMetadata(rpc::kPetitionerCaseMetadata, case_id);
    }
  }

  std::unique_ptr<v1::IntakeService::Stub> intake_;
  std::unique_ptr<v1::RoutingService::Stub> routing_;
  std::unique_ptr<v1::NotificationService::Stub> notification_;
};

class Gateway : public Portal {
 public:
  explicit Gateway(const std::string& base) : client_(base) {
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);  // as a browser: no Nagle delay
    client_.set_read_timeout(10);
  }

  absl::Status Open() {
    auto res = client_.Get("/api/v1/session");
    if (!res || res->status != 200) {
      return absl::InternalError("web: GET /api/v1/session failed");
    }
    const std::string set = res->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
    pb::Struct body;
    if (!pb::util::JsonStringToMessage(res->body, &body).ok()) {
      return absl::InternalError("web: session answer is not JSON");
    }
    csrf_ = body.fields().at("csrf_token").string_value();
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> SendCode(const std::string& phone) override {
    auto body = Post("/api/v1/phone-codes",
                     absl::StrCat("{\"phone\":\"", phone, "\"}"));
    if (!body.ok()) return body.status();
    v1::SendPhoneCodeResponse resp;
    if (!pb::util::JsonStringToMessage(*body, &resp).ok()) {
      return absl::InternalError(*body);
    }
    return resp.challenge_id();
  }

  absl::StatusOr<v1::SubmitPetitionResponse> Submit(
      const v1::SubmitPetitionRequest& petition) override {
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    (void)pb::util::MessageToJsonString(petition, &json, options);
    auto body = Post("/api/v1/petitions", json);
    if (!body.ok()) return body.status();
    v1::SubmitPetitionResponse resp;
    if (!pb::util::JsonStringToMessage(*body, &resp).ok()) {
      return absl::InternalError(*body);
    }
    return resp;
  }

  absl::Status LookUp(const std::string& case_number,
                      const std::string& lookup_code) override {
    return Post("/api/v1/lookups",
                absl::StrCat("{\"case_number\":\"", case_number,
                             "\",\"lookup_code\":\"", lookup_code, "\"}"))
        .status();
  }

 private:
  absl::StatusOr<std::string> Post(const std::string& path,
                                   const std::string& json) {
    httplib::Headers headers = {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}};
    auto res = client_.Post(path.c_str(), headers, json, "application/json");
    if (!res) {
      return absl::UnavailableError(
          absl::StrCat(path, ": ", httplib::to_string(res.error())));
    }
    if (res->has_header("Set-Cookie")) {
      const std::string set = res->get_header_value("Set-Cookie");
      cookie_ = set.substr(0, set.find(';'));
    }
    if (res->status != 200) {
      return absl::InternalError(
          absl::StrCat(path, ": ", res->status, " ", res->body));
    }
    return res->body;
  }

  httplib::Client client_;
  std::string cookie_;
  std::string csrf_;
};

}  // namespace

std::unique_ptr<Portal> DirectPortal(const System& sys) {
  return std::make_unique<Direct>(sys);
}

absl::StatusOr<std::unique_ptr<Portal>> GatewayPortal(const System& sys) {
  const std::string& url = sys.web_url();  // "http://127.0.0.1:<port>/"
  auto gateway = std::make_unique<Gateway>(url.substr(0, url.size() - 1));
  if (absl::Status s = gateway->Open(); !s.ok()) return s;
  return gateway;
}

absl::StatusOr<std::string> CodeFromSink(const System& sys,
                                         const std::string& challenge_id) {
  const std::string prefix = absl::StrCat("phone-code/", challenge_id, "\t");
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  do {
    std::ifstream in(sys.sms_sink());
    std::string line;
    while (std::getline(in, line)) {
      if (!absl::StartsWith(line, prefix)) continue;
      std::smatch m;
      static const std::regex kCode("验证码为([0-9]{6})");
      if (std::regex_search(line, m, kCode)) return m[1].str();
    }
    absl::SleepFor(absl::Milliseconds(2));
  } while (absl::Now() < deadline);
  return absl::NotFoundError(
      absl::StrCat("no SMS code for challenge ", challenge_id));
}

}  // namespace caserelay::bench
