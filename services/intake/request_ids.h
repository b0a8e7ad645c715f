// Idempotent submissions (幂等提交): a client may send SubmitPetition again
// with the same `request_id` (a lost answer, a retry) and must get the case
// the first call created, with its look-up code — but only the same client
// with the same petition.
//
// - Scope: an id belongs to one caller and one channel. The caller is the
//   principal the call authenticates as (rpc::Principal::Name: an office
//   code, or service:web for the portal; every call is authenticated since
//   issue 14); the channel is matter.channel. Two front ends
//   that both count from 1 never meet, nor do letters and visits.
// - Digest: the id is kept with the HMAC-SHA256 (under lookup.secret) of
//   the request as submitted, request_id left out. A retry whose request
//   differs is refused (ALREADY_EXISTS), so no petitioner gets another's
//   case number and code, and no petition is silently dropped. The MAC
//   (not a plain hash) keeps a copy of the store from being an offline
//   oracle for the petitioners' personal data.
// - Expiry: an id is remembered for `ttl` (intake.request_id_ttl) from the
//   first call; after that the same id makes a new case. Expired ids are
//   deleted a few at a time by later submissions (an index by creation
//   time in the same family), so the family does not grow without bound.
//
// Family "requests":
//   "id" 0x1f <caller> 0x1f <channel number> 0x1f <request_id>
//       -> IntakeRequestRecord
//   "ex" 0x1f <20-digit µs since the epoch of created_at> 0x1f <id key>
//       -> "" (the expiry index)
// A caller is a principal's name or kAnonymousCaller, which stores from
// before issue 14 may hold (no 0x1f in either), the
// channel a number, so a key names exactly one (caller, channel, id).
//
// Thread safety: stateless functions; the caller serialises the
// read-modify-write of one id (a step of IntakeServiceImpl's GroupCommit).

#ifndef CASERELAY_SERVICES_INTAKE_REQUEST_IDS_H_
#define CASERELAY_SERVICES_INTAKE_REQUEST_IDS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "services/intake/lookup_code.h"

namespace caserelay::intake {

inline constexpr char kRequests[] = "requests";
// The caller of requests stored before every call was authenticated.
inline constexpr char kAnonymousCaller[] = "anonymous";

struct RequestIdOptions {
  // How long an id is remembered (intake.request_id_ttl).
  absl::Duration ttl = absl::Hours(24);
};

// How many expired ids one submission deletes at most.
inline constexpr int kRequestSweepBatch = 16;

// The key of `request_id` of `caller` on `channel`.
std::string RequestKey(std::string_view caller, caserelay::v1::Channel channel,
                       std::string_view request_id);

// Lowercase hex HMAC-SHA256 under the look-up secret of `req` with its
// request_id and phone_proof cleared, serialised deterministically.
std::string RequestMac(const LookupCodes& codes,
                       const caserelay::v1::SubmitPetitionRequest& req);

// What a retry of `req` under `key` comes to, read through `batch` (so a
// write earlier in the batch counts):
//   the case number, when `key` was used within `ttl` before `now` for the
//   same request;
//   nullopt, when `key` is unknown or expired (a new case may be made);
//   ALREADY_EXISTS naming request_id, when it was used within `ttl` for a
//   different request;
//   DATA_LOSS for a record that does not parse; UNAVAILABLE from the store.
absl::StatusOr<std::optional<std::string>> FindRequest(store::WriteBatch& batch,
                                                       std::string_view key,
                                                       std::string_view mac,
                                                       absl::Time now,
                                                       absl::Duration ttl);

// Adds to `batch` the record of `key` (made `now`, for `case_number`,
// with `mac`) and its expiry index entry.
void RememberRequest(store::WriteBatch& batch, std::string_view key,
                     std::string_view case_number, std::string_view mac,
                     absl::Time now);

// Adds to `batch` the deletion of at most `max` ids made `ttl` or more
// before `now` (oldest first) and of their index entries. An id remembered
// again since (a new case after expiry) keeps its newer record. Errors:
// UNAVAILABLE from the store (nothing added then).
absl::Status SweepRequests(const store::Store& store, store::WriteBatch& batch,
                           absl::Time now, absl::Duration ttl, int max);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_REQUEST_IDS_H_
