// Fakes with fault switches for the notification service's two seams: the
// SMS gateway and intake's ResolveContact (CONVENTIONS.md #8).
//
// Thread safety: both are thread-safe (the Sender calls them from its own
// thread while the test reads and flips the switches).

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "services/notification/gateway.h"

namespace caserelay::notification {

// An SmsGateway that keeps every part it took and every call it got, with
// fault switches for each answer of the gateway.h contract. The gateway id
// of a part is "gw-" + message_id + "/" + index.
class FakeGateway final : public SmsGateway {
 public:
  // What Find answers.
  enum class FindAnswer { kFound, kNotFound, kUnimplemented, kUnavailable };

  // The next `times` SendPart calls that match fail with `code`.
  struct Fault {
    absl::StatusCode code = absl::StatusCode::kUnavailable;
    int times = 1;           // < 0: every matching call until cleared
    std::string message_id;  // only this message's parts; empty: any
    int index = 0;           // only this part; 0: any
  };

  // One SendPart call as it happened.
  struct Call {
    OutgoingPart part;
    absl::Time at;  // real time, at the start of the call
    absl::StatusCode result = absl::StatusCode::kOk;
  };

  std::string name() const override { return "fake"; }
  // Runs the before-send hook, then fails the call if the fault matches
  // (counting it down), else records the part and returns its gateway id.
  absl::StatusOr<std::string> SendPart(const OutgoingPart& part) override;
  // As set by SetFindAnswer (default kNotFound); kFound answers the id
  // SendPart would have given.
  absl::StatusOr<std::optional<std::string>> Find(const std::string& message_id,
                                                  int index) override;

  // Replaces the fault (a fault with times == 0 clears it).
  void Fail(Fault fault);
  // The next `n` calls, whatever the part, fail with `code`.
  void FailNext(int n, absl::StatusCode code) { Fail(Fault{code, n, "", 0}); }
  void SetFindAnswer(FindAnswer answer);
  // Runs at the start of every SendPart call, outside the fake's lock (it
  // may look at the store, or flip a switch).
  void OnSend(std::function<void(const OutgoingPart&)> hook);

  // Parts taken, in order.
  std::vector<OutgoingPart> sent() const;
  // Parts of `message_id` taken, in order.
  std::vector<OutgoingPart> sent(const std::string& message_id) const;
  // Every SendPart call, taken or not, in order.
  std::vector<Call> calls() const;
  int send_calls() const;
  // Every Find call: (message_id, index).
  std::vector<std::pair<std::string, int>> finds() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<OutgoingPart> sent_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, int>> finds_ ABSL_GUARDED_BY(mu_);
  Fault fault_ ABSL_GUARDED_BY(mu_) = Fault{absl::StatusCode::kOk, 0, "", 0};
  FindAnswer find_answer_ ABSL_GUARDED_BY(mu_) = FindAnswer::kNotFound;
  std::function<void(const OutgoingPart&)> on_send_ ABSL_GUARDED_BY(mu_);
};

// intake's stub as notification sees it: ResolveContact answers, after
// `delay`, with the configured phone and look-up code (or `error`); the other
// methods are UNIMPLEMENTED.
class FakeIntakeStub final
    : public caserelay::v1::IntakeService::StubInterface {
 public:
  struct State {
    absl::Mutex mu;
    std::string phone ABSL_GUARDED_BY(mu);
    std::string lookup_code ABSL_GUARDED_BY(mu);
    // A group petition's representatives (issue 18 item 3): the phone
    // answered for ResolveContactRequest.representative i is
    // representative_phones[i] when there is one, else `phone`.
    std::vector<std::string> representative_phones ABSL_GUARDED_BY(mu);
    // Non-OK: ResolveContact fails with it.
    grpc::Status error ABSL_GUARDED_BY(mu);
    // How long each call takes (a slow or hanging intake): the fake
    // answers after it, outside the lock.
    absl::Duration delay ABSL_GUARDED_BY(mu) = absl::ZeroDuration();
    int calls ABSL_GUARDED_BY(mu) = 0;
    // Calls under way now, and the most ever at once.
    int in_flight ABSL_GUARDED_BY(mu) = 0;
    int max_in_flight ABSL_GUARDED_BY(mu) = 0;
    std::vector<caserelay::v1::ResolveContactRequest> requests
        ABSL_GUARDED_BY(mu);
  };

  // `state` outlives the stub (the Sender owns the stub; the test keeps
  // the state to flip switches and read calls).
  explicit FakeIntakeStub(State* state) : state_(state) {}

  grpc::Status ResolveContact(
      grpc::ClientContext* context,
      const caserelay::v1::ResolveContactRequest& request,
      caserelay::v1::ResolveContactResponse* response) override;
  grpc::Status SubmitPetition(
      grpc::ClientContext* context,
      const caserelay::v1::SubmitPetitionRequest& request,
      caserelay::v1::SubmitPetitionResponse* response) override;
  grpc::Status GetCaseStatus(
      grpc::ClientContext* context,
      const caserelay::v1::GetCaseStatusRequest& request,
      caserelay::v1::GetCaseStatusResponse* response) override;
  grpc::Status DescribeForm(
      grpc::ClientContext* context,
      const caserelay::v1::DescribeFormRequest& request,
      caserelay::v1::DescribeFormResponse* response) override;
  grpc::Status FindCases(grpc::ClientContext* context,
                         const caserelay::v1::FindCasesRequest& request,
                         caserelay::v1::FindCasesResponse* response) override;
  grpc::Status GetPetitioner(
      grpc::ClientContext* context,
      const caserelay::v1::GetPetitionerRequest& request,
      caserelay::v1::GetPetitionerResponse* response) override;
  // 领导接访 (issue 18 item 1): never used by the Sender.
  grpc::Status PublishReception(grpc::ClientContext*,
                      const caserelay::v1::PublishReceptionRequest&,
                      caserelay::v1::Reception*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
  }
  grpc::Status CancelReception(grpc::ClientContext*,
                      const caserelay::v1::CancelReceptionRequest&,
                      caserelay::v1::Reception*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
  }
  grpc::Status ListReceptions(grpc::ClientContext*,
                      const caserelay::v1::ListReceptionsRequest&,
                      caserelay::v1::ListReceptionsResponse*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "fake intake");
  }

 private:
  // The asynchronous forms are never used by the Sender.
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::SubmitPetitionResponse>*
  AsyncSubmitPetitionRaw(grpc::ClientContext*,
                         const caserelay::v1::SubmitPetitionRequest&,
                         grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::SubmitPetitionResponse>*
  PrepareAsyncSubmitPetitionRaw(grpc::ClientContext*,
                                const caserelay::v1::SubmitPetitionRequest&,
                                grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::GetCaseStatusResponse>*
  AsyncGetCaseStatusRaw(grpc::ClientContext*,
                        const caserelay::v1::GetCaseStatusRequest&,
                        grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::GetCaseStatusResponse>*
  PrepareAsyncGetCaseStatusRaw(grpc::ClientContext*,
                               const caserelay::v1::GetCaseStatusRequest&,
                               grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::ResolveContactResponse>*
  AsyncResolveContactRaw(grpc::ClientContext*,
                         const caserelay::v1::ResolveContactRequest&,
                         grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::ResolveContactResponse>*
  PrepareAsyncResolveContactRaw(grpc::ClientContext*,
                                const caserelay::v1::ResolveContactRequest&,
                                grpc::CompletionQueue*) override {
    return nullptr;
  }

  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::DescribeFormResponse>*
  AsyncDescribeFormRaw(grpc::ClientContext*,
                       const caserelay::v1::DescribeFormRequest&,
                       grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::DescribeFormResponse>*
  PrepareAsyncDescribeFormRaw(grpc::ClientContext*,
                              const caserelay::v1::DescribeFormRequest&,
                              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::FindCasesResponse>*
  AsyncFindCasesRaw(grpc::ClientContext*, const caserelay::v1::FindCasesRequest&,
                    grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::FindCasesResponse>*
  PrepareAsyncFindCasesRaw(grpc::ClientContext*,
                           const caserelay::v1::FindCasesRequest&,
                           grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::GetPetitionerResponse>*
  AsyncGetPetitionerRaw(grpc::ClientContext*,
                        const caserelay::v1::GetPetitionerRequest&,
                        grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<
      caserelay::v1::GetPetitionerResponse>*
  PrepareAsyncGetPetitionerRaw(grpc::ClientContext*,
                               const caserelay::v1::GetPetitionerRequest&,
                               grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::Reception>*
  AsyncPublishReceptionRaw(grpc::ClientContext*, const caserelay::v1::PublishReceptionRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::Reception>*
  PrepareAsyncPublishReceptionRaw(grpc::ClientContext*, const caserelay::v1::PublishReceptionRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::Reception>*
  AsyncCancelReceptionRaw(grpc::ClientContext*, const caserelay::v1::CancelReceptionRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::Reception>*
  PrepareAsyncCancelReceptionRaw(grpc::ClientContext*, const caserelay::v1::CancelReceptionRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::ListReceptionsResponse>*
  AsyncListReceptionsRaw(grpc::ClientContext*, const caserelay::v1::ListReceptionsRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }
  grpc::ClientAsyncResponseReaderInterface<caserelay::v1::ListReceptionsResponse>*
  PrepareAsyncListReceptionsRaw(grpc::ClientContext*, const caserelay::v1::ListReceptionsRequest&,
              grpc::CompletionQueue*) override {
    return nullptr;
  }

  State* const state_;
};

// routing's REGISTER of `case_id`: sequence 1, event id
// "routing/<case_id>/1" (so the SMS it queues is "routing/<case_id>/1/sms"),
// petitioner "P" + case_id, an online claim (or `matter_class`) decided
// `disposition` with the county bureau "140431:bureau" (沁源县信访局)
// holding it, and the 15-day transfer deadline running (received
// 2026-11-22 10:00, due 2026-12-08 00:00 China time).
caserelay::v1::Envelope RegisterFor(const std::string& case_id,
                                    caserelay::v1::Disposition disposition =
                                        caserelay::v1::DISPOSITION_TRANSFER,
                                    caserelay::v1::MatterClass matter_class =
                                        caserelay::v1::MATTER_CLASS_CLAIM);

// A later CaseEvent of `case_id`: `action` as event `sequence` (event id
// "routing/<case_id>/<sequence>"), by and then held by the county labour
// bureau "140431:labour" (沁源县人力资源和社会保障局), listing no deadline.
// Tests add the deadlines, reason and route the action needs.
caserelay::v1::Envelope CaseEventFor(const std::string& case_id,
                                     uint64_t sequence,
                                     caserelay::v1::CaseAction action);

}  // namespace caserelay::notification

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_
