// Who reads the statistics (issue 16 item 4, issue 17 item 2 "listed in
// the console"): a staff user the web gateway speaks for reads figures by
// their roles (domain/access/roles.h NarrowToRoleScope, as supervision's
// GetIndicators applies it since 0f25223), then the subtree rule of
// domain/access; the office's own credential keeps every role.
#include <memory>
#include <string>
#include <vector>

#include "common/rpc/auth.h"
#include "common/rpc/principal.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/statistics/statistics_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

using G = grpc::StatusCode;
using Role = caserelay::v1::StaffRole;

constexpr char kCityBureau[] = "140400:bureau";  // 长治市信访局
constexpr char kProvince[] = "140000:bureau";    // 山西省信访局

// The caller: a staff user through the gateway (x-caserelay-user-bin,
// -office, -roles) or, with no roles, the office's own credential.
class Caller final : public rpc::Authenticator {
 public:
  Caller(std::string office, std::vector<Role> roles)
      : principal_(rpc::Principal::Office(std::move(office), "user1")) {
    if (!roles.empty()) {
      principal_.via = rpc::kWebService;
      principal_.roles = std::move(roles);
    }
  }
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    return principal_;
  }

 private:
  rpc::Principal principal_;
};

TEST(StatisticsAccessTest, StaffReadFiguresByTheirRoles) {
  struct Row {
    const char* rule;
    std::string office;
    std::vector<Role> roles;
    G own;     // GetVolume and GetIndicators of the default scope
    G county;  // ... of region 140431 (沁源县, under 长治市)
    G other;   // ... of region 140200 (大同市, another city)
  };
  const std::vector<Row> rows = {
      {"roles.h ReadScopeOf: ADMIN alone reads nothing (管理员只管理用户)",
       kCityBureau, {Role::STAFF_ROLE_ADMIN}, G::PERMISSION_DENIED,
       G::PERMISSION_DENIED, G::PERMISSION_DENIED},
      {"roles.h NarrowToRoleScope: a bureau's HEAD only its own office's",
       kCityBureau, {Role::STAFF_ROLE_HEAD}, G::OK, G::PERMISSION_DENIED,
       G::PERMISSION_DENIED},
      {"roles.h NarrowToRoleScope: a REGISTRAR only its own office's",
       kCityBureau, {Role::STAFF_ROLE_REGISTRAR}, G::OK,
       G::PERMISSION_DENIED, G::PERMISSION_DENIED},
      {"roles.h: an INSPECTOR the subtree; domain/access: not another city's",
       kCityBureau, {Role::STAFF_ROLE_INSPECTOR}, G::OK, G::OK,
       G::PERMISSION_DENIED},
      {"roles.h: ADMIN with LEADER reads as the LEADER",
       kCityBureau, {Role::STAFF_ROLE_ADMIN, Role::STAFF_ROLE_LEADER}, G::OK,
       G::OK, G::PERMISSION_DENIED},
      {"roles.h: a province LEADER reads the province's subtree", kProvince,
       {Role::STAFF_ROLE_LEADER}, G::OK, G::OK, G::OK},
      {"auth.h: the office's own credential acts with every role",
       kCityBureau, {}, G::OK, G::OK, G::PERMISSION_DENIED},
  };
  auto t = svctest::TestContext::Create(ColumnFamilies(),
                                        svctest::ChinaTime(2026, 3, 16, 9, 0));
  ASSERT_TRUE(t.ok()) << t.status();
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    Caller caller(r.office, r.roles);
    service::Context context = (*t)->context();
    context.auth = &caller;
    StatisticsServiceImpl service(
        context, StatisticsTables{&svctest::ShippedRegions(),
                                  &svctest::ShippedOfficeDirectory()});
    auto ask = [&](const std::string& region) {
      caserelay::v1::GetVolumeRequest volume;
      volume.mutable_scope()->set_region_code(region);
      *volume.mutable_from() =
          time::ToProto(svctest::ChinaTime(2026, 1, 1, 0, 0));
      *volume.mutable_to() =
          time::ToProto(svctest::ChinaTime(2026, 2, 1, 0, 0));
      caserelay::v1::GetVolumeResponse volume_answer;
      grpc::ServerContext c1, c2;
      const G by_volume =
          service.GetVolume(&c1, &volume, &volume_answer).error_code();
      caserelay::v1::GetIndicatorsRequest figures;
      figures.mutable_scope()->set_region_code(region);
      *figures.mutable_from() = volume.from();
      *figures.mutable_to() = volume.to();
      caserelay::v1::GetIndicatorsResponse figures_answer;
      EXPECT_EQ(service.GetIndicators(&c2, &figures, &figures_answer)
                    .error_code(),
                by_volume)
          << "region " << region;
      return by_volume;
    };
    EXPECT_EQ(ask(""), r.own);
    EXPECT_EQ(ask("140431"), r.county);
    EXPECT_EQ(ask("140200"), r.other);
  }
}

}  // namespace
}  // namespace caserelay::statistics
