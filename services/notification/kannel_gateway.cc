#include "services/notification/kannel_gateway.h"

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/admin/http_client.h"
#include "common/text/utf8.h"
#include "domain/sms/segment.h"

namespace caserelay::notification {
namespace {

using ::caserelay::admin::UrlEncode;

// Kannel replaces "%%" in a dlr-url by '%' and "%<letter>" by a field of
// the report; doubling keeps our own '%' (of %-escapes) from being read as
// one of its codes ("%C3" would become the charset).
std::string DoublePercent(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out.push_back(c);
    if (c == '%') out.push_back('%');
  }
  return out;
}

// Appends "name=value" to a URL being built, value %-encoded.
void AddParam(std::string* url, absl::string_view name,
              absl::string_view value) {
  absl::StrAppend(url, "&", name, "=",
                  UrlEncode(std::string_view(value.data(), value.size())));
}

// "?" to start a query after `url`, "&" to continue one, "" if `url` ends
// with either.
absl::string_view QuerySeparator(absl::string_view url) {
  if (url.find('?') == absl::string_view::npos) return "?";
  if (absl::EndsWith(url, "?") || absl::EndsWith(url, "&")) return "";
  return "&";
}

// Parses a plain decimal (digits only) in [0, max]; false otherwise.
bool ParseDecimal(absl::string_view text, int64_t max, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  if (value > max) return false;
  *out = value;
  return true;
}

// At most 200 bytes of Kannel's answer, for error messages (which end up
// in a stored record): valid UTF-8, never cut inside a character.
std::string Excerpt(absl::string_view body) {
  body = absl::StripAsciiWhitespace(body);
  return text::ValidExcerpt(std::string_view(body.data(), body.size()), 200);
}

// Checks the options; `prefix` names them ("config: kannel." or
// "KannelOptions.").
absl::Status CheckOptions(const KannelOptions& options,
                          absl::string_view prefix) {
  auto bad = [prefix](absl::string_view name, absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(prefix, name, " ", why));
  };
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{
                                        "sendsms_url", &options.sendsms_url},
                                    {"username", &options.username},
                                    {"password", &options.password},
                                    {"dlr_url", &options.dlr_url}}) {
    if (value->empty()) {
      return bad(name, "is required with notification.gateway = kannel");
    }
  }
  if (options.dlr_keys.empty()) {
    return bad("dlr_secret_path",
               "is required with notification.gateway = kannel (a file, mode "
               "600, with a secret of at least 32 bytes: openssl rand -hex "
               "32)");
  }
  absl::StatusOr<admin::HttpUrl> sendsms =
      admin::ParseHttpUrl(options.sendsms_url);
  if (!sendsms.ok()) return bad("sendsms_url", sendsms.status().message());
  const absl::string_view dlr_url = options.dlr_url;
  if (!absl::StartsWithIgnoreCase(dlr_url, "http://") &&
      !absl::StartsWithIgnoreCase(dlr_url, "https://")) {
    return bad("dlr_url", "must be an http:// or https:// URL");
  }
  for (char c : dlr_url) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return bad("dlr_url", "has a space, control or non-ASCII byte");
    }
  }
  if (options.dlr_mask < 1 || options.dlr_mask > 31) {
    return bad("dlr_mask",
               absl::StrCat(options.dlr_mask, " is outside [1, 31]"));
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return bad("timeout", "must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<config::Setting> KannelSettings() {
  using T = config::Setting::Type;
  return {
      {"kannel.sendsms_url", T::kString, "", false,
       "Kannel smsbox's sendsms URL, e.g. "
       "http://127.0.0.1:13013/cgi-bin/sendsms (notification.gateway = "
       "kannel)"},
      {"kannel.username", T::kString, "", false,
       "username of Kannel's sendsms-user group"},
      {"kannel.password", T::kString, "", false,
       "password of Kannel's sendsms-user group (set it through "
       "CASERELAY_KANNEL_PASSWORD rather than the file)"},
      {"kannel.from", T::kString, "", false,
       "sender number of the SMS; empty: Kannel's global-sender"},
      {"kannel.smsc_id", T::kString, "", false,
       "Kannel smsc-id to send through; empty: Kannel's routing decides"},
      {"kannel.dlr_url", T::kString, "", false,
       "URL Kannel calls with delivery reports: notification's admin HTTP, "
       "http://host:port/sms/dlr"},
      {"kannel.dlr_secret_path", T::kPath, "", false,
       "file (mode 600) with the secret that signs each dlr-url, one per "
       "line, at least 32 bytes (openssl rand -hex 32); the first signs, "
       "every line is accepted (rotation)"},
      {"kannel.dlr_mask", T::kInt, "27", false,
       "delivery reports asked of Kannel, a sum of 1 delivered, 2 failed, "
       "4 buffered, 8 SMSC accepted, 16 SMSC rejected"},
      {"kannel.timeout", T::kDuration, "10s", false,
       "longest wait for Kannel's answer to one sendsms call; past it the "
       "part is 'unknown' until a delivery report or an operator decides"},
      {"kannel.keep_alive", T::kBool, "true", false,
       "keep each connection to smsbox for the next sendsms (one per SMS in "
       "flight, sms.window) instead of connecting per part"},
  };
}

absl::StatusOr<KannelOptions> KannelOptionsFromConfig(
    const config::Config& config) {
  KannelOptions options;
  options.sendsms_url = config.GetString("kannel.sendsms_url");
  options.username = config.GetString("kannel.username");
  options.password = config.GetString("kannel.password");
  options.from = config.GetString("kannel.from");
  options.smsc_id = config.GetString("kannel.smsc_id");
  options.dlr_url = config.GetString("kannel.dlr_url");
  if (config.Has("kannel.dlr_secret_path")) {
    auto keys = DlrKeys::Load(config.GetPath("kannel.dlr_secret_path"));
    if (!keys.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: kannel.dlr_secret_path: ", keys.status().message()));
    }
    options.dlr_keys = *std::move(keys);
  }
  const int64_t mask = config.GetInt("kannel.dlr_mask");
  if (mask < 1 || mask > 31) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: kannel.dlr_mask ", mask, " is outside [1, 31]"));
  }
  options.dlr_mask = static_cast<int>(mask);
  options.timeout = config.GetDuration("kannel.timeout");
  options.keep_alive = config.GetBool("kannel.keep_alive");
  absl::Status checked = CheckOptions(options, "config: kannel.");
  if (!checked.ok()) return checked;
  return options;
}

std::string KannelDlrUrl(const KannelOptions& options,
                         const OutgoingPart& part) {
  return absl::StrCat(
      DoublePercent(options.dlr_url), QuerySeparator(options.dlr_url),
      "m=", DoublePercent(UrlEncode(part.message_id)), "&p=", part.index,
      "&n=", part.total, "&", kDlrMacParam, "=",
      DlrMac(options.dlr_keys.signing(), part.message_id, part.index,
             part.total),
      "&t=%d&a=%A&ts=%T");
}

std::string KannelSendsmsUrl(const KannelOptions& options,
                             const OutgoingPart& part) {
  std::string url =
      absl::StrCat(options.sendsms_url, QuerySeparator(options.sendsms_url),
                   "username=", UrlEncode(options.username));
  AddParam(&url, "password", options.password);
  AddParam(&url, "to", part.phone);
  if (!options.from.empty()) AddParam(&url, "from", options.from);
  AddParam(&url, "text", sms::ToUcs2BigEndianBytes(part.text));
  AddParam(&url, "coding", "2");
  AddParam(&url, "charset", "UTF-16BE");
  if (part.total > 1) {
    // Concatenation information element (3GPP TS 23.040 9.2.3.24.1):
    // header length 5, IEI 0, IE length 3, reference, total, index.
    const char udh[] = {5,
                        0,
                        3,
                        static_cast<char>(part.reference),
                        static_cast<char>(part.total),
                        static_cast<char>(part.index)};
    AddParam(&url, "udh", absl::string_view(udh, sizeof(udh)));
  }
  if (!options.smsc_id.empty()) AddParam(&url, "smsc", options.smsc_id);
  AddParam(&url, "dlr-mask", absl::StrCat(options.dlr_mask));
  AddParam(&url, "dlr-url", KannelDlrUrl(options, part));
  return url;
}

absl::Status ValidatePart(const OutgoingPart& part) {
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("OutgoingPart.", why));
  };
  if (part.message_id.empty()) return bad("message_id is empty");
  if (part.phone.empty()) return bad("phone is empty");
  if (part.text.empty()) return bad("text is empty");
  if (part.total < 1 || part.total > 255) {
    return bad(absl::StrCat("total ", part.total, " is outside [1, 255]"));
  }
  if (part.index < 1 || part.index > part.total) {
    return bad(absl::StrCat("index ", part.index, " is outside [1, ",
                            part.total, "]"));
  }
  if (part.reference < 0 || part.reference > 255) {
    return bad(
        absl::StrCat("reference ", part.reference, " is outside [0, 255]"));
  }
  return absl::OkStatus();
}

absl::Status ClassifySendsmsAnswer(int http_status, std::string_view body_in) {
  const absl::string_view body(body_in.data(), body_in.size());
  const absl::string_view answer = absl::StripLeadingAsciiWhitespace(body);
  const std::string said =
      absl::StrCat("Kannel answered ", http_status, " \"", Excerpt(body), "\"");
  if ((http_status == 202 || http_status == 200) &&
      (absl::StartsWith(answer, "0:") || absl::StartsWith(answer, "3:"))) {
    return absl::OkStatus();
  }
  if (http_status >= 200 && http_status <= 299) {
    return absl::UnknownError(absl::StrCat(
        said,
        ", not \"0: Accepted\" nor \"3: Queued\": it may have taken "
        "the part"));
  }
  if (http_status >= 300 && http_status <= 399) {
    return absl::FailedPreconditionError(absl::StrCat(
        said, ": kannel.sendsms_url is not Kannel's sendsms (a redirect)"));
  }
  if (http_status == 403 && absl::StrContains(answer, "Authorization failed")) {
    return absl::PermissionDeniedError(
        absl::StrCat(said,
                     ": check kannel.username and kannel.password against the "
                     "sendsms-user group"));
  }
  if (http_status >= 400 && http_status <= 499) {
    return absl::InvalidArgumentError(
        absl::StrCat(said, ": the part was refused"));
  }
  if (http_status >= 500 && http_status <= 599) {
    return absl::ResourceExhaustedError(
        absl::StrCat(said, ": not taken, try again later"));
  }
  return absl::UnknownError(absl::StrCat(said, ": not an HTTP final status"));
}

absl::StatusOr<DeliveryReport> ParseDeliveryReport(
    const std::map<std::string, std::string>& query) {
  auto bad = [](absl::string_view name, absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("delivery report parameter ", name, " ", why));
  };
  auto get = [&query](const char* name) -> const std::string* {
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  };
  DeliveryReport report;
  const std::string* m = get("m");
  if (m == nullptr || m->empty()) return bad("m", "(message id) is missing");
  report.message_id = *m;

  int64_t value = 0;
  const std::string* n = get("n");
  if (n == nullptr) return bad("n", "(parts) is missing");
  if (!ParseDecimal(*n, 255, &value) || value < 1) {
    return bad("n", absl::StrCat("\"", *n, "\" is not a part count 1..255"));
  }
  report.parts = static_cast<int>(value);
  const std::string* p = get("p");
  if (p == nullptr) return bad("p", "(part) is missing");
  if (!ParseDecimal(*p, report.parts, &value) || value < 1) {
    return bad("p",
               absl::StrCat("\"", *p, "\" is not a part 1..", report.parts));
  }
  report.part = static_cast<int>(value);

  const std::string* t = get("t");
  if (t == nullptr) return bad("t", "(DLR type) is missing");
  if (!ParseDecimal(*t, 1 << 20, &value) ||
      !ClassifyDlrType(static_cast<int>(value)).ok()) {
    return bad("t", absl::StrCat("\"", *t,
                                 "\" is not a Kannel DLR type 1, 2, 4, 8, 16"));
  }
  report.type = static_cast<int>(value);

  if (const std::string* a = get("a")) {
    report.smsc_answer = text::ValidExcerpt(*a, kMaxSmscAnswerBytes);
  }

  const std::string* ts = get("ts");
  if (ts == nullptr) return bad("ts", "(time) is missing");
  if (!ts->empty()) {
    if (!ParseDecimal(*ts, int64_t{1} << 40, &value)) {
      return bad("ts", absl::StrCat("\"", *ts, "\" is not unix seconds"));
    }
    report.at = absl::FromUnixSeconds(value);
  }
  return report;
}

absl::StatusOr<DlrOutcome> ClassifyDlrType(int type) {
  switch (type) {
    case 1:
      return DlrOutcome::kDelivered;
    case 2:
    case 16:
      return DlrOutcome::kFailed;
    case 4:
      return DlrOutcome::kQueued;
    case 8:
      return DlrOutcome::kSmscAccepted;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "DLR type ", type, " is not one of Kannel's 1, 2, 4, 8, 16"));
}

bool IsFinal(DlrOutcome outcome) {
  return outcome == DlrOutcome::kDelivered || outcome == DlrOutcome::kFailed;
}

absl::StatusOr<std::unique_ptr<KannelGateway>> KannelGateway::Create(
    KannelOptions options) {
  absl::Status checked = CheckOptions(options, "KannelOptions.");
  if (!checked.ok()) return checked;
  return std::unique_ptr<KannelGateway>(new KannelGateway(std::move(options)));
}

absl::StatusOr<std::string> KannelGateway::SendPart(const OutgoingPart& part) {
  absl::Status valid = ValidatePart(part);
  if (!valid.ok()) return valid;
  // The URL carries the password and the phone number: it goes in no
  // message. HttpGet's messages name only host:port.
  const std::string what =
      absl::StrCat("kannel sendsms of ", part.message_id, " part ", part.index,
                   "/", part.total, ": ");
  absl::StatusOr<admin::HttpClientResponse> response =
      Get(KannelSendsmsUrl(options_, part));
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat(what, response.status().message()));
  }
  absl::Status answer = ClassifySendsmsAnswer(response->status, response->body);
  if (!answer.ok()) {
    return absl::Status(answer.code(), absl::StrCat(what, answer.message()));
  }
  return absl::StrCat("kannel:", part.message_id, "/", part.index);
}

absl::StatusOr<admin::HttpClientResponse> KannelGateway::Get(
    const std::string& url) {
  if (!options_.keep_alive) return admin::HttpGet(url, options_.timeout);
  absl::StatusOr<admin::HttpUrl> parsed = admin::ParseHttpUrl(url);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<admin::HttpConnection> connection;
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (connection == nullptr) {
    auto made = admin::HttpConnection::Create(url);
    if (!made.ok()) return made.status();
    connection = *std::move(made);
  }
  absl::StatusOr<admin::HttpClientResponse> response =
      connection->Get(parsed->target, options_.timeout);
  if (response.ok()) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(connection));
  }
  return response;
}

absl::StatusOr<std::optional<std::string>> KannelGateway::Find(
    const std::string& message_id, int index) {
  return absl::UnimplementedError(absl::StrCat(
      "kannel cannot be asked whether it took ", message_id, " part ", index,
      ": its sendsms interface has no query; a delivery report or an "
      "operator decides"));
}

}  // namespace caserelay::notification
