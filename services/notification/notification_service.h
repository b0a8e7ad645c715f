// notification (短信告知): turns case events into SMS for the petitioner,
// exactly once (DESIGN.md: record "sending" before the gateway call and
// the gateway's id after it; a crash in between is reconciled, never
// blindly re-sent). Each CaseEvent queues at most one SMS per
// representative, chosen by sms_plan.h (receipt, transfer, acceptance,
// extension, reply, review ...): one to the petitioner, and for a group
// petition (群体访 / 联名, issue 18 item 3: the REGISTER's representatives)
// one to each co-representative, each a message of its own
// (SmsMessageId), so each has its own "sending" records and goes out
// exactly once.
//
// Column families: "messages" (message id -> SmsRecord), "queue"
// (MessageBook::QueueKey -> message id, for messages not yet finished:
// message_book.h), "by-case" (case id + "/" +
// message id -> empty), "cases" (case id -> what its REGISTER said that
// later events need: a CaseEvent holding only petitioner, matter_class
// and representatives), "sequences" (case id -> the last case-events sequence
// applied, decimal), "parties" (case id -> CaseParties: holder, past
// holders and the REGISTER's accused offices, for access). Personal data
// is not stored: the phone number is asked of intake at send time.
//
// Access (the shared rule of domain/access, issue 14): with auth (token or
// mtls) an office reads a case's messages (ListMessages) and a bureau
// resolves one (ResolveMessage) only if CaseAccess::MayRead allows it: the
// holder, its superior bureaus and governments, past holders — never an
// accused unit of an accusation nor a member of an accused government
// (Art. 30). A store kept before parties were: a case with no "parties"
// record (no event applied since) has no known holder and is read by no
// office until its next event; one whose parties were started by a later
// event has its accused offices unknown unless its kept REGISTER facts say
// it is no accusation, and is then read only by the offices named in it
// (holder, past holders), never a superior (domain/access README).
//
// Thread safety: Apply runs on the consume loop's thread and only creates
// records; the Sender's thread, delivery reports and ResolveMessage move
// them on through the MessageBook; ListMessages reads.

#ifndef CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
#define CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/service/service_main.h"
#include "domain/offices/office_directory.h"
#include "services/notification/message_book.h"
#include "services/notification/phone_codes.h"
#include "services/notification/sms_plan.h"

namespace caserelay::notification {

inline constexpr char kMessages[] = "messages";
inline constexpr char kQueue[] = "queue";
inline constexpr char kByCase[] = "by-case";
inline constexpr char kCases[] = "cases";
inline constexpr char kSequences[] = "sequences";
inline constexpr char kParties[] = "parties";

// Every family the service's store needs (kPhoneCodes: phone_codes.h).
inline const std::vector<std::string>& ColumnFamilies() {
  static const auto* const kFamilies = new std::vector<std::string>{
      kMessages, kQueue, kByCase, kCases, kSequences, kParties, kPhoneCodes};
  return *kFamilies;
}

// The id of the message an event queues for representative
// `representative` (SmsRecord.representative): "<event id>/sms" for the
// petitioner (0), "<event id>/sms/<n>" for co-representative n (1..4).
std::string SmsMessageId(absl::string_view event_id, int representative);

class NotificationServiceImpl final
    : public caserelay::v1::NotificationService::Service,
      public service::EventHandler {
 public:
  // `on_queued` is called after a commit that queued messages (or put one
  // back on the queue). The store of `context` has every family of
  // ColumnFamilies(); `book` (not owned) outlives this; `gateway_name`
  // names the gateway in SmsSent events. `offices` (not owned, outlives
  // this) decides who reads a case; REQUIRES: non-null when
  // context.auth is set. `phone_codes` (not owned, outlives this) keeps
  // the phone codes; null: the phone-code RPCs answer FAILED_PRECONDITION
  // (phone_code.secret_path not set).
  NotificationServiceImpl(const service::Context& context, MessageBook* book,
                          std::string gateway_name,
                          std::function<void()> on_queued, SmsTexts texts = {},
                          const offices::OfficeDirectory* offices = nullptr,
                          PhoneCodeBook* phone_codes = nullptr);

  // SendPhoneCode (notification.proto) for service:web only
  // (PERMISSION_DENIED for anyone else, UNAUTHENTICATED without proof):
  // PhoneCodeBook::Send for the client the gateway names in
  // x-caserelay-client-address (common/peer/client_address.h;
  // INVALID_ARGUMENT when that is no IP literal). RESOURCE_EXHAUSTED
  // carries the seconds to wait in the trailing metadata
  // rpc::kRetryAfterMetadata (common/rpc/auth.h). Defined in phone_code_handlers.cc.
  grpc::Status SendPhoneCode(
      grpc::ServerContext* ctx, const caserelay::v1::SendPhoneCodeRequest* req,
      caserelay::v1::SendPhoneCodeResponse* resp) override;
  // RedeemPhoneCode for service:intake only (speaking for nobody):
  // PhoneCodeBook::Redeem.
  grpc::Status RedeemPhoneCode(
      grpc::ServerContext* ctx,
      const caserelay::v1::RedeemPhoneCodeRequest* req,
      caserelay::v1::RedeemPhoneCodeResponse* resp) override;

  // Every message of the case, in message id order. INVALID_ARGUMENT
  // without case_id; DATA_LOSS for a corrupt record. With auth,
  // UNAUTHENTICATED without proof and PERMISSION_DENIED unless the caller
  // may read the case (file comment). A case notification keeps nothing
  // of (never seen, or not yet) has no message: an empty list.
  grpc::Status ListMessages(grpc::ServerContext* ctx,
                            const caserelay::v1::ListMessagesRequest* req,
                            caserelay::v1::ListMessagesResponse* resp) override;
  // An operator's decision on an UNKNOWN message (message_rules.h
  // ApplyResolution): the record as it is now. NOT_FOUND for an unknown
  // message; FAILED_PRECONDITION unless it is UNKNOWN; INVALID_ARGUMENT
  // without message_id, resolution or note. With auth (token or mtls) the
  // caller must be a petition bureau (PERMISSION_DENIED otherwise,
  // UNAUTHENTICATED without proof) and its code prefixes the note; the
  // bureau must also be allowed to read the message's case
  // (PERMISSION_DENIED; file comment).
  grpc::Status ResolveMessage(
      grpc::ServerContext* ctx, const caserelay::v1::ResolveMessageRequest* req,
      caserelay::v1::ResolveMessageResponse* resp) override;

  // A CaseEvent queues the SMS PlanSms chooses (message id: the event's id
  // + "/sms", so one per event and representative, SmsMessageId: a group
  // petition's REGISTER.representatives, kept with its facts, get one
  // each, at most petition::kMaxRepresentatives; queued behind the case's
  // earlier events by
  // the envelope's sequence) and records its sequence as the case's last
  // applied (kSequences), in the same batch. Events of a case apply in
  // sequence order only (issue 22 item 5), as supervision's do:
  //  - sequence <= the last applied: a duplicate, OK, nothing written;
  //  - sequence > the last applied + 1: SequenceGapError (held_events.h),
  //    nothing written; the consume loop holds the event and offers it
  //    again once the missing one was applied.
  // A case never seen has applied 0, so it starts only at sequence 1
  // (routing's REGISTER). A case whose REGISTER is kept (kCases) but that
  // has no sequence recorded was stored before sequences were: its next
  // event is applied whatever its sequence (no gap can be told for it)
  // and counts from there, so it is never held for ever.
  // A second delivery of an event queues nothing and writes nothing. A
  // REGISTER also keeps what later events of its case need (petitioner,
  // whether it is an accusation); every event keeps the case's parties
  // (access::UpdateParties) in kParties. Errors, with nothing written (the
  // loop keeps the event as a dead letter): PlanSms's; INVALID_ARGUMENT for
  // another payload (ExpectPayload), a case event without sequence or a
  // REGISTER without petitioner.id; NOT_FOUND for an SMS-bearing event of a
  // case whose REGISTER was never applied; DATA_LOSS for a corrupt record.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;
  void Committed() override;
  // Issue 19: a partition restored here: its queue is this instance's to
  // send now (the sender is woken, as on_queued).
  void PartitionHeld(int32_t partition) override;

 private:
  // The phone-code RPC (send or redeem: the other's pointers null) for the
  // phone whose partition key is `phone_key`, forwarded to the owner of
  // its partition; nullopt: serve it here (phone_code_handlers.cc).
  std::optional<grpc::Status> ForwardPhoneCode(
      grpc::ServerContext* ctx, std::string_view phone_key,
      const caserelay::v1::SendPhoneCodeRequest* send,
      caserelay::v1::SendPhoneCodeResponse* send_resp,
      const caserelay::v1::RedeemPhoneCodeRequest* redeem,
      caserelay::v1::RedeemPhoneCodeResponse* redeem_resp) const;
  // With auth: OK if the calling office, and the person by their staff
  // roles (domain/access/roles.h MayReadCaseAs), may read case `case_id`
  // (file comment), the office in `*office` if non-null; UNAUTHENTICATED
  // (rpc::CallerOffice) or PERMISSION_DENIED otherwise; the store's error.
  // With auth none: OK. The one place the notification service asks who
  // calls for a case.
  // The case's records are read in `store` (its partition's DB).
  absl::Status CallerMayRead(grpc::ServerContext* ctx,
                             const store::Store& store,
                             const std::string& case_id) const;
  // Puts into `batch` the QUEUED message `id` of `sms` for
  // `representative` of the case whose kept REGISTER facts are `facts`:
  // the record, its queue and by-case entries and SmsQueued.
  void QueueMessage(const caserelay::v1::Envelope& event,
                    const std::string& id, int representative,
                    const caserelay::v1::CaseEvent& facts,
                    const PlannedSms& sms, store::WriteBatch& batch) const;

  const service::Context context_;
  MessageBook* const book_;
  const std::string gateway_name_;
  const std::function<void()> on_queued_;
  const SmsTexts texts_;
  // Not owned: who may read a case.
  const offices::OfficeDirectory* const offices_;
  PhoneCodeBook* const phone_codes_;  // not owned; may be null
  bool queued_ = false;               // loop thread only
};

service::ServiceDefinition NotificationDefinition();

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
