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
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "services/notification/gateway.h"

namespace caserelay::notification {

// An SmsGateway that keeps what it was sent. Gateway ids are "gw-" +
// message_id.
class FakeGateway final : public SmsGateway {
 public:
  enum class FindAnswer { kFound, kNotFound, kUnimplemented };

  std::string name() const override { return "fake"; }
  // Calls the before-send hook, then: UNAVAILABLE while unavailable-count
  // is left (counting it down), the terminal error if one is set, else
  // records the message and returns its gateway id.
  absl::StatusOr<std::string> Send(const OutgoingSms& sms) override;
  // As set by SetFindAnswer (default kNotFound).
  absl::StatusOr<std::optional<std::string>> Find(
      const std::string& message_id) override;

  // The next `n` Send calls fail with UNAVAILABLE.
  void FailUnavailable(int n);
  // Every Send fails with `error` (a non-UNAVAILABLE code is terminal);
  // OK clears it.
  void FailWith(absl::Status error);
  void SetFindAnswer(FindAnswer answer);
  // Runs at the start of every Send call (e.g. to look at the store).
  void OnSend(std::function<void(const OutgoingSms&)> hook);

  // Messages accepted, in order.
  std::vector<OutgoingSms> sent() const;
  // Send calls, accepted or not.
  int send_calls() const;
  int find_calls() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<OutgoingSms> sent_ ABSL_GUARDED_BY(mu_);
  int send_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int find_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int unavailable_left_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status terminal_ ABSL_GUARDED_BY(mu_);
  FindAnswer find_answer_ ABSL_GUARDED_BY(mu_) = FindAnswer::kNotFound;
  std::function<void(const OutgoingSms&)> on_send_ ABSL_GUARDED_BY(mu_);
};

// intake's stub as notification sees it: ResolveContact answers with the
// configured phone and look-up code; the other methods are UNIMPLEMENTED.
class FakeIntakeStub final
    : public caserelay::v1::IntakeService::StubInterface {
 public:
  struct State {
    absl::Mutex mu;
    std::string phone ABSL_GUARDED_BY(mu);
    std::string lookup_code ABSL_GUARDED_BY(mu);
    // Non-OK: ResolveContact fails with it.
    grpc::Status error ABSL_GUARDED_BY(mu);
    int calls ABSL_GUARDED_BY(mu) = 0;
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
