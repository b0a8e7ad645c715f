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

// The services only the console (issue 16) calls, settings as Peers' but
// <peer>.address optional: the console runs when every one is set, and
// its paths are 404 otherwise (a portal-only deployment).
const std::vector<rpc::PeerClient>& ConsolePeers();

// Every setting of the gateway: web.*, admin.listen, endpoints.file,
// regions.path, offices.dir and the peers' (Peers and ConsolePeers).
std::vector<config::Setting> Settings();

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_SETTINGS_H_
