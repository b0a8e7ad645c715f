#include "tools/casectl/verify_route.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/digest/digest.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/casectl/format.h"
#include "tools/casectl/office_commands.h"

namespace caserelay::casectl {

namespace v1 = caserelay::v1;

namespace {

// Strict protobuf JSON: unknown fields are errors.
absl::Status ParseJson(absl::string_view json, google::protobuf::Message* msg) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), msg, options);
  if (status.ok()) return absl::OkStatus();
  // The parser's message may go on to quote the input with a caret under
  // the fault; its first line says what is wrong.
  std::string message(status.message());
  return absl::InvalidArgumentError(message.substr(0, message.find('\n')));
}

}  // namespace

absl::StatusOr<std::string> ReadInput(const std::string& path,
                                      std::istream& in) {
  std::ostringstream text;
  if (path == "-") {
    text << in.rdbuf();
    return text.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const int err = errno;
    const std::string why = absl::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(why);
    if (err == EACCES) return absl::PermissionDeniedError(why);
    return absl::UnavailableError(why);
  }
  text << file.rdbuf();
  if (file.bad()) {
    return absl::UnavailableError(absl::StrCat(path, ": read failed"));
  }
  return text.str();
}

absl::StatusOr<v1::PreviewRouteRequest> PreviewRequestFromJson(
    absl::string_view json) {
  google::protobuf::Value any;
  if (absl::Status s = ParseJson(json, &any); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("not JSON: ", s.message()));
  }
  if (any.kind_case() != google::protobuf::Value::kStructValue) {
    return absl::InvalidArgumentError(
        "not a JSON object: expected a Matter or a PreviewRouteRequest");
  }
  const auto& fields = any.struct_value().fields();
  const bool is_request = fields.contains("matter") ||
                          fields.contains("identityKey") ||
                          fields.contains("identity_key");
  v1::PreviewRouteRequest req;
  if (is_request) {
    if (absl::Status s = ParseJson(json, &req); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("as a PreviewRouteRequest: ", s.message()));
    }
    if (!req.has_matter()) {
      return absl::InvalidArgumentError(
          "as a PreviewRouteRequest: it has no \"matter\"");
    }
  } else if (absl::Status s = ParseJson(json, req.mutable_matter()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("as a Matter: ", s.message()));
  }
  if (req.matter().ByteSizeLong() == 0) {
    return absl::InvalidArgumentError(
        "the matter is empty: give at least \"regionCode\"");
  }
  return req;
}

absl::Status RunRoute(v1::RoutingService::StubInterface& routing,
                      const v1::PreviewRouteRequest& request,
                      const PrintOptions& options, std::ostream& out) {
  v1::RouteDecision decision;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return routing.PreviewRoute(ctx, request, &decision);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(decision, out);
  out << FormatDecision(decision);
  return absl::OkStatus();
}

std::string VerifyText(const VerifyResult& result) {
  if (result.verdict.intact) {
    return absl::StrCat("intact: ", result.events,
                        result.events == 1 ? " event" : " events", ", head ",
                        result.head_hex.empty() ? "-" : result.head_hex, "\n");
  }
  const uint64_t k = result.verdict.altered_sequence;
  if (k == 0) return absl::StrCat("broken: ", result.verdict.reason, "\n");
  // chain::Verify's reasons start "event K ..."; say it once.
  absl::string_view reason = result.verdict.reason;
  const std::string prefix = absl::StrCat("event ", k, " ");
  if (absl::StartsWith(reason, prefix)) reason.remove_prefix(prefix.size());
  return absl::StrCat("broken: event ", k, ": ", reason, "\n");
}

absl::StatusOr<bool> RunVerify(v1::RoutingService::StubInterface& routing,
                               const std::string& case_id,
                               const PrintOptions& options, std::ostream& out) {
  absl::StatusOr<v1::CaseDetail> detail = FetchCase(routing, case_id);
  if (!detail.ok()) return detail.status();
  VerifyResult result = chain::CheckHistory(*detail);
  if (!options.json) {
    out << VerifyText(result);
    return result.verdict.intact;
  }
  google::protobuf::Struct json;
  auto& f = *json.mutable_fields();
  f["caseId"].set_string_value(case_id);
  f["intact"].set_bool_value(result.verdict.intact);
  if (result.verdict.intact) {
    f["events"].set_number_value(static_cast<double>(result.events));
    f["head"].set_string_value(result.head_hex);
  } else {
    f["event"].set_number_value(
        static_cast<double>(result.verdict.altered_sequence));
    f["reason"].set_string_value(result.verdict.reason);
  }
  if (absl::Status p = PrintJson(json, out); !p.ok()) return p;
  return result.verdict.intact;
}

}  // namespace caserelay::casectl
