#include "services/statistics/counter_buffer.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/statistics/index_reader.h"

namespace caserelay::statistics {
namespace {

// The name the buffer is deferred under in a batch.
constexpr char kDeferredName[] = "statistics-counters";

}  // namespace

CounterBuffer& CounterBuffer::Of(store::WriteBatch& batch) {
  if (store::DeferredWrites* held = batch.Deferred(kDeferredName)) {
    return *static_cast<CounterBuffer*>(held);
  }
  auto buffer = std::make_unique<CounterBuffer>();
  CounterBuffer& out = *buffer;
  batch.Defer(kDeferredName, std::move(buffer));
  return out;
}

absl::StatusOr<caserelay::v1::StatisticsCounters*> CounterBuffer::Load(
    const std::string& key, const store::WriteBatch& batch) {
  auto it = held_.find(key);
  if (it != held_.end()) return &it->second.counters;
  auto raw = batch.Get(kCountersFamily, key);
  if (!raw.ok()) return raw.status();
  Held held;
  if (raw->has_value() && !held.counters.ParseFromString(**raw)) {
    return absl::DataLossError(
        absl::StrCat("statistics: counters '", key, "' do not parse"));
  }
  return &held_.emplace(key, std::move(held)).first->second.counters;
}

void CounterBuffer::Changed(const std::string& key) {
  held_[key].changed = true;
}

void CounterBuffer::WriteInto(store::WriteBatch& batch) {
  for (const auto& [key, held] : held_) {
    if (!held.changed) continue;
    if (held.counters.counts().empty()) {
      batch.Delete(kCountersFamily, key);
    } else {
      batch.Put(kCountersFamily, key, held.counters.SerializeAsString());
    }
  }
  held_.clear();
}

}  // namespace caserelay::statistics
