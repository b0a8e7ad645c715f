#include "services/statistics/bulletins/compose.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/names/names.h"
#include "services/statistics/leaders_figures.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;
using Counts = google::protobuf::RepeatedPtrField<v1::KeyedCount>;

Compared Of(const v1::VolumeRow& row,
            int64_t (*figure)(const v1::VolumeFigures&)) {
  return {figure(row.current()), figure(row.previous()),
          figure(row.year_before())};
}

Ratio RatioOf(const v1::Rate& rate) {
  return {rate.numerator(), rate.denominator()};
}

// Every row of `table` but its zero value, named in Chinese, with its count.
std::vector<NamedCount> ByTable(const std::vector<names::EnumName>& table,
                                const Counts& counts) {
  std::vector<NamedCount> rows;
  for (const names::EnumName& name : table) {
    if (name.value == 0) continue;
    rows.push_back({std::string(name.chinese),
                    statistics::CountOf(counts, std::string(name.name))});
  }
  return rows;
}

// a/b > c/d for rates with positive denominators, without rounding.
bool Higher(const Ratio& a, const Ratio& b) {
  return static_cast<__int128>(a.numerator) * b.denominator >
         static_cast<__int128>(b.numerator) * a.denominator;
}

}  // namespace

std::vector<OfficeRates> Ranked(std::vector<OfficeRates> offices,
                                Ratio OfficeRates::*pick) {
  offices.erase(std::remove_if(offices.begin(), offices.end(),
                               [&](const OfficeRates& o) {
                                 return (o.*pick).denominator == 0;
                               }),
                offices.end());
  std::sort(offices.begin(), offices.end(),
            [&](const OfficeRates& a, const OfficeRates& b) {
              if (Higher(a.*pick, b.*pick)) return true;
              if (Higher(b.*pick, a.*pick)) return false;
              if ((a.*pick).denominator != (b.*pick).denominator) {
                return (a.*pick).denominator > (b.*pick).denominator;
              }
              return a.office_code < b.office_code;
            });
  return offices;
}

absl::StatusOr<BulletinContent> QueryContentSource::Figures(
    const offices::Office& bureau, const BulletinPeriod& period) const {
  const auto from = time::ToProto(time::StartOf(period.first));
  const auto to = time::ToProto(time::StartOf(period.last + 1));

  v1::GetVolumeRequest volume_request;
  volume_request.mutable_scope()->set_region_code(bureau.region_code);
  *volume_request.mutable_from() = from;
  *volume_request.mutable_to() = to;
  volume_request.set_breakdown(v1::VOLUME_BREAKDOWN_REGION);
  absl::StatusOr<v1::GetVolumeResponse> volume = query_->Volume(volume_request);
  if (!volume.ok()) return volume.status();

  v1::GetIndicatorsRequest indicators_request;
  indicators_request.mutable_scope()->set_region_code(bureau.region_code);
  *indicators_request.mutable_from() = from;
  *indicators_request.mutable_to() = to;
  indicators_request.set_breakdown(v1::BREAKDOWN_OFFICE);
  absl::StatusOr<v1::GetIndicatorsResponse> indicators =
      query_->Indicators(indicators_request);
  if (!indicators.ok()) return indicators.status();

  const v1::VolumeRow& total = volume->total();
  const v1::VolumeFigures& now = total.current();
  BulletinContent content;
  content.headline = {
      {"信访总量",
       Of(total, [](const v1::VolumeFigures& f) { return f.cases(); })},
      {"人次",
       Of(total, [](const v1::VolumeFigures& f) { return f.persons(); })},
      {"网上信访", Of(total,
                      [](const v1::VolumeFigures& f) {
                        return statistics::CountOf(
                            f.by_channel(), names::NameOf(names::ChannelNames(),
                                                          v1::CHANNEL_ONLINE));
                      })},
      {"重复信访",
       Of(total, [](const v1::VolumeFigures& f) { return f.repeat_cases(); })},
      {"越级",
       Of(total,
          [](const v1::VolumeFigures& f) { return f.level_skipping(); })},
      {"受理",
       Of(total, [](const v1::VolumeFigures& f) { return f.accepted(); })},
      {"不予受理",
       Of(total, [](const v1::VolumeFigures& f) { return f.not_accepted(); })},
      {"办结",
       Of(total, [](const v1::VolumeFigures& f) { return f.replied(); })},
  };
  content.online_share = RatioOf(now.online_share());
  content.online_share_previous = RatioOf(total.previous().online_share());
  content.online_share_year_before =
      RatioOf(total.year_before().online_share());
  content.channels = ByTable(names::ChannelNames(), now.by_channel());
  for (const v1::KeyedCount& category : now.by_category()) {
    if (static_cast<int>(content.top_categories.size()) == kTopRows) break;
    if (category.count() == 0) continue;
    content.top_categories.push_back(
        {offices_->CategoryName(category.key()), category.count()});
  }
  std::vector<const v1::VolumeRow*> regions;
  for (const v1::VolumeRow& row : volume->rows()) {
    if (row.current().cases() > 0) regions.push_back(&row);
  }
  std::sort(regions.begin(), regions.end(),
            [](const v1::VolumeRow* a, const v1::VolumeRow* b) {
              if (a->current().cases() != b->current().cases()) {
                return a->current().cases() > b->current().cases();
              }
              return a->current().key() < b->current().key();
            });
  for (const v1::VolumeRow* row : regions) {
    if (static_cast<int>(content.top_regions.size()) == kTopRows) break;
    const region::Region* region = regions_->Find(row->current().key());
    content.top_regions.push_back(
        {region != nullptr ? region->name : row->current().key(),
         row->current().cases()});
  }
  content.outcomes = ByTable(names::OutcomeNames(), now.by_outcome());
  content.ratings = ByTable(names::SatisfactionNames(), now.by_rating());
  content.red_lights = now.red_lights();
  content.supervisions =
      ByTable(names::SupervisionLevelNames(), now.supervisions_by_level());
  for (const statistics::LabeledFigure& figure :
       statistics::LeadersWorkFigures()) {
    content.leaders_work.push_back(
        {std::string(figure.label), Of(total, figure.of)});
  }

  std::vector<OfficeRates> offices;
  for (const v1::Indicators& row : indicators->rows()) {
    absl::StatusOr<offices::Office> office = offices_->Find(row.key());
    offices.push_back({row.key(), office.ok() ? office->name : row.key(),
                       RatioOf(row.on_time_completion()),
                       RatioOf(row.satisfaction())});
  }
  content.by_on_time = Ranked(offices, &OfficeRates::on_time);
  content.by_satisfaction = Ranked(offices, &OfficeRates::satisfaction);
  return content;
}

}  // namespace caserelay::bulletins
