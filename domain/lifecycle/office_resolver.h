// OfficeResolver: the life cycle's seam to the office directory (机关/单位).
// routing adapts domain/offices to it; tests use a small fake.

#ifndef CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_
#define CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::lifecycle {

// An office as the life cycle records it.
struct OfficeRef {
  std::string code;  // e.g. "140431:housing"
  std::string name;  // e.g. "榆社县住房和城乡建设局"
};

// An organ that may review (复查, Art. 35) or re-review (复核, Art. 36) a
// decision, with the rule that makes it one.
struct ReviewOrgan {
  OfficeRef office;
  std::string rule;  // e.g. "Arts. 35-36: 上一级主管部门 ..."
};

// Implementations must be thread-safe: a Lifecycle calls them from any
// thread at once.
class OfficeResolver {
 public:
  virtual ~OfficeResolver() = default;

  // Returns the office with code `office_code`. NOT_FOUND if there is none.
  virtual absl::StatusOr<OfficeRef> Resolve(
      std::string_view office_code) const = 0;

  // Returns every organ that may review decisions of `office_code` ("原办理
  // 机关、单位的上一级机关、单位", Arts. 35, 36; for a re-review, pass the
  // reviewer's code), never empty: for a department, the people's
  // government of its level and, where there is one, the department of the
  // same line one level up; for a government or a bureau, the government
  // one level up. The petitioner chooses: the organ they apply to takes
  // the request. NOT_FOUND if `office_code` is unknown or nothing reviews
  // its decisions (the top of the tree).
  virtual absl::StatusOr<std::vector<ReviewOrgan>> ReviewOrgansOf(
      std::string_view office_code) const = 0;

  // Returns true iff `office_code` is a petition bureau (信访部门:
  // 信访局/信访办); false for an unknown code.
  virtual bool IsBureau(std::string_view office_code) const = 0;

  // Returns true iff `office_code` is a people's government (人民政府);
  // false for an unknown code.
  virtual bool IsGovernment(std::string_view office_code) const = 0;

  // Returns true iff `superior_code` is a bureau or a people's government
  // whose region contains the region of `office_code`, its own region
  // included (the superiors of offices::OfficeDirectory::Supervises);
  // false if either code is unknown or `superior_code` is a department.
  virtual bool Supervises(std::string_view superior_code,
                          std::string_view office_code) const = 0;

  // Returns true iff Supervises(superior_code, office_code) and the
  // superior's region is not the office's own: an organ of a higher level
  // (提级办理, issue 18 item 5); false otherwise, and for unknown codes.
  virtual bool SupervisesFromAbove(std::string_view superior_code,
                                   std::string_view office_code) const = 0;
};

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_
