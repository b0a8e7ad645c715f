// accounts' ServiceDefinition (common/service/service_main.h): its
// settings, column families and wiring.
#ifndef CASERELAY_SERVICES_ACCOUNTS_DEFINITION_H_
#define CASERELAY_SERVICES_ACCOUNTS_DEFINITION_H_

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/service/service_main.h"
#include "services/accounts/accounts.h"

namespace caserelay::accounts {

service::ServiceDefinition AccountsDefinition();

// The options of the accounts.* settings; INVALID_ARGUMENT naming the
// setting when one is out of its range.
absl::StatusOr<AccountsOptions> OptionsOf(const config::Config& cfg);

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_DEFINITION_H_
