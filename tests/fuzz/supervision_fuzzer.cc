// supervision's entries for untrusted bytes, through the service itself
// over a temp-dir store: the first byte picks a case-events record (Apply)
// or one of its RPCs (ListDeadlines, ListRedLights, GetIndicators) called
// as the province bureau; the rest are the bytes. The store holds one
// case (140431-20261122-000001) with a running transfer deadline, so
// records and requests can name it.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "caserelay/v1/supervision.pb.h"
#include "services/supervision/supervision_service.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/service_fuzz.h"
#include "tests/unit/services/supervision/supervision_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::supervision {
namespace {

struct Fixture {
  svctest::FixedCaller caller{"140000:bureau"};
  std::unique_ptr<svctest::TestContext> t = fuzz::OrDie(
      svctest::TestContext::Create(ColumnFamilies(), testing::Received()));
  std::unique_ptr<SupervisionServiceImpl> service;

  Fixture() {
    service::Context context = t->context();
    context.auth = &caller;
    service = std::make_unique<SupervisionServiceImpl>(
        context,
        SupervisionTables{&fuzz::ShippedRegions(), &fuzz::ShippedOffices()});
    store::WriteBatch batch(&t->store());
    if (!service
             ->Apply(
                 testing::Event(1, testing::Received(), {testing::Transfer()}),
                 batch)
             .ok() ||
        !t->publisher().Commit(batch).ok()) {
      std::fprintf(stderr, "fuzz set-up: the seed case event was refused\n");
      std::abort();
    }
  }
};

}  // namespace
}  // namespace caserelay::supervision

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static supervision::Fixture* f = new supervision::Fixture();
  if (size == 0) return 0;
  const uint8_t which = data[0] % 4;
  ++data;
  --size;
  supervision::SupervisionServiceImpl& s = *f->service;
  switch (which) {
    case 0:
      fuzz::ApplyRecord(s, f->t->store(), data, size);
      break;
    case 1:
      fuzz::CallRpc<v1::ListDeadlinesRequest, v1::ListDeadlinesResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ListDeadlines(c, q, r); });
      break;
    case 2:
      fuzz::CallRpc<v1::ListRedLightsRequest, v1::ListRedLightsResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ListRedLights(c, q, r); });
      break;
    case 3:
      fuzz::CallRpc<v1::GetIndicatorsRequest, v1::GetIndicatorsResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.GetIndicators(c, q, r); });
      break;
  }
  return 0;
}
