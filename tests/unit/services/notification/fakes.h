// Fakes with fault switches for the notification service's two seams: the
// SMS gateway and intake's ResolveContact (CONVENTIONS.md #8).
//
// Thread safety: both are thread-safe (the Sender calls them from its own
// thread while the test reads and flips the switches).

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_

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

// routing's CaseRouted for `case_id` (sequence 1, petitioner "P" + case_id),
// event id "routing/<case_id>/1": the receipt SMS it queues has the id
// "routing/<case_id>/1/sms".
caserelay::v1::Envelope CaseRoutedFor(const std::string& case_id);

}  // namespace caserelay::notification

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_FAKES_H_
