#include "services/notification/contact_resolver.h"

#include <algorithm>
#include <string>
#include <thread>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/rpc/convert.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::notification {

ContactResolver::ContactResolver(
    std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
    ContactResolverOptions options)
    : intake_(std::move(intake)), options_(options) {}

bool ContactResolver::IntakeDown(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

caserelay::v1::ResolveContactRequest ContactResolver::RequestFor(
    const caserelay::v1::SmsRecord& record) {
  caserelay::v1::ResolveContactRequest req;
  *req.mutable_petitioner() = record.petitioner();
  req.set_case_number(record.message().case_id());
  // 群体访 / 联名 (issue 18 item 3): the representative this message goes to.
  req.set_representative(record.representative());
  return req;
}

std::string ContactResolver::KeyOf(const caserelay::v1::SmsRecord& record) {
  return record.message().case_id() + '\n' +
         record.petitioner().SerializeAsString() + '\n' +
         std::to_string(record.representative());
}

ContactResolver::Contact ContactResolver::Resolve(
    const caserelay::v1::ResolveContactRequest& request) const {
  caserelay::v1::ResolveContactResponse contact;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
  grpc::Status rs = intake_->ResolveContact(&ctx, request, &contact);
  if (!rs.ok()) return rpc::FromGrpc(rs);
  return contact;
}

std::vector<ContactResolver::Contact> ContactResolver::ResolveAll(
    const std::vector<caserelay::v1::ResolveContactRequest>& requests) const {
  std::vector<Contact> out(
      requests.size(),
      absl::UnavailableError("not asked: intake was found down"));
  if (requests.empty()) return out;
  absl::Mutex mu;
  size_t next = 0;    // guarded by mu
  bool down = false;  // guarded by mu
  auto work = [&] {
    for (;;) {
      size_t i;
      {
        absl::MutexLock lock(&mu);
        if (down || next == requests.size()) return;
        i = next++;
      }
      Contact c = Resolve(requests[i]);
      absl::MutexLock lock(&mu);
      if (!c.ok() && IntakeDown(c.status())) down = true;
      out[i] = std::move(c);
    }
  };
  const size_t workers = std::min(
      requests.size(), static_cast<size_t>(std::max(1, options_.concurrency)));
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();  // this thread is one of them
  for (std::thread& t : pool) t.join();
  return out;
}

}  // namespace caserelay::notification
