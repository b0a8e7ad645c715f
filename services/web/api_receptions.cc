// The portal's 领导接访安排 (issue 18 item 1): GET /api/v1/receptions, the
// published schedule as intake's ListReceptions answers it. A transport:
// which receptions exist, their days and whether cancelled are intake's;
// the gateway only adds the kind's Chinese term (domain/names).

#include "absl/strings/str_cat.h"
#include "domain/names/names.h"
#include "google/protobuf/struct.pb.h"
#include "services/web/api.h"
#include "services/web/api_json.h"

namespace caserelay::web {

namespace pb = google::protobuf;

HttpAnswer Api::GetReceptions(Context& c) const {
  v1::ListReceptionsRequest request;
  // The filters as intake takes them; intake judges them (a bad day or
  // region is its INVALID_ARGUMENT, naming the field).
  auto param = [&](const char* name) {
    auto it = c.call.query.find(name);
    return it == c.call.query.end() ? std::string() : it->second;
  };
  request.set_region_code(param("region"));
  request.set_office_code(param("office"));
  request.set_from_day(param("from"));
  request.set_to_day(param("to"));
  v1::ListReceptionsResponse response;
  RpcResult r = backends_->ListReceptions(Meta(c, ""), request, &response);
  if (!r.status.ok()) return RpcFailure(CallKind::kSubmit, "ListReceptions", r);
  pb::Struct out;
  pb::ListValue* list =
      (*out.mutable_fields())["receptions"].mutable_list_value();
  for (const v1::Reception& reception : response.receptions()) {
    pb::Struct* row = list->add_values()->mutable_struct_value();
    auto set = [&](const char* key, const std::string& value) {
      (*row->mutable_fields())[key].set_string_value(value);
    };
    set("reception_id", reception.reception_id());
    set("day", reception.day());
    set("kind", v1::ReceptionKind_Name(reception.kind()));
    std::string kind_text;
    for (const names::EnumName& n : names::ReceptionKindNames()) {
      if (n.value == reception.kind()) kind_text = std::string(n.chinese);
    }
    set("kind_text", kind_text);
    set("office_code", reception.office_code());
    set("office_name", reception.office_name());
    set("leader_name", reception.leader_name());
    set("leader_title", reception.leader_title());
    set("place", reception.place());
    set("topic", reception.topic());
    (*row->mutable_fields())["cancelled"].set_bool_value(reception.cancelled());
  }
  (*out.mutable_fields())["truncated"].set_bool_value(response.truncated());
  return JsonAnswer(out);
}

}  // namespace caserelay::web
