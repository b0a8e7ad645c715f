// A small office directory for the life-cycle tests, behaving like the real
// one (domain/offices) on a slice of 山西省 → 长治市 → 沁源县: codes are
// `<region code>:<unit>`, the review organs of a department are its own
// government (本级人民政府) and the same department one level up (Arts. 35,
// 36: 上一级主管部门), a government's the government one level up; the
// province's offices have none (the province government reviews nothing here),
// unknown codes are NOT_FOUND.

#ifndef CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_FAKE_OFFICES_H_
#define CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_FAKE_OFFICES_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "domain/lifecycle/office_resolver.h"

namespace caserelay::lifecycle::testing {

inline constexpr char kCountyBureau[] = "140431:bureau";
inline constexpr char kCityBureau[] = "140400:bureau";
inline constexpr char kCountyHrss[] = "140431:hrss";    // handles the case
inline constexpr char kCityHrss[] = "140400:hrss";      // reviews it (复查)
inline constexpr char kProvinceHrss[] = "140000:hrss";  // re-reviews (复核)
inline constexpr char kCountyHousing[] = "140431:housing";
inline constexpr char kCountyGov[] = "140431:gov";  // reviews kCountyHrss too
inline constexpr char kCityGov[] = "140400:gov";    // re-reviews kCityHrss too
inline constexpr char kProvinceGov[] = "140000:gov";

// Thread-safe: immutable.
class FakeOffices : public OfficeResolver {
 public:
  absl::StatusOr<OfficeRef> Resolve(std::string_view code) const override {
    auto it = offices_.find(std::string(code));
    if (it == offices_.end()) {
      return absl::NotFoundError(
          absl::StrCat("no office '", std::string(code), "'"));
    }
    return OfficeRef{it->first, it->second.name};
  }

  absl::StatusOr<std::vector<ReviewOrgan>> ReviewOrgansOf(
      std::string_view code) const override {
    auto it = offices_.find(std::string(code));
    if (it == offices_.end()) {
      return absl::NotFoundError(
          absl::StrCat("no office '", std::string(code), "'"));
    }
    std::vector<ReviewOrgan> organs;
    if (!it->second.government.empty()) {
      organs.push_back({*Resolve(it->second.government),
                        "Arts. 35-36: 本级人民政府 (the department's own "
                        "government)"});
    }
    if (!it->second.reviewer.empty()) {
      organs.push_back({*Resolve(it->second.reviewer),
                        it->second.government.empty() && !it->second.bureau
                            ? "Arts. 35-36: 上一级人民政府 (the government "
                              "one level up)"
                            : "Arts. 35-36: 上一级主管部门 (the same line one "
                              "level up)"});
    }
    if (organs.empty()) {
      return absl::NotFoundError(absl::StrCat("nothing reviews decisions of '",
                                              std::string(code), "'"));
    }
    return organs;
  }

  // The line organ one level up (the organ the builder's cases apply to).
  absl::StatusOr<OfficeRef> ReviewOfficeOf(std::string_view code) const {
    auto it = offices_.find(std::string(code));
    if (it == offices_.end()) {
      return absl::NotFoundError(
          absl::StrCat("no office '", std::string(code), "'"));
    }
    if (it->second.reviewer.empty()) {
      return absl::NotFoundError(absl::StrCat("nothing reviews decisions of '",
                                              std::string(code), "'"));
    }
    return Resolve(it->second.reviewer);
  }

  bool IsBureau(std::string_view code) const override {
    auto it = offices_.find(std::string(code));
    return it != offices_.end() && it->second.bureau;
  }

  bool IsGovernment(std::string_view code) const override {
    auto it = offices_.find(std::string(code));
    return it != offices_.end() && IsUnit(code, "gov");
  }

  // As the real directory: a bureau or government over its own region and
  // every region inside it (140000 ⊃ 140400 ⊃ 140431), departments over
  // nothing.
  bool Supervises(std::string_view superior,
                  std::string_view code) const override {
    if (offices_.count(std::string(superior)) == 0 ||
        offices_.count(std::string(code)) == 0) {
      return false;
    }
    if (!IsBureau(superior) && !IsGovernment(superior)) return false;
    std::string_view region = superior.substr(0, superior.find(':'));
    while (region.size() > 2 && region.substr(region.size() - 2) == "00") {
      region.remove_suffix(2);
    }
    return code.substr(0, region.size()) == region;
  }

  // As the real directory: Supervises from a region other than the
  // office's own (140400:bureau over 140431:hrss, not 140431:gov).
  bool SupervisesFromAbove(std::string_view superior,
                           std::string_view code) const override {
    return Supervises(superior, code) &&
           superior.substr(0, superior.find(':')) != code.substr(0, code.find(':'));
  }

 private:
  static bool IsUnit(std::string_view code, std::string_view unit) {
    const size_t colon = code.find(':');
    return colon != std::string_view::npos && code.substr(colon + 1) == unit;
  }

  struct Entry {
    std::string name;
    std::string reviewer;  // the line one level up, or a government's parent
    bool bureau = false;
    std::string government;  // a department's own government
  };
  const std::map<std::string, Entry> offices_ = {
      {kCountyBureau, {"沁源县信访局", "", true, ""}},
      {kCityBureau, {"长治市信访局", "", true, ""}},
      {"140000:bureau", {"山西省信访局", "", true, ""}},
      {kCountyGov, {"沁源县人民政府", kCityGov, false, ""}},
      {kCityGov, {"长治市人民政府", "", false, ""}},
      // Over every office of the slice (领导包案); reviews nothing here.
      {kProvinceGov, {"山西省人民政府", "", false, ""}},
      {kCountyHrss,
       {"沁源县人力资源和社会保障局", kCityHrss, false, kCountyGov}},
      {kCityHrss,
       {"长治市人力资源和社会保障局", kProvinceHrss, false, kCityGov}},
      {kProvinceHrss, {"山西省人力资源和社会保障厅", "", false, ""}},
      {kCountyHousing,
       {"沁源县住房和城乡建设局", "140400:housing", false, kCountyGov}},
      {"140400:housing", {"长治市住房和城乡建设局", "", false, kCityGov}},
  };
};

}  // namespace caserelay::lifecycle::testing

#endif  // CASERELAY_TESTS_UNIT_DOMAIN_LIFECYCLE_FAKE_OFFICES_H_
