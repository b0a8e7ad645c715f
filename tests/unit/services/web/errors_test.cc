// The one table from a service's gRPC status to what the portal's user
// reads (services/web/errors.h; issue 15 item 2, web-contract.md
// "Errors").

#include "services/web/errors.h"

#include <string>

#include "gtest/gtest.h"

namespace caserelay::web {
namespace {

using grpc::StatusCode;

// True if `s` has two Latin letters in a row (an English word or a gRPC
// code name).
bool HasLatinWord(const std::string& s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>(s[i])) &&
        std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
      return true;
    }
  }
  return false;
}

TEST(ErrorTableTest, MapsEachCodeToStatusAndPlainChinese) {
  struct Row {
    const char* why;
    CallKind kind;
    StatusCode code;
    const char* said;
    int retry_after;
    int http;
    const char* error_code;
    const char* message;  // exact
    const char* field;
    int retry_header;
  };
  const Row rows[] = {
      {"w1: wrong case number or code on look-up is 404 in Chinese",
       CallKind::kLookup, StatusCode::NOT_FOUND,
       "no case with that number and look-up code", 0, 404, "lookup_failed",
       "案件编号或查询码不正确", "", 0},
      {"NOT_FOUND elsewhere: the case is not (yet) known", CallKind::kMyCase,
       StatusCode::NOT_FOUND, "case SX-1 not found", 0, 404, "not_found",
       "未找到该信访事项，请重新查询", "", 0},
      {"issue 15 item 3: locked after failures is 429 with Retry-After "
       "(the default when the service names none)",
       CallKind::kLookup, StatusCode::RESOURCE_EXHAUSTED,
       "too many look-ups; try later", 0, 429, "too_many_attempts",
       "尝试次数过多，请稍后再试", "", kDefaultRetryAfterSeconds},
      {"notification's x-caserelay-retry-after is the Retry-After",
       CallKind::kPhoneCode, StatusCode::RESOURCE_EXHAUSTED,
       "too many codes for this phone", 120, 429, "too_many_attempts",
       "尝试次数过多，请稍后再试", "", 120},
      {"w1: INVALID_ARGUMENT names the field in Chinese, with intake's "
       "Chinese detail",
       CallKind::kSubmit, StatusCode::INVALID_ARGUMENT,
       "matter.title: 最多 200 个字符，收到 201 个", 0, 400, "invalid_field",
       "请检查“标题”：最多 200 个字符，收到 201 个", "matter.title", 0},
      {"an English detail is not shown; the field still is", CallKind::kSubmit,
       StatusCode::INVALID_ARGUMENT,
       "petitioner.phone: not a mainland mobile number", 0, 400,
       "invalid_field", "请检查“手机号码”一项", "petitioner.phone", 0},
      {"a list item names its list", CallKind::kSubmit,
       StatusCode::INVALID_ARGUMENT, "matter.other_regions[2]: unknown region",
       0, 400, "invalid_field", "请检查“其他涉及地区”一项",
       "matter.other_regions", 0},
      {"no field named: the table's text", CallKind::kSubmit,
       StatusCode::INVALID_ARGUMENT, "bad request", 0, 400, "invalid_field",
       "填写的内容有误，请检查后重新提交", "", 0},
      {"W2: a wrong SMS code names 短信验证码", CallKind::kSubmit,
       StatusCode::INVALID_ARGUMENT, "phone_proof.code: 验证码不正确", 0, 400,
       "invalid_field", "请检查“短信验证码”：验证码不正确", "phone_proof.code",
       0},
      {"W2: an expired, used or dead code: get a new one", CallKind::kSubmit,
       StatusCode::FAILED_PRECONDITION, "phone_proof: challenge expired", 0,
       409, "phone_code_invalid", "短信验证码已失效，请重新获取验证码",
       "phone_proof", 0},
      {"C1/W2: intake's 'not verified yet' reaches the petitioner",
       CallKind::kSubmit, StatusCode::FAILED_PRECONDITION,
       "phone_proof: 请先验证手机号码：获取短信验证码并填写后再提交。", 0,
       409, "phone_code_invalid",
       "请先验证手机号码：获取短信验证码并填写后再提交。", "phone_proof", 0},
      {"C1/W2: notification's 'expired' reaches the petitioner",
       CallKind::kSubmit, StatusCode::FAILED_PRECONDITION,
       "phone_proof: 验证码已过期，请重新获取验证码。", 0, 409,
       "phone_code_invalid", "验证码已过期，请重新获取验证码。", "phone_proof",
       0},
      {"C1/W2: notification's 'used' (single use) reaches the petitioner",
       CallKind::kSubmit, StatusCode::FAILED_PRECONDITION,
       "phone_proof: 验证码已使用，请重新获取验证码。", 0, 409,
       "phone_code_invalid", "验证码已使用，请重新获取验证码。", "phone_proof",
       0},
      {"C1/W2: notification's 'dead after 5 wrong tries' reaches the "
       "petitioner",
       CallKind::kSubmit, StatusCode::FAILED_PRECONDITION,
       "phone_proof: 验证码错误次数过多，已失效，请重新获取验证码。", 0, 409,
       "phone_code_invalid", "验证码错误次数过多，已失效，请重新获取验证码。",
       "phone_proof", 0},
      {"C1: a phone_proof reason in English is never shown",
       CallKind::kSubmit, StatusCode::FAILED_PRECONDITION,
       "phone_proof: 验证码 redeemed twice", 0, 409, "phone_code_invalid",
       "短信验证码已失效，请重新获取验证码", "phone_proof", 0},
      {"w1: FAILED_PRECONDITION is 409 with the service's Chinese reason "
       "(window passed)",
       CallKind::kMyCase, StatusCode::FAILED_PRECONDITION,
       "Art. 35: 复查申请期限已过（截至2026年12月1日）", 0, 409,
       "not_allowed_now", "复查申请期限已过（截至2026年12月1日）", "", 0},
      {"a reason in English is replaced by the table's Chinese",
       CallKind::kMyCase, StatusCode::FAILED_PRECONDITION,
       "illegal in state REPLIED", 0, 409, "not_allowed_now",
       "当前不能办理此项，请刷新页面查看最新办理情况", "", 0},
      {"w1: PERMISSION_DENIED 403", CallKind::kMyCase,
       StatusCode::PERMISSION_DENIED, "petitioner of another case", 0, 403,
       "forbidden", "您无权查看或办理此项，请重新查询", "", 0},
      {"stale version: refresh", CallKind::kMyCase, StatusCode::ABORTED,
       "expected_version: case at 5, not 4", 0, 409, "case_changed",
       "案件办理情况已有变化，请刷新页面后重试", "", 0},
      {"request_id reused with another petition", CallKind::kSubmit,
       StatusCode::ALREADY_EXISTS, "request_id: used", 0, 409,
       "already_submitted", "该信访事项已经提交过，请勿重复提交", "", 0},
      {"w1: UNAVAILABLE 503 系统繁忙", CallKind::kSubmit,
       StatusCode::UNAVAILABLE, "connection refused", 0, 503, "unavailable",
       "系统繁忙，请稍后再试", "", 0},
      {"w1: DEADLINE 503 系统繁忙", CallKind::kLookup,
       StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded", 0, 503,
       "unavailable", "系统繁忙，请稍后再试", "", 0},
      {"the gateway's own credentials refused: not the user's fault",
       CallKind::kLookup, StatusCode::UNAUTHENTICATED, "bad token", 0, 503,
       "unavailable", "系统繁忙，请稍后再试", "", 0},
      {"anything else: 500 without detail", CallKind::kSubmit,
       StatusCode::INTERNAL, "RocksDB: IO error at /var/lib/x", 0, 500,
       "internal", "系统出现问题，请稍后再试", "", 0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    ApiError e =
        FromRpc(row.kind, grpc::Status(row.code, row.said), row.retry_after);
    EXPECT_EQ(e.http_status, row.http);
    EXPECT_EQ(e.code, row.error_code);
    EXPECT_EQ(e.message, row.message);
    EXPECT_EQ(e.field, row.field);
    EXPECT_EQ(e.retry_after_seconds, row.retry_header);
    // issue 15 item 2: never an English string or a gRPC code name.
    EXPECT_FALSE(HasLatinWord(e.message)) << e.message;
  }
}

TEST(ErrorTableTest, NoCodeEverYieldsEnglish) {
  // Every gRPC code, every call, with an English message from the service.
  for (int code = 1; code <= 16; ++code) {
    for (CallKind kind : {CallKind::kLookup, CallKind::kSubmit,
                          CallKind::kPhoneCode, CallKind::kMyCase}) {
      ApiError e =
          FromRpc(kind, grpc::Status(static_cast<StatusCode>(code),
                                     "matter.title: something went wrong"));
      SCOPED_TRACE(code);
      EXPECT_GE(e.http_status, 400);
      EXPECT_FALSE(e.message.empty());
      EXPECT_FALSE(HasLatinWord(e.message)) << e.message;
    }
  }
}

TEST(ErrorTableTest, ErrorJsonIsTheContractsShape) {
  // web-contract.md: {"error":{"code","message"}} (+ field).
  std::string json = ErrorJson(
      ApiError{400, "invalid_field", "请检查“标题”一项", "matter.title", 0});
  EXPECT_NE(json.find("\"error\":{"), std::string::npos) << json;
  EXPECT_NE(json.find("\"code\":\"invalid_field\""), std::string::npos);
  EXPECT_NE(json.find("\"message\":\"请检查“标题”一项\""), std::string::npos);
  EXPECT_NE(json.find("\"field\":\"matter.title\""), std::string::npos);
}

TEST(ErrorTableTest, ChinesePartTakesTheReadableTail) {
  struct Row {
    const char* said;
    const char* part;
  };
  const Row rows[] = {
      {"Art. 36: 复核申请期限已过", "复核申请期限已过"},
      {"matter.accused_offices: accused-excluded: 请向上级信访部门反映",
       "请向上级信访部门反映"},
      {"复查 requested already", ""},
      {"no Chinese at all", ""},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ChinesePart(row.said), row.part) << row.said;
  }
}

}  // namespace
}  // namespace caserelay::web
