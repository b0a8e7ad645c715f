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

// statistics (issue 17), which the console's 通报 page calls (ListBulletins,
// GetBulletin); settings as Peers' but statistics.address optional: unset,
// the console runs and its bulletins' paths answer 503.
const rpc::PeerClient& StatisticsPeer();

// Every setting of the gateway: web.*, admin.listen, endpoints.file,
// regions.path, offices.dir and the peers' (Peers, ConsolePeers and
// StatisticsPeer).
std::vector<config::Setting> Settings();

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_SETTINGS_H_
