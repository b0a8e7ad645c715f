// KannelGateway: the SMS gateway (短信网关) through Kannel's HTTP sendsms
// interface (Kannel 1.4.5 user guide, "Sending SMS messages: sendsms"), and
// the two ends of Kannel's delivery reports (状态报告, "Delivery Reports").
//
// One part is one sendsms GET:
//   <sendsms_url>?username=..&password=..&to=<phone>[&from=..]
//     &text=<the part's UTF-16BE bytes, %-encoded>&coding=2&charset=UTF-16BE
//     [&udh=%05%00%03<reference><total><index>]   (only when total > 1)
//     [&smsc=..]&dlr-mask=<mask>&dlr-url=<our DLR URL, %-encoded>
// Our DLR URL is kannel.dlr_url (notification's admin HTTP /sms/dlr) with
//   m=<message id>&p=<index>&n=<total>&k=<MAC>&t=%d&a=%A&ts=%T
// appended; k binds the report to the deployment's secret (dlr_mac.h), and
// Kannel substitutes %d (the DLR type), %A (the SMSC's answer) and %T
// (unix time) when it calls back, once per part and DLR type.
//
// Kannel's answers (smsbox) and what SendPart makes of them, per the
// SmsGateway contract (gateway.h):
//   202 "0: Accepted for delivery"      ok: "kannel:<message id>/<index>"
//   202 "3: Queued for later delivery"  ok (no SMSC connected; Kannel keeps
//                                       the part and sends it later)
//   503 "Temporal failure, try again later." and any other 5xx
//                                       RESOURCE_EXHAUSTED (not taken)
//   403 "Authorization failed for sendsms"
//                                       PERMISSION_DENIED (terminal)
//   403 "Not routable. Do not try again." and any other 4xx (400 "Missing
//       receiver number, rejected", ...) INVALID_ARGUMENT (terminal)
//   (the two above with 200 instead of 202, as older Kannels answer: ok)
//   any other 2xx                       UNKNOWN (an answer Kannel does not
//                                       give: it may have taken the part)
//   3xx                                 FAILED_PRECONDITION (terminal: the
//                                       URL is not Kannel's sendsms)
//   no connection (HttpGet UNAVAILABLE) UNAVAILABLE
//   no answer (HttpGet UNKNOWN)         UNKNOWN
// Every error message carries Kannel's body.
//
// Thread safety: KannelGateway is thread-safe (its options are immutable
// after Create(); its idle kept-alive connections are guarded by a
// mutex); every other function here is pure.

#ifndef CASERELAY_SERVICES_NOTIFICATION_KANNEL_GATEWAY_H_
#define CASERELAY_SERVICES_NOTIFICATION_KANNEL_GATEWAY_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"
#include "common/config/config.h"
#include "services/notification/dlr_mac.h"
#include "services/notification/gateway.h"

namespace caserelay::notification {

struct KannelOptions {
  // http://host:port/cgi-bin/sendsms (smsbox's sendsms-port).
  std::string sendsms_url;
  // A sendsms-user group of Kannel's configuration.
  std::string username, password;
  // Sender number; empty: Kannel's global-sender (without one Kannel
  // answers 400 "Sender missing and no global set, rejected").
  std::string from;
  // Kannel's smsc-id to route through; empty: Kannel's routing decides.
  std::string smsc_id;
  // The URL Kannel calls with delivery reports: notification's admin HTTP
  // http://host:port/sms/dlr. May carry a query of its own.
  std::string dlr_url;
  // The delivery-report secrets (kannel.dlr_secret_path): the first signs
  // each dlr-url (dlr_mac.h). Required.
  DlrKeys dlr_keys;
  // Which DLR types Kannel reports (DlrOutcome): 27 = 1 + 2 + 8 + 16,
  // everything but "buffered". In [1, 31].
  int dlr_mask = 27;
  // Bounds each sendsms call (connect, request, answer).
  absl::Duration timeout = absl::Seconds(10);
  // Keep each connection to smsbox for the next sendsms (admin::
  // HttpConnection), one per call in flight, instead of one connection
  // per call: no connect per part, and a window of calls does not flood
  // smsbox's listen backlog of 10 (more connects at once wait a second).
  bool keep_alive = true;
};

// The kannel.* settings of notification's schema: kannel.sendsms_url,
// kannel.username, kannel.password (CASERELAY_KANNEL_PASSWORD keeps it out
// of the file), kannel.from, kannel.smsc_id, kannel.dlr_url,
// kannel.dlr_secret_path, kannel.dlr_mask, kannel.timeout,
// kannel.keep_alive. None is
// required by the schema (the dev-file gateway needs none);
// KannelOptionsFromConfig checks them.
std::vector<config::Setting> KannelSettings();

// Reads the kannel.* settings. REQUIRES: `config` was loaded with a schema
// that includes KannelSettings() (the getters abort otherwise).
// Returns INVALID_ARGUMENT naming the setting when kannel.sendsms_url,
// kannel.username, kannel.password, kannel.dlr_url or
// kannel.dlr_secret_path is empty, DlrKeys::Load's error when the secret
// file is not owner-only or holds no usable secret, when
// kannel.sendsms_url is not an http:// URL (admin::ParseHttpUrl), when
// kannel.dlr_url is not http(s)://, when kannel.dlr_mask is outside
// [1, 31] or kannel.timeout is 0.
absl::StatusOr<KannelOptions> KannelOptionsFromConfig(
    const config::Config& config);

// The dlr-url parameter for `part`, before %-encoding as a parameter:
// options.dlr_url + ('?' or '&') + "m=<message id>&p=<index>&n=<total>"
// + "&k=<DlrMac under options.dlr_keys.signing()>&t=%d&a=%A&ts=%T".
// REQUIRES: !options.dlr_keys.empty(). The message id is %-encoded, and every
// '%' that Kannel must not substitute (in the id's escapes and in
// options.dlr_url) is written "%%", which Kannel turns back into one '%'.
std::string KannelDlrUrl(const KannelOptions& options,
                         const OutgoingPart& part);

// The full sendsms URL for `part` (see the file comment), parameters in
// the order shown there.
// REQUIRES: ValidatePart(part) is OK.
std::string KannelSendsmsUrl(const KannelOptions& options,
                             const OutgoingPart& part);

// OK when `part` can be sent: non-empty message_id, phone and text, total
// in [1, 255], index in [1, total], reference in [0, 255]. Otherwise
// INVALID_ARGUMENT naming the field.
absl::Status ValidatePart(const OutgoingPart& part);

// What Kannel's answer to sendsms means (the table in the file comment):
// OK when Kannel took the part, otherwise the status SendPart returns,
// with at most 200 bytes of `body` in its message, made valid UTF-8 and
// cut on a code-point boundary.
absl::Status ClassifySendsmsAnswer(int http_status, std::string_view body);

// The longest SMSC answer kept of a delivery report, in bytes.
inline constexpr size_t kMaxSmscAnswerBytes = 200;

// One delivery report, as Kannel calls our DLR URL back.
struct DeliveryReport {
  std::string message_id;   // m
  int part = 1, parts = 1;  // p, n: 1 <= part <= parts <= 255
  int type = 0;             // t: Kannel's DLR type (%d), see DlrOutcome
  // a: the SMSC's answer (%A), e.g. "ACK/"; may be empty. Untrusted: made
  // valid UTF-8 (invalid bytes become U+FFFD) and cut on a code-point
  // boundary to kMaxSmscAnswerBytes plus "...".
  std::string smsc_answer;
  // ts: unix seconds (%T); absl::InfinitePast() when Kannel sent it empty
  // (it knew no time for the report).
  absl::Time at = absl::InfinitePast();
};

// Parses the (already URL-decoded) query of a DLR callback, e.g.
// HttpRequest::query of GET /sms/dlr?m=..&p=..&n=..&t=..&a=..&ts=.. .
// Returns INVALID_ARGUMENT naming the parameter that is missing or bad: m
// empty; p, n not decimal or not 1 <= p <= n <= 255; t not one of Kannel's
// DLR types (ClassifyDlrType); ts not decimal (empty is allowed). a may be
// missing or empty.
absl::StatusOr<DeliveryReport> ParseDeliveryReport(
    const std::map<std::string, std::string>& query);

// What one DLR says about one part (Kannel 1.4.5 user guide, "Delivery
// Reports": the types Kannel reports and dlr-mask selects).
enum class DlrOutcome {
  // Type 1, "delivery success": the SMSC reports the part delivered to the
  // phone. Final.
  kDelivered,
  // Type 2, "delivery failure": the SMSC reports the part could not be
  // delivered to the phone (expired, rejected, undeliverable). Final.
  // Type 16, "SMSC reject": the SMSC refused the part (Kannel's answer
  // starts "NACK/"). Final.
  kFailed,
  // Type 8, "SMSC submit": the SMSC accepted the part (answer "ACK/...").
  // Not final: proof that the part left Kannel, a delivery report follows.
  kSmscAccepted,
  // Type 4, "message buffered": the SMSC holds the part (the phone is off
  // or unreachable). Not final.
  kQueued,
};

// Classifies Kannel's DLR type (%d): 1 kDelivered, 2 kFailed, 4 kQueued,
// 8 kSmscAccepted, 16 kFailed. Returns INVALID_ARGUMENT naming the type for
// anything else (Kannel sends one type per call, never a sum).
absl::StatusOr<DlrOutcome> ClassifyDlrType(int type);

// True for the outcomes after which no further report changes the part's
// fate: kDelivered and kFailed.
bool IsFinal(DlrOutcome outcome);

class KannelGateway final : public SmsGateway {
 public:
  // Checks `options` as KannelOptionsFromConfig does (naming the option
  // field, e.g. "sendsms_url") and returns the gateway. INVALID_ARGUMENT
  // for bad options.
  static absl::StatusOr<std::unique_ptr<KannelGateway>> Create(
      KannelOptions options);

  std::string name() const override { return "kannel"; }

  // One sendsms GET (KannelSendsmsUrl), on an idle kept-alive connection
  // (or a new one) with options.keep_alive, on a connection of its own
  // otherwise; the answer mapped by ClassifySendsmsAnswer. A connection
  // goes back to the idle ones after a complete answer, and is dropped
  // after an error. Returns "kannel:<message id>/<index>" when
  // Kannel took the part; INVALID_ARGUMENT without a call when
  // ValidatePart(part) fails; UNAVAILABLE when Kannel could not be reached
  // (the part certainly was not sent); UNKNOWN when the call was made but
  // no answer came within options.timeout (it may have been sent); the
  // codes of ClassifySendsmsAnswer otherwise.
  absl::StatusOr<std::string> SendPart(const OutgoingPart& part) override;

  // Always UNIMPLEMENTED: Kannel's sendsms interface cannot be asked
  // whether it took a message. A delivery report (DLR type 8 at the
  // latest, if dlr-mask includes it) or an operator decides.
  absl::StatusOr<std::optional<std::string>> Find(const std::string& message_id,
                                                  int index) override;

 private:
  explicit KannelGateway(KannelOptions options)
      : options_(std::move(options)) {}

  // One GET of `target` (the path and query of a sendsms URL).
  absl::StatusOr<admin::HttpClientResponse> Get(const std::string& url);

  const KannelOptions options_;
  absl::Mutex mu_;
  // Kept-alive connections to smsbox not in use (at most one per call
  // that was in flight at once).
  std::vector<std::unique_ptr<admin::HttpConnection>> idle_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_KANNEL_GATEWAY_H_
