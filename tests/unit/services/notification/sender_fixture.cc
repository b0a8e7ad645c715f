#include "tests/unit/services/notification/sender_fixture.h"

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "domain/sms/segment.h"
#include "domain/sms/triggers.h"

namespace caserelay::notification {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;
using caserelay::v1::SmsState;

std::string FakeGatewayId(const std::string& message_id, int index) {
  return absl::StrCat("gw-", message_id, "/", index);
}

std::string Utf8(const OutgoingPart& part) {
  return sms::Utf16ToUtf8(part.text);
}

std::vector<int> Indices(const std::vector<OutgoingPart>& parts) {
  std::vector<int> out;
  for (const OutgoingPart& p : parts) out.push_back(p.index);
  return out;
}

void SenderTest::SetUp() {
  auto t = svctest::TestContext::Create(
      ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0));
  ASSERT_TRUE(t.ok()) << t.status();
  t_ = *std::move(t);
  auto templates = sms::TemplateSet::Load(
      CASERELAY_SOURCE_DIR "/data/sms/templates", sms::StandardTriggers());
  ASSERT_TRUE(templates.ok()) << templates.status();
  templates_ = std::make_unique<sms::TemplateSet>(*std::move(templates));
  SetContact(kPhone, kLookupCode);
  options_.first_backoff = absl::Milliseconds(1);
  options_.max_backoff = absl::Milliseconds(10);
  book_ = std::make_unique<MessageBook>(t_->context());
  service_ = std::make_unique<NotificationServiceImpl>(
      t_->context(), book_.get(), "fake", [this] {
        if (sender_) sender_->Wake();
      });
}

void SenderTest::TearDown() {
  sender_.reset();
  service_.reset();
  book_.reset();
  t_.reset();
}

void SenderTest::SetContact(const std::string& phone, const std::string& code) {
  absl::MutexLock lock(&intake_.mu);
  intake_.phone = phone;
  intake_.lookup_code = code;
}

void SenderTest::SetIntakeError(grpc::Status error) {
  absl::MutexLock lock(&intake_.mu);
  intake_.error = std::move(error);
}

void SenderTest::MakeSender() {
  sender_ = std::make_unique<Sender>(
      t_->context(), book_.get(), &gateway_, templates_.get(),
      std::make_unique<FakeIntakeStub>(&intake_), options_);
}

void SenderTest::StartSender() {
  if (!sender_) MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  sender_->Wake();
}

std::string SenderTest::QueueEvent(const Envelope& event) {
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(event, batch).code(), absl::StatusCode::kOk);
  EXPECT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  service_->Committed();
  return event.event_id() + "/sms";
}

std::string SenderTest::Queue(const std::string& case_id) {
  return QueueEvent(RegisterFor(case_id));
}

std::string SenderTest::QueueLater(const std::string& case_id,
                                   uint64_t sequence,
                                   caserelay::v1::CaseAction action) {
  return QueueEvent(CaseEventFor(case_id, sequence, action));
}

std::string SenderTest::QueueLong(const std::string& case_id) {
  Envelope e = RegisterFor(case_id, caserelay::v1::DISPOSITION_NOT_ACCEPTED);
  e.mutable_case_event()->mutable_decision()->set_route(
      "向沁源县劳动人事争议仲裁委员会申请仲裁；对仲裁裁决不服的，可以自收到"
      "仲裁裁决书之日起十五日内向人民法院提起诉讼，或者依法向有权处理的机关"
      "提出");
  std::string id = QueueEvent(e);
  EXPECT_EQ(ExpectedParts(id).size(), 3u) << "the long message's fixture";
  return id;
}

std::vector<std::u16string> SenderTest::ExpectedParts(const std::string& id) {
  SmsRecord record = Load(id);
  std::map<std::string, std::string> vars(record.vars().begin(),
                                          record.vars().end());
  const auto& declared = sms::StandardTriggers().at(record.message().trigger());
  if (declared.count("lookup_code")) vars["lookup_code"] = kLookupCode;
  auto text = templates_->Render(record.message().trigger(), vars);
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return {};
  auto parts = sms::SegmentUcs2(*text, options_.segments);
  EXPECT_TRUE(parts.ok()) << parts.status();
  return parts.ok() ? *parts : std::vector<std::u16string>{};
}

void SenderTest::LeaveSending(const std::string& id, int k) {
  const int count = static_cast<int>(ExpectedParts(id).size());
  ASSERT_GE(count, k);
  auto left = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
    auto* m = r.mutable_message();
    m->set_state(caserelay::v1::SMS_STATE_SENDING);
    m->set_parts(count);
    m->set_phone_masked("138******00");
    for (int i = 1; i <= count; ++i) {
      caserelay::v1::SmsPart* p = m->add_part_states();
      p->set_index(i);
      p->set_state(i < k    ? caserelay::v1::SMS_PART_STATE_ACCEPTED
                   : i == k ? caserelay::v1::SMS_PART_STATE_SENDING
                            : caserelay::v1::SMS_PART_STATE_PENDING);
      if (i < k) p->set_gateway_message_id(FakeGatewayId(id, i));
      *p->mutable_updated_at() = time::ToProto(t_->clock().Now());
    }
    return Change{};
  });
  ASSERT_TRUE(left.ok()) << left.status();
  ASSERT_TRUE(InQueue(id));
}

SmsRecord SenderTest::Load(const std::string& id) {
  auto record = book_->Load(id);
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : SmsRecord();
}

bool SenderTest::InQueue(const std::string& id) {
  SmsRecord record = Load(id);
  EXPECT_FALSE(record.queue_key().empty()) << id << " has no queue key";
  auto raw = t_->store().Get(kQueue, record.queue_key());
  EXPECT_TRUE(raw.ok()) << raw.status();
  return raw.ok() && raw->has_value();
}

bool SenderTest::WaitUntil(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

bool SenderTest::WaitFor(const std::string& id,
                         const std::function<bool(const SmsRecord&)>& done) {
  return WaitUntil([&] {
    auto record = book_->Load(id);
    return record.ok() && done(*record);
  });
}

bool SenderTest::WaitForState(const std::string& id, SmsState state) {
  bool reached = WaitFor(
      id, [state](const SmsRecord& r) { return r.message().state() == state; });
  EXPECT_TRUE(reached) << id << " never reached "
                       << caserelay::v1::SmsState_Name(state) << "; it is "
                       << caserelay::v1::SmsState_Name(
                              Load(id).message().state());
  return reached;
}

std::vector<Envelope> SenderTest::Outcomes(const std::string& id,
                                           Envelope::PayloadCase kind) {
  std::vector<Envelope> out;
  for (Envelope& e : t_->Published("notification-events")) {
    if (e.payload_case() != kind) continue;
    std::string mid;
    switch (kind) {
      case Envelope::kSmsSent:
        mid = e.sms_sent().message_id();
        break;
      case Envelope::kSmsFailed:
        mid = e.sms_failed().message_id();
        break;
      case Envelope::kSmsDelivered:
        mid = e.sms_delivered().message_id();
        break;
      default:
        ADD_FAILURE() << "Outcomes of payload " << kind;
    }
    if (mid == id) out.push_back(std::move(e));
  }
  return out;
}

uint64_t SenderTest::Counter(const std::string& name) {
  return t_->metrics().GetCounter(name, "", {{"gateway", "fake"}}).Value();
}

double SenderTest::Gauge(const std::string& name, bool gateway_label) {
  if (!gateway_label) return t_->metrics().GetGauge(name, "", {}).Value();
  return t_->metrics().GetGauge(name, "", {{"gateway", "fake"}}).Value();
}

}  // namespace caserelay::notification
