#include "services/web/errors.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caserelay::web {
namespace {

// The fields the services name (intake's validation, notification's
// phone check, the gateway's own bodies) and what the form calls them.
struct FieldRow {
  absl::string_view path;
  absl::string_view name;
};
constexpr FieldRow kFields[] = {
    {"petitioner.name", "姓名"},
    {"petitioner.id_number", "身份证号码"},
    {"petitioner.phone", "手机号码"},
    {"petitioner.address", "联系地址"},
    {"petitioner", "信访人信息"},
    {"matter.region_code", "事项发生地"},
    {"matter.category", "事项类别"},
    {"matter.matter_class", "事项性质"},
    {"matter.title", "标题"},
    {"matter.text", "诉求内容"},
    {"matter.accused_offices", "被反映单位"},
    {"matter.accused", "被反映对象"},
    {"matter.lodged_with", "受理机关"},
    {"matter.other_regions", "其他涉及地区"},
    {"matter.other_categories", "其他涉及类别"},
    {"matter.statutory_route", "法定途径"},
    {"matter", "信访事项"},
    {"phone_proof.code", "短信验证码"},
    {"phone_proof", "短信验证码"},
    {"request_id", "请求编号"},
    {"phone", "手机号码"},
    {"case_number", "案件编号"},
    {"lookup_code", "查询码"},
    {"satisfaction", "满意度"},
    {"comment", "评价意见"},
    {"reason", "理由"},
    {"kind", "申请类型"},
    {"office_code", "复查（复核）机关"},
    // The console's accounts (issue 16).
    {"username", "用户名"},
    {"display_name", "姓名"},
    {"password", "密码"},
    {"old_password", "原密码"},
    {"new_password", "新密码"},
    {"roles", "角色"},
    {"matter.channel", "信访形式"},
    {"expected_version", "案件版本"},
    // 领导接访安排 (issue 18 item 1): intake's reception fields.
    {"leader_name", "接访领导姓名"},
    {"leader_title", "职务"},
    {"day", "接访日期"},
    {"place", "接访地点"},
    {"topic", "主要接待事项"},
    {"reception_id", "领导接访"},
    {"from_day", "开始日期"},
    {"to_day", "结束日期"},
};

// One row per gRPC code: what the user is told when the service gives
// nothing better. NOT_FOUND depends on the call (below).
struct CodeRow {
  grpc::StatusCode code;
  int http_status;
  absl::string_view error_code;
  absl::string_view message;
};
constexpr CodeRow kCodes[] = {
    {grpc::StatusCode::INVALID_ARGUMENT, 400, "invalid_field",
     "填写的内容有误，请检查后重新提交"},
    {grpc::StatusCode::OUT_OF_RANGE, 400, "invalid_field",
     "填写的内容有误，请检查后重新提交"},
    {grpc::StatusCode::NOT_FOUND, 404, "not_found",
     "未找到该信访事项，请重新查询"},
    {grpc::StatusCode::RESOURCE_EXHAUSTED, 429, "too_many_attempts",
     "尝试次数过多，请稍后再试"},
    {grpc::StatusCode::PERMISSION_DENIED, 403, "forbidden",
     "您无权查看或办理此项，请重新查询"},
    {grpc::StatusCode::FAILED_PRECONDITION, 409, "not_allowed_now",
     "当前不能办理此项，请刷新页面查看最新办理情况"},
    {grpc::StatusCode::ABORTED, 409, "case_changed",
     "案件办理情况已有变化，请刷新页面后重试"},
    {grpc::StatusCode::ALREADY_EXISTS, 409, "already_submitted",
     "该信访事项已经提交过，请勿重复提交"},
    {grpc::StatusCode::UNAVAILABLE, 503, "unavailable", "系统繁忙，请稍后再试"},
    {grpc::StatusCode::DEADLINE_EXCEEDED, 503, "unavailable",
     "系统繁忙，请稍后再试"},
    // The gateway's own identity refused: a deployment fault, not the
    // user's; they can only wait.
    {grpc::StatusCode::UNAUTHENTICATED, 503, "unavailable",
     "系统繁忙，请稍后再试"},
};
constexpr CodeRow kOtherwise = {grpc::StatusCode::INTERNAL, 500, "internal",
                                "系统出现问题，请稍后再试"};

// Decodes the code point at `s[*i]`, advancing *i; U+FFFD for a bad byte.
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80         ? 1
            : (c >> 5) == 6  ? 2
            : (c >> 4) == 14 ? 3
            : (c >> 3) == 30 ? 4
                             : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

bool IsHan(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

bool HasEnglishWord(absl::string_view s) {
  int run = 0;
  for (char c : s) {
    run = absl::ascii_isalpha(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 2) return true;
  }
  return false;
}

}  // namespace

std::string FieldName(absl::string_view path) {
  for (const FieldRow& row : kFields) {
    if (path == row.path) return std::string(row.name);
    // "matter.other_regions[2]" is the list's.
    if (path.size() > row.path.size() &&
        path.substr(0, row.path.size()) == row.path &&
        path[row.path.size()] == '[') {
      return std::string(row.name);
    }
  }
  return "";
}

std::string FieldOf(absl::string_view message) {
  const size_t colon = message.find(':');
  if (colon == absl::string_view::npos) return "";
  absl::string_view path = message.substr(0, colon);
  if (FieldName(path).empty()) return "";
  const size_t bracket = path.find('[');
  return std::string(path.substr(0, bracket));
}

std::string ChinesePart(absl::string_view message) {
  size_t i = 0;
  while (i < message.size()) {
    const size_t start = i;
    if (IsHan(NextCodePoint(message, &i))) {
      absl::string_view rest = message.substr(start);
      if (HasEnglishWord(rest)) return "";
      return std::string(rest);
    }
  }
  return "";
}

ApiError FromRpc(CallKind kind, const grpc::Status& status,
                 int retry_after_seconds) {
  const CodeRow* row = &kOtherwise;
  for (const CodeRow& r : kCodes) {
    if (r.code == status.error_code()) row = &r;
  }
  ApiError error{row->http_status, std::string(row->error_code),
                 std::string(row->message), "", 0};
  const std::string& said = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT: {
      error.field = FieldOf(said);
      const std::string detail = ChinesePart(said);
      if (!error.field.empty()) {
        error.message = absl::StrCat("请检查“", FieldName(error.field), "”",
                                     detail.empty() ? "一项" : "：", detail);
      } else if (kind == CallKind::kAccounts && !detail.empty()) {
        error.message = detail;  // e.g. the password policy's words
      }
      break;
    }
    case grpc::StatusCode::NOT_FOUND:
      if (kind == CallKind::kLookup) {
        error.code = "lookup_failed";
        error.message = "案件编号或查询码不正确";
      } else if (kind == CallKind::kAccounts) {
        error.code = "unknown_user";
        error.message = "未找到该用户";
      }
      break;
    case grpc::StatusCode::UNAUTHENTICATED: {
      const bool staff = kind == CallKind::kStaffLogin ||
                         kind == CallKind::kStaffSession ||
                         kind == CallKind::kAccounts;
      const std::string reason = ChinesePart(said);
      if (kind == CallKind::kStaffSession) {
        // Unknown, expired or disabled: accounts says no more.
        error.http_status = 401;
        error.code = "session_expired";
        error.message = "登录已失效，请重新登录";
        break;
      }
      if (!staff || reason.empty()) break;  // the gateway's own identity
      error.http_status = 401;
      error.code = "login_failed";
      error.message = reason;
      break;
    }
    case grpc::StatusCode::PERMISSION_DENIED: {
      if (kind != CallKind::kConsole && kind != CallKind::kAccounts) break;
      const std::string reason = ChinesePart(said);
      if (!reason.empty()) error.message = reason;
      break;
    }
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      error.retry_after_seconds = retry_after_seconds > 0
                                      ? retry_after_seconds
                                      : kDefaultRetryAfterSeconds;
      break;
    case grpc::StatusCode::FAILED_PRECONDITION: {
      error.field = FieldOf(said);
      const std::string reason = ChinesePart(said);
      if (error.field == "phone_proof" || error.field == "phone_proof.code") {
        // The services say which (not yet verified, expired, used, dead
        // after too many wrong tries, not sent): the petitioner reads
        // their Chinese reason; an English one is never shown.
        error.code = "phone_code_invalid";
        error.message =
            reason.empty() ? "短信验证码已失效，请重新获取验证码" : reason;
        break;
      }
      if (!reason.empty()) error.message = reason;
      break;
    }
    default:
      break;
  }
  return error;
}

std::string ErrorJson(const ApiError& error) {
  google::protobuf::Struct inner;
  (*inner.mutable_fields())["code"].set_string_value(error.code);
  (*inner.mutable_fields())["message"].set_string_value(error.message);
  if (!error.field.empty()) {
    (*inner.mutable_fields())["field"].set_string_value(error.field);
  }
  google::protobuf::Struct outer;
  *(*outer.mutable_fields())["error"].mutable_struct_value() = inner;
  std::string json;
  // A Struct of strings always prints.
  (void)google::protobuf::util::MessageToJsonString(outer, &json);
  return json;
}

}  // namespace caserelay::web
