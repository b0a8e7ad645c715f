// accounts' settings and wiring: the office directory (for the offices'
// names and the bootstrap's office), the session and throttle limits and
// the cost of argon2id.
#include "services/accounts/definition.h"

#include <climits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/region/region_tree.h"
#include "services/accounts/accounts_service.h"

namespace caserelay::accounts {
namespace {

class AccountsParts final : public service::Service {
 public:
  AccountsParts(const service::Context& context,
                std::unique_ptr<region::RegionTree> regions,
                std::unique_ptr<offices::OfficeDirectory> offices,
                const AccountsOptions& options)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        store_(context.store),
        accounts_(&store_, context.clock, options),
        impl_(&accounts_, offices_.get(), context.auth) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  // accounts consumes no topic (uses_kafka = false).
  std::vector<service::Subscription> Subscriptions() override { return {}; }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
  AccountsStore store_;
  Accounts accounts_;
  AccountsServiceImpl impl_;
};

absl::StatusOr<int> IntSetting(const config::Config& cfg, const char* key) {
  const int64_t v = cfg.GetInt(key);
  if (v < 0 || v > INT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", key, " ", v, " is not a count"));
  }
  return static_cast<int>(v);
}

}  // namespace

absl::StatusOr<AccountsOptions> OptionsOf(const config::Config& cfg) {
  AccountsOptions o;
  o.sessions.idle = cfg.GetDuration("accounts.session_idle");
  o.sessions.max = cfg.GetDuration("accounts.session_max");
  if (absl::Status s = CheckSessionLimits(o.sessions); !s.ok()) return s;
  for (auto [prefix, rule] :
       {std::pair{"accounts.user", &o.login.user},
        std::pair{"accounts.address", &o.login.address}}) {
    auto max = IntSetting(cfg, absl::StrCat(prefix, "_max_failures").c_str());
    if (!max.ok()) return max.status();
    rule->max_failures = *max;
    rule->window = cfg.GetDuration(absl::StrCat(prefix, "_window"));
    rule->lock = cfg.GetDuration(absl::StrCat(prefix, "_lock"));
    if (absl::Status s = CheckLockRule(*rule, prefix); !s.ok()) return s;
  }
  const int64_t ops = cfg.GetInt("accounts.argon2_ops");
  const int64_t memory = cfg.GetInt("accounts.argon2_memory");
  if (ops < 0 || memory < 0) {
    return absl::InvalidArgumentError(
        "config: accounts.argon2_ops and accounts.argon2_memory must not be "
        "negative");
  }
  auto parallel = IntSetting(cfg, "accounts.max_parallel_hashes");
  if (!parallel.ok()) return parallel.status();
  if (*parallel < 1 || *parallel > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: accounts.max_parallel_hashes ", *parallel,
                     " is outside [1, 64]"));
  }
  o.max_parallel_hashes = *parallel;
  o.hash_cost.ops = static_cast<uint64_t>(ops);
  o.hash_cost.memory_bytes = static_cast<size_t>(memory);
  if (absl::Status s = CheckHashCost(o.hash_cost); !s.ok()) return s;
  return o;
}

service::ServiceDefinition AccountsDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "accounts";
  def.summary =
      "the console's staff directory: users, roles, argon2id passwords, "
      "sessions and login throttling (called by the web gateway; casectl "
      "admin bootstrap makes an office's first administrator). It uses no "
      "Kafka: the kafka.* and outbox.* settings are not read";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260), under the office directory"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data: the offices users belong to and their names"},
      {"accounts.session_idle", T::kDuration, "15m", false,
       "a console session ends this long after its last request (1m..24h)"},
      {"accounts.session_max", T::kDuration, "8h", false,
       "and at the latest this long after login (session_idle..7d)"},
      {"accounts.user_max_failures", T::kInt, "5", false,
       "failed logins of one username that lock it (1..10000)"},
      {"accounts.user_window", T::kDuration, "15m", false,
       "failures further apart than this start a new count (1s..24h)"},
      {"accounts.user_lock", T::kDuration, "15m", false,
       "how long a username stays locked (1s..24h)"},
      {"accounts.address_max_failures", T::kInt, "30", false,
       "failed logins from one client address, any usernames, that lock "
       "the address (1..10000)"},
      {"accounts.address_window", T::kDuration, "15m", false,
       "as user_window, for an address"},
      {"accounts.address_lock", T::kDuration, "15m", false,
       "how long an address stays locked"},
      {"accounts.argon2_ops", T::kInt, "2", false,
       "argon2id passes (crypto_pwhash opslimit; 2 = libsodium's "
       "interactive)"},
      {"accounts.argon2_memory", T::kInt, "67108864", false,
       "argon2id memory in bytes (crypto_pwhash memlimit; 64 MiB = "
       "interactive); new hashes only, old ones verify with their own"},
      {"accounts.max_parallel_hashes", T::kInt, "4", false,
       "argon2id computations at once (1..64), each taking argon2_memory; "
       "further logins wait their turn"},
  };
  def.column_families = ColumnFamilies();
  // Its state is its own: it consumes and publishes nothing, so it starts
  // and runs without Kafka.
  def.uses_kafka = false;
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    const config::Config& cfg = *context.config;
    auto options = OptionsOf(cfg);
    if (!options.ok()) return options.status();
    auto regions = region::RegionTree::Load(cfg.GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(cfg.GetPath("offices.dir"),
                                                  regions->get());
    if (!offices.ok()) return offices.status();
    return std::make_unique<AccountsParts>(context, *std::move(regions),
                                           *std::move(offices), *options);
  };
  return def;
}

}  // namespace caserelay::accounts
