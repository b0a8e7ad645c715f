#include "services/intake/petitioner_index.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/records.pb.h"
#include "domain/petition/identity.h"
#include "services/intake/identity_key.h"
#include "services/intake/intake_service.h"
#include "services/intake/petitioner_vault.h"

namespace caserelay::intake {
namespace {

constexpr char kSep = '\0';
// Sorts after every 'n'/'p' key: the backfill's marker.
constexpr char kMarker[] = "~backfilled-v1";
// The most keys one digest is read for: a name shared by many petitioners
// is bounded (the answer says truncated).
constexpr int kMaxScan = 5000;
constexpr int kBatch = 500;

// The phone as it is compared: a mobile's 11 digits, a landline's digits;
// nullopt for a text that is no phone.
std::optional<std::string> SearchPhone(std::string_view phone) {
  if (auto mobile = petition::NormalizeMobile(phone); mobile.ok()) {
    return *mobile;
  }
  if (!petition::ValidatePhone(phone).ok()) return std::nullopt;
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

std::string NamePrefix(const LookupCodes& identity, const std::string& name) {
  return absl::StrCat("n", identity.HexMac(absl::StrCat("find-name:", name)),
                      std::string(1, kSep));
}

std::string PhonePrefix(const LookupCodes& identity, const std::string& phone) {
  return absl::StrCat("p",
                      identity.HexMac(absl::StrCat("find-phone:", phone)),
                      std::string(1, kSep));
}

// The case numbers under `prefix`, at most kMaxScan (+1 to tell more).
absl::StatusOr<std::vector<std::string>> CasesUnder(const store::Store& store,
                                                    const std::string& prefix) {
  std::vector<std::string> ids;
  absl::Status s = store.ScanPrefix(
      kPetitionerIndex, prefix, [&](std::string_view key, std::string_view) {
        ids.emplace_back(key.substr(prefix.size()));
        return static_cast<int>(ids.size()) <= kMaxScan;
      });
  if (!s.ok()) return s;
  return ids;
}

// "140431-20261122-000001": the date part, then the whole, for newest
// first.
std::pair<std::string_view, std::string_view> DateOrder(
    std::string_view case_number) {
  const size_t dash = case_number.find('-');
  std::string_view date = dash == std::string_view::npos
                              ? std::string_view()
                              : case_number.substr(dash + 1, 8);
  return {date, case_number};
}

}  // namespace

std::vector<std::string> PetitionerIndexKeys(
    const LookupCodes& identity, const caserelay::v1::Petitioner& petitioner,
    std::string_view case_number) {
  std::vector<std::string> keys;
  const std::string name = CompactName(petitioner.name());
  if (!name.empty()) {
    keys.push_back(NamePrefix(identity, name) + std::string(case_number));
  }
  if (auto phone = SearchPhone(petitioner.phone()); phone.has_value()) {
    keys.push_back(PhonePrefix(identity, *phone) + std::string(case_number));
  }
  return keys;
}

absl::StatusOr<FoundCases> FindPetitionerCases(const store::Store& store,
                                               const LookupCodes& identity,
                                               std::string_view name,
                                               std::string_view phone,
                                               int max_cases,
                                               const std::function<bool(
                                                   const std::string&)>&
                                                   visible) {
  const std::string compact = CompactName(name);
  const bool by_phone = !phone.empty();
  if (compact.empty() && !by_phone) {
    return absl::InvalidArgumentError("name: 请输入信访人姓名或联系电话");
  }
  std::optional<std::string> search_phone;
  if (by_phone) {
    search_phone = SearchPhone(phone);
    if (!search_phone.has_value()) {
      return absl::InvalidArgumentError(
          "phone: 联系电话格式不正确，请输入手机号码或固定电话号码");
    }
  }
  FoundCases found;
  std::vector<std::string> ids;
  if (!compact.empty()) {
    auto by_name = CasesUnder(store, NamePrefix(identity, compact));
    if (!by_name.ok()) return by_name.status();
    ids = *std::move(by_name);
  }
  if (search_phone.has_value()) {
    auto with_phone = CasesUnder(store, PhonePrefix(identity, *search_phone));
    if (!with_phone.ok()) return with_phone.status();
    if (compact.empty()) {
      ids = *std::move(with_phone);
    } else {
      const absl::flat_hash_set<std::string> phone_ids(with_phone->begin(),
                                                       with_phone->end());
      ids.erase(std::remove_if(ids.begin(), ids.end(),
                               [&](const std::string& id) {
                                 return !phone_ids.contains(id);
                               }),
                ids.end());
    }
  }
  std::sort(ids.begin(), ids.end(),
            [](const std::string& a, const std::string& b) {
              return DateOrder(a) > DateOrder(b);
            });
  for (std::string& id : ids) {
    if (visible && !visible(id)) continue;
    if (static_cast<int>(found.case_ids.size()) == max_cases) {
      found.truncated = true;
      break;
    }
    found.case_ids.push_back(std::move(id));
  }
  return found;
}

absl::StatusOr<IndexCounts> IndexStoredPetitioners(
    store::Store& store, const PiiCipher& cipher, const LookupCodes& identity) {
  IndexCounts counts;
  auto marker = store.Get(kPetitionerIndex, kMarker);
  if (!marker.ok()) return marker.status();
  if (marker->has_value()) {
    counts.already_done = true;
    return counts;
  }
  std::vector<std::pair<std::string, std::string>> pending;  // case, ref
  absl::Status failed;
  auto flush = [&]() -> absl::Status {
    store::WriteBatch batch(&store);
    for (const auto& [case_number, ref] : pending) {
      auto sealed = store.Get(kPetitioners, ref);
      if (!sealed.ok()) return sealed.status();
      if (!sealed->has_value()) continue;  // a case without its petitioner
      auto petitioner = OpenPetitioner(cipher, ref, **sealed);
      if (!petitioner.ok()) return petitioner.status();
      for (const std::string& key :
           PetitionerIndexKeys(identity, *petitioner, case_number)) {
        batch.Put(kPetitionerIndex, key, "");
      }
      ++counts.indexed;
    }
    pending.clear();
    return store.Commit(batch).status();
  };
  absl::Status s = store.Scan(
      kCases, "", "", [&](std::string_view key, std::string_view value) {
        caserelay::v1::IntakeCaseRecord record;
        ++counts.cases;
        if (!record.ParseFromArray(value.data(),
                                   static_cast<int>(value.size()))) {
          failed = absl::DataLossError(
              absl::StrCat("intake: corrupt case ", std::string(key)));
          return false;
        }
        pending.emplace_back(std::string(key), record.petitioner().id());
        if (static_cast<int>(pending.size()) < kBatch) return true;
        failed = flush();
        return failed.ok();
      });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  if (absl::Status f = flush(); !f.ok()) return f;
  store::WriteBatch done(&store);
  done.Put(kPetitionerIndex, kMarker, "");
  if (auto c = store.Commit(done); !c.ok()) return c.status();
  return counts;
}

}  // namespace caserelay::intake
