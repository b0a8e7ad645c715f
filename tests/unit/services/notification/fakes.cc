#include "tests/unit/services/notification/fakes.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/convert.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"

namespace caserelay::notification {

namespace {

std::string GatewayId(const std::string& message_id, int index) {
  return absl::StrCat("gw-", message_id, "/", index);
}

}  // namespace

absl::StatusOr<std::string> FakeGateway::SendPart(const OutgoingPart& part) {
  const absl::Time at = absl::Now();
  std::function<void(const OutgoingPart&)> hook;
  {
    absl::MutexLock lock(&mu_);
    hook = on_send_;
  }
  if (hook) hook(part);
  absl::MutexLock lock(&mu_);
  const bool matches =
      fault_.times != 0 &&
      (fault_.message_id.empty() || fault_.message_id == part.message_id) &&
      (fault_.index == 0 || fault_.index == part.index);
  if (matches) {
    if (fault_.times > 0) --fault_.times;
    calls_.push_back(Call{part, at, fault_.code});
    return absl::Status(
        fault_.code,
        absl::StrCat("fake gateway: ", absl::StatusCodeToString(fault_.code)));
  }
  calls_.push_back(Call{part, at, absl::StatusCode::kOk});
  sent_.push_back(part);
  return GatewayId(part.message_id, part.index);
}

absl::StatusOr<std::optional<std::string>> FakeGateway::Find(
    const std::string& message_id, int index) {
  absl::MutexLock lock(&mu_);
  finds_.emplace_back(message_id, index);
  switch (find_answer_) {
    case FindAnswer::kFound:
      return std::optional<std::string>(GatewayId(message_id, index));
    case FindAnswer::kNotFound:
      return std::optional<std::string>();
    case FindAnswer::kUnavailable:
      return absl::UnavailableError("fake gateway: cannot be asked now");
    case FindAnswer::kUnimplemented:
      break;
  }
  return absl::UnimplementedError("fake gateway: cannot look parts up");
}

void FakeGateway::Fail(Fault fault) {
  absl::MutexLock lock(&mu_);
  fault_ = std::move(fault);
}

void FakeGateway::SetFindAnswer(FindAnswer answer) {
  absl::MutexLock lock(&mu_);
  find_answer_ = answer;
}

void FakeGateway::OnSend(std::function<void(const OutgoingPart&)> hook) {
  absl::MutexLock lock(&mu_);
  on_send_ = std::move(hook);
}

std::vector<OutgoingPart> FakeGateway::sent() const {
  absl::MutexLock lock(&mu_);
  return sent_;
}

std::vector<OutgoingPart> FakeGateway::sent(
    const std::string& message_id) const {
  absl::MutexLock lock(&mu_);
  std::vector<OutgoingPart> out;
  for (const OutgoingPart& p : sent_) {
    if (p.message_id == message_id) out.push_back(p);
  }
  return out;
}

std::vector<FakeGateway::Call> FakeGateway::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

int FakeGateway::send_calls() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(calls_.size());
}

std::vector<std::pair<std::string, int>> FakeGateway::finds() const {
  absl::MutexLock lock(&mu_);
  return finds_;
}

grpc::Status FakeIntakeStub::ResolveContact(
    grpc::ClientContext*, const caserelay::v1::ResolveContactRequest& request,
    caserelay::v1::ResolveContactResponse* response) {
  absl::Duration delay;
  {
    absl::MutexLock lock(&state_->mu);
    ++state_->calls;
    state_->requests.push_back(request);
    state_->max_in_flight =
        std::max(state_->max_in_flight, ++state_->in_flight);
    delay = state_->delay;
  }
  absl::SleepFor(delay);
  absl::MutexLock lock(&state_->mu);
  --state_->in_flight;
  if (!state_->error.ok()) return state_->error;
  const int r = request.representative();
  response->set_phone(
      r >= 0 && r < static_cast<int>(state_->representative_phones.size())
          ? state_->representative_phones[r]
          : state_->phone);
  response->set_lookup_code(state_->lookup_code);
  return grpc::Status::OK;
}

grpc::Status FakeIntakeStub::SubmitPetition(
    grpc::ClientContext*, const caserelay::v1::SubmitPetitionRequest&,
    caserelay::v1::SubmitPetitionResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
}

grpc::Status FakeIntakeStub::GetCaseStatus(
    grpc::ClientContext*, const caserelay::v1::GetCaseStatusRequest&,
    caserelay::v1::GetCaseStatusResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
}

grpc::Status FakeIntakeStub::DescribeForm(
    grpc::ClientContext*, const caserelay::v1::DescribeFormRequest&,
    caserelay::v1::DescribeFormResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
}

grpc::Status FakeIntakeStub::FindCases(grpc::ClientContext*,
                                       const caserelay::v1::FindCasesRequest&,
                                       caserelay::v1::FindCasesResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
}

grpc::Status FakeIntakeStub::GetPetitioner(
    grpc::ClientContext*, const caserelay::v1::GetPetitionerRequest&,
    caserelay::v1::GetPetitionerResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
}

caserelay::v1::Envelope RegisterFor(const std::string& case_id,
                                    caserelay::v1::Disposition disposition,
                                    caserelay::v1::MatterClass matter_class) {
  caserelay::v1::Envelope e =
      CaseEventFor(case_id, 1, caserelay::v1::CASE_ACTION_REGISTER);
  auto* c = e.mutable_case_event();
  c->set_actor_office_code("routing");
  c->set_from_state(caserelay::v1::CASE_STATE_RECEIVED);
  c->set_to_state(caserelay::v1::CASE_STATE_REGISTERED);
  c->set_holder_office_code("140431:bureau");
  c->set_holder_office_name("沁源县信访局");
  auto* d = c->mutable_decision();
  d->set_disposition(disposition);
  d->set_target_office_code("140431:labour");
  d->set_target_office_name("沁源县人力资源和社会保障局");
  d->set_registering_office_code("140431:bureau");
  d->set_registering_office_name("沁源县信访局");
  c->mutable_petitioner()->set_id(absl::StrCat("P", case_id));
  c->set_channel(caserelay::v1::CHANNEL_ONLINE);
  c->set_region_code("140431");
  c->set_category("labour");
  c->set_matter_class(matter_class);
  auto* transfer = c->add_deadlines();
  transfer->set_kind(caserelay::v1::DEADLINE_KIND_TRANSFER);
  transfer->set_office_code("140431:bureau");
  absl::Time received = absl::FromCivil(absl::CivilMinute(2026, 11, 22, 10, 0),
                                        time::ChinaTimeZone());
  *c->mutable_received_at() = time::ToProto(received);
  *e.mutable_occurred_at() = time::ToProto(received);
  *transfer->mutable_started_at() = time::ToProto(received);
  *transfer->mutable_due_at() =
      time::ToProto(time::EndOf(absl::CivilDay(2026, 12, 7)));
  return e;
}

caserelay::v1::Envelope CaseEventFor(const std::string& case_id,
                                     uint64_t sequence,
                                     caserelay::v1::CaseAction action) {
  caserelay::v1::Envelope e;
  e.set_event_id(absl::StrCat("routing/", case_id, "/", sequence));
  e.set_case_id(case_id);
  e.set_sequence(sequence);
  e.set_producer("routing");
  auto* c = e.mutable_case_event();
  c->set_action(action);
  c->set_actor_office_code("140431:labour");
  c->set_actor_office_name("沁源县人力资源和社会保障局");
  c->set_holder_office_code("140431:labour");
  c->set_holder_office_name("沁源县人力资源和社会保障局");
  return e;
}

}  // namespace caserelay::notification
