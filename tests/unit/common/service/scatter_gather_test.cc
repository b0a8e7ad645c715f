// Issue 19 item 4 (the team's contract, item 5: "queries over an office or
// subtree scatter-gather to every distinct owner address"): rpc::Scatter
// (common/rpc/scatter.h) over real gRPC servers on 127.0.0.1, each an
// instance with its own PartitionOwners reading one in-memory owners topic.
// The instance a caller reaches asks every other owner in parallel for its
// partitions with the caller's own token; each answers from those it holds
// and names them; a slow owner or a partition without one is UNAVAILABLE
// naming the partitions.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/rpc/convert.h"
#include "common/rpc/mtls_auth.h"
#include "common/rpc/scatter.h"
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

constexpr char kOfficeToken[] = "office-token-0123456789abcdef";

// WhoAmI.Office as a subtree query: asked by a caller, it scatters and
// answers the shards as "<instance>[<caller>]<partitions>" joined by "|";
// asked by another instance, it answers from the asked partitions it
// holds, after `delay`.
class SubtreeWhoAmI final : public WhoAmI::Service {
 public:
  SubtreeWhoAmI(std::string name, const Authenticator* auth)
      : name_(std::move(name)), auth_(auth) {}
  void Set(const PartitionOwners* owners, std::set<int32_t> held,
           absl::Duration delay = absl::ZeroDuration()) {
    owners_ = owners;
    held_ = std::move(held);
    delay_ = delay;
  }
  grpc::Status Office(grpc::ServerContext* ctx, const OfficeRequest* req,
                      OfficeReply* reply) override {
    absl::StatusOr<Principal> caller = Caller(auth_, *ctx);
    if (!caller.ok()) return ToGrpc(caller.status());
    if (WasForwarded(*ctx)) {
      absl::SleepFor(delay_);
      auto asked = AskedPartitions(*ctx, 8);
      if (!asked.ok()) return ToGrpc(asked.status());
      std::vector<int32_t> answered;
      for (int32_t p : asked->value_or(std::vector<int32_t>{})) {
        if (held_.count(p)) answered.push_back(p);
      }
      SetAnsweredPartitions(ctx, answered);
      reply->set_office_code(Shard(caller->ToString(), answered));
      return grpc::Status::OK;
    }
    auto shards = Scatter<WhoAmI::Stub>(
        *owners_, *ctx, *caller, &WhoAmI::Stub::PrepareAsyncOffice, *req,
        AnswerHere<OfficeReply>([&](const std::vector<int32_t>& local)
                                    -> absl::StatusOr<rpc::Shard<OfficeReply>> {
          std::vector<int32_t> mine;
          for (int32_t p : local) {
            if (held_.count(p)) mine.push_back(p);
          }
          rpc::Shard<OfficeReply> shard;
          shard.partitions = mine;
          shard.response.set_office_code(Shard(caller->ToString(), mine));
          return shard;
        }),
        absl::Milliseconds(500));
    if (!shards.ok()) return ToGrpc(shards.status());
    std::vector<std::string> parts;
    for (const auto& s : *shards) parts.push_back(s.response.office_code());
    reply->set_office_code(absl::StrJoin(parts, "|"));
    return grpc::Status::OK;
  }

 private:
  std::string Shard(const std::string& caller,
                    const std::vector<int32_t>& partitions) const {
    return absl::StrCat(name_, "[", caller, "]", EncodePartitions(partitions));
  }
  const std::string name_;
  const Authenticator* const auth_;
  const PartitionOwners* owners_ = nullptr;
  std::set<int32_t> held_;
  absl::Duration delay_;
};

struct Instance {
  std::unique_ptr<SubtreeWhoAmI> service;
  std::unique_ptr<Server> server;
  std::unique_ptr<Forwarder> forwarder;
  metrics::Registry metrics;
  std::unique_ptr<PartitionOwners> owners;
  std::string address;
};

// The token mode's forwarding: the caller's own token is passed on.
ForwarderOptions TokenForwarding() {
  ForwarderOptions forwarding;
  forwarding.mode = "token";
  forwarding.service = "supervision";
  return forwarding;
}

std::unique_ptr<Instance> StartInstance(
    const std::string& name, const Authenticator* auth,
    const std::shared_ptr<FakeOwnersTopic>& topic,
    ForwarderOptions forwarding = TokenForwarding(),
    const ServerTlsFiles& tls = {}) {
  auto in = std::make_unique<Instance>();
  in->service = std::make_unique<SubtreeWhoAmI>(name, auth);
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
  return in;
}

class ScatterGatherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto auth = TokenAuthenticator::Create(
        {{"140431:bureau", TokenHash(kOfficeToken), ""}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = ServingService(*std::move(auth), "supervision");
    topic_ = std::make_shared<FakeOwnersTopic>();
    front_ = StartInstance("front", auth_.get(), topic_);
    owner_ = StartInstance("owner", auth_.get(), topic_);
    ASSERT_NE(front_, nullptr);
    ASSERT_NE(owner_, nullptr);
  }

  // `in` holds `partitions` (published) and answers for them.
  void Hold(Instance& in, std::set<int32_t> partitions,
            absl::Duration delay = absl::ZeroDuration()) {
    for (int32_t p : partitions) ASSERT_TRUE(in.owners->Held(p).ok());
    in.service->Set(in.owners.get(), partitions, delay);
  }

  // Waits until `in`'s map names a remote owner for each of `partitions`.
  bool SeesRemote(const Instance& in, const std::set<int32_t>& partitions) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      bool all = true;
      for (int32_t p : partitions) {
        auto o = in.owners->Of(p);
        all = all && o.ok() && !o->local();
      }
      if (all) return true;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  absl::StatusOr<std::string> Ask(const Instance& in) {
    ClientAuth auth;
    auth.target = in.address;
    auto channel = OfficeChannel(auth);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return AskOffice(*channel,
                     {{"authorization", std::string("Bearer ") + kOfficeToken}});
  }

  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<FakeOwnersTopic> topic_;
  std::unique_ptr<Instance> front_;
  std::unique_ptr<Instance> owner_;
};

TEST_F(ScatterGatherTest, EachOwnerAnswersItsPartitionsWithTheCallersToken) {
  Hold(*front_, {0, 1, 2, 3});
  Hold(*owner_, {4, 5, 6, 7});
  ASSERT_TRUE(SeesRemote(*front_, {4, 5, 6, 7}));
  ASSERT_TRUE(SeesRemote(*owner_, {0, 1, 2, 3}));
  EXPECT_EQ(testing::OrError(Ask(*front_)),
            "front[140431:bureau]0,1,2,3|owner[140431:bureau]4,5,6,7");
  EXPECT_EQ(testing::OrError(Ask(*owner_)),
            "owner[140431:bureau]4,5,6,7|front[140431:bureau]0,1,2,3")
      << "whichever instance is asked, this one's share first";
}

TEST_F(ScatterGatherTest, AnOwnerTooSlowIsUnavailableNamingItsPartitions) {
  Hold(*front_, {0, 1, 2, 3});
  Hold(*owner_, {4, 5, 6, 7}, absl::Seconds(2));
  ASSERT_TRUE(SeesRemote(*front_, {4, 5, 6, 7}));
  const absl::Time start = absl::Now();
  absl::StatusOr<std::string> got = Ask(*front_);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1800))
      << "the scatter's own deadline (500 ms), not the owner's delay";
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("partitions 4, 5, 6, 7 of supervision"),
            std::string::npos)
      << got.status();
  EXPECT_NE(got.status().message().find("DEADLINE_EXCEEDED"),
            std::string::npos)
      << got.status();
}

TEST_F(ScatterGatherTest, APartitionWithoutOwnerOrReleasedIsNamed) {
  Hold(*front_, {0, 1, 2, 3});
  Hold(*owner_, {4, 5, 6});  // 7: nobody
  ASSERT_TRUE(SeesRemote(*front_, {4, 5, 6}));
  absl::StatusOr<std::string> got = Ask(*front_);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("partition 7: no owner known"),
            std::string::npos)
      << got.status();
  // The owner's map says it holds 6, but it no longer answers for it.
  owner_->service->Set(owner_->owners.get(), {4, 5});
  ASSERT_TRUE(owner_->owners->Held(7).ok());
  ASSERT_TRUE(SeesRemote(*front_, {7}));
  owner_->service->Set(owner_->owners.get(), {4, 5, 7});
  got = Ask(*front_);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find(
                absl::StrCat("partition 6: owner ", owner_->address,
                             " no longer holds it")),
            std::string::npos)
      << got.status();
}

// auth.mode mtls: a client certificate cannot be passed on, so the
// instance asks with its own (service:supervision) and names the caller it
// verified (forwarder.h); the owner believes it from supervision only, and
// x-caserelay-partitions rides along.
class MtlsScatterGatherTest : public testing::TestPkiSuite {
 protected:
  static void SetUpTestSuite() {
    TestPkiSuite::SetUpTestSuite();
    if (pki_ == nullptr) return;
    ASSERT_TRUE(pki_->IssueLeaf("supervision_client", "supervision",
                                "supervision_client_ext", 9201)
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
    front_ = StartInstance("front", auth_.get(), topic_, forwarding, tls);
    owner_ = StartInstance("owner", auth_.get(), topic_, forwarding, tls);
    ASSERT_NE(front_, nullptr);
    ASSERT_NE(owner_, nullptr);
  }

  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<FakeOwnersTopic> topic_;
  std::unique_ptr<Instance> front_;
  std::unique_ptr<Instance> owner_;
};

TEST_F(MtlsScatterGatherTest, TheOwnerAnswersForTheCallerTheInstanceVerified) {
  for (int32_t p : {0, 1, 2, 3}) ASSERT_TRUE(front_->owners->Held(p).ok());
  front_->service->Set(front_->owners.get(), {0, 1, 2, 3});
  for (int32_t p : {4, 5, 6, 7}) ASSERT_TRUE(owner_->owners->Held(p).ok());
  owner_->service->Set(owner_->owners.get(), {4, 5, 6, 7});
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline && !front_->owners->Of(7).ok()) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ClientAuth auth;
  auth.target = front_->address;
  auth.tls_ca_path = P("ca.pem");
  auth.tls_cert_path = P("cn_client.pem");
  auth.tls_key_path = P("cn_client.key");
  auto channel = OfficeChannel(auth);
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_EQ(testing::OrError(AskOffice(*channel)),
            "front[140431:bureau]0,1,2,3|owner[140431:bureau]4,5,6,7");
}

}  // namespace
}  // namespace caserelay::rpc
