#include "common/service/held_events.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace caserelay::service {
namespace {

constexpr char kFamily[] = "meta";
constexpr char kGapPayload[] = "type.caserelay/sequence-gap";

}  // namespace

absl::Status SequenceGapError(std::string_view case_id, uint64_t applied,
                              uint64_t got) {
  absl::Status s = absl::FailedPreconditionError(absl::StrCat(
      "sequence gap in case ", std::string(case_id.substr(0, 64)),
      ": event ", got, " came after event ", applied,
      "; held until the events between are applied"));
  s.SetPayload(kGapPayload, absl::Cord("1"));
  return s;
}

bool IsSequenceGap(const absl::Status& status) {
  return status.GetPayload(kGapPayload).has_value();
}

std::string HeldEvents::Key(std::string_view case_id, uint64_t sequence) const {
  std::string key = absl::StrCat("held/", loop_, "/");
  key.append(case_id);
  key.push_back('\0');
  key.append(store::EncodeUint64(sequence));
  return key;
}

absl::StatusOr<std::unique_ptr<HeldEvents>> HeldEvents::Load(
    const store::Store& store, std::string loop) {
  std::unique_ptr<HeldEvents> held(new HeldEvents(std::move(loop)));
  const std::string prefix = absl::StrCat("held/", held->loop_, "/");
  const absl::Time now = absl::Now();
  absl::Status s = store.ScanPrefix(
      kFamily, prefix, [&](std::string_view key, std::string_view value) {
        std::string_view rest = key.substr(prefix.size());
        // case id, NUL, then the 8 sequence bytes (which may hold NULs).
        if (rest.size() < 9 || rest[rest.size() - 9] != '\0') return true;
        const size_t nul = rest.size() - 9;
        Case& c = held->cases_[std::string(rest.substr(0, nul))];
        c.since = now;
        c.events[store::DecodeUint64(rest.substr(nul + 1))] =
            std::string(value);
        return true;
      });
  if (!s.ok()) return s;
  return held;
}

void HeldEvents::Hold(store::WriteBatch& batch, const std::string& case_id,
                      uint64_t sequence, std::string record, absl::Time now) {
  batch.Put(kFamily, Key(case_id, sequence), record);
  auto [it, inserted] = cases_.try_emplace(case_id);
  if (inserted) it->second.since = now;
  it->second.events[sequence] = std::move(record);
}

std::vector<std::pair<uint64_t, std::string>> HeldEvents::Of(
    const std::string& case_id) const {
  auto it = cases_.find(case_id);
  if (it == cases_.end()) return {};
  return {it->second.events.begin(), it->second.events.end()};
}

void HeldEvents::Release(store::WriteBatch& batch, const std::string& case_id,
                         uint64_t sequence) {
  batch.Delete(kFamily, Key(case_id, sequence));
  auto it = cases_.find(case_id);
  if (it == cases_.end()) return;
  it->second.events.erase(sequence);
  if (it->second.events.empty()) cases_.erase(it);
}

size_t HeldEvents::size() const {
  size_t n = 0;
  for (const auto& [id, c] : cases_) n += c.events.size();
  return n;
}

std::vector<std::string> HeldEvents::CasesHeldSince(absl::Time before) const {
  std::vector<std::string> out;
  for (const auto& [id, c] : cases_) {
    if (c.since <= before) out.push_back(id);
  }
  return out;
}

}  // namespace caserelay::service
