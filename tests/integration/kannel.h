// A test fixture running the real Kannel SMS gateway (短信网关) on loopback:
// bearerbox and smsbox from Debian's package kannel, and the fake SMSC
// (短信中心模拟器) fakesmsc from kannel-extras, which prints every message it
// receives. Integration tests and bench/sms send through Kannel's HTTP
// sendsms interface and read what reached the fake SMSC with Received().
//
// What Start configures (kannel.conf in KannelOptions::dir):
//   - four free loopback ports: bearerbox admin, bearerbox's smsbox port,
//     the fake SMSC's port (bearerbox listens, fakesmsc connects), sendsms;
//     every listener bound to 127.0.0.1 only;
//   - dlr-storage internal, no message store: what bearerbox holds in
//     memory (queued messages, pending delivery reports) is lost when the
//     gateway goes down, as after a crash;
//   - smsbox retries a delivery-report callback (the dlr-url) that fails
//     (connection refused, a timeout, any answer but 200 or 202) every
//     KannelOptions::dlr_retry_delay_seconds, up to dlr_retries times
//     (smsbox `http-request-retry`, `http-queue-delay`), so delivery reports
//     survive a notification service that is down for a while. A receiver
//     should answer 200 only once it has recorded the report; retried
//     reports may arrive out of order (type 1 before type 8) and twice
//     (after a timeout);
//   - one sendsms-user (username()/password()), max-messages 1 and
//     concatenation off: the caller sends one part at a time with its own
//     UDH.
// No throughput limit: Kannel 1.4.5's fake SMSC ignores the smsc group's
// `throughput` (bearerbox logs "Set throughput to 4.000" and still sends
// at once; measured), so a rate limit must come from the sender.
//
// smsbox is kept running as the deployment keeps it (compose's `restart:
// unless-stopped`): Kannel 1.4.5's smsbox panics ("conn_unregister:
// Assertion `conn != NULL' failed") when a delivery-report callback's
// connection breaks under it, as it does when notification is SIGKILLed
// mid-callback. A keeper thread starts it again (same config and ports)
// and says so on stderr; SmsboxExits() tells when. The delivery reports
// the dead smsbox held (on their way to notification, or waiting for a
// retry) are lost with it: Kannel keeps them in memory only.
//
// Every process dies with the thread that started it (PR_SET_PDEATHSIG,
// see testing::Process): call Start and StartGateway from a thread that
// lives as long as the Kannel, e.g. the test's main thread.
//
// Thread safety: Received(), WaitForReceived(), SendSms() and the accessors
// are thread-safe; Start, StopGateway, StartGateway and the destructor are
// called from one thread, not concurrently with each other.

#ifndef CASERELAY_TESTS_INTEGRATION_KANNEL_H_
#define CASERELAY_TESTS_INTEGRATION_KANNEL_H_

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {

// FreeLoopbackPort: harness.h.

struct KannelOptions {
  // Where kannel.conf, the processes' logs and fakesmsc.log go. Must exist
  // and be writable.
  std::string dir;
  // smsbox `http-request-retry` and `http-queue-delay` (whole seconds,
  // >= 1): how often and how far apart a failed dlr-url call is retried.
  // The defaults cover ten minutes of a receiver being down.
  int dlr_retries = 600;
  int dlr_retry_delay_seconds = 1;
  // `log-level` of bearerbox's and smsbox's log files (0 debug, 1 info,
  // ...). Debug logs hex-dump every message: slow, so not the default.
  int log_level = 1;
  // The executables.
  std::string bearerbox = "/usr/sbin/bearerbox";
  std::string smsbox = "/usr/sbin/smsbox";
  std::string fakesmsc = "/usr/lib/kannel/test/fakesmsc";
};

// One message as the fake SMSC received it (one part of a long message).
struct FakeSmscMessage {
  std::string from, to;
  // fakesmsc's word for the payload: "text", "data", "ucs-2" or "udh".
  std::string type;
  std::string udh;      // raw UDH bytes, "" if none
  std::string payload;  // raw payload bytes, url-decoded
  // From a concatenation element of the UDH (IEI 00, 8-bit reference, or
  // IEI 08, 16-bit reference); -1 / 0 / 0 if there is none.
  int concat_ref = -1;
  int concat_total = 0;
  int concat_index = 0;
  // The payload as UTF-8: "ucs-2" and "udh" payloads decoded from UTF-16BE
  // (a part with a UDH is always UCS-2 here: caserelay sends coding=2), the
  // others as they are. "" and decode_error set if the payload does not
  // decode (odd length).
  std::string text;
  std::string decode_error;
  // When the fixture read fakesmsc's line (fakesmsc's own log has whole
  // seconds only).
  absl::Time received_at;
  // The line's text between '<' and '>', as fakesmsc printed it.
  std::string raw;
};

// Parses the part of a fakesmsc "Got message N: <...>" line between the
// angle brackets. INVALID_ARGUMENT naming what is missing or malformed.
absl::StatusOr<FakeSmscMessage> ParseFakeSmscLine(const std::string& raw);

// A message for sendsms, sent as UCS-2 (coding=2, charset=UTF-16BE).
struct SendSmsRequest {
  std::string from = "12345";
  std::string to;
  std::string text;  // UTF-8
  std::string udh;   // raw bytes, "" for none
  std::string dlr_url;
  int dlr_mask = 0;  // 0: no dlr-mask parameter
};

class Kannel {
 public:
  // Writes kannel.conf into options.dir and starts bearerbox, fakesmsc and
  // smsbox, waiting (up to ~20 s) until bearerbox reports the fake SMSC
  // online and smsbox connected, and sendsms answers HTTP.
  // Errors: INVALID_ARGUMENT for an empty or missing dir or a bad option
  // (names it); UNAVAILABLE / DEADLINE_EXCEEDED with the tail of the log
  // of the process that did not come up. Every process started is killed
  // on error.
  static absl::StatusOr<std::unique_ptr<Kannel>> Start(KannelOptions options);

  Kannel(const Kannel&) = delete;
  Kannel& operator=(const Kannel&) = delete;

  // Kills and reaps every process and stops the reader thread.
  ~Kannel();

  // http://127.0.0.1:<port>/cgi-bin/sendsms
  std::string sendsms_url() const;
  int sendsms_port() const { return sendsms_port_; }
  int admin_port() const { return admin_port_; }
  std::string username() const { return "caserelay"; }
  std::string password() const { return "kannel-test"; }
  const std::string& dir() const { return options_.dir; }

  // The sendsms target ("/cgi-bin/sendsms?username=...") for `request`;
  // INVALID_ARGUMENT if request.text is not UTF-8 or request.to is empty.
  absl::StatusOr<std::string> SendSmsTarget(
      const SendSmsRequest& request) const;
  // GETs SendSmsTarget(request) from smsbox: Kannel's answer (202 "0:
  // Accepted for delivery", 202 "3: Queued for later delivery", ...), or
  // the errors of SendSmsTarget and admin::HttpGet (the client the
  // notification gateway uses).
  absl::StatusOr<admin::HttpClientResponse> SendSms(
      const SendSmsRequest& request,
      absl::Duration timeout = absl::Seconds(10)) const;

  // The gateway goes down as in a crash: bearerbox and smsbox get SIGKILL;
  // fakesmsc, whose connection closes, is given up to 2 s to print what it
  // already received and exit (then SIGKILL). Returns once every line it
  // printed is in Received(). Idempotent.
  void StopGateway();
  // Starts the three again on the same ports and config, waiting as Start
  // does. OK if already running; errors as Start.
  absl::Status StartGateway();

  // When the keeper found smsbox dead (and started it again), oldest
  // first.
  std::vector<absl::Time> SmsboxExits() const;
  // The running smsbox's process id (for a test that kills it); 0 while
  // the gateway is down.
  pid_t smsbox_pid() const;

  // Every message the fake SMSC received since Start, across restarts, in
  // the order it printed them.
  std::vector<FakeSmscMessage> Received() const;
  // Waits until Received() holds at least `n` messages and returns them
  // all; DEADLINE_EXCEEDED (with the count) if it does not within
  // `timeout`.
  absl::StatusOr<std::vector<FakeSmscMessage>> WaitForReceived(
      size_t n, absl::Duration timeout) const;
  // Waits until nothing is on its way: bearerbox has no message queued for
  // the fake SMSC, and Received() holds every message bearerbox sent it
  // since the gateway last started. A message smsbox accepted in the last
  // moment may still be on its way to bearerbox: callers first make sure
  // nothing is being handed to smsbox. DEADLINE_EXCEEDED with bearerbox's
  // status after `timeout`; FAILED_PRECONDITION while the gateway is down.
  absl::Status AwaitDrained(absl::Duration timeout) const;

 private:
  explicit Kannel(KannelOptions options) : options_(std::move(options)) {}

  absl::Status WriteConfig();
  absl::Status OpenFakeSmscPipe();
  void ReadFakeSmscLines();
  // Writes a marker line into the FIFO and waits (up to 5 s) until the
  // reader has read it: every line fakesmsc printed before is handled.
  void SyncReader(const std::string& marker);
  absl::StatusOr<std::string> AdminStatus() const;
  // Polls bearerbox's status page until it contains `needle`; fails early
  // if `process` exits, showing the tail of `log`.
  absl::Status WaitForStatus(const std::string& needle, Process* process,
                             const std::string& log,
                             absl::Duration timeout) const;
  absl::Status LaunchGateway();
  // Starts smsbox and waits until it is connected and sendsms answers.
  absl::Status LaunchSmsbox();
  // The keeper thread: every 100 ms, smsbox exited -> LaunchSmsbox, until
  // StopKeeper.
  void KeepSmsbox();
  void StopKeeper();

  // Const after Start.
  KannelOptions options_;
  int admin_port_ = 0;
  int smsbox_port_ = 0;
  int smsc_port_ = 0;
  int sendsms_port_ = 0;
  std::string admin_password_;
  std::string config_;
  std::string fifo_;
  int fifo_fd_ = -1;  // read and write end of the fakesmsc FIFO
  std::thread reader_;

  // Used by the controlling thread only.
  std::unique_ptr<Process> bearerbox_;
  std::unique_ptr<Process> fakesmsc_;
  // While the keeper runs, only it touches smsbox_.
  std::unique_ptr<Process> smsbox_;
  int sync_count_ = 0;
  std::thread keeper_;

  mutable absl::Mutex keeper_mu_;
  bool keeper_stop_ ABSL_GUARDED_BY(keeper_mu_) = false;
  std::vector<absl::Time> smsbox_exits_ ABSL_GUARDED_BY(keeper_mu_);
  pid_t smsbox_pid_ ABSL_GUARDED_BY(keeper_mu_) = 0;

  mutable absl::Mutex mu_;
  std::vector<FakeSmscMessage> received_ ABSL_GUARDED_BY(mu_);
  // received_.size() when the gateway last started.
  size_t received_at_launch_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_marker_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_KANNEL_H_
