// The schedule of leaders' reception days intake keeps (领导接访安排, issue
// 18 item 1; README.md "Receptions"): the records in the "receptions"
// family, apart from the RPCs (reception_service.cc) and the rules
// (domain/reception, domain/access/reception_access.h).
//
// Keys of the family:
//   "r/<reception id>"           -> Reception
//   "d/<YYYY-MM-DD>/<id>"        -> ""  (by day, for the listing)
//   "n/<YYYYMMDD>"               -> the next sequence of ids of that day
//   "q/<caller>\x1f<request_id>" -> PublishReceptionRequest with its
//                                   reception_id in request_id's place
//                                   (a retried publish answers the same)
//
// Thread safety: functions over a store; the caller serialises writers
// (a step of intake's GroupCommit) so two publishes never draw the same id.

#ifndef CASERELAY_SERVICES_INTAKE_RECEPTIONS_H_
#define CASERELAY_SERVICES_INTAKE_RECEPTIONS_H_

#include <functional>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "common/store/store.h"

namespace caserelay::intake {

inline constexpr char kReceptions[] = "receptions";

// The reception of `id`: nullopt if none; DATA_LOSS for a record that does
// not parse; UNAVAILABLE from the store.
absl::StatusOr<std::optional<caserelay::v1::Reception>> LoadReception(
    store::WriteBatch& batch, absl::string_view id);

// The reception a retry of `req` by `caller` answers (same request_id and
// the same request otherwise): nullopt when none was published under it;
// ALREADY_EXISTS naming request_id when it was used for another request.
// OK nullopt for an empty request_id.
absl::StatusOr<std::optional<caserelay::v1::Reception>> FindPublished(
    store::WriteBatch& batch, absl::string_view caller,
    const caserelay::v1::PublishReceptionRequest& req);

// Adds to `batch` a new reception of `req` by `caller`, for office
// `office_code` named `office_name`, published `now`; returns it (its id
// the next of ReceptionId's for the China day of `now`). REQUIRES: `req`
// validated (domain/reception ValidatePublish). UNAVAILABLE or DATA_LOSS
// from the store, nothing added then.
absl::StatusOr<caserelay::v1::Reception> AddReception(
    store::WriteBatch& batch, absl::string_view caller,
    const caserelay::v1::PublishReceptionRequest& req,
    absl::string_view office_code, absl::string_view office_name,
    absl::Time now);

// Adds to `batch` `reception` as it now is (e.g. cancelled).
void PutReception(store::WriteBatch& batch,
                  const caserelay::v1::Reception& reception);

// Calls `visit` with each reception of a day in [from, to] (to: nullopt,
// no end), by day then id, until it returns false. DATA_LOSS for a record
// that does not parse; UNAVAILABLE from the store.
absl::Status ScanReceptions(
    const store::Store& store, absl::CivilDay from,
    std::optional<absl::CivilDay> to,
    const std::function<bool(const caserelay::v1::Reception&)>& visit);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_RECEPTIONS_H_
