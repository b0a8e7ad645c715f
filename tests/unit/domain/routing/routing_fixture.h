// Shared by the routing tests: the committed data (regions, offices, routes)
// loaded once, a Router over them, and builders for matters and prior cases.
#ifndef CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTING_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTING_FIXTURE_H_

#include <cstdlib>
#include <initializer_list>
#include <string>

#include "caserelay/v1/case.pb.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "domain/routing/router.h"
#include "domain/routing/statutory_routes.h"
#include "gtest/gtest.h"

namespace caserelay::routing::testing {

namespace v1 = ::caserelay::v1;

inline const std::string& DataDir() {
  static const std::string dir = std::string(CASERELAY_SOURCE_DIR) + "/data";
  return dir;
}

// Aborts the test binary: nothing can run without the committed data.
template <typename T>
T* OrDie(absl::StatusOr<std::unique_ptr<T>> loaded) {
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    std::abort();
  }
  return loaded->release();
}

inline const region::RegionTree& Regions() {
  static const region::RegionTree* tree =
      OrDie(region::RegionTree::Load(DataDir() + "/regions/regions.tsv"));
  return *tree;
}

inline const offices::OfficeDirectory& Offices() {
  static const offices::OfficeDirectory* directory =
      OrDie(offices::OfficeDirectory::Load(DataDir() + "/offices", &Regions()));
  return *directory;
}

inline const StatutoryRoutes& Routes() {
  static const StatutoryRoutes* routes =
      OrDie(StatutoryRoutes::Load(DataDir() + "/routing/statutory_routes.tsv"));
  return *routes;
}

inline const Router& TheRouter() {
  static const Router* router = new Router(&Regions(), &Offices(), &Routes());
  return *router;
}

// Office codes.
inline std::string Gov(const std::string& region) { return region + ":gov"; }
inline std::string Bureau(const std::string& region) {
  return region + ":bureau";
}
inline std::string Dep(const std::string& region, const std::string& unit) {
  return region + ":" + unit;
}

// A matter: a claim (申诉求决类) lodged online unless told otherwise.
class M {
 public:
  M(const std::string& region, const std::string& category) {
    m_.set_region_code(region);
    m_.set_category(category);
    m_.set_matter_class(v1::MATTER_CLASS_CLAIM);
    m_.set_channel(v1::CHANNEL_ONLINE);
    m_.set_title("诉求");
    m_.set_text("事实和理由");
  }
  M& Visit(const std::string& office) {
    m_.set_channel(v1::CHANNEL_VISIT);
    m_.set_lodged_with(office);
    return *this;
  }
  M& Letter(const std::string& office) {
    m_.set_channel(v1::CHANNEL_LETTER);
    m_.set_lodged_with(office);
    return *this;
  }
  M& Channel(v1::Channel channel) {
    m_.set_channel(channel);
    return *this;
  }
  M& Class(v1::MatterClass matter_class) {
    m_.set_matter_class(matter_class);
    return *this;
  }
  // An accusation (检举控告类) against `offices`.
  M& Accuse(std::initializer_list<std::string> offices) {
    m_.set_matter_class(v1::MATTER_CLASS_ACCUSATION);
    m_.set_accused("被举报单位");
    for (const std::string& office : offices) m_.add_accused_offices(office);
    return *this;
  }
  // Accused offices without changing the class.
  M& Against(std::initializer_list<std::string> offices) {
    for (const std::string& office : offices) m_.add_accused_offices(office);
    return *this;
  }
  M& OtherRegions(std::initializer_list<std::string> regions) {
    for (const std::string& region : regions) m_.add_other_regions(region);
    return *this;
  }
  M& OtherCategories(std::initializer_list<std::string> categories) {
    for (const std::string& c : categories) m_.add_other_categories(c);
    return *this;
  }
  M& Route(v1::StatutoryRoute route) {
    m_.set_statutory_route(route);
    return *this;
  }
  M& Words(const std::string& title, const std::string& text) {
    m_.set_title(title);
    m_.set_text(text);
    return *this;
  }
  operator v1::Matter() const { return m_; }  // NOLINT: builder

 private:
  v1::Matter m_;
};

inline PriorCase Open(const std::string& id, const std::string& holder,
                      bool within_time_limit = true) {
  return PriorCase{id,    v1::CASE_STATE_ACCEPTED, holder, /*open=*/true,
                   false, within_time_limit};
}
inline PriorCase Terminated(const std::string& id, const std::string& holder) {
  return PriorCase{
      id, v1::CASE_STATE_TERMINATED, holder, /*open=*/false, true, false};
}
inline PriorCase Closed(const std::string& id, const std::string& holder) {
  return PriorCase{id,   v1::CASE_STATE_CLOSED, holder, /*open=*/false, false,
                   false};
}

// Real regions of data/regions/regions.tsv.
inline const std::string kShanxi = "140000";          // 山西省
inline const std::string kChangzhi = "140400";        // 长治市
inline const std::string kQinyuan = "140431";         // 沁源县
inline const std::string kQinhe = "140431100";        // 沁河镇
inline const std::string kGuodao = "140431101";       // 郭道镇
inline const std::string kZhongyu = "140431200";      // 中峪乡
inline const std::string kQinyuanZone = "140431400";  // 沁源经济技术开发区
inline const std::string kDatong = "140200";          // 大同市
inline const std::string kPingcheng = "140213";       // 平城区
inline const std::string kYongtai = "140213050";      // 永泰街道
inline const std::string kYanggao = "140221";         // 阳高县
inline const std::string kLongquan = "140221100";  // 龙泉镇
inline const std::string kXinrong = "140212100";   // 新荣镇
inline const std::string kDatongZone = "140271";  // 山西大同经济开发区
inline const std::string kYuncheng = "371725";    // 郓城县
inline const std::string kYunzhou = "371725001";  // 郓州街道
inline const std::string kHuangan = "371725101";  // 黄安镇
inline const std::string kGuangdong = "440000";
inline const std::string kDongguan = "441900";        // 东莞市, no counties
inline const std::string kShijie = "441900101";       // 石碣镇
inline const std::string kDongchengDG = "441900003";  // 东城街道 (东莞)
inline const std::string kHenan = "410000";
inline const std::string kJiyuan = "419001";  // 济源市, under the province
inline const std::string kKejing = "419001100";  // 济源市克井镇
inline const std::string kBeijing = "110000";
inline const std::string kDongcheng = "110101";      // 东城区
inline const std::string kDonghuamen = "110101001";  // 东华门街道
inline const std::string kJingshan = "110101002";    // 景山街道

}  // namespace caserelay::routing::testing

#endif  // CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTING_FIXTURE_H_
