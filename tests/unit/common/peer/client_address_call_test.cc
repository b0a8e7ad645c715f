// ClientAddressKey on real gRPC calls over 127.0.0.1 ("CA",
// client_address.h): the peer as gRPC 1.51 writes it, and the web
// gateway's x-caserelay-client-address believed from the gateway only.
// The one-method WhoAmI service of tests/unit/common/rpc answers each call
// with the key ClientAddressKey gives for the principal the server was
// made with (as rpc::Caller would have found it).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/peer/client_address.h"
#include "common/rpc/auth.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "whoami.grpc.pb.h"

namespace caserelay::peer {
namespace {

class AddressEcho final : public caserelay::test::WhoAmI::Service {
 public:
  explicit AddressEcho(rpc::Principal caller) : caller_(std::move(caller)) {}
  grpc::Status Office(grpc::ServerContext* ctx,
                      const caserelay::test::OfficeRequest*,
                      caserelay::test::OfficeReply* reply) override {
    absl::StatusOr<std::string> key = ClientAddressKey(*ctx, caller_);
    if (!key.ok()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          std::string(key.status().message()));
    }
    reply->set_office_code(*key);
    return grpc::Status::OK;
  }

 private:
  const rpc::Principal caller_;
};

// The key the server finds for a call with `metadata`, or "error: ...".
std::string Call(const rpc::Principal& caller,
                 const std::multimap<std::string, std::string>& metadata) {
  AddressEcho service(caller);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return "error: no server";
  auto stub = caserelay::test::WhoAmI::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [k, v] : metadata) ctx.AddMetadata(k, v);
  caserelay::test::OfficeReply reply;
  grpc::Status s = stub->Office(&ctx, caserelay::test::OfficeRequest(), &reply);
  server->Shutdown();
  return s.ok() ? reply.office_code()
                : absl::StrCat("error: ", s.error_message());
}

TEST(ClientAddressCallTest, WebGatewaysAddressIsBelievedFromTheGatewayOnly) {
  const std::string named = rpc::kClientAddressMetadata;
  struct Row {
    const char* rule;
    rpc::Principal caller;
    std::multimap<std::string, std::string> metadata;
    std::string want;  // "error: " + a part of the message
  };
  rpc::Principal user_via_web = rpc::Principal::Office("140431:bureau", "王五");
  user_via_web.via = rpc::kWebService;
  const std::vector<Row> rows = {
      {"CA: an office's call is budgeted under its peer",
       rpc::Principal::Office("140431:bureau"),
       {},
       "ipv4:127.0.0.1"},
      {"CA: the metadata from anyone but the gateway is not believed",
       rpc::Principal::Office("140431:bureau"),
       {{named, "203.0.113.9"}},
       "ipv4:127.0.0.1"},
      {"CA: another service's metadata neither",
       rpc::Principal::Service("notification"),
       {{named, "203.0.113.9"}},
       "ipv4:127.0.0.1"},
      {"CA: the gateway names the end user's address",
       rpc::Principal::Service(rpc::kWebService),
       {{named, "203.0.113.9"}},
       "ipv4:203.0.113.9"},
      {"CA: also for a user it speaks for",
       user_via_web,
       {{named, "2001:db8:1:2::7"}},
       "ipv6:2001:db8:1:2::/64"},
      {"CA: a gateway call without it: the gateway's own budget",
       rpc::Principal::Service(rpc::kWebService),
       {},
       "ipv4:127.0.0.1"},
      {"CA: not an address literal",
       rpc::Principal::Service(rpc::kWebService),
       {{named, "203.0.113.9:443"}},
       "error: metadata " + named},
  };
  for (const Row& r : rows) {
    const std::string got = Call(r.caller, r.metadata);
    if (r.want.rfind("error: ", 0) == 0) {
      EXPECT_EQ(got.rfind(r.want, 0), 0u) << r.rule << ": " << got;
    } else {
      EXPECT_EQ(got, r.want) << r.rule;
    }
  }
}

}  // namespace
}  // namespace caserelay::peer
