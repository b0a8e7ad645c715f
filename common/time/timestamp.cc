#include "common/time/timestamp.h"

#include <cstdint>

namespace caserelay::time {

google::protobuf::Timestamp ToProto(absl::Time t) {
  const absl::Time seconds = absl::FromUnixSeconds(absl::ToUnixSeconds(t));
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));  // rounds down, also before 1970
  ts.set_nanos(static_cast<int32_t>((t - seconds) / absl::Nanoseconds(1)));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace caserelay::time
