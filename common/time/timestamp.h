// absl::Time <-> google.protobuf.Timestamp, the one conversion every
// message and record uses. Exact to the nanosecond both ways.
//
// Thread safety: stateless functions.
#ifndef CASERELAY_COMMON_TIME_TIMESTAMP_H_
#define CASERELAY_COMMON_TIME_TIMESTAMP_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace caserelay::time {

// `t` as a Timestamp: seconds rounded down, nanos in [0, 1e9).
google::protobuf::Timestamp ToProto(absl::Time t);
// The instant `ts` names; an unset Timestamp is the Unix epoch.
absl::Time FromProto(const google::protobuf::Timestamp& ts);

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_TIMESTAMP_H_
