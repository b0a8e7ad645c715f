// intake's entries for untrusted bytes, through the service itself over a
// temp-dir store: the first byte picks a case-events record (Apply, the
// read model) or one of its RPCs (SubmitPetition, GetCaseStatus,
// ResolveContact) and who calls (kCallers); the rest are the bytes. The store
// holds one petition (case 140431-20261122-000001), so records and look-ups can
// name it.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "caserelay/v1/intake.pb.h"
#include "services/intake/intake_service.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/service_fuzz.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

service::Context WithCaller(service::Context context,
                            const rpc::Authenticator* caller) {
  context.auth = caller;
  return context;
}

// Who calls, by the selector byte: an office, notification (the only one
// ResolveContact answers), the web gateway speaking for a petitioner.
constexpr const char* kCallers[] = {"140431:bureau", "service:notification",
                                    "service:web"};

struct Fixture {
  svctest::FixedCaller caller{kCallers[0]};
  std::unique_ptr<svctest::TestContext> t = fuzz::OrDie(
      svctest::TestContext::Create(ColumnFamilies(), svctest::FixtureStart()));
  // The unit tests' key ring and look-up secret (intake_fixture.h); the
  // shipped data loaded by fuzz_support.h, which aborts where the unit
  // tests' loader would fail a test.
  // The gateway's submissions get past their phone proof
  // (AcceptingPhoneProofs), so the fuzzer reaches what follows it.
  IntakeServiceImpl service{WithCaller(t->context(), &caller),
                            &fuzz::ShippedRegions(),
                            &fuzz::ShippedOffices(),
                            &TestPii(),
                            LookupCodes("test-secret"),
                            Limits(),
                            LookupLimits(),
                            RequestIdOptions(),
                            &AcceptingPhoneProofs()};

  Fixture() {
    caserelay::v1::SubmitPetitionRequest req = ValidPetition();
    grpc::ServerContext ctx;
    caserelay::v1::SubmitPetitionResponse resp;
    if (grpc::Status s = service.SubmitPetition(&ctx, &req, &resp); !s.ok()) {
      std::fprintf(stderr, "fuzz set-up: the seed petition was refused: %s\n",
                   s.error_message().c_str());
      std::abort();
    }
  }
};

}  // namespace
}  // namespace caserelay::intake

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static intake::Fixture* f = new intake::Fixture();
  if (size == 0) return 0;
  const uint8_t which = data[0] % 4;
  f->caller.Become(intake::kCallers[(data[0] / 4) % 3]);
  ++data;
  --size;
  intake::IntakeServiceImpl& s = f->service;
  switch (which) {
    case 0:
      fuzz::ApplyRecord(s, f->t->store(), data, size);
      break;
    case 1:
      fuzz::CallRpc<v1::SubmitPetitionRequest, v1::SubmitPetitionResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.SubmitPetition(c, q, r); });
      break;
    case 2:
      fuzz::CallRpc<v1::GetCaseStatusRequest, v1::GetCaseStatusResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.GetCaseStatus(c, q, r); });
      break;
    case 3:
      fuzz::CallRpc<v1::ResolveContactRequest, v1::ResolveContactResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return s.ResolveContact(c, q, r); });
      break;
  }
  return 0;
}
