// The offices (机关/单位) of every region (DOMAIN.md "Who is involved"): the
// petition bureau (信访部门: 信访局, 信访办 at township level), the people's
// government (人民政府) and the functional departments (职能部门: 人社,
// 住建, 纪检监察 ...), with the 依法分类处理清单 saying which of them handles
// a category of matter at each level.
//
// An office's code is `<region code>:<unit>` — `140431:hrss` is
// 沁源县人力资源和社会保障局, `140431100:gov` 沁河镇人民政府,
// `140000:bureau` 山西省信访局. Offices are generated on demand from the
// region tree and the small tables of data/offices (see its README.md), not
// listed one by one.
#ifndef CASERELAY_DOMAIN_OFFICES_OFFICE_DIRECTORY_H_
#define CASERELAY_DOMAIN_OFFICES_OFFICE_DIRECTORY_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/region/region_tree.h"

namespace caserelay::offices {

// The units every region has, whatever departments.tsv lists.
inline constexpr char kBureauUnit[] = "bureau";
inline constexpr char kGovernmentUnit[] = "gov";

enum class OfficeKind {
  kBureau,      // 信访局 / 信访办
  kGovernment,  // 人民政府 (办事处, 行政公署, 管理委员会 ...)
  kDepartment,  // 职能部门, including 纪委监委 and 政法委
};

// One office, as generated from its code.
struct Office {
  std::string code;         // "<region code>:<unit>"
  std::string name;         // e.g. "沁源县人力资源和社会保障局"
  std::string region_code;  // the region the office belongs to
  std::string unit;         // "bureau", "gov", "hrss", ...
  region::Level level;      // the region's level
  OfficeKind kind;
};

// An organ that may review (复查, Art. 35) or re-review (复核, Art. 36) a
// decision: "原办理机关、单位的上一级机关、单位", with the rule that makes it
// one.
struct ReviewOrgan {
  Office office;
  std::string rule;  // e.g. "Arts. 35-36: 上一级主管部门 ..."
};

// The rules of ReviewOrgansOf.
inline constexpr char kRuleReviewByGovernment[] =
    "Arts. 35-36: 本级人民政府 — the people's government of the deciding "
    "department's own level";
inline constexpr char kRuleReviewBySameLine[] =
    "Arts. 35-36: 上一级主管部门 — the department of the same line one level "
    "up";
inline constexpr char kRuleReviewByParentGovernment[] =
    "Arts. 35-36: 上一级人民政府 — the people's government one level up";

// The directory of every office of the region tree.
//
// Thread safety: immutable after Load(); any number of threads may call the
// const methods concurrently.
class OfficeDirectory {
 public:
  // Reads departments.tsv, categories.tsv, governments.tsv and overrides.tsv
  // from the directory `dir` (formats in data/offices/README.md). `regions`
  // is not owned and must outlive the directory.
  //
  // Returns the directory. Fails with the errno-derived code (NOT_FOUND ...)
  // naming the path if a file cannot be read, and with INVALID_ARGUMENT
  // naming "file:line" for a malformed row: wrong width, a bad unit or
  // category name, a duplicate, a missing or partial `bureau` row, a `gov`
  // row in departments.tsv, a category naming a unit that is absent at that
  // level, a governments.tsv without a catch-all for a level, or an override
  // of an office that does not exist. INVALID_ARGUMENT if `regions` is null.
  static absl::StatusOr<std::unique_ptr<OfficeDirectory>> Load(
      const std::string& dir, const region::RegionTree* regions);

  OfficeDirectory(const OfficeDirectory&) = delete;
  OfficeDirectory& operator=(const OfficeDirectory&) = delete;

  // The office with `code`. INVALID_ARGUMENT if `code` is not
  // `<6 or 9 digits>:<unit>` (unit: lower-case letters, digits and '-');
  // NOT_FOUND if the region or the unit is unknown, or the unit has no
  // office at the region's level (e.g. `140431100:hrss`).
  absl::StatusOr<Office> Find(std::string_view code) const;

  // The petition bureau (信访局, 信访办 at township level) and the people's
  // government of `region`, which every region has. REQUIRES: `region` is a
  // region of the tree given to Load().
  Office Bureau(const region::Region& region) const;
  Office Government(const region::Region& region) const;

  // Whether `category` is a row of categories.tsv; all of them, sorted.
  bool IsCategory(std::string_view category) const;
  std::vector<std::string> Categories() const;

  // The Chinese name of `category` (e.g. "劳动和社会保障"); empty if it is
  // not a category.
  std::string CategoryName(std::string_view category) const;

  // The office that handles `category` at exactly the region
  // `region_code`. INVALID_ARGUMENT if the category or the region is
  // unknown; NOT_FOUND if no office of that region handles the category
  // (a `-` in categories.tsv).
  absl::StatusOr<Office> Competent(std::string_view category,
                                   std::string_view region_code) const;

  // The lowest office at `region_code` or above it that handles `category`
  // (属地管理、分级负责). INVALID_ARGUMENT as Competent(); NOT_FOUND if no
  // level up to the province handles it.
  absl::StatusOr<Office> LowestCompetent(std::string_view category,
                                         std::string_view region_code) const;

  // Who reviews (复查, Art. 35; and in turn re-reviews, 复核, Art. 36) a
  // decision of `office_code`: for a department, its own region's
  // government (本级人民政府); for a government or a bureau, the parent
  // region's government. The error of Find() for a bad code; NOT_FOUND for
  // a province's government or bureau (the State Council is outside the
  // tree).
  absl::StatusOr<Office> ReviewOfficeOf(std::string_view office_code) const;

  // Every organ that may review a decision of `office_code` (Arts. 35-36:
  // the organ one level up, "原办理机关、单位的上一级机关、单位"), the
  // petitioner choosing among them: for a department, its own region's
  // government (kRuleReviewByGovernment, first: ReviewOfficeOf's answer)
  // and, where the parent region has the same unit, the department of the
  // same line one level up (kRuleReviewBySameLine; e.g. 长治市人社局 for
  // 沁源县人社局); for a government or a bureau, the parent region's
  // government (kRuleReviewByParentGovernment). Never empty on success.
  // Errors: as ReviewOfficeOf().
  absl::StatusOr<std::vector<ReviewOrgan>> ReviewOrgansOf(
      std::string_view office_code) const;

  // The superiors' read: true if `reader_code` is a bureau or a government
  // whose region contains the region of `office_code` (its own region
  // included). Departments supervise nothing. False if either code is not
  // an office.
  bool Supervises(std::string_view reader_code,
                  std::string_view office_code) const;

  // 检举控告 (Art. 30): true if `office_code` is one of `accused` or a member
  // of one: an accused government `R:gov` has every office of region R as
  // members; an accused bureau or department only itself. Codes are
  // compared as given; malformed ones match nothing but themselves.
  bool IsAccusedOrMember(std::string_view office_code,
                         const std::vector<std::string>& accused) const;

 private:
  // A unit of departments.tsv: its name at each column (empty: absent).
  // Columns: province, municipality, city, county, township.
  using LevelNames = std::array<std::string, 5>;
  // A row of categories.tsv: the unit at each level (empty: none).
  struct Category {
    std::string name;
    std::array<std::string, 4> units;  // indexed by region::Level
  };
  // A row of governments.tsv.
  struct GovernmentRule {
    std::optional<region::Level> level;  // nullopt: any level
    std::string ending;                  // empty: any name
    std::optional<std::string> suffix;   // nullopt: the region's name alone
  };

  explicit OfficeDirectory(const region::RegionTree* regions)
      : regions_(regions) {}

  absl::Status LoadDepartments(const std::string& path);
  absl::Status LoadCategories(const std::string& path);
  absl::Status LoadGovernments(const std::string& path);
  absl::Status LoadOverrides(const std::string& path);

  // The office of `unit` in `region`, or nullopt if the unit is unknown or
  // absent at that level.
  std::optional<Office> Make(const region::Region& region,
                             std::string_view unit) const;
  // The name of the government of `region` before overrides.
  std::string GovernmentName(const region::Region& region) const;
  // The column of LevelNames that names `region`'s offices.
  static int NameColumn(const region::Region& region);

  // All const after Load().
  const region::RegionTree* const regions_;               // not owned
  std::map<std::string, LevelNames, std::less<>> units_;  // incl. "bureau"
  std::map<std::string, Category, std::less<>> categories_;
  std::vector<GovernmentRule> government_rules_;
  absl::flat_hash_map<std::string, std::string> overrides_;  // code -> name
};

}  // namespace caserelay::offices

#endif  // CASERELAY_DOMAIN_OFFICES_OFFICE_DIRECTORY_H_
