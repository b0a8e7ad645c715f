// OfficeResolver: the life cycle's seam to the office directory (机关/单位).
// routing adapts domain/offices to it; tests use a small fake.

#ifndef CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_
#define CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace caserelay::lifecycle {

// An office as the life cycle records it.
struct OfficeRef {
  std::string code;  // e.g. "140431:housing"
  std::string name;  // e.g. "榆社县住房和城乡建设局"
};

// Implementations must be thread-safe: a Lifecycle calls them from any
// thread at once.
class OfficeResolver {
 public:
  virtual ~OfficeResolver() = default;

  // Returns the office with code `office_code`. NOT_FOUND if there is none.
  virtual absl::StatusOr<OfficeRef> Resolve(
      std::string_view office_code) const = 0;

  // Returns the organ that reviews decisions of `office_code`: the people's
  // government of its level or the competent department one level up
  // (Arts. 35, 36; for a re-review, pass the reviewer's code). NOT_FOUND if
  // `office_code` is unknown or nothing reviews its decisions (the top of
  // the tree).
  virtual absl::StatusOr<OfficeRef> ReviewOfficeOf(
      std::string_view office_code) const = 0;

  // Returns true iff `office_code` is a petition bureau (信访部门:
  // 信访局/信访办); false for an unknown code.
  virtual bool IsBureau(std::string_view office_code) const = 0;
};

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_OFFICE_RESOLVER_H_
