#include "common/service/partition_owners.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"

namespace caserelay::service {

using caserelay::v1::PartitionOwner;

OwnersMap::OwnersMap(std::string instance_id, std::string address,
                     int32_t partitions)
    : instance_id_(std::move(instance_id)),
      address_(std::move(address)),
      partitions_(partitions) {}

absl::Status OwnersMap::Apply(absl::string_view key, absl::string_view value) {
  int32_t p = -1;
  if (!absl::SimpleAtoi(key, &p) || p < 0 || p >= partitions_) {
    return absl::InvalidArgumentError(
        absl::StrCat("owners record key \"", key.substr(0, 16),
                     "\" is not a partition number below ", partitions_));
  }
  PartitionOwner record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("owners record of partition ", p,
                     " is not a PartitionOwner"));
  }
  uint64_t& known = epochs_[p];
  if (record.epoch() < known) return absl::OkStatus();  // old news
  known = record.epoch();
  auto remote = remote_.find(p);
  if (record.instance_id() == instance_id_) {
    // Ours: whether we hold it is the loop's word (SetLocal); a remote
    // owner of an older epoch is gone.
    if (remote != remote_.end() && remote->second.epoch() <= record.epoch()) {
      remote_.erase(remote);
    }
    return absl::OkStatus();
  }
  if (record.released()) {
    if (remote != remote_.end() &&
        remote->second.instance_id() == record.instance_id()) {
      remote_.erase(remote);
    }
    return absl::OkStatus();
  }
  remote_[p] = std::move(record);
  return absl::OkStatus();
}

void OwnersMap::SetLocal(int32_t partition, bool held) {
  if (held) {
    local_.insert(partition);
  } else {
    local_.erase(partition);
  }
}

void OwnersMap::SetAddress(std::string address) {
  address_ = std::move(address);
}

uint64_t OwnersMap::TakeEpoch(int32_t partition) {
  return ++epochs_[partition];
}

absl::StatusOr<Owner> OwnersMap::Of(int32_t partition) const {
  if (partition < 0 || partition >= partitions_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partition ", partition, " is not in 0..", partitions_ - 1));
  }
  if (local_.count(partition) > 0) {
    return Owner{Owner::Where::kLocal, address_};
  }
  auto remote = remote_.find(partition);
  if (remote == remote_.end() || remote->second.grpc_address().empty()) {
    return absl::UnavailableError(absl::StrCat(
        "partition ", partition,
        " of this service is moving between instances; try again"));
  }
  return Owner{Owner::Where::kRemote, remote->second.grpc_address()};
}

std::vector<std::string> OwnersMap::Instances() const {
  std::set<std::string> others;
  for (const auto& [p, record] : remote_) {
    if (local_.count(p) == 0 && !record.grpc_address().empty() &&
        record.grpc_address() != address_) {
      others.insert(record.grpc_address());
    }
  }
  std::vector<std::string> out;
  if (!local_.empty()) out.push_back(address_);
  out.insert(out.end(), others.begin(), others.end());
  return out;
}

uint64_t OwnersMap::Epoch(int32_t partition) const {
  auto it = epochs_.find(partition);
  return it == epochs_.end() ? 0 : it->second;
}

size_t OwnersMap::known() const {
  size_t n = local_.size();
  for (const auto& [p, unused] : remote_) n += local_.count(p) == 0;
  return n;
}

absl::StatusOr<std::unique_ptr<PartitionOwners>> PartitionOwners::Create(
    PartitionOwnersOptions options, std::unique_ptr<OwnersLog> log,
    metrics::Registry* metrics) {
  if (options.service.empty() || options.instance_id.empty()) {
    return absl::InvalidArgumentError(
        "PartitionOwners: service and instance_id are required");
  }
  if (options.partitions < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PartitionOwners: partitions must be >= 1, not ", options.partitions));
  }
  if (log == nullptr) {
    return absl::InvalidArgumentError("PartitionOwners: no owners log");
  }
  std::unique_ptr<PartitionOwners> owners(
      new PartitionOwners(std::move(options), std::move(log), metrics));
  owners->reader_ = std::thread([p = owners.get()] { p->ReadLoop(); });
  return owners;
}

PartitionOwners::PartitionOwners(PartitionOwnersOptions options,
                                 std::unique_ptr<OwnersLog> log,
                                 metrics::Registry* metrics)
    : options_(std::move(options)),
      log_(std::move(log)),
      known_(metrics->GetGauge(
          "caserelay_partition_owners_known",
          "Partitions whose holder this instance knows (itself or another).",
          {})),
      map_(options_.instance_id, options_.grpc_address, options_.partitions),
      address_(options_.grpc_address) {}

PartitionOwners::~PartitionOwners() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
}

void PartitionOwners::ReadLoop() {
  int failures = 0;
  while (!stop_) {
    absl::StatusOr<std::vector<kafka::Message>> records =
        log_->Read(absl::Milliseconds(200));
    if (!records.ok()) {
      if (++failures == 1 || failures % 60 == 0) {
        log::Warn("owners topic not read; per-case calls for partitions of "
                  "other instances answer UNAVAILABLE meanwhile",
                  {{"topic", absl::StrCat(options_.service, "-owners")},
                   {"error", std::string(records.status().message())}});
      }
      absl::SleepFor(absl::Milliseconds(500));
      continue;
    }
    failures = 0;
    absl::MutexLock lock(&mu_);
    for (const kafka::Message& m : *records) {
      absl::Status applied = map_.Apply(m.key, m.value);
      if (!applied.ok()) {
        log::Warn("owners record ignored",
                  {{"offset", std::to_string(m.offset)},
                   {"error", std::string(applied.message())}});
      }
    }
    known_.Set(static_cast<double>(map_.known()));
  }
}

absl::StatusOr<Owner> PartitionOwners::Of(int32_t partition) const {
  absl::MutexLock lock(&mu_);
  return map_.Of(partition);
}

std::vector<std::string> PartitionOwners::Instances() const {
  absl::MutexLock lock(&mu_);
  return map_.Instances();
}

std::string PartitionOwners::grpc_address() const {
  absl::MutexLock lock(&mu_);
  return address_;
}

absl::StatusOr<uint64_t> PartitionOwners::Held(int32_t partition) {
  uint64_t epoch = 0;
  std::string address;
  {
    absl::MutexLock lock(&mu_);
    map_.SetLocal(partition, true);
    epoch = map_.TakeEpoch(partition);
    held_epochs_[partition] = epoch;
    known_.Set(static_cast<double>(map_.known()));
    address = address_;
  }
  if (address.empty()) return epoch;  // published by Advertise
  if (absl::Status s = Publish(partition, epoch, address, false); !s.ok()) {
    return s;
  }
  return epoch;
}

absl::Status PartitionOwners::Released(int32_t partition) {
  uint64_t epoch = 0;
  std::string address;
  {
    absl::MutexLock lock(&mu_);
    map_.SetLocal(partition, false);
    auto held = held_epochs_.find(partition);
    epoch = held == held_epochs_.end() ? map_.Epoch(partition) : held->second;
    held_epochs_.erase(partition);
    known_.Set(static_cast<double>(map_.known()));
    address = address_;
  }
  if (address.empty()) return absl::OkStatus();  // never published
  return Publish(partition, epoch, address, true);
}

absl::Status PartitionOwners::Advertise(std::string grpc_address) {
  std::map<int32_t, uint64_t> held;
  {
    absl::MutexLock lock(&mu_);
    address_ = grpc_address;
    map_.SetAddress(grpc_address);
    held = held_epochs_;
  }
  absl::Status first;
  for (const auto& [p, epoch] : held) {
    absl::Status s = Publish(p, epoch, grpc_address, false);
    if (first.ok()) first = s;
  }
  return first;
}

absl::Status PartitionOwners::Publish(int32_t partition, uint64_t epoch,
                                      const std::string& address,
                                      bool released) {
  PartitionOwner record;
  record.set_instance_id(options_.instance_id);
  record.set_grpc_address(address);
  record.set_epoch(epoch);
  record.set_since_micros(absl::ToUnixMicros(absl::Now()));
  record.set_released(released);
  absl::Status s =
      log_->Append(std::to_string(partition), record.SerializeAsString());
  if (!s.ok()) {
    return absl::Status(
        s.code(), absl::StrCat("publishing the owner of partition ", partition,
                               released ? " (released)" : "", ": ",
                               s.message()));
  }
  return absl::OkStatus();
}

std::string MakeInstanceId(const std::string& grpc_address) {
  return absl::StrCat(grpc_address, "/", getpid(), "/",
                      absl::ToUnixMicros(absl::Now()));
}

}  // namespace caserelay::service
