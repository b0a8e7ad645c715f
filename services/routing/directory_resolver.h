// The life cycle's view of the office directory (lifecycle::OfficeResolver
// over offices::OfficeDirectory), as routing wires it (definition.cc) and
// its tests build it.
//
// Thread safety: thread-safe (the directory is immutable).

#ifndef CASERELAY_SERVICES_ROUTING_DIRECTORY_RESOLVER_H_
#define CASERELAY_SERVICES_ROUTING_DIRECTORY_RESOLVER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/lifecycle/office_resolver.h"
#include "domain/offices/office_directory.h"

namespace caserelay::routing {

// `offices` is not owned and outlives the resolver.
class DirectoryResolver final : public lifecycle::OfficeResolver {
 public:
  explicit DirectoryResolver(const offices::OfficeDirectory* offices)
      : offices_(offices) {}
  absl::StatusOr<lifecycle::OfficeRef> Resolve(
      std::string_view office_code) const override {
    auto office = offices_->Find(office_code);
    if (!office.ok()) return office.status();
    return lifecycle::OfficeRef{office->code, office->name};
  }
  absl::StatusOr<std::vector<lifecycle::ReviewOrgan>> ReviewOrgansOf(
      std::string_view office_code) const override {
    auto organs = offices_->ReviewOrgansOf(office_code);
    if (!organs.ok()) return organs.status();
    std::vector<lifecycle::ReviewOrgan> out;
    for (const offices::ReviewOrgan& organ : *organs) {
      out.push_back({{organ.office.code, organ.office.name}, organ.rule});
    }
    return out;
  }
  bool IsBureau(std::string_view office_code) const override {
    auto office = offices_->Find(office_code);
    return office.ok() && office->kind == offices::OfficeKind::kBureau;
  }
  bool IsGovernment(std::string_view office_code) const override {
    auto office = offices_->Find(office_code);
    return office.ok() && office->kind == offices::OfficeKind::kGovernment;
  }
  bool Supervises(std::string_view superior_code,
                  std::string_view office_code) const override {
    return offices_->Supervises(superior_code, office_code);
  }
  bool SupervisesFromAbove(std::string_view superior_code,
                           std::string_view office_code) const override {
    auto superior = offices_->Find(superior_code);
    auto office = offices_->Find(office_code);
    return superior.ok() && office.ok() &&
           superior->region_code != office->region_code &&
           offices_->Supervises(superior_code, office_code);
  }

 private:
  const offices::OfficeDirectory* const offices_;
};

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_DIRECTORY_RESOLVER_H_
