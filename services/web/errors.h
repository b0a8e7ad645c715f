// What the portal's user is told when a call fails (错误提示): the one table
// from a service's gRPC status to the gateway's HTTP status and a plain
// Chinese message (issue 15 item 2; web-contract.md "Errors"). Nothing else
// in the gateway writes a message for a service's refusal.
//
// The JSON body of every error is
//   {"error":{"code":"<lower_snake>","message":"<plain
//   Chinese>"[,"field":"<path>"]}}
// `field` (the request's field path, e.g. "petitioner.phone") lets a page
// put the message beside the field. A message never carries a gRPC code
// name, an English sentence or a stack trace: where the service's own text
// is not plain Chinese, the table's text stands in. A FAILED_PRECONDITION
// naming phone_proof is code "phone_code_invalid" with the service's
// Chinese reason (missing, expired, used, dead after too many wrong tries),
// or "短信验证码已失效，请重新获取验证码" when it gave none in Chinese.
//
// The console's calls (issue 16): UNAUTHENTICATED from accounts with a
// Chinese reason is the user's (Login: 401 login_failed, e.g. 用户名或密码
// 错误, 账号已停用; ChangePassword: 401 login_failed), without one the
// gateway's own identity was refused (503 as elsewhere); from
// Authenticate it is always 401 session_expired, 登录已失效，请重新登录. PERMISSION_DENIED and, from
// accounts, INVALID_ARGUMENT and NOT_FOUND carry the service's reason when
// it is plain Chinese (routing's role table, accounts' password policy).
//
// Thread safety: pure functions over constant tables.

#ifndef CASERELAY_SERVICES_WEB_ERRORS_H_
#define CASERELAY_SERVICES_WEB_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace caserelay::web {

// Which call failed: NOT_FOUND means something else on each.
enum class CallKind {
  kLookup,     // intake.GetCaseStatus: wrong case number or look-up code
  kSubmit,     // intake.SubmitPetition
  kPhoneCode,  // notification.SendPhoneCode
  kMyCase,     // routing.GetPetitionerView / Act for the session's case
  // The console (issue 16; console_api.h):
  kStaffLogin,    // accounts.Login: UNAUTHENTICATED is the user's (401)
  kStaffSession,  // accounts.Authenticate: UNAUTHENTICATED ends the session
  kAccounts,      // accounts' ChangePassword and office administration
  kConsole,       // routing, supervision, notification, intake for a user
};

struct ApiError {
  int http_status = 500;
  std::string code;     // lower_snake, stable for pages and tests
  std::string message;  // plain Chinese
  std::string field;    // the request field it concerns, or empty
  // Seconds for a Retry-After header; 0: none.
  int retry_after_seconds = 0;
};

// When a RESOURCE_EXHAUSTED answer names no time to wait.
inline constexpr int kDefaultRetryAfterSeconds = 60;

// The error for a failed call `kind` answered with `status` (not OK).
// `retry_after_seconds` is what the service said in its trailing metadata
// x-caserelay-retry-after (0: nothing), used for RESOURCE_EXHAUSTED.
ApiError FromRpc(CallKind kind, const grpc::Status& status,
                 int retry_after_seconds = 0);

// The Chinese name of a request field the services name in their messages
// ("petitioner.phone" -> "手机号码"; "matter.other_regions[2]" is
// "matter.other_regions"'s), or empty for a path it does not know.
std::string FieldName(absl::string_view path);

// The leading field path of a service's message ("matter.title: ..."),
// when it names a field FieldName knows; empty otherwise.
std::string FieldOf(absl::string_view message);

// The part of a service's message a petitioner can read: from its first
// Chinese character to the end, when that part has no English word (two
// or more Latin letters in a row); empty otherwise.
std::string ChinesePart(absl::string_view message);

// The body of `error` as JSON (UTF-8).
std::string ErrorJson(const ApiError& error);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_ERRORS_H_
