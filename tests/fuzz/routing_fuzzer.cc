// routing's entries for untrusted bytes, through the service itself over a
// temp-dir store: the first byte picks a record of its inputs (Apply:
// PetitionReceived off petitions, SupervisionIssued off
// supervision-events) or one of the offices' RPCs (GetCase, ListInbox,
// Act, PreviewRoute) called as the province bureau; the rest are the
// bytes. The store holds one routed petition (case
// 140431-20261122-000001), so records and requests can name it. An Act
// that is allowed is committed, as the handler does: the case moves on.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/routing.pb.h"
#include "common/time/calendar.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/routing/router.h"
#include "domain/routing/statutory_routes.h"
#include "services/routing/case_store.h"
#include "services/routing/directory_resolver.h"
#include "services/routing/routing_service.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/service_fuzz.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::routing {
namespace {

constexpr char kCase[] = "140431-20261122-000001";

struct Fixture {
  std::unique_ptr<StatutoryRoutes> routes = fuzz::OrDie(StatutoryRoutes::Load(
      fuzz::SourcePath("data/routing/statutory_routes.tsv")));
  time::Calendar holidays =
      fuzz::OrDie(time::Calendar::Load(fuzz::SourcePath("data/holidays")));
  svctest::FixedCaller caller{"140000:bureau"};
  Router router{&fuzz::ShippedRegions(), &fuzz::ShippedOffices(), routes.get()};
  DirectoryResolver resolver{&fuzz::ShippedOffices()};
  lifecycle::Lifecycle lifecycle{lifecycle::Policy{}, &holidays, &resolver};
  std::unique_ptr<svctest::TestContext> t = fuzz::OrDie(
      svctest::TestContext::Create(ColumnFamilies(),
                                   svctest::ChinaTime(2026, 11, 22, 10, 0)));
  std::unique_ptr<RoutingServiceImpl> service;

  Fixture() {
    service::Context context = t->context();
    context.auth = &caller;
    service = std::make_unique<RoutingServiceImpl>(
        context,
        RoutingParts{&fuzz::ShippedOffices(), &router, &lifecycle, &caller});
    caserelay::v1::Envelope e;
    e.set_event_id(absl::StrCat("intake/", kCase, "/received"));
    e.set_case_id(kCase);
    e.set_producer("intake");
    *e.mutable_occurred_at() =
        time::ToProto(svctest::ChinaTime(2026, 11, 22, 10, 0));
    auto* r = e.mutable_petition_received();
    r->set_case_number(kCase);
    r->mutable_petitioner()->set_id("Pfuzz");
    auto* m = r->mutable_matter();
    m->set_region_code("140431");
    m->set_category("labour");
    m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
    m->set_channel(caserelay::v1::CHANNEL_ONLINE);
    m->set_text("某公司拖欠工资三个月。");
    *r->mutable_received_at() = e.occurred_at();
    r->set_identity_key("key-1");
    store::WriteBatch batch(&t->store());
    if (!service->Apply(e, batch).ok() || !t->publisher().Commit(batch).ok()) {
      std::fprintf(stderr, "fuzz set-up: the seed petition was not routed\n");
      std::abort();
    }
  }
};

}  // namespace
}  // namespace caserelay::routing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static routing::Fixture* f = new routing::Fixture();
  if (size == 0) return 0;
  const uint8_t which = data[0] % 5;
  ++data;
  --size;
  routing::RoutingServiceImpl& s = *f->service;
  switch (which) {
    case 0:
      fuzz::ApplyRecord(s, f->t->store(), data, size);
      break;
    case 1:
      fuzz::CallRpc<v1::GetCaseRequest, v1::CaseDetail>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.GetCase(c, q, r); });
      break;
    case 2:
      fuzz::CallRpc<v1::ListInboxRequest, v1::ListInboxResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ListInbox(c, q, r); });
      break;
    case 3:
      fuzz::CallRpc<v1::ActRequest, v1::CaseView>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.Act(c, q, r); });
      break;
    case 4:
      fuzz::CallRpc<v1::PreviewRouteRequest, v1::RouteDecision>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.PreviewRoute(c, q, r); });
      break;
  }
  return 0;
}
