// The web gateway's settings (网关配置): one config file with CASERELAY_*
// environment overrides, as every service (common/config/config.h).
// `web --help` lists them.

#ifndef CASERELAY_SERVICES_WEB_SETTINGS_H_
#define CASERELAY_SERVICES_WEB_SETTINGS_H_

#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/rpc/client_config.h"

namespace caserelay::web {

// The services the gateway calls as service:web, each with the settings of
// common/rpc/client_config.h (<peer>.address, <peer>.token_file, ...).
const std::vector<rpc::PeerClient>& Peers();

// Every setting of the gateway: web.*, admin.listen, endpoints.file,
// regions.path, offices.dir and the peers'.
std::vector<config::Setting> Settings();

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_SETTINGS_H_
