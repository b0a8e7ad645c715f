#include "services/supervision/subtree_merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "common/rpc/page_merge.h"
#include "common/time/timestamp.h"
#include "domain/indicators/definitions.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/keys.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Indicators;
using caserelay::v1::Rate;

// A shard's next_page_token as the key it continues after.
std::optional<std::string> MoreAfter(const std::string& token) {
  if (token.empty()) return std::nullopt;
  return absl::HexStringToBytes(token);
}

// Adds every count of `from` into `into`: each Rate field's numerator and
// denominator, each int64 field (backlog). Reflection, so that a rate
// added to Indicators is summed too.
void AddCounts(const Indicators& from, Indicators* into) {
  const google::protobuf::Descriptor* d = Indicators::descriptor();
  const google::protobuf::Reflection* r = Indicators::GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    if (f->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE &&
        f->message_type() == Rate::descriptor()) {
      const Rate& add = static_cast<const Rate&>(r->GetMessage(from, f));
      Rate* sum = static_cast<Rate*>(r->MutableMessage(into, f));
      sum->set_numerator(sum->numerator() + add.numerator());
      sum->set_denominator(sum->denominator() + add.denominator());
    } else if (f->cpp_type() ==
               google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      r->SetInt64(into, f, r->GetInt64(*into, f) + r->GetInt64(from, f));
    }
  }
}

}  // namespace

int64_t OverdueDays(absl::Time due, absl::Time now) {
  return std::max<int64_t>(0, absl::ToInt64Hours(now - due) / 24);
}

caserelay::v1::ListRedLightsResponse MergeRedLights(
    std::vector<rpc::Shard<caserelay::v1::ListRedLightsResponse>> shards,
    int limit, absl::Time now) {
  std::vector<rpc::KeyedPage<caserelay::v1::RedLight>> pages;
  for (auto& shard : shards) {
    rpc::KeyedPage<caserelay::v1::RedLight> page;
    page.more_after = MoreAfter(shard.response.next_page_token());
    for (caserelay::v1::RedLight& light :
         *shard.response.mutable_lights()) {
      std::string key = LightKey(time::FromProto(light.deadline().due_at()),
                                 light.deadline().deadline_id());
      page.rows.emplace_back(std::move(key), std::move(light));
    }
    pages.push_back(std::move(page));
  }
  rpc::MergedPage<caserelay::v1::RedLight> merged =
      rpc::MergePages(std::move(pages), limit);
  caserelay::v1::ListRedLightsResponse out;
  for (caserelay::v1::RedLight& light : merged.rows) {
    light.set_overdue_days(
        OverdueDays(time::FromProto(light.deadline().due_at()), now));
    *out.add_lights() = std::move(light);
  }
  if (!merged.next_after.empty()) {
    out.set_next_page_token(absl::BytesToHexString(merged.next_after));
  }
  *out.mutable_as_of() = time::ToProto(now);
  return out;
}

caserelay::v1::ListGroupAlertsResponse MergeGroupAlerts(
    std::vector<rpc::Shard<caserelay::v1::ListGroupAlertsResponse>> shards,
    int limit) {
  std::vector<rpc::KeyedPage<caserelay::v1::GroupPetitionAlert>> pages;
  for (auto& shard : shards) {
    rpc::KeyedPage<caserelay::v1::GroupPetitionAlert> page;
    page.more_after = MoreAfter(shard.response.next_page_token());
    for (caserelay::v1::GroupPetitionAlert& alert :
         *shard.response.mutable_alerts()) {
      std::string key = GroupAlertKey(alert);
      page.rows.emplace_back(std::move(key), std::move(alert));
    }
    pages.push_back(std::move(page));
  }
  rpc::MergedPage<caserelay::v1::GroupPetitionAlert> merged =
      rpc::MergePages(std::move(pages), limit);
  caserelay::v1::ListGroupAlertsResponse out;
  for (auto& alert : merged.rows) *out.add_alerts() = std::move(alert);
  if (!merged.next_after.empty()) {
    out.set_next_page_token(absl::BytesToHexString(merged.next_after));
  }
  return out;
}

caserelay::v1::GetIndicatorsResponse MergeIndicators(
    const std::vector<rpc::Shard<caserelay::v1::GetIndicatorsResponse>>&
        shards) {
  caserelay::v1::GetIndicatorsResponse out;
  std::map<std::string, Indicators> rows;
  for (const auto& shard : shards) {
    const caserelay::v1::GetIndicatorsResponse& r = shard.response;
    if (!out.has_from()) {
      *out.mutable_from() = r.from();
      *out.mutable_to() = r.to();
    }
    AddCounts(r.total(), out.mutable_total());
    for (const Indicators& row : r.rows()) {
      Indicators& sum = rows[row.key()];
      sum.set_key(row.key());
      AddCounts(row, &sum);
    }
  }
  indicators::SetValues(out.mutable_total());
  for (auto& [key, row] : rows) {
    indicators::SetValues(&row);
    *out.add_rows() = std::move(row);
  }
  return out;
}

}  // namespace caserelay::supervision
