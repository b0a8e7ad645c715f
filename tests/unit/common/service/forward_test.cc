// Issue 19 item 4 (the team's contract, item 5): per-case calls reach the
// partition's owner with the caller's own proof (common/rpc/forward.h,
// forwarder.h), over a real pair of gRPC servers on 127.0.0.1 ("front",
// which does not hold the partition, and "owner"), each with its own
// PartitionOwners reading an in-memory owners topic.

#include "common/rpc/forward.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/convert.h"
#include "common/rpc/mtls_auth.h"
#include "common/rpc/server.h"
#include "common/rpc/token_auth.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/common/rpc/whoami_server.h"
#include "tests/unit/common/service/fake_owners_log.h"
#include "whoami.grpc.pb.h"

namespace caserelay::rpc {
namespace {

using caserelay::test::OfficeReply;
using caserelay::test::OfficeRequest;
using caserelay::test::WhoAmI;
using service::PartitionOwners;
using service::testing::FakeOwnersLog;
using service::testing::FakeOwnersTopic;
using testing::AskOffice;

constexpr int32_t kPartition = 5;
constexpr char kOfficeToken[] = "office-token-0123456789abcdef";
constexpr char kWebToken[] = "web-token-0123456789abcdef";

// WhoAmI.Office as a per-case call of partition kPartition: forwarded to
// its owner unless held here, answered "<caller> at <name>" where served.
class PerCaseWhoAmI final : public WhoAmI::Service {
 public:
  PerCaseWhoAmI(std::string name, const Authenticator* auth)
      : name_(std::move(name)), auth_(auth) {}
  void set_owners(const PartitionOwners* owners) { owners_ = owners; }
  grpc::Status Office(grpc::ServerContext* ctx, const OfficeRequest* req,
                      OfficeReply* reply) override {
    absl::StatusOr<Principal> caller = Caller(auth_, *ctx);
    if (!caller.ok()) return ToGrpc(caller.status());
    if (auto forwarded = ForwardUnary<WhoAmI::Stub>(
            *owners_, kPartition, *ctx, *caller, &WhoAmI::Stub::Office, *req,
            reply)) {
      return *forwarded;
    }
    reply->set_office_code(absl::StrCat(caller->ToString(), " at ", name_));
    return grpc::Status::OK;
  }

 private:
  const std::string name_;
  const Authenticator* const auth_;
  const PartitionOwners* owners_ = nullptr;
};

// One instance: its server, forwarder and owners map.
struct Instance {
  std::unique_ptr<PerCaseWhoAmI> service;
  std::unique_ptr<Server> server;
  std::unique_ptr<Forwarder> forwarder;
  metrics::Registry metrics;
  std::unique_ptr<PartitionOwners> owners;
  std::string address;
};

std::unique_ptr<Instance> StartInstance(
    const std::string& name, const Authenticator* auth,
    const ServerTlsFiles& tls, ForwarderOptions forwarding,
    const std::shared_ptr<FakeOwnersTopic>& topic) {
  auto in = std::make_unique<Instance>();
  in->service = std::make_unique<PerCaseWhoAmI>(name, auth);
  ServerOptions options;
  options.tls = tls;
  auto server = Server::Start(options, {in->service.get()});
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  in->server = *std::move(server);
  in->address = absl::StrCat("127.0.0.1:", in->server->port());
  auto forwarder = Forwarder::Create(std::move(forwarding));
  EXPECT_TRUE(forwarder.ok()) << forwarder.status();
  if (!forwarder.ok()) return nullptr;
  in->forwarder = *std::move(forwarder);
  service::PartitionOwnersOptions o;
  o.service = "supervision";
  o.instance_id = name;
  o.grpc_address = in->address;
  o.partitions = 8;
  o.forwarder = in->forwarder.get();
  auto owners = PartitionOwners::Create(
      o, std::make_unique<FakeOwnersLog>(topic), &in->metrics);
  EXPECT_TRUE(owners.ok()) << owners.status();
  if (!owners.ok()) return nullptr;
  in->owners = *std::move(owners);
  in->service->set_owners(in->owners.get());
  return in;
}

// Waits until `owners` names a remote owner for kPartition.
bool WaitRemote(const PartitionOwners& owners) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    absl::StatusOr<service::Owner> o = owners.Of(kPartition);
    if (o.ok() && !o->local()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return false;
}

class TokenForwardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto auth = TokenAuthenticator::Create(
        {{"140431:bureau", TokenHash(kOfficeToken), ""},
         {"service:web", TokenHash(kWebToken), ""}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = ServingService(*std::move(auth), "supervision");
    ForwarderOptions forwarding;
    forwarding.mode = "token";
    forwarding.service = "supervision";
    topic_ = std::make_shared<FakeOwnersTopic>();
    front_ = StartInstance("front", auth_.get(), {}, forwarding, topic_);
    owner_ = StartInstance("owner", auth_.get(), {}, forwarding, topic_);
    ASSERT_NE(front_, nullptr);
    ASSERT_NE(owner_, nullptr);
  }

  std::shared_ptr<grpc::Channel> To(const Instance& in) {
    ClientAuth auth;
    auth.target = in.address;
    auto channel = OfficeChannel(auth);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return *channel;
  }

  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<FakeOwnersTopic> topic_;
  std::unique_ptr<Instance> front_;
  std::unique_ptr<Instance> owner_;
};

std::multimap<std::string, std::string> Bearer(const std::string& token) {
  return {{"authorization", "Bearer " + token}};
}

TEST_F(TokenForwardTest, ThePartitionsOwnerAnswersWithTheCallersOwnIdentity) {
  ASSERT_TRUE(owner_->owners->Held(kPartition).ok());
  ASSERT_TRUE(WaitRemote(*front_->owners));
  EXPECT_EQ(testing::OrError(AskOffice(To(*front_), Bearer(kOfficeToken))),
            "140431:bureau at owner");
  // The owner itself serves it directly.
  EXPECT_EQ(testing::OrError(AskOffice(To(*owner_), Bearer(kOfficeToken))),
            "140431:bureau at owner");
}

TEST_F(TokenForwardTest, TheGatewaysOnBehalfMetadataIsPassedOnWithTheToken) {
  // auth.h: service:web speaks for its user; the owner sees that user.
  ASSERT_TRUE(owner_->owners->Held(kPartition).ok());
  ASSERT_TRUE(WaitRemote(*front_->owners));
  std::multimap<std::string, std::string> md = Bearer(kWebToken);
  md.emplace(kUserMetadata, "王五");
  md.emplace(kOfficeMetadata, "140431:bureau");
  md.emplace(kRolesMetadata, "handler");
  EXPECT_EQ(testing::OrError(AskOffice(To(*front_), md)),
            "王五 (140431:bureau via service:web, roles handler) at owner");
}

TEST_F(TokenForwardTest, NoKnownOwnerAnswersUnavailable) {
  // Contract item 5: unknown → UNAVAILABLE "partition moving, try again".
  absl::StatusOr<std::string> got =
      AskOffice(To(*front_), Bearer(kOfficeToken));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("moving"), std::string::npos)
      << got.status();
}

TEST_F(TokenForwardTest, AForwardedCallIsNeverForwardedAgain) {
  // Contract item 5: the instance a call was forwarded to does not hold
  // the partition either (the maps disagree while it moves): UNAVAILABLE,
  // no ping-pong. The owner's map names the front ...
  caserelay::v1::PartitionOwner to_front;
  to_front.set_instance_id("front-before");
  to_front.set_grpc_address(front_->address);
  to_front.set_epoch(1);
  topic_->Append(std::to_string(kPartition), to_front.SerializeAsString());
  ASSERT_TRUE(WaitRemote(*owner_->owners));
  // ... and the front's (a topic of its own here) names the owner.
  auto front_topic = std::make_shared<FakeOwnersTopic>();
  caserelay::v1::PartitionOwner to_owner;
  to_owner.set_instance_id("owner-before");
  to_owner.set_grpc_address(owner_->address);
  to_owner.set_epoch(1);
  front_topic->Append(std::to_string(kPartition), to_owner.SerializeAsString());
  service::PartitionOwnersOptions o;
  o.service = "supervision";
  o.instance_id = "front";
  o.grpc_address = front_->address;
  o.partitions = 8;
  o.forwarder = front_->forwarder.get();
  metrics::Registry m;
  auto front_owners = PartitionOwners::Create(
      o, std::make_unique<FakeOwnersLog>(front_topic), &m);
  ASSERT_TRUE(front_owners.ok());
  ASSERT_TRUE(WaitRemote(**front_owners));
  front_->service->set_owners(front_owners->get());
  absl::StatusOr<std::string> got =
      AskOffice(To(*front_), Bearer(kOfficeToken));
  front_->service->set_owners(front_->owners.get());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable)
      << got.status();
  EXPECT_NE(got.status().message().find("not held here either"),
            std::string::npos)
      << got.status();
}

TEST_F(TokenForwardTest, NoCallerMayClaimToForwardForSomeoneElse) {
  // auth.h: x-caserelay-forwarded-for-bin is believed only from another
  // instance of the same service.
  Principal someone = Principal::Office("140431:housing");
  std::multimap<std::string, std::string> md = Bearer(kOfficeToken);
  md.emplace(kForwardedForMetadata, EncodeForwardedCaller(someone));
  ASSERT_TRUE(owner_->owners->Held(kPartition).ok());
  absl::StatusOr<std::string> got = AskOffice(To(*owner_), md);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
      << got.status();
}

class MtlsForwardTest : public testing::TestPkiSuite {
 protected:
  static void SetUpTestSuite() {
    TestPkiSuite::SetUpTestSuite();
    if (pki_ == nullptr) return;
    ASSERT_TRUE(pki_->IssueLeaf("supervision_client", "supervision",
                                "supervision_client_ext", 9101)
                    .ok());
  }
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(TestPkiSuite::SetUp());
    auth_ = ServingService(MtlsAuthenticator::Create(), "supervision");
    const ServerTlsFiles tls{P("server.pem"), P("server.key"), P("ca.pem")};
    ForwarderOptions forwarding;
    forwarding.mode = "mtls";
    forwarding.service = "supervision";
    forwarding.channel.tls_ca_path = P("ca.pem");
    forwarding.channel.tls_cert_path = P("supervision_client.pem");
    forwarding.channel.tls_key_path = P("supervision_client.key");
    topic_ = std::make_shared<FakeOwnersTopic>();
    front_ = StartInstance("front", auth_.get(), tls, forwarding, topic_);
    owner_ = StartInstance("owner", auth_.get(), tls, forwarding, topic_);
    ASSERT_NE(front_, nullptr);
    ASSERT_NE(owner_, nullptr);
  }
  std::shared_ptr<grpc::Channel> To(const Instance& in,
                                    const std::string& client) {
    ClientAuth auth;
    auth.target = in.address;
    auth.tls_ca_path = P("ca.pem");
    auth.tls_cert_path = P(client + ".pem");
    auth.tls_key_path = P(client + ".key");
    auto channel = OfficeChannel(auth);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return *channel;
  }

  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<FakeOwnersTopic> topic_;
  std::unique_ptr<Instance> front_;
  std::unique_ptr<Instance> owner_;
};

TEST_F(MtlsForwardTest, TheInstanceProvesItselfAndNamesTheVerifiedCaller) {
  // forwarder.h: a certificate cannot be passed on; the owner believes the
  // caller named by another instance of supervision.
  ASSERT_TRUE(owner_->owners->Held(kPartition).ok());
  ASSERT_TRUE(WaitRemote(*front_->owners));
  EXPECT_EQ(testing::OrError(AskOffice(To(*front_, "cn_client"))),
            "140431:bureau at owner");
  EXPECT_EQ(testing::OrError(AskOffice(To(*front_, "uri_client"))),
            "140431:housing at owner");
}

TEST_F(MtlsForwardTest, AnOfficeCertificateCannotClaimToForward) {
  ASSERT_TRUE(owner_->owners->Held(kPartition).ok());
  std::multimap<std::string, std::string> md = {
      {kForwardedForMetadata,
       EncodeForwardedCaller(Principal::Office("140431:housing"))}};
  absl::StatusOr<std::string> got = AskOffice(To(*owner_, "cn_client"), md);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
      << got.status();
}

}  // namespace
}  // namespace caserelay::rpc
