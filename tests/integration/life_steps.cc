#include "tests/integration/life_steps.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace caserelay::testing {

namespace {

void Within(grpc::ClientContext& ctx, int seconds = 10) {
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(seconds));
}

}  // namespace

std::string Steps::Submit(const caserelay::v1::SubmitPetitionRequest& req) {
  grpc::ClientContext ctx;
  Within(ctx);
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s = sys_.intake().SubmitPetition(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_number();
}

absl::StatusOr<caserelay::v1::CaseDetail> Steps::Get(const std::string& office,
                                                     const std::string& id) {
  grpc::ClientContext ctx;
  Within(ctx);
  caserelay::v1::GetCaseRequest req;
  req.set_case_id(id);
  caserelay::v1::CaseDetail detail;
  grpc::Status s = sys_.routing_as(office).GetCase(&ctx, req, &detail);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return detail;
}

absl::StatusOr<caserelay::v1::CaseDetail> Steps::AwaitState(
    const std::string& office, const std::string& id,
    caserelay::v1::CaseState state) {
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  absl::StatusOr<caserelay::v1::CaseDetail> last =
      absl::DeadlineExceededError("not polled");
  while (absl::Now() < deadline) {
    last = Get(office, id);
    if (last.ok() && last->view().state() == state) return last;
    absl::SleepFor(absl::Milliseconds(50));
  }
  if (!last.ok()) return last.status();
  return absl::DeadlineExceededError(absl::StrCat(
      "case ", id, " is ", caserelay::v1::CaseState_Name(last->view().state()),
      ", not ", caserelay::v1::CaseState_Name(state)));
}

grpc::Status Steps::Act(const std::string& office, const std::string& id,
                        caserelay::v1::ActRequest req) {
  auto current = Get(System::kProvinceBureau, id);
  if (!current.ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        current.status().ToString());
  }
  req.set_case_id(id);
  req.set_expected_version(current->view().version());
  grpc::ClientContext ctx;
  Within(ctx);
  caserelay::v1::CaseView view;
  return sys_.routing_as(office).Act(&ctx, req, &view);
}

void Steps::ExpectDeadlines(const std::string& id,
                            std::vector<caserelay::v1::DeadlineKind> kinds) {
  std::sort(kinds.begin(), kinds.end());
  std::vector<caserelay::v1::DeadlineKind> armed;
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    Within(ctx);
    caserelay::v1::ListDeadlinesRequest req;
    req.set_case_id(id);
    caserelay::v1::ListDeadlinesResponse resp;
    armed.clear();
    if (sys_.supervision().ListDeadlines(&ctx, req, &resp).ok()) {
      for (const auto& d : resp.deadlines()) {
        if (d.state() == caserelay::v1::DEADLINE_STATE_ARMED) {
          armed.push_back(d.kind());
        }
      }
    }
    std::sort(armed.begin(), armed.end());
    if (armed == kinds) return;
    absl::SleepFor(absl::Milliseconds(50));
  }
  auto names = [](const std::vector<caserelay::v1::DeadlineKind>& v) {
    std::vector<std::string> out;
    for (auto k : v) out.push_back(caserelay::v1::DeadlineKind_Name(k));
    return absl::StrJoin(out, ", ");
  };
  ADD_FAILURE() << "case " << id << ": armed deadlines [" << names(armed)
                << "], expected [" << names(kinds) << "]";
}

void Steps::ExpectSms(const std::string& id,
                      std::vector<std::string> triggers) {
  std::sort(triggers.begin(), triggers.end());
  std::vector<std::string> sent;
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    Within(ctx);
    caserelay::v1::ListMessagesRequest req;
    req.set_case_id(id);
    caserelay::v1::ListMessagesResponse resp;
    sent.clear();
    if (sys_.notification().ListMessages(&ctx, req, &resp).ok()) {
      for (const auto& m : resp.messages()) {
        sent.push_back(m.state() == caserelay::v1::SMS_STATE_SENT
                           ? m.trigger()
                           : m.trigger() + "(" +
                                 caserelay::v1::SmsState_Name(m.state()) + ")");
      }
    }
    std::sort(sent.begin(), sent.end());
    if (sent == triggers) return;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ADD_FAILURE() << "case " << id << ": SMS [" << absl::StrJoin(sent, ", ")
                << "], expected sent [" << absl::StrJoin(triggers, ", ") << "]";
}

std::string Steps::Casectl(const std::string& office) const {
  return absl::StrCat(Binary("tools/casectl/casectl"), " --routing ",
                      sys_.grpc_address("routing"), " --token-file ",
                      sys_.token_file(office));
}

caserelay::v1::SubmitPetitionRequest SampleAccusation(
    const std::string& region_code, int n, const std::string& accused_office,
    const std::string& accused) {
  caserelay::v1::SubmitPetitionRequest req = SamplePetition(region_code, n);
  auto* m = req.mutable_matter();
  m->set_matter_class(caserelay::v1::MATTER_CLASS_ACCUSATION);
  m->set_category("discipline");
  m->set_title("检举工作人员收受好处");
  m->set_accused(accused);
  m->add_accused_offices(accused_office);
  return req;
}

}  // namespace caserelay::testing
