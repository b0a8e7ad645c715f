#include "services/intake/petitioner_vault.h"

#include <openssl/rand.h>

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace caserelay::intake {
namespace {

constexpr char kFamily[] = "petitioners";

// Associated data: the record's family and key.
std::string Aad(std::string_view ref) {
  return absl::StrCat("caserelay.intake.petitioners/", std::string(ref));
}

}  // namespace

absl::StatusOr<std::string> NewPetitionerRef() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("intake: no random petitioner reference");
  }
  return absl::StrCat("P",
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(bytes), sizeof bytes)));
}

absl::StatusOr<std::string> SealPetitioner(
    const PiiCipher& cipher, std::string_view ref,
    const caserelay::v1::Petitioner& petitioner) {
  return cipher.Seal(petitioner.SerializeAsString(), Aad(ref));
}

absl::StatusOr<caserelay::v1::Petitioner> OpenPetitioner(
    const PiiCipher& cipher, std::string_view ref, std::string_view stored) {
  if (!PiiCipher::IsSealed(stored)) {
    return absl::DataLossError(
        "petitioner record kept in clear (not sealed at start)");
  }
  auto plain = cipher.Open(stored, Aad(ref));
  if (!plain.ok()) return plain.status();
  caserelay::v1::Petitioner petitioner;
  if (!petitioner.ParseFromString(*plain)) {
    return absl::DataLossError("petitioner record does not parse");
  }
  return petitioner;
}

absl::StatusOr<SealCounts> SealStoredPetitioners(store::Store& store,
                                                 const PiiCipher& cipher,
                                                 const SealOptions& options) {
  SealCounts counts;
  std::string begin;
  const size_t chunk = options.batch_size > 0 ? options.batch_size : 500;
  for (;;) {
    std::vector<std::pair<std::string, std::string>> records;
    absl::Status s = store.Scan(kFamily, begin, "",
                                [&](std::string_view k, std::string_view v) {
                                  records.emplace_back(k, v);
                                  return records.size() < chunk;
                                });
    if (!s.ok()) return s;
    if (records.empty()) break;
    store::WriteBatch batch(&store);
    for (const auto& [ref, value] : records) {
      ++counts.seen;
      caserelay::v1::Petitioner petitioner;
      if (!PiiCipher::IsSealed(value)) {
        if (!petitioner.ParseFromString(value)) {
          return absl::DataLossError(
              absl::StrCat("petitioners: record ", ref, " does not parse"));
        }
        ++counts.sealed_clear;
      } else if (options.reseal_old_keys &&
                 PiiCipher::KeyIdOf(value) != cipher.current_key_id()) {
        auto opened = OpenPetitioner(cipher, ref, value);
        if (!opened.ok()) {
          return absl::Status(opened.status().code(),
                              absl::StrCat("petitioners: record ", ref, ": ",
                                           opened.status().message()));
        }
        petitioner = *std::move(opened);
        ++counts.resealed;
      } else {
        continue;
      }
      auto sealed = SealPetitioner(cipher, ref, petitioner);
      if (!sealed.ok()) return sealed.status();
      batch.Put(kFamily, ref, *sealed);
    }
    if (!batch.empty()) {
      auto committed = store.Commit(batch);
      if (!committed.ok()) return committed.status();
    }
    if (options.progress) {
      options.progress(counts.seen, counts.sealed_clear + counts.resealed);
    }
    if (records.size() < chunk) break;
    begin = records.back().first + std::string(1, '\0');
  }
  return counts;
}

}  // namespace caserelay::intake
