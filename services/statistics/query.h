// The statistics' query interface (统计查询), for the gRPC handlers and for
// the bulletins built in the same process (issue 17 items 1 and 2): the
// volume figures and the indicators of a scope over a period, answered
// from the index (index.h), never by a scan of every case.
//
// The caller's access (which scope it may ask for) is checked by the gRPC
// handler, not here: a bulletin of a bureau asks for the bureau's own
// region.

#ifndef CASERELAY_SERVICES_STATISTICS_QUERY_H_
#define CASERELAY_SERVICES_STATISTICS_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "caserelay/v1/statistics.pb.h"
#include "caserelay/v1/supervision.pb.h"

namespace caserelay::statistics {

// Reads the figures. Implementations are thread-safe: any number of
// queries may run at once, and concurrently with the index's updates (a
// query reads committed counters; one that runs while an event is applied
// may see some of its counters before it and some after).
class StatisticsQuery {
 public:
  virtual ~StatisticsQuery() = default;

  // The volume figures (statistics.proto VolumeFigures) of request.scope
  // over [from, to), of the previous period of the same length (环比) and
  // of the same days a year before (同比: each bound's civil date one year
  // earlier, 02-29 read as 02-28), in total and per breakdown row.
  //
  // Returns INVALID_ARGUMENT (naming the field) if from or to is not at
  // 00:00 China time, if from >= to (after `to` defaults to the start of
  // tomorrow on the service's clock), if scope.office_code is not
  // "<region>:<unit>", or for an unknown enum value; NOT_FOUND for a
  // region the region tree does not know; DATA_LOSS for a corrupt counter;
  // the store's error. Nothing is returned on error.
  virtual absl::StatusOr<caserelay::v1::GetVolumeResponse> Volume(
      const caserelay::v1::GetVolumeRequest& request) const = 0;

  // The indicators of SupervisionService.GetIndicators (the definitions
  // of services/supervision/indicators.h and domain/indicators) from the
  // index. Returns the errors of supervision's GetIndicators for the same
  // request (INVALID_ARGUMENT, NOT_FOUND), and also INVALID_ARGUMENT if
  // from or a set `to` is not at 00:00 China time (the index counts whole
  // days); DATA_LOSS for a corrupt counter; the store's error.
  virtual absl::StatusOr<caserelay::v1::GetIndicatorsResponse> Indicators(
      const caserelay::v1::GetIndicatorsRequest& request) const = 0;
};

// The change of `now` against `before` (同比 / 环比): (now - before) /
// before, e.g. 0.25 for 125 against 100; nullopt when before is 0 (no
// base to compare with).
std::optional<double> ChangeRatio(int64_t now, int64_t before);

// The count under `key` in `counts` (VolumeFigures.by_channel, ...); 0 if
// there is none.
int64_t CountOf(
    const google::protobuf::RepeatedPtrField<caserelay::v1::KeyedCount>&
        counts,
    const std::string& key);

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_QUERY_H_
