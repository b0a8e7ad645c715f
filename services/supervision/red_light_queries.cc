// SupervisionServiceImpl::ListRedLights (灭红灯): the "lights" family under
// the board's scope rule, answered whole across instances
// (subtree_query.h).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/keys.h"
#include "services/supervision/subtree_merge.h"
#include "services/supervision/subtree_query.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::ListRedLightsResponse;
using caserelay::v1::SupervisionCaseRecord;

// The lights key a page token continues after; INVALID_ARGUMENT if the
// token is not one of ours (lower-case hex of a lights key).
absl::StatusOr<std::string> DecodePageToken(const std::string& token) {
  bool hex = token.size() % 2 == 0 &&
             std::all_of(token.begin(), token.end(), [](char c) {
               return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
             });
  std::string key = hex ? absl::HexStringToBytes(token) : "";
  if (!ParseLightKey(key).has_value()) {
    return absl::InvalidArgumentError(
        "page_token: not a token of ListRedLights");
  }
  return key;
}

}  // namespace

absl::StatusOr<SupervisionCaseRecord> ReadCaseIn(const HeldView& view,
                                                 std::string_view case_id) {
  SupervisionCaseRecord record;
  auto raw = view.GetOfCase(kCases, case_id, case_id);
  if (!raw.ok()) return raw.status();
  if (raw->has_value() && !record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat(
        "supervision: corrupt record of case ", std::string(case_id)));
  }
  return record;
}

absl::StatusOr<ListRedLightsResponse> SupervisionServiceImpl::RedLightsIn(
    const HeldView& view, const BoardScope& scope,
    const std::string& begin) const {
  // One more than a page tells whether another page follows. A light of
  // a case the caller may not list (Art. 30) is left out, not counted.
  // Each kept light with its case, read once (for the Art. 30 check and
  // for the answer).
  struct Kept {
    std::string key;
    std::string deadline_id;
    SupervisionCaseRecord record;
  };
  std::vector<Kept> kept;
  absl::Status read;
  absl::Status s =
      view.Scan(kLights, begin, [&](std::string_view k, std::string_view v) {
        if (!InBoardScope(scope, v)) return true;
        std::optional<ParsedLight> light = ParseLightKey(k);
        if (!light.has_value()) return true;
        auto record = ReadCaseIn(view, CaseOfDeadline(light->deadline_id));
        if (!record.ok()) {
          read = record.status();
          return false;
        }
        if (!MayListRow(scope.caller, *record)) return true;
        kept.push_back(Kept{std::string(k), std::string(light->deadline_id),
                            *std::move(record)});
        return static_cast<int>(kept.size()) <= scope.limit;
      });
  if (!s.ok()) return s;
  if (!read.ok()) return read;
  ListRedLightsResponse resp;
  const absl::Time now = context_.clock->Now();
  if (static_cast<int>(kept.size()) > scope.limit) {
    kept.resize(scope.limit);
    resp.set_next_page_token(absl::BytesToHexString(kept.back().key));
  }
  for (const Kept& item : kept) {
    const SupervisionCaseRecord* record = &item.record;
    const caserelay::v1::Deadline* deadline = nullptr;
    for (const auto& d : record->deadlines()) {
      if (d.deadline_id() == item.deadline_id) deadline = &d;
    }
    if (deadline == nullptr) continue;  // not written together: never
    caserelay::v1::RedLight* out = resp.add_lights();
    *out->mutable_deadline() = *deadline;
    out->set_overdue_days(
        OverdueDays(time::FromProto(deadline->due_at()), now));
    caserelay::v1::SupervisionLevel level =
        caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED;
    for (const auto& issued : record->supervisions()) {
      if (issued.target_office_code() == deadline->office_code()) {
        level = std::max(level, issued.level());
      }
    }
    out->set_supervision(level);
  }
  *resp.mutable_as_of() = time::ToProto(now);
  return resp;
}

grpc::Status SupervisionServiceImpl::ListRedLights(
    grpc::ServerContext* ctx, const caserelay::v1::ListRedLightsRequest* req,
    ListRedLightsResponse* resp) {
  absl::StatusOr<BoardScope> scope = BoardScopeOf(
      ctx, req->region_code(), req->office_code(), req->limit());
  if (!scope.ok()) return rpc::ToGrpc(scope.status());
  std::string begin;
  if (!req->page_token().empty()) {
    auto after = DecodePageToken(req->page_token());
    if (!after.ok()) return rpc::ToGrpc(after.status());
    begin = *after + std::string(1, '\0');  // the next key after it
  }
  return AnswerSubtree<caserelay::v1::ListRedLightsRequest,
                       ListRedLightsResponse>(
      context_, ctx, *req,
      &caserelay::v1::SupervisionService::Stub::PrepareAsyncListRedLights,
      [&](const HeldView& view) { return RedLightsIn(view, *scope, begin); },
      [&](std::vector<rpc::Shard<ListRedLightsResponse>> shards) {
        return MergeRedLights(std::move(shards), scope->limit,
                              context_.clock->Now());
      },
      resp);
}

}  // namespace caserelay::supervision
