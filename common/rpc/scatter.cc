#include "common/rpc/scatter.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace caserelay::rpc {
namespace {

// The codes that say an owner could not answer (gone, slow, moving), as
// opposed to an answer about the caller or the request.
bool NotAnswered(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED ||
         code == grpc::StatusCode::UNKNOWN;
}

absl::StatusCode ToAbsl(grpc::StatusCode code) {
  return static_cast<absl::StatusCode>(static_cast<int>(code));
}

}  // namespace

std::string EncodePartitions(const std::vector<int32_t>& partitions) {
  return absl::StrJoin(partitions, ",");
}

absl::StatusOr<std::vector<int32_t>> ParsePartitions(absl::string_view text,
                                                     int32_t partitions) {
  std::set<int32_t> out;
  if (text.empty()) return std::vector<int32_t>{};
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int32_t p = -1;
    if (!absl::SimpleAtoi(part, &p) || p < 0 || p >= partitions) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", kPartitionsMetadata, ": \"", part.substr(0, 16),
          "\" is not a partition in 0..", partitions - 1));
    }
    out.insert(p);
  }
  return std::vector<int32_t>(out.begin(), out.end());
}

absl::StatusOr<std::optional<std::vector<int32_t>>> AskedPartitions(
    const grpc::ServerContext& ctx, int32_t partitions) {
  auto it = ctx.client_metadata().find(kPartitionsMetadata);
  if (it == ctx.client_metadata().end()) return std::nullopt;
  absl::StatusOr<std::vector<int32_t>> asked = ParsePartitions(
      absl::string_view(it->second.data(), it->second.size()), partitions);
  if (!asked.ok()) return asked.status();
  return std::optional<std::vector<int32_t>>(*std::move(asked));
}

void SetAnsweredPartitions(grpc::ServerContext* ctx,
                           const std::vector<int32_t>& answered) {
  ctx->AddTrailingMetadata(kPartitionsMetadata, EncodePartitions(answered));
}

std::vector<int32_t> Within(const std::vector<int32_t>& answered,
                            const std::vector<int32_t>& asked) {
  std::vector<int32_t> out;
  std::set_intersection(answered.begin(), answered.end(), asked.begin(),
                        asked.end(), std::back_inserter(out));
  return out;
}

absl::Status CheckCovered(absl::string_view service, int32_t partitions,
                          const std::vector<int32_t>& unowned,
                          const std::vector<ShardOutcome>& outcomes) {
  for (const ShardOutcome& o : outcomes) {
    if (!o.status.ok() && !NotAnswered(o.status.error_code())) {
      return absl::Status(
          ToAbsl(o.status.error_code()),
          absl::StrCat("owner ", o.from.empty() ? "(this instance)" : o.from,
                       ": ", o.status.error_message()));
    }
  }
  // Why each partition is missing, until an outcome answers it.
  std::map<int32_t, std::string> missing;
  for (int32_t p = 0; p < partitions; ++p) {
    missing[p] = "not asked of any owner";
  }
  for (int32_t p : unowned) missing[p] = "no owner known, moving";
  for (const ShardOutcome& o : outcomes) {
    const std::string who =
        o.from.empty() ? "this instance" : absl::StrCat("owner ", o.from);
    std::string why;
    if (!o.status.ok()) {
      why = absl::StrCat(who, " did not answer: ",
                         absl::StatusCodeToString(ToAbsl(o.status.error_code())),
                         " ", o.status.error_message());
    } else {
      why = absl::StrCat(who, " no longer holds it, moving");
    }
    for (int32_t p : o.asked) missing[p] = why;
  }
  for (const ShardOutcome& o : outcomes) {
    if (!o.status.ok()) continue;
    for (int32_t p : Within(o.answered, o.asked)) missing.erase(p);
  }
  if (missing.empty()) return absl::OkStatus();
  std::vector<std::string> numbers, reasons;
  for (const auto& [p, why] : missing) {
    numbers.push_back(absl::StrCat(p));
    reasons.push_back(absl::StrCat("partition ", p, ": ", why));
  }
  return absl::UnavailableError(absl::StrCat(
      missing.size() == 1 ? "partition " : "partitions ",
      absl::StrJoin(numbers, ", "), " of ", service, " not answered (",
      absl::StrJoin(reasons, "; "), "); try again"));
}

}  // namespace caserelay::rpc
