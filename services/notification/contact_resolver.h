// The contact look-up (联系方式查询) of the sender: intake's ResolveContact,
// asked at send time for the phone number and look-up code of a case's
// petitioner. Nothing of the answer is kept here.
//
// ResolveAll asks for several cases in one go, at most
// `concurrency` calls in flight, each with its own `deadline`: a pass over
// a queue of N ready cases costs about N / concurrency round trips, not N.
// Once one call finds intake down (IntakeDown: not reached, or not
// answering in time) no further call is started: the sender pauses as a
// whole (sender.h) instead of waiting a deadline for every case.
//
// Thread safety: thread-compatible; ResolveAll and Resolve run their calls
// on threads of their own and return when every call has ended. The stub
// must be thread-safe (gRPC stubs are).

#ifndef CASERELAY_SERVICES_NOTIFICATION_CONTACT_RESOLVER_H_
#define CASERELAY_SERVICES_NOTIFICATION_CONTACT_RESOLVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/records.pb.h"

namespace caserelay::notification {

struct ContactResolverOptions {
  // Each ResolveContact call's deadline (sms.intake_deadline).
  absl::Duration deadline = absl::Seconds(2);
  // Most calls in flight at once (sms.intake_concurrency); at least 1.
  int concurrency = 4;
};

class ContactResolver {
 public:
  using Contact = absl::StatusOr<caserelay::v1::ResolveContactResponse>;

  // Owns `intake`. REQUIRES: options.concurrency >= 1, deadline > 0.
  ContactResolver(
      std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
      ContactResolverOptions options);

  // True for what says intake itself is down, not the one request:
  // UNAVAILABLE or DEADLINE_EXCEEDED.
  static bool IntakeDown(const absl::Status& status);

  // What intake is asked for the contact of `record`'s representative
  // (SmsRecord.representative: 0 the petitioner, 1..4 a group petition's
  // co-representatives) in its case, and the key of that question (case,
  // petitioner and representative): a case's messages to one person share
  // one answer per pass.
  static caserelay::v1::ResolveContactRequest RequestFor(
      const caserelay::v1::SmsRecord& record);
  static std::string KeyOf(const caserelay::v1::SmsRecord& record);

  // One answer per request, in the order of `requests`: the contact, or
  // intake's error with its code (FromGrpc). A request not asked because
  // another found intake down answers UNAVAILABLE ("not asked").
  std::vector<Contact> ResolveAll(
      const std::vector<caserelay::v1::ResolveContactRequest>& requests) const;
  // One request, on the calling thread.
  Contact Resolve(const caserelay::v1::ResolveContactRequest& request) const;

 private:
  const std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake_;
  const ContactResolverOptions options_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_CONTACT_RESOLVER_H_
