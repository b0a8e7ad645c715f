#include "services/intake/request_ids.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/digest/digest.h"
#include "common/time/timestamp.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace caserelay::intake {
namespace {

constexpr char kSep = '\x1f';

std::string ExpiryKey(absl::Time created, std::string_view id_key) {
  return absl::StrCat("ex", std::string(1, kSep),
                      absl::StrFormat("%020d", absl::ToUnixMicros(created)),
                      std::string(1, kSep), std::string(id_key));
}

absl::StatusOr<std::optional<caserelay::v1::IntakeRequestRecord>> Load(
    store::WriteBatch& batch, std::string_view key) {
  auto raw = batch.Get(kRequests, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  caserelay::v1::IntakeRequestRecord record;
  if (!record.ParseFromString(**raw)) {
    return absl::DataLossError("intake: corrupt request_id record");
  }
  return record;
}

}  // namespace

std::string RequestKey(std::string_view caller, caserelay::v1::Channel channel,
                       std::string_view request_id) {
  return absl::StrCat("id", std::string(1, kSep), std::string(caller),
                      std::string(1, kSep), static_cast<int>(channel),
                      std::string(1, kSep), std::string(request_id));
}

std::string RequestMac(const LookupCodes& codes,
                       const caserelay::v1::SubmitPetitionRequest& req) {
  caserelay::v1::SubmitPetitionRequest copy = req;
  copy.clear_request_id();
  // The phone proof is no part of the petition: a retry of an accepted
  // online petition carries a used code (or none) and is the same request
  // (issue 15 item 2). Requests stored before it had none: same MAC.
  copy.clear_phone_proof();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  // "rq:" keeps these inputs apart from case numbers and identity keys.
  return codes.HexMac(absl::StrCat("rq:", bytes));
}

absl::StatusOr<std::optional<std::string>> FindRequest(store::WriteBatch& batch,
                                                       std::string_view key,
                                                       std::string_view mac,
                                                       absl::Time now,
                                                       absl::Duration ttl) {
  auto record = Load(batch, key);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::nullopt;
  const caserelay::v1::IntakeRequestRecord& r = **record;
  if (time::FromProto(r.created_at()) + ttl <= now) return std::nullopt;
  if (!digest::ConstantTimeEquals(r.request_mac(),
                                  absl::string_view(mac.data(), mac.size()))) {
    return absl::AlreadyExistsError(
        "request_id: already used by this caller on this channel for a "
        "different petition; send a new petition with a new request_id");
  }
  return r.case_number();
}

void RememberRequest(store::WriteBatch& batch, std::string_view key,
                     std::string_view case_number, std::string_view mac,
                     absl::Time now) {
  caserelay::v1::IntakeRequestRecord record;
  record.set_case_number(std::string(case_number));
  record.set_request_mac(std::string(mac));
  *record.mutable_created_at() = time::ToProto(now);
  batch.Put(kRequests, key, record.SerializeAsString());
  batch.Put(kRequests, ExpiryKey(now, key), "");
}

absl::Status SweepRequests(const store::Store& store, store::WriteBatch& batch,
                           absl::Time now, absl::Duration ttl, int max) {
  const std::string begin = absl::StrCat("ex", std::string(1, kSep));
  // Index keys made before now - ttl sort before this one.
  const std::string end = ExpiryKey(now - ttl + absl::Microseconds(1), "");
  std::vector<std::string> index_keys;
  absl::Status s = store.Scan(
      kRequests, begin, end, [&](std::string_view k, std::string_view) {
        index_keys.emplace_back(k);
        return static_cast<int>(index_keys.size()) < max;
      });
  if (!s.ok()) return s;
  for (const std::string& index_key : index_keys) {
    // "ex" SEP <20 digits> SEP <id key>
    const std::string id_key = index_key.substr(2 + 1 + 20 + 1);
    auto record = Load(batch, id_key);
    if (!record.ok() && !absl::IsDataLoss(record.status())) {
      return record.status();
    }
    // Delete the id unless it was remembered again since (its record is
    // then younger than ttl and has an index entry of its own).
    if (!record.ok() || !record->has_value() ||
        time::FromProto((*record)->created_at()) + ttl <= now) {
      batch.Delete(kRequests, id_key);
    }
    batch.Delete(kRequests, index_key);
  }
  return absl::OkStatus();
}

}  // namespace caserelay::intake
