// The petitioner index (信访人检索索引, issue 16): finds the cases of a
// petitioner by name or by phone for the console's search (FindCases)
// without a name or phone in clear anywhere in the store.
//
// Family "petitioner-index", keys only (values empty):
//   'n' <64 hex: HMAC of "find-name:<name>">  "\0" <case number>
//   'p' <64 hex: HMAC of "find-phone:<phone>"> "\0" <case number>
// The HMAC is HMAC-SHA256 under the identity secret of intake's key ring
// (pii_keys.h), the secret of the identity key (identity_key.h), whose
// inputs ("id:", "np:") never begin like these, so the two uses cannot
// collide. The name is compacted as for the identity key (all whitespace
// removed, CompactName); the phone is a mobile's 11 digits
// (petition::NormalizeMobile) or a landline's digits. Without the secret a
// copy of the store cannot be searched nor tested against a guessed name.
// Changing the secret orphans the index (as it changes every identity key).
//
// A store written before the index: IndexStoredPetitioners adds the keys
// of every stored case at start (intake does it before serving, once: a
// marker key records that it ran) and logs the count.
//
// Thread safety: stateless functions over thread-safe parts.
#ifndef CASERELAY_SERVICES_INTAKE_PETITIONER_INDEX_H_
#define CASERELAY_SERVICES_INTAKE_PETITIONER_INDEX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "caserelay/v1/case.pb.h"
#include "common/store/store.h"
#include "services/intake/lookup_code.h"
#include "services/intake/pii_cipher.h"

namespace caserelay::intake {

inline constexpr char kPetitionerIndex[] = "petitioner-index";

// The index keys of case `case_number` of `petitioner`: one for the name
// (if any) and one for the phone (if it is a valid phone). `identity`
// holds the identity secret.
std::vector<std::string> PetitionerIndexKeys(
    const LookupCodes& identity, const caserelay::v1::Petitioner& petitioner,
    std::string_view case_number);

struct FoundCases {
  std::vector<std::string> case_ids;  // newest first (by case number date)
  bool truncated = false;             // more matched than `max_cases`
};

// The cases whose petitioner has `name` (if non-empty) and `phone` (if
// non-empty): both given, the cases matching both; with `visible` set,
// only those it says true for (asked newest first, until max_cases are
// kept). At most `max_cases`, newest first by the date in the case number,
// then by case number descending. INVALID_ARGUMENT "name: ..." when both are empty, "phone:
// ..." (in Chinese, for the console) when the phone is not a phone number;
// UNAVAILABLE from the store. REQUIRES: max_cases >= 1.
absl::StatusOr<FoundCases> FindPetitionerCases(const store::Store& store,
                                               const LookupCodes& identity,
                                               std::string_view name,
                                               std::string_view phone,
                                               int max_cases,
                                               const std::function<bool(
                                                   const std::string&)>&
                                                   visible = nullptr);

struct IndexCounts {
  uint64_t cases = 0;    // cases looked at
  uint64_t indexed = 0;  // cases whose keys were written
  bool already_done = false;  // the marker was there: nothing looked at
};

// Once per store (a marker key in the family): walks the "cases" family,
// opens each case's petitioner from "petitioners" and writes its index
// keys, in batches of 500; then writes the marker. On an error (the
// store's; OpenPetitioner's for a record that does not open) it stops with
// the batches before it written; running it again starts over (writing
// the same keys is harmless).
absl::StatusOr<IndexCounts> IndexStoredPetitioners(store::Store& store,
                                                   const PiiCipher& cipher,
                                                   const LookupCodes& identity);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_PETITIONER_INDEX_H_
