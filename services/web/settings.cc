#include "services/web/settings.h"

namespace caserelay::web {

const std::vector<rpc::PeerClient>& Peers() {
  static const auto* const kPeers = new std::vector<rpc::PeerClient>{
      {"intake", "web",
       "for petitions (SubmitPetition) and look-ups (GetCaseStatus)"},
      {"routing", "web",
       "for the petitioner's view of the case and actions (GetPetitionerView, "
       "Act)"},
      {"notification", "web",
       "for the SMS codes proving a phone "
       "(SendPhoneCode) and the console's case page (ListMessages)"},
  };
  return *kPeers;
}

const std::vector<rpc::PeerClient>& ConsolePeers() {
  static const auto* const kPeers = new std::vector<rpc::PeerClient>{
      {"accounts", "web",
       "for the console's staff sessions and the office administration "
       "(Login, Authenticate, ListUsers, ...); unset: no console"},
      {"supervision", "web",
       "for the console's deadlines and red-light board "
       "(ListDeadlines, ListRedLights); unset: no console"},
  };
  return *kPeers;
}

const rpc::PeerClient& StatisticsPeer() {
  static const auto* const kPeer = new rpc::PeerClient{
      "statistics", "web",
      "for the console's indicators and bulletins (指标: GetIndicators; 通报: "
      "ListBulletins, GetBulletin); unset: the console shows neither"};
  return *kPeer;
}

std::vector<config::Setting> Settings() {
  using T = config::Setting::Type;
  std::vector<config::Setting> settings = {
      {"web.listen", T::kHostPort, "127.0.0.1:8080", false,
       "the portal's HTTP(S) address; port 0 picks a free port (see "
       "endpoints.file)"},
      {"web.static_dir", T::kPath, "services/web/static", false,
       "the portal's CSS and JS, served at /"},
      {"web.pages_dir", T::kPath, "services/web/pages", false,
       "the portal's layout.html and one body fragment per page, composed "
       "once at start-up and served at /"},
      {"web.tls_cert", T::kPath, "", false,
       "PEM certificate chain; with web.tls_key the portal speaks HTTPS"},
      {"web.tls_key", T::kPath, "", false, "PEM key of web.tls_cert"},
      {"web.secret_path", T::kPath, "", true,
       "file of at least 32 bytes (chmod 600) signing the session cookies "
       "and CSRF tokens; a new secret ends every session"},
      {"web.secure_cookies", T::kBool, "false", false,
       "mark cookies Secure (sent over HTTPS only); true wherever the portal "
       "is reached over HTTPS"},
      {"web.session_ttl", T::kDuration, "15m", false,
       "a looked-up case's session ends this long after its last use"},
      {"web.anonymous_ttl", T::kDuration, "2h", false,
       "the session of a browser that has looked up no case (time to fill "
       "in a petition)"},
      {"web.max_body_bytes", T::kInt, "65536", false,
       "largest request body, larger is refused with 413", 1024, 1 << 20},
      {"web.trusted_proxies", T::kString, "", false,
       "comma-separated addresses of proxies in front of the gateway whose "
       "X-Forwarded-For names the end user; empty: the socket's peer is the "
       "user"},
      {"web.threads", T::kInt, "8", false, "HTTP worker threads, 1..256", 1,
       256},
      {"web.rpc_timeout", T::kDuration, "5s", false,
       "deadline of each call to a service"},
      {"admin.listen", T::kHostPort, "127.0.0.1:0", false,
       "admin HTTP address for /healthz and /metrics"},
      {"endpoints.file", T::kString, "", false,
       "if set, http= (the portal's host:port), url= and admin= are written "
       "here once ready"},
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "the region tree the services use (the portal's region picker)"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data as routing's: the categories the form offers"},
  };
  for (const rpc::PeerClient& peer : Peers()) {
    for (config::Setting& s : rpc::PeerClientSettings(peer)) {
      settings.push_back(std::move(s));
    }
  }
  for (const rpc::PeerClient& peer : ConsolePeers()) {
    for (config::Setting& s : rpc::PeerClientSettings(peer)) {
      if (s.key == peer.peer + ".address") s.required = false;
      settings.push_back(std::move(s));
    }
  }
  for (config::Setting& s : rpc::PeerClientSettings(StatisticsPeer())) {
    if (s.key == StatisticsPeer().peer + ".address") s.required = false;
    settings.push_back(std::move(s));
  }
  return settings;
}

}  // namespace caserelay::web
