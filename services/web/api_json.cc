#include "services/web/api_json.h"

#include <google/protobuf/util/json_util.h>

#include "common/log/log.h"

namespace caserelay::web {

namespace pb = google::protobuf;

bool ParseBody(const std::string& body, pb::Message* message) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return pb::util::JsonStringToMessage(body.empty() ? "{}" : body, message,
                                       options)
      .ok();
}

namespace {

std::string PrintJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Our own messages always print.
  (void)pb::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace

HttpAnswer JsonAnswer(const pb::Message& message) {
  HttpAnswer answer;
  answer.body = PrintJson(message);
  return answer;
}

pb::Value JsonValue(const pb::Message& message) {
  pb::Value value;
  // What protobuf printed parses back.
  (void)pb::util::JsonStringToMessage(PrintJson(message), &value);
  return value;
}

bool StringField(const pb::Struct& body, const std::string& key,
                 std::string* out) {
  auto it = body.fields().find(key);
  if (it == body.fields().end()) return true;
  if (!it->second.has_string_value()) return false;
  *out = it->second.string_value();
  return true;
}

HttpAnswer BadJson() {
  return ErrorAnswer(400, "bad_json", "提交的内容格式不正确，请刷新页面后重试");
}

HttpAnswer RpcFailure(CallKind kind, const char* rpc, const RpcResult& r) {
  ApiError error = FromRpc(kind, r.status, r.retry_after_seconds);
  if (error.http_status >= 500) {
    log::Warn("call failed",
              {{"rpc", rpc},
               {"grpc_code",
                std::to_string(static_cast<int>(r.status.error_code()))}});
  }
  return ErrorAnswer(error);
}

}  // namespace caserelay::web
