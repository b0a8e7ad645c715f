// The JSON side of the gateway's answers (网关 JSON 编解码), shared by the
// portal's API (api.h) and the console's (console_api.h): request bodies
// and answers through protobuf's own JSON mapping (web-contract.md:
// snake_case field names as in the .proto, enums by name, unknown fields
// refused), and a failed service call turned into errors.h's answer.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_WEB_API_JSON_H_
#define CASERELAY_SERVICES_WEB_API_JSON_H_

#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>

#include <string>

#include "services/web/api.h"
#include "services/web/backends.h"
#include "services/web/errors.h"

namespace caserelay::web {

// Parses `body` (empty: "{}") into `message`; false for text that is not
// that message's JSON, an unknown field included (*message is then
// unspecified).
bool ParseBody(const std::string& body, google::protobuf::Message* message);

// 200 with `message` as JSON, every field printed (defaults too).
HttpAnswer JsonAnswer(const google::protobuf::Message& message);

// `message` as a JSON value (as JsonAnswer prints it), to put inside a
// larger answer.
google::protobuf::Value JsonValue(const google::protobuf::Message& message);

// The optional string `key` of `body` into *out (left as it is when
// absent); false if it is there but not a string.
bool StringField(const google::protobuf::Struct& body, const std::string& key,
                 std::string* out);

// 400 bad_json.
HttpAnswer BadJson();

// The answer to a call `rpc` of kind `kind` that failed with `r`: the
// table's (errors.h), and one log line for operators when it is not the
// user's doing (5xx; the RPC name and code only: a service's message may
// echo what the user typed).
HttpAnswer RpcFailure(CallKind kind, const char* rpc, const RpcResult& r);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_API_JSON_H_
