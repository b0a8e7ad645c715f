// The Kannel delivery-report callback (services/notification/
// delivery_reports.h, GET /sms/dlr on notification's admin port) on a
// hostile request target: parsed as the admin server parses it
// (admin::ParseRequestHead, ParseQuery), then handled over a temp-dir
// store that holds, before every input, one SMS record of three parts
// (notification_records.h), so reports can name it and its parts. A
// report without k gets the MAC of its m, p and n (dlr_mac.h) when those
// read as numbers, so inputs reach the store as Kannel's genuine ones do;
// one with k is checked as it is.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/admin/http_message.h"
#include "services/notification/delivery_reports.h"
#include "services/notification/dlr_mac.h"
#include "services/notification/message_book.h"
#include "services/notification/notification_service.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/notification_records.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

struct Fixture {
  std::unique_ptr<svctest::TestContext> t =
      fuzz::OrDie(svctest::TestContext::Create(
          ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0)));
  MessageBook book{t->context()};
  const std::string secret = std::string(64, 'f');
  DeliveryReports reports{t->context(), &book, "kannel",
                          *DlrKeys::Parse(secret), [] {}};
};

}  // namespace
}  // namespace caserelay::notification

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static notification::Fixture* f = new notification::Fixture();
  // The input is the target after "/sms/dlr?", as Kannel fills the dlr-url.
  const std::string head =
      absl::StrCat("GET ", notification::kDeliveryReportPath, "?",
                   std::string(reinterpret_cast<const char*>(data), size),
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto parsed = admin::ParseRequestHead(head);
  if (!parsed.ok()) return 0;
  admin::HttpRequest request;
  request.method = parsed->method;
  const size_t question = parsed->target.find('?');
  request.path = parsed->target.substr(0, question);
  if (question != std::string::npos) {
    auto query = admin::ParseQuery(
        std::string_view(parsed->target).substr(question + 1));
    if (!query.ok()) return 0;  // the server answers 400 itself
    request.query = *std::move(query);
  }
  auto get = [&](const char* name) {
    auto it = request.query.find(name);
    return it == request.query.end() ? std::string() : it->second;
  };
  int p = 0, n = 0;
  if (request.query.count(notification::kDlrMacParam) == 0 &&
      request.query.count("m") == 1 && absl::SimpleAtoi(get("p"), &p) &&
      absl::SimpleAtoi(get("n"), &n)) {
    request.query[notification::kDlrMacParam] =
        notification::DlrMac(f->secret, get("m"), p, n);
  }
  fuzz::PutSeedMessage(f->t->store(), f->t->publisher(), f->t->clock());
  (void)f->reports.Handle(request);
  return 0;
}
