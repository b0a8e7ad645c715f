#include "services/web/console_query.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;

bool IsDay(const std::string& v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return true;
}

// The JSON value of `value` for a field of `kind`; false if it is none.
bool ValueOf(QueryParam::Kind kind, const std::string& value, pb::Value* out) {
  switch (kind) {
    case QueryParam::Kind::kString:
      out->set_string_value(value);
      return true;
    case QueryParam::Kind::kList: {
      pb::ListValue* list = out->mutable_list_value();
      for (absl::string_view item :
           absl::StrSplit(value, ',', absl::SkipWhitespace())) {
        list->add_values()->set_string_value(
            std::string(absl::StripAsciiWhitespace(item)));
      }
      return true;
    }
    case QueryParam::Kind::kTime:
      // A day is its first instant in China (UTC+8, no daylight saving).
      out->set_string_value(
          IsDay(value) ? absl::StrCat(value, "T00:00:00+08:00") : value);
      return true;
    case QueryParam::Kind::kNumber: {
      int64_t n = 0;
      if (!absl::SimpleAtoi(value, &n)) return false;
      out->set_number_value(static_cast<double>(n));
      return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// Fills `request` from `query` by `params`, skipping `own`; the first
// unknown parameter in *bad (and false), or false with *bad empty when the
// request refuses the values together.
bool Fill(const std::map<std::string, std::string>& query,
          const std::vector<QueryParam>& params,
          const std::vector<std::string>& own, pb::Message* request,
          std::string* bad) {
  pb::Struct json;
  for (const auto& [key, value] : query) {
    if (std::find(own.begin(), own.end(), key) != own.end()) continue;
    const QueryParam* param = nullptr;
    for (const QueryParam& p : params) {
      if (key == p.param) param = &p;
    }
    pb::Value v;
    if (param == nullptr ||
        (!value.empty() && !ValueOf(param->kind, value, &v))) {
      *bad = key;
      return false;
    }
    if (value.empty()) continue;
    // "scope.region_code": into the message field "scope".
    std::vector<std::string> path = absl::StrSplit(param->field, '.');
    pb::Struct* at = &json;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      at = (*at->mutable_fields())[path[i]].mutable_struct_value();
    }
    (*at->mutable_fields())[path.back()] = std::move(v);
  }
  std::string text;
  (void)pb::util::MessageToJsonString(json, &text);
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return pb::util::JsonStringToMessage(text, request, options).ok();
}

}  // namespace

absl::Status QueryToRequest(const std::map<std::string, std::string>& query,
                            const std::vector<QueryParam>& params,
                            const std::vector<std::string>& own,
                            pb::Message* request) {
  std::string bad;
  if (Fill(query, params, own, request, &bad)) return absl::OkStatus();
  if (!bad.empty()) return absl::InvalidArgumentError(bad);
  // Which one: the first whose value alone the request refuses.
  for (const auto& entry : query) {
    std::unique_ptr<pb::Message> probe(request->New());
    if (!Fill({entry}, params, own, probe.get(), &bad)) {
      return absl::InvalidArgumentError(entry.first);
    }
  }
  return absl::InvalidArgumentError("query");
}

}  // namespace caserelay::web
