// notification's entries for untrusted bytes, through the service itself
// over a temp-dir store: the first byte picks a case-events record
// (Apply: PlanSms and the queue) or one of its RPCs (ListMessages,
// ResolveMessage) called as the province bureau; the rest are the bytes.
// Before each input the store is given back its one SMS record
// (notification_records.h), so records and requests can name it.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "caserelay/v1/notification.pb.h"
#include "services/notification/message_book.h"
#include "services/notification/notification_service.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/notification_records.h"
#include "tests/fuzz/service_fuzz.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

struct Fixture {
  svctest::FixedCaller caller{"140000:bureau"};
  std::unique_ptr<svctest::TestContext> t =
      fuzz::OrDie(svctest::TestContext::Create(
          ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0)));
  std::unique_ptr<MessageBook> book;
  std::unique_ptr<NotificationServiceImpl> service;

  Fixture() {
    service::Context context = t->context();
    context.auth = &caller;
    book = std::make_unique<MessageBook>(context);
    service = std::make_unique<NotificationServiceImpl>(context, book.get(),
                                                        "fake", [] {});
  }
};

}  // namespace
}  // namespace caserelay::notification

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static notification::Fixture* f = new notification::Fixture();
  if (size == 0) return 0;
  fuzz::PutSeedMessage(f->t->store(), f->t->publisher(), f->t->clock());
  const uint8_t which = data[0] % 3;
  ++data;
  --size;
  notification::NotificationServiceImpl& s = *f->service;
  switch (which) {
    case 0:
      fuzz::ApplyRecord(s, f->t->store(), data, size);
      break;
    case 1:
      fuzz::CallRpc<v1::ListMessagesRequest, v1::ListMessagesResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ListMessages(c, q, r); });
      break;
    case 2:
      fuzz::CallRpc<v1::ResolveMessageRequest, v1::ResolveMessageResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ResolveMessage(c, q, r); });
      break;
  }
  return 0;
}
