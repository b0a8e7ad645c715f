// The fixture of DeliveryReports' tests (delivery_reports_test.cc,
// delivery_reports_secret_test.cc): DeliveryReports::Handle over a real
// store (a TestContext: temp-dir store, outbox over a fake producer,
// simulated clock at 2026-11-22 10:00 China time), called exactly as
// Kannel 1.4.5 calls back: the dlr-url of our sendsms GET (kannel_gateway.h
// KannelSendsmsUrl) as smsbox keeps it, with its escape codes filled, then
// parsed as the admin HTTP server parses a query (admin::ParseQuery). So
// the two ends of the DLR URL are tested together.
//
// Thread safety: used from the test's thread only.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_DELIVERY_REPORTS_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_DELIVERY_REPORTS_FIXTURE_H_

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/admin/http_message.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "services/notification/delivery_reports.h"
#include "services/notification/kannel_gateway.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/part_letters.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification::dlrtest {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;

inline constexpr char kCase[] = "140431-20261122-000001";
inline constexpr char kMsg[] = "routing/140431-20261122-000001/3/sms";
inline constexpr char kAdmin[] = "http://127.0.0.1:18081";
inline constexpr char kTopic[] = "notification-events";
inline constexpr int64_t kReportedAt = 1795000000;
// The deployment's delivery-report secret (dlr_mac.h).
inline const std::string kDlrSecret(64, 's');

// Kannel's DLR types (Kannel 1.4.5 user guide, "Delivery Reports").
inline constexpr int kDelivered = 1, kUndeliverable = 2, kBuffered = 4,
                     kSmscSubmit = 8, kSmscReject = 16;

// Kannel's octstr_url_encode (gwlib/octstr.c): letters, digits and
// "-_.!~*'()" as they are, space as '+', any other byte as %XX.
inline std::string KannelUrlEncode(std::string_view s) {
  static const std::string kSafe = "-_.!~*'()";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || kSafe.find(static_cast<char>(c)) != kSafe.npos) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += absl::StrCat("%", absl::Hex(c, absl::kZeroPad2));
      out[out.size() - 2] = std::toupper(out[out.size() - 2]);
      out[out.size() - 1] = std::toupper(out[out.size() - 1]);
    }
  }
  return out;
}

// Kannel's urltrans_fill_escape_codes (gw/urltrans.c) on a DLR: %d the
// type, %A the SMSC's answer URL-encoded, %T the unix time, %% one '%',
// any other %X kept as it is.
inline std::string KannelFill(std::string_view pattern, int type,
                              std::string_view answer, int64_t at) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char c = pattern[++i];
    if (c == 'd') {
      absl::StrAppend(&out, type);
    } else if (c == 'A') {
      out += KannelUrlEncode(answer);
    } else if (c == 'T') {
      absl::StrAppend(&out, at);
    } else if (c == '%') {
      out += '%';
    } else {
      out += '%';
      out += c;
    }
  }
  return out;
}

using parttest::Letters;
using parttest::PartState;

class DeliveryReportsTest : public svctest::StoreFixture {
 protected:
  DeliveryReportsTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    book_ = std::make_unique<MessageBook>(t_->context());
    options_.dlr_keys = *DlrKeys::Parse(kDlrSecret);
    reports_ = std::make_unique<DeliveryReports>(t_->context(), book_.get(),
                                                 "kannel", options_.dlr_keys,
                                                 [this] { ++requeued_; });
    options_.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
    options_.username = "caserelay";
    options_.password = "s3cret";
    options_.dlr_url = absl::StrCat(kAdmin, kDeliveryReportPath);
  }

  // Stores a record of `id` with one part per letter of `parts`, in the
  // state its parts give, on the queue when `queued`.
  SmsRecord Put(const std::string& id, const std::string& parts, bool queued) {
    SmsRecord r;
    r.mutable_message()->set_message_id(id);
    r.mutable_message()->set_case_id(kCase);
    r.mutable_message()->set_trigger("received");
    r.set_queue_key(MessageBook::QueueKey(kCase, 3, id));
    StartParts(r, static_cast<int>(parts.size()), t_->clock().Now());
    for (size_t i = 0; i < parts.size(); ++i) {
      r.mutable_message()
          ->mutable_part_states(static_cast<int>(i))
          ->set_state(PartState(parts[i]));
    }
    r.mutable_message()->set_state(StateFromParts(r));
    store::WriteBatch batch(&t_->store());
    batch.Put(kMessages, id, r.SerializeAsString());
    if (queued) batch.Put(kQueue, r.queue_key(), id);
    EXPECT_TRUE(t_->publisher().Commit(batch).ok());
    return r;
  }

  SmsRecord Stored(const std::string& id) {
    auto r = book_->Load(id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : SmsRecord();
  }

  std::vector<std::string> Queue() {
    auto q = book_->Queue();
    EXPECT_TRUE(q.ok()) << q.status();
    std::vector<std::string> ids;
    if (q.ok()) {
      for (const auto& e : *q) ids.push_back(e.message_id);
    }
    return ids;
  }

  // The request Kannel makes for a DLR of `type` on part `index` of
  // `total` of message `id`: smsbox keeps the dlr-url parameter of our
  // sendsms GET (CGI-decoded) and fills its escape codes.
  admin::HttpRequest KannelCallsBack(const std::string& id, int index,
                                     int total, int type,
                                     std::string_view answer) {
    OutgoingPart part{id, "13800000000", index, total, 7, u"您好"};
    const std::string sendsms = KannelSendsmsUrl(options_, part);
    auto params = admin::ParseQuery(sendsms.substr(sendsms.find('?') + 1));
    EXPECT_TRUE(params.ok()) << params.status();
    if (!params.ok() || params->count("dlr-url") == 0) return {};
    EXPECT_EQ(params->at("dlr-url"), KannelDlrUrl(options_, part));
    const std::string url =
        KannelFill(params->at("dlr-url"), type, answer, kReportedAt);
    EXPECT_EQ(url.rfind(kAdmin, 0), 0u) << url;
    const std::string target = url.substr(std::string(kAdmin).size());
    const size_t q = target.find('?');
    admin::HttpRequest request;
    request.method = "GET";
    request.path = target.substr(0, q);
    auto query = admin::ParseQuery(
        q == std::string::npos ? "" : std::string_view(target).substr(q + 1));
    EXPECT_TRUE(query.ok()) << query.status() << " in " << url;
    if (query.ok()) request.query = *query;
    EXPECT_EQ(request.path, kDeliveryReportPath) << url;
    return request;
  }

  admin::HttpResponse Call(const std::string& id, int index, int total,
                           int type, std::string_view answer) {
    return reports_->Handle(KannelCallsBack(id, index, total, type, answer));
  }

  std::vector<Envelope> Events() { return t_->Published(kTopic); }

  std::vector<std::string> EventIds() {
    std::vector<std::string> ids;
    for (const Envelope& e : Events()) ids.push_back(e.event_id());
    return ids;
  }

  uint64_t Counted(const char* outcome) {
    return t_->metrics()
        .GetCounter("caserelay_sms_delivery_reports_total", "",
                    {{"outcome", outcome}})
        .Value();
  }

  std::unique_ptr<MessageBook> book_;
  std::unique_ptr<DeliveryReports> reports_;
  KannelOptions options_;
  int requeued_ = 0;
};

}  // namespace caserelay::notification::dlrtest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_DELIVERY_REPORTS_FIXTURE_H_
