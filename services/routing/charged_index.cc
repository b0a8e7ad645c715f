#include "services/routing/charged_index.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time/timestamp.h"
#include "services/routing/case_store.h"

namespace caserelay::routing {
namespace {

constexpr char kSep = '\0';

std::string Prefix(const std::string& office_code) {
  return office_code + std::string(1, kSep);
}

std::string Key(const caserelay::v1::RoutingCaseRecord& r) {
  return ChargedIndex::KeyOf(r.view().leader_in_charge(), r.view().case_id());
}

// The case id of a key: what follows its last separator.
std::string CaseIdOf(std::string_view key) {
  const size_t sep = key.rfind(kSep);
  return std::string(key.substr(sep + 1));
}

}  // namespace

std::string ChargedIndex::KeyOf(const caserelay::v1::LeaderInCharge& leader,
                                const std::string& case_id) {
  const int64_t micros = absl::ToUnixMicros(time::FromProto(leader.since()));
  const uint64_t newest_first =
      std::numeric_limits<uint64_t>::max() -
      static_cast<uint64_t>(micros < 0 ? 0 : micros);
  return absl::StrCat(Prefix(leader.office_code()),
                      store::EncodeUint64(newest_first), std::string(1, kSep),
                      case_id);
}

void ChargedIndex::Update(store::WriteBatch& batch,
                          const caserelay::v1::RoutingCaseRecord* before,
                          const caserelay::v1::RoutingCaseRecord& after) {
  if (!after.view().has_leader_in_charge()) return;
  if (before != nullptr && before->view().has_leader_in_charge()) return;
  batch.Put(kCharged, Key(after),
            after.view().leader_in_charge().SerializeAsString());
}

absl::StatusOr<ChargedIndex::Page> ChargedIndex::List(
    const std::string& office_code, const std::string& leader_name,
    int page_size, const std::string& page_token) const {
  const std::string prefix = Prefix(office_code);
  absl::StatusOr<std::string> resume =
      ResumeKey(prefix, page_token, "list of 包案");
  if (!resume.ok()) return resume.status();
  const std::string begin = *std::move(resume);
  const std::string end = office_code + std::string(1, kSep + 1);
  Page page;
  std::string last_key;
  bool more = false;
  bool corrupt = false;
  absl::Status s = store_->Scan(
      kCharged, begin, end, [&](std::string_view key, std::string_view value) {
        Entry entry;
        if (!entry.leader.ParseFromArray(value.data(),
                                         static_cast<int>(value.size()))) {
          corrupt = true;
          return false;
        }
        if (!leader_name.empty() && entry.leader.leader_name() != leader_name) {
          return true;
        }
        if (static_cast<int>(page.entries.size()) == page_size) {
          more = true;
          return false;
        }
        entry.case_id = CaseIdOf(key);
        page.entries.push_back(std::move(entry));
        last_key = std::string(key);
        return true;
      });
  if (!s.ok()) return s;
  if (corrupt) return absl::DataLossError("charged: entry does not parse");
  if (more) page.next_page_token = PageTokenOf(last_key);
  return page;
}

absl::StatusOr<std::vector<ChargedIndex::Entry>> ChargedIndex::All(
    const std::string& office_code) const {
  std::vector<Entry> entries;
  bool corrupt = false;
  absl::Status s = store_->ScanPrefix(
      kCharged, Prefix(office_code),
      [&](std::string_view key, std::string_view value) {
        Entry entry;
        if (!entry.leader.ParseFromArray(value.data(),
                                         static_cast<int>(value.size()))) {
          corrupt = true;
          return false;
        }
        entry.case_id = CaseIdOf(key);
        entries.push_back(std::move(entry));
        return true;
      });
  if (!s.ok()) return s;
  if (corrupt) return absl::DataLossError("charged: entry does not parse");
  return entries;
}

}  // namespace caserelay::routing
