#include "tests/integration/sms_steps.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/notification/dlr_mac.h"

namespace caserelay::testing {

using caserelay::v1::SmsMessage;

absl::StatusOr<SmsSystem> StartWithKannel(
    SystemOptions options, std::map<std::string, std::string> settings) {
  SmsSystem s;
  auto kannel = Kannel::Start({s.kannel_dir->path()});
  if (!kannel.ok()) return kannel.status();
  s.kannel = *std::move(kannel);
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  std::string admin = absl::StrCat("127.0.0.1:", *port);
  std::map<std::string, std::string> n = {
      {"notification.gateway", "kannel"},
      {"kannel.sendsms_url", s.kannel->sendsms_url()},
      {"kannel.username", s.kannel->username()},
      {"kannel.password", s.kannel->password()},
      {"kannel.from", kSmsFrom},
      // Kannel calls the admin port back with delivery reports, so the
      // port is fixed (and the same after a restart).
      {"admin.listen", admin},
      {"kannel.dlr_url", absl::StrCat("http://", admin, "/sms/dlr")},
      {"kannel.timeout", "5s"},
      {"sms.first_backoff", "200ms"},
      {"sms.max_backoff", "1s"},
  };
  for (const auto& [k, v] : settings) n[k] = v;
  options.settings["notification"] = n;
  auto sys = System::Start(std::move(options));
  if (!sys.ok()) return sys.status();
  s.sys = *std::move(sys);
  return s;
}

std::map<std::string, int> ReceiptsByCase(const std::vector<Assembled>& phone,
                                          int* strangers) {
  std::map<std::string, int> times;
  for (const Assembled& a : phone) {
    const size_t at = a.text.find("编号");
    const size_t from = at == std::string::npos ? 0 : at + strlen("编号");
    const size_t to = a.text.find("，", from);
    if (at == std::string::npos || to == std::string::npos) {
      ++*strangers;
      continue;
    }
    ++times[a.text.substr(from, to - from)];
  }
  return times;
}

// Puts concatenated parts back together by (number, reference). A part
// received twice is counted in *duplicate_parts and not joined twice.
std::vector<Assembled> Assemble(const std::vector<FakeSmscMessage>& received,
                                int* duplicate_parts) {
  std::vector<Assembled> out;
  struct Pending {
    int total;
    std::map<int, std::string> parts;
  };
  std::map<std::pair<std::string, int>, Pending> pending;
  *duplicate_parts = 0;
  for (const FakeSmscMessage& m : received) {
    EXPECT_EQ(m.decode_error, "") << m.raw;
    if (m.concat_total <= 1) {
      out.push_back({m.to, m.text, 1, m.received_at});
      continue;
    }
    Pending& p = pending[{m.to, m.concat_ref}];
    p.total = m.concat_total;
    if (!p.parts.emplace(m.concat_index, m.text).second) ++*duplicate_parts;
    if (static_cast<int>(p.parts.size()) == p.total) {
      std::string text;
      for (const auto& [index, t] : p.parts) text += t;
      out.push_back({m.to, text, p.total, m.received_at});
      pending.erase({m.to, m.concat_ref});
    }
  }
  for (const auto& [key, p] : pending) {
    ADD_FAILURE() << "incomplete message to " << key.first << ": "
                  << p.parts.size() << " of " << p.total << " parts";
  }
  return out;
}

// The case's messages as notification lists them. With several instances
// a case whose partition is moving answers UNAVAILABLE "try again"
// (common/rpc/forward.h): asked again, for up to a rebalance's time.
std::vector<SmsMessage> Messages(System& sys, const std::string& id) {
  const absl::Time give_up = absl::Now() + Scaled(absl::Seconds(20));
  caserelay::v1::ListMessagesRequest req;
  req.set_case_id(id);
  for (;;) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    caserelay::v1::ListMessagesResponse resp;
    grpc::Status s = sys.notification().ListMessages(&ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE &&
        absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(200));
      continue;
    }
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.messages().begin(), resp.messages().end()};
  }
}

bool Settled(const SmsMessage& m) {
  return m.state() == caserelay::v1::SMS_STATE_DELIVERED ||
         m.state() == caserelay::v1::SMS_STATE_FAILED ||
         m.state() == caserelay::v1::SMS_STATE_UNKNOWN ||
         m.state() == caserelay::v1::SMS_STATE_NO_PHONE;
}

// Polls until every message of every case in `ids` is settled and each
// case has at least `per_case` messages; the messages by case.
std::map<std::string, std::vector<SmsMessage>> AwaitSettled(
    System& sys, const std::vector<std::string>& ids, size_t per_case,
    absl::Duration timeout) {
  return AwaitSettled(sys, ids, per_case, timeout,
                      [](const SmsMessage& m) { return Settled(m); });
}

std::map<std::string, std::vector<SmsMessage>> AwaitSettled(
    System& sys, const std::vector<std::string>& ids, size_t per_case,
    absl::Duration timeout,
    const std::function<bool(const SmsMessage&)>& settled) {
  std::map<std::string, std::vector<SmsMessage>> all;
  absl::Time deadline = absl::Now() + timeout;
  size_t open = 0;
  do {
    open = 0;
    for (const std::string& id : ids) {
      all[id] = Messages(sys, id);
      if (all[id].size() < per_case) ++open;
      for (const SmsMessage& m : all[id]) open += settled(m) ? 0 : 1;
    }
    if (open == 0) return all;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ADD_FAILURE() << open << " messages not settled in " << timeout;
  return all;
}

bool ReportMayBeLost(const Kannel& kannel, absl::Time arrived) {
  const std::vector<absl::Time> exits = kannel.SmsboxExits();
  return !exits.empty() && arrived <= exits.back();
}

// The text notification recorded (look-up code masked) with the code the
// petitioner was given.
std::string WithCode(const SmsMessage& m, const std::string& code) {
  return absl::StrReplaceAll(m.text(), {{std::string(code.size(), '*'), code}});
}

Filed File(System& sys, int n) {
  auto req = SamplePetition(kSmsTownship, n);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s = sys.intake().SubmitPetition(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {resp.case_number(), resp.lookup_code(), req.petitioner().phone()};
}

std::string DlrMacFor(const System& sys, const std::string& message_id,
                      int part, int parts) {
  auto keys = notification::DlrKeys::Load(sys.dlr_secret_path());
  EXPECT_TRUE(keys.ok()) << keys.status();
  if (!keys.ok()) return "";
  return notification::DlrMac(keys->signing(), message_id, part, parts);
}

}  // namespace caserelay::testing
