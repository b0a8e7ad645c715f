#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "services/intake/intake_service.h"
#include "services/intake/petitioner_index.h"
#include "services/intake/petitioner_vault.h"
#include "services/intake/pii_keys.h"

namespace caserelay::intake {
namespace {

// The service and what it owns, for the runner.
class IntakeParts final : public service::Service {
 public:
  IntakeParts(const service::Context& context,
              std::unique_ptr<region::RegionTree> regions,
              std::unique_ptr<offices::OfficeDirectory> offices,
              std::unique_ptr<PiiCipher> pii, LookupCodes codes, Limits limits,
              LookupLimits lookup_limits, RequestIdOptions request_ids,
              std::unique_ptr<PhoneProofs> phone_proofs, int find_max_cases,
              int group_commit_max)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        pii_(std::move(pii)),
        phone_proofs_(std::move(phone_proofs)),
        impl_(context, regions_.get(), offices_.get(), pii_.get(),
              std::move(codes), limits, lookup_limits, request_ids,
              phone_proofs_.get(), find_max_cases, group_commit_max) {}

  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
  std::unique_ptr<PiiCipher> pii_;
  std::unique_ptr<PhoneProofs> phone_proofs_;  // null: no online petition
  IntakeServiceImpl impl_;
};

// The personal-data key ring of the settings (pii_keys.h).
absl::StatusOr<std::unique_ptr<PiiCipher>> LoadPii(
    const config::Config& config) {
  auto ring = PiiKeyRingFromConfig(config);
  if (!ring.ok()) return ring.status();
  return PiiCipher::Create(*std::move(ring));
}

// Seals what a store from before encryption keeps in clear, and with
// pii.reseal_on_start moves records to the current key, logging progress
// and the counts. Runs before the service answers anything.
absl::Status SealStore(const service::Context& context, const PiiCipher& pii) {
  SealOptions options;
  options.reseal_old_keys = context.config->GetBool("pii.reseal_on_start");
  options.progress = [](uint64_t seen, uint64_t rewritten) {
    log::Info("petitioners: sealing", {{"seen", absl::StrCat(seen)},
                                       {"rewritten", absl::StrCat(rewritten)}});
  };
  auto counts = SealStoredPetitioners(*context.store, pii, options);
  if (!counts.ok()) return counts.status();
  log::Info("petitioners: sealed at start",
            {{"records", absl::StrCat(counts->seen)},
             {"sealed_from_clear", absl::StrCat(counts->sealed_clear)},
             {"resealed", absl::StrCat(counts->resealed)},
             {"current_key", pii.current_key_id()}});
  return absl::OkStatus();
}

// Adds the petitioner index's keys of the cases a store kept before the
// index (petitioner_index.h), once, before the service answers anything.
absl::Status IndexStore(const service::Context& context, const PiiCipher& pii) {
  auto counts = IndexStoredPetitioners(*context.store, pii,
                                       LookupCodes(pii.identity_secret()));
  if (!counts.ok()) return counts.status();
  if (!counts->already_done) {
    log::Info("petitioner index: built at start",
              {{"cases", absl::StrCat(counts->cases)},
               {"indexed", absl::StrCat(counts->indexed)}});
  }
  return absl::OkStatus();
}

}  // namespace

Limits LimitsFromConfig(const config::Config& config) {
  Limits limits;
  // Ranges are the schema's, checked at load (common/config).
  limits.max_text_chars =
      static_cast<int>(config.GetInt("intake.max_text_chars"));
  limits.max_list_items =
      static_cast<int>(config.GetInt("intake.max_list_items"));
  limits.max_head_count =
      static_cast<int>(config.GetInt("intake.max_head_count"));
  return limits;
}

service::ServiceDefinition IntakeDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "intake";
  def.summary =
      "takes petitions over gRPC, keeps personal data, publishes "
      "PetitionReceived, answers status look-ups";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260) used to check matter.region_code"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data, as routing's: the categories, offices and bureaus a "
       "matter's codes are checked against (a receipt only for a matter "
       "routing can register)"},
      {"lookup.secret", T::kString, "", true,
       "secret from which look-up codes and request MACs are derived "
       "(keep it stable)"},
      {"pii.keys_path", T::kPath, "", false,
       "personal-data key ring file, mode 600: `key <id> <64 hex> "
       "[current]` lines (AES-256-GCM) and one `identity <hex>` line "
       "(the identity key's HMAC secret); or pii.keys"},
      {"pii.keys", T::kString, "", false,
       "the key ring inline, entries separated by ';' (for "
       "CASERELAY_PII_KEYS); or pii.keys_path"},
      {"pii.reseal_on_start", T::kBool, "false", false,
       "at start, re-encrypt every petitioner record not under the current "
       "key (after a rotation), logging progress"},
      // The look-up limit (lookup_limits.h, README "Look-up limit");
      // ranges of the durations are CheckLookupLimits'.
      {"lookup.max_failures", T::kInt, "5", false,
       "failed status look-ups of one case number that carry no wait", 1, 1000},
      {"lookup.backoff_first", T::kDuration, "1m", false,
       "a case number's wait after its lookup.max_failures-th failure, "
       "doubled by each further one (1s..1h)"},
      {"lookup.backoff_max", T::kDuration, "15m", false,
       "the longest wait of a case number (lookup.backoff_first..24h)"},
      {"lookup.quiet_period", T::kDuration, "1h", false,
       "a case number's failures are forgotten this long after its last "
       "(lookup.backoff_max..30d)"},
      {"lookup.address_burst", T::kInt, "20", false,
       "failed look-ups one client address may have unforgiven", 1, 10000},
      {"lookup.address_refill", T::kDuration, "3m", false,
       "time after which one failure of an address is forgiven, i.e. its "
       "sustained rate of failures (1s..24h)"},
      {"intake.max_text_chars", T::kInt, "10000", false,
       "longest matter.text accepted, in characters", 1, 100000},
      {"intake.max_list_items", T::kInt, "20", false,
       "most items of each list of a matter (accused_offices, "
       "other_regions, other_categories)",
       1, 200},
      {"intake.max_head_count", T::kInt, "1000", false,
       "largest head count (人次) of a group petition (群体访 / 联名, "
       "issue 18 item 3); at least its representatives, at most 5 of "
       "whom are kept (Art. 18)",
       1, 1000000},
      {"intake.find_max_cases", T::kInt, "100", false,
       "most case ids one FindCases answers (the console's petitioner "
       "search; more: truncated)",
       1, 100},
      {"intake.request_id_ttl", T::kDuration, "24h", false,
       "how long a caller's request_id is remembered (a retry within it "
       "gets the same case; 1m..30d)"},
      {"intake.group_commit_max", T::kInt, "256", false,
       "most submissions committed together in one store write and one "
       "fsync (group commit, issue 20 item 1); 1 commits each alone",
       1, 4096},
  };
  for (config::Setting& s : PhoneProofSettings()) def.settings.push_back(s);
  def.column_families = ColumnFamilies();
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    auto regions =
        region::RegionTree::Load(context.config->GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(
        context.config->GetPath("offices.dir"), regions->get());
    if (!offices.ok()) return offices.status();
    const Limits limits = LimitsFromConfig(*context.config);
    LookupLimits lookup_limits;
    lookup_limits.max_failures =
        static_cast<int>(context.config->GetInt("lookup.max_failures"));
    lookup_limits.backoff_first =
        context.config->GetDuration("lookup.backoff_first");
    lookup_limits.backoff_max =
        context.config->GetDuration("lookup.backoff_max");
    lookup_limits.quiet_period =
        context.config->GetDuration("lookup.quiet_period");
    lookup_limits.address_burst =
        static_cast<int>(context.config->GetInt("lookup.address_burst"));
    lookup_limits.address_refill =
        context.config->GetDuration("lookup.address_refill");
    if (absl::Status s = CheckLookupLimits(lookup_limits); !s.ok()) return s;
    auto pii = LoadPii(*context.config);
    if (!pii.ok()) return pii.status();
    if (absl::Status s = SealStore(context, **pii); !s.ok()) return s;
    if (absl::Status s = IndexStore(context, **pii); !s.ok()) return s;
    RequestIdOptions request_ids;
    request_ids.ttl = context.config->GetDuration("intake.request_id_ttl");
    if (request_ids.ttl < absl::Minutes(1) ||
        request_ids.ttl > absl::Hours(24 * 30)) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: intake.request_id_ttl must be 1m..30d, not ",
                       absl::FormatDuration(request_ids.ttl)));
    }
    // intake's own identity, which alone redeems phone codes.
    auto phone_proofs = PhoneProofsFromConfig(*context.config);
    if (!phone_proofs.ok()) return phone_proofs.status();
    if (*phone_proofs == nullptr) {
      log::Warn(
          "online petitions are refused: notification.address is not "
          "set, so no phone code can be redeemed");
    }
    return std::make_unique<IntakeParts>(
        context, *std::move(regions), *std::move(offices), *std::move(pii),
        LookupCodes(context.config->GetString("lookup.secret")), limits,
        lookup_limits, request_ids, *std::move(phone_proofs),
        static_cast<int>(context.config->GetInt("intake.find_max_cases")),
        static_cast<int>(context.config->GetInt("intake.group_commit_max")));
  };
  return def;
}

}  // namespace caserelay::intake
