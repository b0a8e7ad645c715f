#include "services/statistics/leaders_figures.h"

#include "services/statistics/contribution.h"
#include "services/statistics/query.h"

namespace caserelay::statistics {

const std::vector<LabeledFigure>& LeadersWorkFigures() {
  using F = caserelay::v1::VolumeFigures;
  static const auto* const kFigures = new std::vector<LabeledFigure>{
      {"领导接访批次", [](const F& f) { return f.reception_batches(); }},
      {"领导接访人次", [](const F& f) { return f.reception_persons(); }},
      {"当场解决", [](const F& f) { return f.on_the_spot(); }},
      {"群体访（联名）", [](const F& f) { return f.group_petitions(); }},
      {"领导包案", [](const F& f) { return f.taken_charge(); }},
      {"自动督办",
       [](const F& f) {
         return CountOf(f.supervisions_by_source(), kAutomaticSource);
       }},
      {"手动督办",
       [](const F& f) {
         return CountOf(f.supervisions_by_source(), kManualSource);
       }},
      {"改进工作建议",
       [](const F& f) {
         return CountOf(
             f.recommendations_by_kind(),
             RecommendationKey(caserelay::v1::RECOMMENDATION_KIND_IMPROVEMENT));
       }},
      {"追责建议",
       [](const F& f) {
         return CountOf(f.recommendations_by_kind(),
                        RecommendationKey(
                            caserelay::v1::RECOMMENDATION_KIND_ACCOUNTABILITY));
       }},
      {"提级办理", [](const F& f) { return f.escalated(); }},
      {"更正登记", [](const F& f) { return f.corrected(); }},
      {"回访认同",
       [](const F& f) {
         return CountOf(f.follow_ups_by_view(),
                        FollowUpViewKey(caserelay::v1::FOLLOW_UP_VIEW_AGREE));
       }},
      {"回访基本认同",
       [](const F& f) {
         return CountOf(
             f.follow_ups_by_view(),
             FollowUpViewKey(caserelay::v1::FOLLOW_UP_VIEW_BASICALLY_AGREE));
       }},
      {"回访不认同",
       [](const F& f) {
         return CountOf(f.follow_ups_by_view(),
                        FollowUpViewKey(caserelay::v1::FOLLOW_UP_VIEW_DISAGREE));
       }},
  };
  return *kFigures;
}

}  // namespace caserelay::statistics
