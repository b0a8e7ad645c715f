// The ceiling of bench_sms: Kannel's own sendsms rate, measured by sending
// straight to smsbox with the HTTP client notification's gateway uses
// (admin::HttpGet), one GET per message, one after the other, as
// notification's sender does.
//
// Thread safety: functions without shared state; one thread drives Kannel.

#ifndef CASERELAY_BENCH_SMS_DIRECT_H_
#define CASERELAY_BENCH_SMS_DIRECT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/kannel.h"

namespace caserelay::bench {

// What the fake SMSC received in one phase, timed.
struct Arrivals {
  int messages = 0;
  // The phase's start (first GET sent; notification's restart returned),
  // and the fake SMSC's first and last of the phase (Kannel fixture's
  // received_at: when the bench read fakesmsc's line).
  absl::Time start, first, last;
  // received_at of message i+1 minus that of message i.
  std::vector<absl::Duration> spacing;
  // Messages with a UDH or a type other than "ucs-2": must be 0.
  int not_one_part = 0;
  // The mean length in characters (UTF-16 units) of the texts received.
  double mean_chars = 0;

  // start to the last message at the fake SMSC.
  absl::Duration through() const { return last - start; }
};

// What the direct phase measured.
struct DirectResult {
  Arrivals arrivals;
  // first GET sent to the last answer read (every answer 202 "0: Accepted
  // for delivery").
  absl::Duration answers;
  // Delivery reports (dlr-mask 27 only): callbacks answered, and the time
  // from the first GET until the last was answered.
  int reports = 0;
  absl::Duration reports_done;
};

struct DirectOptions {
  int messages = 0;
  // Message i goes to 139 followed by the 8 digits of first_number + i.
  int first_number = 0;
  // 0: no delivery reports (the ceiling). 27 as notification asks
  // (kannel.dlr_mask): type 8 and type 1 for every message, to a local
  // HTTP receiver that answers 200 at once.
  int dlr_mask = 0;
  // The SMS text, {n} replaced by the message's number (ReceiptLikeText).
  std::string text_pattern;
  absl::Duration timeout = absl::Minutes(10);
};

// The receipt template (data/sms/templates/received.txt) with a case number
// of the shape intake gives and an 8-character look-up code, so the
// ceiling's messages are as long as notification's: "{n}" stands for the
// case number's 6-digit sequence. NOT_FOUND if the file cannot be read.
absl::StatusOr<std::string> ReceiptLikeText(const std::string& source_dir);

// Sends options.messages SMS through `kannel`'s sendsms, sequentially, and
// waits until the fake SMSC has every one (and, with a dlr_mask, every
// delivery report of types 1 and 8). `already` is how many messages the
// fake SMSC had received before. Errors: an answer other than 202 "0: ..."
// (FAILED_PRECONDITION with Kannel's words), HttpGet's errors, or
// DEADLINE_EXCEEDED after options.timeout; INTERNAL if the DLR receiver
// cannot start.
absl::StatusOr<DirectResult> SendDirect(const testing::Kannel& kannel,
                                        size_t already,
                                        const DirectOptions& options);

// Times and checks the messages received[from, from + n): the phase that
// started at `start`. FAILED_PRECONDITION if fewer than n are there.
absl::StatusOr<Arrivals> Measure(
    const std::vector<testing::FakeSmscMessage>& received, size_t from, int n,
    absl::Time start);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_SMS_DIRECT_H_
