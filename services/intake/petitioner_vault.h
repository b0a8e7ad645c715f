// The petitioners' personal data in intake's store (family "petitioners":
// petitioner reference -> sealed Petitioner), and the reference itself.
//
// - The reference (PetitionerRef.id) is "P" + 32 lowercase hex digits from
//   OpenSSL's CSPRNG, made at submission: nothing about the case or the
//   person can be derived from it, and knowing a case number gives no
//   way to guess it (issue 14 item 1).
// - The record is the serialized Petitioner (name, ID number, phone,
//   address) sealed by PiiCipher with the reference as associated data:
//   no field is stored in clear, and a sealed value copied under another
//   reference does not open. The ID number is otherwise kept only inside
//   the identity key, a keyed hash (identity_key.h).
// - A store written before encryption holds Petitioner records in clear;
//   SealStoredPetitioners seals them (intake does it at every start, before
//   it serves, and logs the count) and, asked to, re-seals records under
//   older keys with the current one (key rotation).
//
// Thread safety: stateless functions; the store and cipher are thread-safe.

#ifndef CASERELAY_SERVICES_INTAKE_PETITIONER_VAULT_H_
#define CASERELAY_SERVICES_INTAKE_PETITIONER_VAULT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caserelay/v1/case.pb.h"
#include "common/store/store.h"
#include "services/intake/pii_cipher.h"

namespace caserelay::intake {

// A fresh random petitioner reference. INTERNAL if OpenSSL has no
// randomness to give.
absl::StatusOr<std::string> NewPetitionerRef();

// The stored form of `petitioner` under reference `ref`. INTERNAL if the
// cipher fails.
absl::StatusOr<std::string> SealPetitioner(
    const PiiCipher& cipher, std::string_view ref,
    const caserelay::v1::Petitioner& petitioner);

// The petitioner of the stored value `stored` of reference `ref`. The
// errors of PiiCipher::Open; DATA_LOSS also for a value stored in clear
// (SealStoredPetitioners has not run) or that does not parse.
absl::StatusOr<caserelay::v1::Petitioner> OpenPetitioner(
    const PiiCipher& cipher, std::string_view ref, std::string_view stored);

struct SealOptions {
  // Also re-seal records sealed under another key than the current one.
  bool reseal_old_keys = false;
  // Records written per WriteBatch.
  int batch_size = 500;
  // Called after each batch with the records looked at so far and those
  // rewritten so far (progress of a long re-encryption).
  std::function<void(uint64_t seen, uint64_t rewritten)> progress;
};

struct SealCounts {
  uint64_t seen = 0;          // records in the family
  uint64_t sealed_clear = 0;  // found in clear and sealed now
  uint64_t resealed = 0;      // moved from an older key to the current one
};

// Walks the "petitioners" family of `store` and seals every record kept in
// clear (and, with reseal_old_keys, re-seals those under older keys), in
// batches. Returns the counts. On an error (UNAVAILABLE from the store;
// DATA_LOSS for a record that neither parses in clear nor opens; the
// errors of Open) it stops: the batches before it are written, and running
// it again continues where it stopped.
absl::StatusOr<SealCounts> SealStoredPetitioners(store::Store& store,
                                                 const PiiCipher& cipher,
                                                 const SealOptions& options);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_PETITIONER_VAULT_H_
