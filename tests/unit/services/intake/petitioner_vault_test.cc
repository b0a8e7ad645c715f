// The petitioners' family (petitioner_vault.h): a random reference, no
// personal data in clear, a store from before encryption sealed, and
// re-encryption after a key rotation (issue 14 items 1 and 3).

#include "services/intake/petitioner_vault.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Petitioner;

std::unique_ptr<PiiCipher> Ring(const std::string& current) {
  PiiKeyRing ring;
  ring.keys["k1"] = std::string(kPiiKeySize, '\x01');
  if (current == "k2") ring.keys["k2"] = std::string(kPiiKeySize, '\x02');
  ring.current = current;
  ring.identity_secret = std::string(16, 'i');
  return PiiCipher::Create(std::move(ring)).value();
}

Petitioner Someone(int n) {
  Petitioner p;
  p.set_name("欧阳明" + std::to_string(n));
  p.set_id_number("14043119900307123X");
  p.set_phone("1390355" + std::to_string(1000 + n));
  p.set_address("山西省长治市沁源县沁河镇幸福路" + std::to_string(n) + "号");
  return p;
}

class PetitionerVaultTest : public svctest::StoreFixture {
 protected:
  PetitionerVaultTest() : StoreFixture(ColumnFamilies()) {}

  void Put(const std::string& ref, const std::string& value) {
    store::WriteBatch batch(&t_->store());
    batch.Put(kPetitioners, ref, value);
    ASSERT_TRUE(t_->store().Commit(batch).ok());
  }

  std::string Stored(const std::string& ref) {
    auto raw = t_->store().Get(kPetitioners, ref);
    EXPECT_TRUE(raw.ok() && raw->has_value()) << ref;
    return raw.ok() && raw->has_value() ? **raw : "";
  }
};

TEST(PetitionerRefTest, IsRandomAndCarriesNothingOfTheCase) {
  // Issue 14 item 1: "the petitioner reference is random, never derived
  // from the case number": 128 bits from the CSPRNG, "P" + 32 hex digits.
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto ref = NewPetitionerRef();
    ASSERT_TRUE(ref.ok()) << ref.status();
    ASSERT_EQ(ref->size(), 33u) << *ref;
    EXPECT_EQ((*ref)[0], 'P');
    EXPECT_EQ(ref->find_first_not_of("0123456789abcdef", 1), std::string::npos)
        << *ref;
    seen.insert(*ref);
  }
  EXPECT_EQ(seen.size(), 1000u) << "a reference was drawn twice";
}

TEST_F(PetitionerVaultTest, SealedRecordHoldsNoFieldInClearAndStaysWithItsRef) {
  auto pii = Ring("k1");
  const Petitioner p = Someone(1);
  auto sealed = SealPetitioner(*pii, "Pref1", p);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  for (const std::string& field :
       {p.name(), p.id_number(), p.phone(), p.address()}) {
    EXPECT_EQ(sealed->find(field), std::string::npos) << field;
  }
  auto opened = OpenPetitioner(*pii, "Pref1", *sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->SerializeAsString(), p.SerializeAsString());
  EXPECT_EQ(OpenPetitioner(*pii, "Pref2", *sealed).status().code(),
            absl::StatusCode::kDataLoss)
      << "copied under another reference";
  EXPECT_EQ(
      OpenPetitioner(*pii, "Pref1", p.SerializeAsString()).status().code(),
      absl::StatusCode::kDataLoss)
      << "a record in clear is never read as if sealed";
}

TEST_F(PetitionerVaultTest, StoreWrittenInClearIsSealedOnceWithCounts) {
  // A store from before encryption: three records in clear, one sealed.
  auto pii = Ring("k1");
  for (int n = 1; n <= 3; ++n) {
    Put("Pold" + std::to_string(n), Someone(n).SerializeAsString());
  }
  Put("Pnew", SealPetitioner(*pii, "Pnew", Someone(4)).value());
  SealOptions options;
  options.batch_size = 2;  // two batches, progress after each
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  options.progress = [&](uint64_t seen, uint64_t rewritten) {
    progress.emplace_back(seen, rewritten);
  };
  auto counts = SealStoredPetitioners(t_->store(), *pii, options);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->seen, 4u);
  EXPECT_EQ(counts->sealed_clear, 3u);
  EXPECT_EQ(counts->resealed, 0u);
  // "Pnew" < "Pold1" < ...: batch one saw 2 and sealed 1, batch two 2 and 2.
  EXPECT_EQ(progress,
            (std::vector<std::pair<uint64_t, uint64_t>>{{2, 1}, {4, 3}}));
  for (int n = 1; n <= 3; ++n) {
    const std::string ref = "Pold" + std::to_string(n);
    const std::string raw = Stored(ref);
    EXPECT_EQ(raw.find(Someone(n).phone()), std::string::npos) << ref;
    auto opened = OpenPetitioner(*pii, ref, raw);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->phone(), Someone(n).phone());
  }
  auto again = SealStoredPetitioners(t_->store(), *pii, SealOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sealed_clear, 0u) << "a second start rewrites nothing";
}

TEST_F(PetitionerVaultTest, ResealMovesOldKeysToTheCurrentOne) {
  // Rotation: k1's records stay readable under a ring whose current key is
  // k2, and are moved to k2 only when re-encryption is asked for.
  auto old_ring = Ring("k1");
  Put("Pa", SealPetitioner(*old_ring, "Pa", Someone(1)).value());
  Put("Pb", SealPetitioner(*old_ring, "Pb", Someone(2)).value());
  auto rotated = Ring("k2");
  auto kept = SealStoredPetitioners(t_->store(), *rotated, SealOptions());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->resealed, 0u);
  EXPECT_EQ(PiiCipher::KeyIdOf(Stored("Pa")), "k1");
  EXPECT_TRUE(OpenPetitioner(*rotated, "Pa", Stored("Pa")).ok());

  SealOptions reseal;
  reseal.reseal_old_keys = true;
  auto moved = SealStoredPetitioners(t_->store(), *rotated, reseal);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->resealed, 2u);
  for (const char* ref : {"Pa", "Pb"}) {
    EXPECT_EQ(PiiCipher::KeyIdOf(Stored(ref)), "k2") << ref;
    EXPECT_TRUE(OpenPetitioner(*rotated, ref, Stored(ref)).ok()) << ref;
  }
}

}  // namespace
}  // namespace caserelay::intake
