#include "common/peer/client_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"

namespace caserelay::peer {

absl::StatusOr<std::string> AddressKeyOfIp(std::string_view ip) {
  const std::string text(ip);
  auto bad = [&] {
    return absl::InvalidArgumentError("not an IPv4 or IPv6 address literal");
  };
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return bad();
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    char out[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &v4, out, sizeof(out));
    return absl::StrCat("ipv4:", out);
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return bad();
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], 4);
    char out[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &v4, out, sizeof(out));
    return absl::StrCat("ipv4:", out);
  }
  std::memset(&v6.s6_addr[8], 0, 8);  // the /64
  char out[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &v6, out, sizeof(out));
  std::string prefix = out;
  // inet_ntop writes a zero tail as "::" already ("2001:db8:1:2::").
  return absl::StrCat("ipv6:", prefix, "/64");
}

namespace {

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// `peer` with the %-escapes gRPC may write for '[', ']' and ':' decoded.
std::string DecodePeer(std::string_view peer) {
  std::string out;
  for (size_t i = 0; i < peer.size(); ++i) {
    if (peer[i] == '%' && i + 2 < peer.size()) {
      const std::string hex =
          absl::AsciiStrToUpper(std::string(peer.substr(i + 1, 2)));
      const char* decoded = hex == "5B"   ? "["
                            : hex == "5D" ? "]"
                            : hex == "3A" ? ":"
                            : hex == "25" ? "%"
                                          : nullptr;
      if (decoded != nullptr) {
        out += decoded;
        i += 2;
        continue;
      }
    }
    out.push_back(peer[i]);
  }
  return out;
}

}  // namespace

std::string AddressKeyOfPeer(std::string_view peer) {
  std::string_view rest = peer;
  if (ConsumePrefix(&rest, "unix:") || ConsumePrefix(&rest, "unix-abstract:")) {
    return "local";
  }
  const std::string p = DecodePeer(peer);
  rest = p;
  std::string_view host;
  if (ConsumePrefix(&rest, "ipv4:")) {
    const size_t colon = rest.rfind(':');
    host = colon == std::string_view::npos ? rest : rest.substr(0, colon);
  } else if (ConsumePrefix(&rest, "ipv6:")) {
    if (!ConsumePrefix(&rest, "[")) return "unknown";
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return "unknown";
    host = rest.substr(0, close);
    // A zone ("fe80::1%eth0") is not part of the address.
    const size_t zone = host.find('%');
    if (zone != std::string_view::npos) host = host.substr(0, zone);
  } else {
    return "unknown";
  }
  absl::StatusOr<std::string> key = AddressKeyOfIp(host);
  return key.ok() ? *key : "unknown";
}

bool FromWebGateway(const rpc::Principal& caller) {
  return caller.IsService(rpc::kWebService) || caller.via == rpc::kWebService;
}

absl::StatusOr<std::string> ClientAddressKey(const grpc::ServerContext& ctx,
                                             const rpc::Principal& caller) {
  if (!FromWebGateway(caller)) return AddressKeyOfPeer(ctx.peer());
  const auto& metadata = ctx.client_metadata();
  auto named = metadata.find(rpc::kClientAddressMetadata);
  if (named == metadata.end()) return AddressKeyOfPeer(ctx.peer());
  if (metadata.count(rpc::kClientAddressMetadata) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata ", rpc::kClientAddressMetadata, ": given more than once"));
  }
  absl::StatusOr<std::string> key = AddressKeyOfIp(
      std::string_view(named->second.data(), named->second.size()));
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("metadata ", rpc::kClientAddressMetadata, ": ",
                     key.status().message()));
  }
  return key;
}

}  // namespace caserelay::peer
