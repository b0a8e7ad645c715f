// Steps for the SMS integration tests (issue 5): the system with
// notification sending through the real Kannel (kannel.h), petitions
// filed, and what the phone received put back together.
//
// Thread safety: not thread-safe; one test thread drives it.

#ifndef CASERELAY_TESTS_INTEGRATION_SMS_STEPS_H_
#define CASERELAY_TESTS_INTEGRATION_SMS_STEPS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/notification.pb.h"
#include "tests/integration/harness.h"
#include "tests/integration/kannel.h"

namespace caserelay::testing {

// The township of the sample petitions: 沁河镇, 沁源县.
inline constexpr char kSmsTownship[] = "140431100";
// kannel.from: the bureau's SMS port number.
inline constexpr char kSmsFrom[] = "10690001";

// Kannel and the system, notification sending through Kannel.
struct SmsSystem {
  std::unique_ptr<TempDir> kannel_dir = std::make_unique<TempDir>();
  std::unique_ptr<Kannel> kannel;
  std::unique_ptr<System> sys;
};

// Starts Kannel, then the system with notification on Kannel: a fixed
// admin port (Kannel calls it back with delivery reports, also after a
// restart), quick backoffs; `settings` add to or replace notification's.
absl::StatusOr<SmsSystem> StartWithKannel(
    SystemOptions options, std::map<std::string, std::string> settings = {});

// One SMS as the phone shows it: its parts put back together.
struct Assembled {
  std::string to;
  std::string text;
  int parts = 1;
  absl::Time received_at;  // of its last part
};

// Puts concatenated parts back together by (number, reference), in the
// order they completed. A part received twice is counted in
// *duplicate_parts and not joined twice; an incomplete message is a test
// failure.
std::vector<Assembled> Assemble(const std::vector<FakeSmscMessage>& received,
                                int* duplicate_parts);

// The receipts (data/sms/templates/received.txt) among `phone`, counted
// by the case number after 编号 (up to the comma); what is no receipt is
// counted in *strangers.
std::map<std::string, int> ReceiptsByCase(const std::vector<Assembled>& phone,
                                          int* strangers);
// The case's messages as notification lists them.
std::vector<caserelay::v1::SmsMessage> Messages(System& sys,
                                                const std::string& id);

// DELIVERED, FAILED, UNKNOWN or NO_PHONE: nothing more will happen by
// itself.
bool Settled(const caserelay::v1::SmsMessage& m);

// Polls until every case of `ids` has at least `per_case` messages, all
// settled; the messages by case (a test failure after `timeout`).
std::map<std::string, std::vector<caserelay::v1::SmsMessage>> AwaitSettled(
    System& sys, const std::vector<std::string>& ids, size_t per_case,
    absl::Duration timeout);

// Polls as AwaitSettled, with `settled` deciding when a message is done.
std::map<std::string, std::vector<caserelay::v1::SmsMessage>> AwaitSettled(
    System& sys, const std::vector<std::string>& ids, size_t per_case,
    absl::Duration timeout,
    const std::function<bool(const caserelay::v1::SmsMessage&)>& settled);

// True if the delivery reports of an SMS that reached the phone at
// `arrived` may have died with Kannel's smsbox (Kannel::SmsboxExits):
// it arrived before smsbox's last exit. Such a message may stay SENT or
// UNKNOWN for good; Kannel, not caserelay, lost its report.
bool ReportMayBeLost(const Kannel& kannel, absl::Time arrived);

// The text notification recorded (look-up code masked) with the code the
// petitioner was given.
std::string WithCode(const caserelay::v1::SmsMessage& m,
                     const std::string& code);

struct Filed {
  std::string id;
  std::string code;   // look-up code
  std::string phone;  // as filed
};

// Files SamplePetition(kSmsTownship, n) through intake.
Filed File(System& sys, int n);

// The MAC (the dlr-url's k, services/notification/dlr_mac.h) of part
// `part` of `parts` of `message_id` under the secret the harness gives
// notification (System::dlr_secret_path): what Kannel brings back.
std::string DlrMacFor(const System& sys, const std::string& message_id,
                      int part, int parts);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_SMS_STEPS_H_
