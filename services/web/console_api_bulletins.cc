// The console's bulletins (通报, issue 17 item 2: "shown in the console",
// "listed in the console"; console_api.h): the list of the user's bureau
// and one bulletin's document as statistics issued it. statistics decides
// who reads what (its roles and subtree rules); the gateway passes the
// user's metadata and the bytes on.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "caserelay/v1/statistics.pb.h"
#include "services/web/api_json.h"
#include "services/web/console_api.h"
#include "services/web/console_query.h"
#include "services/web/http_front.h"

namespace caserelay::web {
namespace {

using Kind = QueryParam::Kind;

HttpAnswer BadQuery(const std::string& param) {
  return ErrorAnswer(400, "bad_query", "查询条件有误，请检查后重试", param);
}

struct Format {
  const char* name;  // the query's format=
  v1::BulletinFormat format;
  const char* extension;
  const char* disposition;  // PDF is read in the browser, the rest saved
};

const Format* FormatNamed(const std::string& name) {
  static const Format kFormats[] = {
      {"html", v1::BULLETIN_FORMAT_HTML, "html", "attachment"},
      {"pdf", v1::BULLETIN_FORMAT_PDF, "pdf", "inline"},
      {"csv", v1::BULLETIN_FORMAT_CSV, "csv", "attachment"},
  };
  for (const Format& f : kFormats) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

}  // namespace

HttpAnswer ConsoleApi::GetBulletins(Context& c) const {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"kind", "kind", Kind::kString},
      {"year", "year", Kind::kNumber},
      {"page_size", "page_size", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  v1::ListBulletinsRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  // The user's own bureau, from accounts' User, never from the request.
  request.set_bureau_code(c.user->office_code());
  v1::ListBulletinsResponse response;
  return AnswerForUser(c, ConsoleRpc::kListBulletins, "statistics.ListBulletins", request, &response);
}

HttpAnswer ConsoleApi::GetBulletin(Context& c) const {
  auto it = c.call.query.find("format");
  const Format* format =
      FormatNamed(it == c.call.query.end() || it->second.empty() ? "html"
                                                                  : it->second);
  if (format == nullptr) return BadQuery("format");
  for (const auto& [param, value] : c.call.query) {
    if (param != "format") return BadQuery(param);
  }
  v1::GetBulletinRequest request;
  // The id "<bureau>/<kind>/<first day>" is the path's three segments.
  request.set_id(absl::StrJoin(c.params, "/"));
  request.set_format(format->format);
  v1::GetBulletinResponse response;
  RpcResult r = Call(ConsoleRpc::kGetBulletin, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "statistics.GetBulletin", r);
  }
  HttpAnswer answer;
  answer.content_type = response.content_type();
  answer.body = response.document();
  // An ASCII file name from the id ("140400-bureau-weekly-2026-03-09.pdf").
  const std::string file = absl::StrCat(
      absl::StrReplaceAll(request.id(), {{":", "-"}, {"/", "-"}}), ".",
      format->extension);
  answer.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat(format->disposition, "; filename=\"", file, "\""));
  if (format->format == v1::BULLETIN_FORMAT_HTML) {
    // The document's own style is inline: opened from the gateway it runs
    // nothing and reaches nothing. The portal's policy with "sandbox"
    // added, so it holds whether the server keeps its default header
    // beside this one or replaces it.
    answer.headers.emplace_back(
        "Content-Security-Policy",
        absl::StrCat(kContentSecurityPolicy, "; sandbox"));
  }
  return answer;
}

}  // namespace caserelay::web
