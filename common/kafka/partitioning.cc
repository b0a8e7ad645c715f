#include "common/kafka/partitioning.h"

#include <cstdio>
#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace caserelay::kafka {

int32_t Murmur2(std::string_view key) {
  // org.apache.kafka.common.utils.Utils.murmur2 (and librdkafka's
  // rd_murmur2): 32-bit MurmurHash2 over little-endian 4-byte words.
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const size_t length = key.size();
  uint32_t h = kSeed ^ static_cast<uint32_t>(length);
  const size_t words = length / 4;
  for (size_t i = 0; i < words; ++i) {
    const size_t at = i * 4;
    uint32_t k = static_cast<uint32_t>(data[at]) |
                 (static_cast<uint32_t>(data[at + 1]) << 8) |
                 (static_cast<uint32_t>(data[at + 2]) << 16) |
                 (static_cast<uint32_t>(data[at + 3]) << 24);
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  const size_t tail = words * 4;
  switch (length % 4) {
    case 3:
      h ^= static_cast<uint32_t>(data[tail + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint32_t>(data[tail + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= static_cast<uint32_t>(data[tail]);
      h *= kM;
  }
  h ^= h >> 13;
  h *= kM;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

int32_t PartitionOf(std::string_view key, int32_t partitions) {
  if (partitions < 1) {
    // A programming error: the partition count comes from validated config.
    std::fprintf(stderr, "PartitionOf: partitions must be >= 1, got %d\n",
                 partitions);
    std::abort();
  }
  const uint32_t positive = static_cast<uint32_t>(Murmur2(key)) & 0x7fffffff;
  return static_cast<int32_t>(positive % static_cast<uint32_t>(partitions));
}

absl::Status CheckCoPartitioned(const std::map<std::string, int32_t>& counts) {
  std::set<int32_t> distinct;
  for (const auto& [topic, count] : counts) distinct.insert(count);
  if (distinct.size() <= 1) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "topics are not co-partitioned (every per-case topic needs the same "
      "partition count, setting kafka.partitions): ",
      absl::StrJoin(counts, ", ", [](std::string* out, const auto& entry) {
        absl::StrAppend(out, entry.first, " has ", entry.second, " partitions");
      })));
}

}  // namespace caserelay::kafka
