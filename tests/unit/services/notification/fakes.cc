#include "tests/unit/services/notification/fakes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"

namespace caserelay::notification {

absl::StatusOr<std::string> FakeGateway::Send(const OutgoingSms& sms) {
  std::function<void(const OutgoingSms&)> hook;
  {
    absl::MutexLock lock(&mu_);
    hook = on_send_;
  }
  if (hook) hook(sms);
  absl::MutexLock lock(&mu_);
  ++send_calls_;
  if (unavailable_left_ > 0) {
    --unavailable_left_;
    return absl::UnavailableError("fake gateway: temporarily unavailable");
  }
  if (!terminal_.ok()) return terminal_;
  sent_.push_back(sms);
  return absl::StrCat("gw-", sms.message_id);
}

absl::StatusOr<std::optional<std::string>> FakeGateway::Find(
    const std::string& message_id) {
  absl::MutexLock lock(&mu_);
  ++find_calls_;
  switch (find_answer_) {
    case FindAnswer::kFound:
      return std::optional<std::string>(absl::StrCat("gw-", message_id));
    case FindAnswer::kNotFound:
      return std::optional<std::string>();
    case FindAnswer::kUnimplemented:
      break;
  }
  return absl::UnimplementedError("fake gateway: cannot look messages up");
}

void FakeGateway::FailUnavailable(int n) {
  absl::MutexLock lock(&mu_);
  unavailable_left_ = n;
}

void FakeGateway::FailWith(absl::Status error) {
  absl::MutexLock lock(&mu_);
  terminal_ = std::move(error);
}

void FakeGateway::SetFindAnswer(FindAnswer answer) {
  absl::MutexLock lock(&mu_);
  find_answer_ = answer;
}

void FakeGateway::OnSend(std::function<void(const OutgoingSms&)> hook) {
  absl::MutexLock lock(&mu_);
  on_send_ = std::move(hook);
}

std::vector<OutgoingSms> FakeGateway::sent() const {
  absl::MutexLock lock(&mu_);
  return sent_;
}

int FakeGateway::send_calls() const {
  absl::MutexLock lock(&mu_);
  return send_calls_;
}

int FakeGateway::find_calls() const {
  absl::MutexLock lock(&mu_);
  return find_calls_;
}

grpc::Status FakeIntakeStub::ResolveContact(
    grpc::ClientContext*, const caserelay::v1::ResolveContactRequest& request,
    caserelay::v1::ResolveContactResponse* response) {
  absl::MutexLock lock(&state_->mu);
  ++state_->calls;
  state_->requests.push_back(request);
  if (!state_->error.ok()) return state_->error;
  response->set_phone(state_->phone);
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
