// IntakeServiceImpl::Submit: a petition validated, sealed and numbered,
// stored with its PetitionReceived in the outbox. The work that needs no
// other submission (validation, the request MAC, the phone proof, sealing
// the petitioner, the identity key) runs on the caller's gRPC thread, in
// parallel; what numbers the case and writes it runs as one step of a
// group commit (group_commit.h), serialised with every other submission
// and reception write, and shares one synced store write with them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"
#include "common/store/store.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/petition/group_petition.h"
#include "services/intake/identity_key.h"
#include "services/intake/intake_service.h"
#include "services/intake/petitioner_vault.h"

namespace caserelay::intake {
namespace {

// A petitioner or co-representative, sealed under a fresh random
// reference (issue 14 item 1): never derived from the case.
struct SealedPerson {
  std::string ref;
  std::string sealed;
};

absl::StatusOr<SealedPerson> SealNew(const PiiCipher& pii,
                                     const caserelay::v1::Petitioner& person) {
  auto ref = NewPetitionerRef();
  if (!ref.ok()) return ref.status();
  auto sealed = SealPetitioner(pii, *ref, person);
  if (!sealed.ok()) return sealed.status();
  return SealedPerson{*std::move(ref), *std::move(sealed)};
}

}  // namespace

absl::StatusOr<caserelay::v1::SubmitPetitionResponse> IntakeServiceImpl::Submit(
    const caserelay::v1::SubmitPetitionRequest& req, const std::string& caller,
    bool online) {
  absl::Time now = context_.clock->Now();
  absl::CivilDay today = time::ChinaDay(now);
  if (absl::Status s =
          ValidateSubmission(req, *regions_, *offices_, limits_, today);
      !s.ok()) {
    return s;
  }
  const std::string request_key =
      req.request_id().empty()
          ? ""
          : RequestKey(caller, req.matter().channel(), req.request_id());
  const std::string request_mac =
      request_key.empty() ? "" : RequestMac(codes_, req);
  if (online) {
    // A retry of an accepted online petition gets its case back without a
    // second code (its code is used up); anything else proves its phone
    // first (a call to notification). A read of committed state: the
    // group step below looks again before anything is written.
    if (!request_key.empty()) {
      store::WriteBatch batch(context_.store);
      auto known =
          FindRequest(batch, request_key, request_mac, now, request_ids_.ttl);
      if (!known.ok()) return known.status();
      if (known->has_value()) {
        caserelay::v1::SubmitPetitionResponse resp;
        resp.set_case_number(**known);
        resp.set_lookup_code(codes_.Derive(**known));
        return resp;
      }
    }
    if (absl::Status s = CheckPhoneProof(req); !s.ok()) return s;
  }
  // Sealed before the group (the cipher is the costly part); a retry
  // answered from its request_id below just drops them.
  auto petitioner = SealNew(*pii_, req.petitioner());
  if (!petitioner.ok()) return petitioner.status();
  // 群体访 / 联名 (issue 18 item 3): each co-representative is kept like
  // the petitioner, under a random reference of its own.
  std::vector<SealedPerson> co_sealed;
  for (const caserelay::v1::Petitioner& rep : req.co_representatives()) {
    auto co = SealNew(*pii_, rep);
    if (!co.ok()) return co.status();
    co_sealed.push_back(*std::move(co));
  }
  const int representatives = 1 + req.co_representatives_size();
  const std::string identity_key = IdentityKey(identity_hmac_, req.petitioner());
  const std::string prefix = absl::StrFormat(
      "%s-%04d%02d%02d", req.matter().region_code().substr(0, 6), today.year(),
      today.month(), today.day());

  caserelay::v1::SubmitPetitionResponse resp;
  bool created = false;
  int64_t head_count = 0;
  // The step (group_commit.h): every check comes before the first write.
  auto step = [&](store::WriteBatch& batch) -> absl::Status {
    // A retried submission returns the case it created the first time, to
    // the same caller for the same petition only (request_ids.h); read
    // through the batch, so a retry in the same group finds the first.
    if (!request_key.empty()) {
      auto known =
          FindRequest(batch, request_key, request_mac, now, request_ids_.ttl);
      if (!known.ok()) return known.status();
      if (known->has_value()) {
        resp.set_case_number(**known);
        resp.set_lookup_code(codes_.Derive(**known));
        return absl::OkStatus();
      }
    }
    // 领导接访 (issue 18 item 1): a visit registered at a reception carries
    // its leader and day; checked after a retry got its case back.
    auto reception = VisitReception(req, caller, today);
    if (!reception.ok()) return reception.status();
    // Case number: the matter's county-level code, the China date, and a
    // sequence per (code, date) kept in the store so it survives restarts;
    // read through the batch, which holds the numbers its group took.
    auto counter = batch.Get(kCounters, prefix);
    if (!counter.ok()) return counter.status();
    uint64_t seq = counter->has_value() ? store::DecodeUint64(**counter) : 1;
    std::string case_number = absl::StrFormat("%s-%06d", prefix, seq);
    // 128 random bits make a clash a broken generator, refused rather
    // than merged.
    for (size_t i = 0; i <= co_sealed.size(); ++i) {
      const std::string& ref = i == 0 ? petitioner->ref : co_sealed[i - 1].ref;
      auto clash = batch.Get(kPetitioners, ref);
      if (!clash.ok()) return clash.status();
      if (clash->has_value() || (i > 0 && ref == petitioner->ref)) {
        return absl::InternalError("intake: petitioner reference drawn twice");
      }
    }

    caserelay::v1::IntakeCaseRecord record;
    record.set_case_number(case_number);
    record.mutable_petitioner()->set_id(petitioner->ref);
    *record.mutable_matter() = req.matter();
    *record.mutable_received_at() = time::ToProto(now);
    *record.mutable_updated_at() = time::ToProto(now);
    record.set_state(caserelay::v1::CASE_STATE_RECEIVED);
    for (const SealedPerson& co : co_sealed) {
      record.add_co_representatives()->set_id(co.ref);
    }

    caserelay::v1::Envelope event;
    event.set_event_id(absl::StrCat("intake/", case_number, "/received"));
    event.set_case_id(case_number);
    event.set_producer("intake");
    *event.mutable_occurred_at() = time::ToProto(now);
    auto* received = event.mutable_petition_received();
    received->set_case_number(case_number);
    *received->mutable_petitioner() = record.petitioner();
    *received->mutable_matter() = req.matter();
    *received->mutable_received_at() = time::ToProto(now);
    received->set_identity_key(identity_key);
    if (reception->has_value()) *received->mutable_reception() = **reception;
    received->set_head_count(
        petition::EffectiveHeadCount(req.head_count(), representatives));
    received->set_representatives(representatives);
    const std::string event_bytes = event.SerializeAsString();
    // Nothing is promised that Kafka would never take (issue 22 item 1),
    // checked alone before this step writes anything.
    {
      store::WriteBatch probe(context_.store);
      probe.AddOutbox("petitions", case_number, event_bytes);
      if (absl::Status s = context_.publisher->CheckOutbox(probe); !s.ok()) {
        return s;
      }
    }

    batch.Put(kPetitioners, petitioner->ref, petitioner->sealed);
    for (const SealedPerson& co : co_sealed) {
      batch.Put(kPetitioners, co.ref, co.sealed);
    }
    // Every representative is found by the console's petitioner search.
    for (const std::string& key :
         PetitionerIndexKeys(identity_hmac_, req.petitioner(), case_number)) {
      batch.Put(kPetitionerIndex, key, "");
    }
    for (const caserelay::v1::Petitioner& rep : req.co_representatives()) {
      for (const std::string& key :
           PetitionerIndexKeys(identity_hmac_, rep, case_number)) {
        batch.Put(kPetitionerIndex, key, "");
      }
    }
    batch.Put(kCases, case_number, record.SerializeAsString());
    batch.Put(kCounters, prefix, store::EncodeUint64(seq + 1));
    if (!request_key.empty()) {
      RememberRequest(batch, request_key, case_number, request_mac, now);
    }
    batch.AddOutbox("petitions", case_number, event_bytes);
    resp.set_case_number(case_number);
    resp.set_lookup_code(codes_.Derive(case_number));
    head_count = received->head_count();
    created = true;
    return absl::OkStatus();
  };
  if (absl::Status s = group_.Run(step); !s.ok()) return s;
  if (created) {
    // Nothing of the petitioner, not even masked (issue 14 item 3).
    log::Info("petition received",
              {{"case", resp.case_number()},
               {"region", req.matter().region_code()},
               {"representatives", absl::StrCat(representatives)},
               {"head_count", absl::StrCat(head_count)}});
  }
  return resp;
}

absl::Status IntakeServiceImpl::SweepExpiredRequests(store::WriteBatch& batch,
                                                     int submissions) {
  // As many expired ids per submission as before submissions were grouped,
  // so the family does not grow faster than it is swept.
  return SweepRequests(*context_.store, batch, context_.clock->Now(),
                       request_ids_.ttl, kRequestSweepBatch * submissions);
}

}  // namespace caserelay::intake
