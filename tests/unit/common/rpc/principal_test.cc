// Principals (issue 14 items 1-2): an office or a service's identity, in
// token mode (the tokens file's first field and holder) and mTLS mode (the
// certificate's URI SAN and common name), and the rule that only the web
// gateway's identity speaks for a user (common/rpc/auth.h).

#include "common/rpc/principal.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/credentials.h"
#include "common/rpc/mtls_auth.h"
#include "common/rpc/token_auth.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/whoami_server.h"

namespace caserelay::rpc {
namespace {

using testing::AskOffice;
using ::testing::HasSubstr;
using testing::OrError;
using testing::WhoAmIServer;
using C = absl::StatusCode;

// "error: <code>" or the principal as Principal::ToString gives it.
std::string Show(const absl::StatusOr<Principal>& p) {
  return p.ok() ? p->ToString()
                : absl::StrCat("error: ",
                               absl::StatusCodeToString(p.status().code()));
}

TEST(PrincipalTest, NamesParseAsAnOfficeOrAServiceIdentity) {
  struct Row {
    const char* rule;
    const char* text;
    std::string want;  // Show()
  };
  for (const Row& row : std::vector<Row>{
           {"office code <region>:<unit> (router.h)", "140431:bureau",
            "140431:bureau"},
           {"each service has an identity of its own", "service:notification",
            "service:notification"},
           {"the web gateway's identity", "service:web", "service:web"},
           {"the console's staff directory (issue 16 item 1)",
            "service:accounts", "service:accounts"},
           {"only caserelay's services have identities", "service:kafka",
            "error: INVALID_ARGUMENT"},
           {"a service name is exact", "service:Web",
            "error: INVALID_ARGUMENT"},
           {"no bare service name", "notification", "error: INVALID_ARGUMENT"},
           {"no empty service", "service:", "error: INVALID_ARGUMENT"},
           {"no unit: not an office", "140431:", "error: INVALID_ARGUMENT"},
           {"empty", "", "error: INVALID_ARGUMENT"},
       }) {
    EXPECT_EQ(Show(ParsePrincipal(row.text)), row.want) << row.rule;
  }
}

TEST(PrincipalTest, OperatorIsThePersonElseThePrincipal) {
  struct Row {
    const char* rule;
    Principal principal;
    const char* op;
    const char* shown;
  };
  Principal via_web = Principal::Office("140431:bureau", "王五");
  via_web.via = "web";
  for (const Row& row : std::vector<Row>{
           {"a token without holder names the office",
            Principal::Office("140431:bureau"), "140431:bureau",
            "140431:bureau"},
           {"a holder label names the person",
            Principal::Office("140431:bureau", "王五"), "王五",
            "王五 (140431:bureau)"},
           {"a service acts as itself", Principal::Service("notification"),
            "service:notification", "service:notification"},
           {"the gateway's user, and through whom", via_web, "王五",
            "王五 (140431:bureau via service:web)"},
       }) {
    EXPECT_EQ(row.principal.Operator(), row.op) << row.rule;
    EXPECT_EQ(row.principal.ToString(), row.shown) << row.rule;
  }
}

TEST(PrincipalTest, TokenLinesNameOfficesServicesAndHolders) {
  const std::string office = NewToken(), clerk = NewToken(),
                    notify = NewToken(), web = NewToken();
  auto auth = TokenAuthenticator::Create({
      {"140431:bureau", TokenHash(office), ""},
      {"140431:bureau", TokenHash(clerk), "王五"},
      {"service:notification", TokenHash(notify), ""},
      {"service:web", TokenHash(web), "gateway-1"},
  });
  ASSERT_TRUE(auth.ok()) << auth.status();
  struct Row {
    const char* rule;
    std::string token;
    std::string want;
  };
  for (const Row& row : std::vector<Row>{
           {"an office's token", office, "140431:bureau"},
           {"a holder's token: the office and its person", clerk,
            "王五 (140431:bureau)"},
           {"a service's token: its identity", notify, "service:notification"},
           {"a service token's holder label", web, "gateway-1 (service:web)"},
           {"an unknown token", NewToken(), "error: UNAUTHENTICATED"},
       }) {
    EXPECT_EQ(Show((*auth)->PrincipalOfToken(row.token)), row.want) << row.rule;
  }
}

TEST(PrincipalTest, BadTokenLinesAreRefusedNamingTheEntry) {
  const std::string h = TokenHash("t");
  struct Row {
    const char* rule;
    TokenEntry entry;
    const char* message;
  };
  for (const Row& row : std::vector<Row>{
           {"an unknown service", {"service:kafka", h, ""}, "names no service"},
           {"neither office nor service",
            {"bureau", h, ""},
            "neither an office code"},
           {"a holder with a control character",
            {"140431:bureau", h, "a\tb"},
            "the holder must be a person's label"},
           {"a holder that is not UTF-8",
            {"140431:bureau", h, std::string("\xff\xfe")},
            "the holder must be a person's label"},
           {"a holder longer than 100 bytes",
            {"140431:bureau", h, std::string(101, 'x')},
            "the holder must be a person's label"},
       }) {
    auto auth = TokenAuthenticator::Create({row.entry});
    EXPECT_EQ(auth.status().code(), C::kInvalidArgument) << row.rule;
    EXPECT_THAT(std::string(auth.status().message()),
                HasSubstr(absl::StrCat("entry 0: ")))
        << row.rule;
    EXPECT_THAT(std::string(auth.status().message()), HasSubstr(row.message))
        << row.rule;
  }
}

TEST(PrincipalTest, CertificateNamesOfficesAndServicesByUriOrCommonName) {
  struct Row {
    const char* rule;
    std::vector<absl::string_view> uris;
    absl::string_view cn;
    std::string want;
  };
  for (const Row& row : std::vector<Row>{
           {"office URI (make-certs --office)",
            {"caserelay:office:140431:bureau"},
            "140431:bureau",
            "140431:bureau"},
           {"service URI (make-certs for a service's client)",
            {"caserelay:service:notification"},
            "notification",
            "service:notification"},
           {"the common name beside a URI is the person",
            {"caserelay:office:140431:bureau"},
            "王五",
            "王五 (140431:bureau)"},
           {"a CN equal to the principal's name is no person",
            {"caserelay:service:web"},
            "service:web",
            "service:web"},
           {"a CN that is another office code is no person (URI wins)",
            {"caserelay:office:140431:housing"},
            "140431:bureau",
            "140431:housing"},
           {"office code as CN without URI (older certificates)",
            {},
            "140431:bureau",
            "140431:bureau"},
           {"other URI schemes are skipped",
            {"spiffe://x/y", "caserelay:service:intake"},
            "",
            "service:intake"},
           {"the same principal twice is one",
            {"caserelay:service:web", "caserelay:service:web"},
            "",
            "service:web"},
           {"a server certificate's CN names no service",
            {},
            "routing",
            "error: UNAUTHENTICATED"},
           {"an office and a service at once",
            {"caserelay:office:140431:bureau", "caserelay:service:web"},
            "",
            "error: UNAUTHENTICATED"},
           {"two services",
            {"caserelay:service:web", "caserelay:service:notification"},
            "",
            "error: UNAUTHENTICATED"},
           {"two offices",
            {"caserelay:office:140431:bureau",
             "caserelay:office:140000:bureau"},
            "",
            "error: UNAUTHENTICATED"},
           {"an unknown service",
            {"caserelay:service:kafka"},
            "",
            "error: UNAUTHENTICATED"},
           {"a bad office code",
            {"caserelay:office:bureau"},
            "140431:bureau",
            "error: UNAUTHENTICATED"},
           {"nothing at all", {}, "", "error: UNAUTHENTICATED"},
       }) {
    EXPECT_EQ(Show(PrincipalOfCertificate(row.uris, row.cn)), row.want)
        << row.rule;
  }
}

// The on-behalf rule through a real server: tokens for an office, the web
// gateway and notification; the answer is rpc::Caller's principal.
class OnBehalfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto auth = TokenAuthenticator::Create({
        {"140431:bureau", TokenHash(office_), ""},
        {"service:web", TokenHash(web_), ""},
        {"service:notification", TokenHash(notify_), ""},
    });
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
    auto server = WhoAmIServer::Start(auth_.get(), {});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::string Ask(const std::string& token,
                  const std::multimap<std::string, std::string>& metadata) {
    ClientAuth auth;
    auth.target = server_->target();
    auth.token = token;
    auto channel = OfficeChannel(auth);
    if (!channel.ok()) return channel.status().ToString();
    auto answer = AskOffice(*channel, metadata);
    return answer.ok()
               ? *answer
               : absl::StrCat("error: ",
                              absl::StatusCodeToString(answer.status().code()));
  }
  const std::string office_ = NewToken(), web_ = NewToken(),
                    notify_ = NewToken();
  std::unique_ptr<TokenAuthenticator> auth_;
  std::unique_ptr<WhoAmIServer> server_;
};

TEST_F(OnBehalfTest, OnlyTheWebGatewaySpeaksForAUser) {
  struct Row {
    const char* rule;
    std::string token;
    std::multimap<std::string, std::string> metadata;
    std::string want;
  };
  const std::string user = kUserMetadata, office = kOfficeMetadata;
  for (const Row& row : std::vector<Row>{
           {"the gateway for an office's person (issue 16: with roles)",
            web_,
            {{user, "王五"}, {office, "140431:bureau"},
             {kRolesMetadata, "handler"}},
            "王五 (140431:bureau via service:web, roles handler)"},
           {"the gateway for a petitioner (no office)",
            web_,
            {{user, "portal-42"}},
            "portal-42 (service:web)"},
           {"the gateway as itself", web_, {}, "service:web"},
           {"the gateway names the end user's address (intake's limit)",
            web_,
            {{kClientAddressMetadata, "203.0.113.7"}},
            "service:web"},
           {"only the gateway may name an end user's address",
            office_,
            {{kClientAddressMetadata, "203.0.113.7"}},
            "error: PERMISSION_DENIED"},
           {"an office may not speak for another",
            office_,
            {{user, "王五"}, {office, "140000:bureau"}},
            "error: PERMISSION_DENIED"},
           {"another service may not either",
            notify_,
            {{user, "王五"}},
            "error: PERMISSION_DENIED"},
           {"any reserved key from a non-web principal is refused",
            office_,
            {{"x-caserelay-anything", "1"}},
            "error: PERMISSION_DENIED"},
           {"the office alone names nobody",
            web_,
            {{office, "140431:bureau"}},
            "error: INVALID_ARGUMENT"},
           {"a bad office code",
            web_,
            {{user, "王五"}, {office, "bureau"}},
            "error: INVALID_ARGUMENT"},
           {"an unknown reserved key",
            web_,
            {{user, "王五"}, {"x-caserelay-role", "admin"}},
            "error: INVALID_ARGUMENT"},
           {"a user named twice",
            web_,
            {{user, "王五"}, {user, "李四"}},
            "error: INVALID_ARGUMENT"},
           {"without credentials the metadata changes nothing",
            "",
            {{user, "王五"}},
            "error: UNAUTHENTICATED"},
       }) {
    EXPECT_EQ(Ask(row.token, row.metadata), row.want) << row.rule;
  }
}

// Issue 15 item 2: x-caserelay-petitioner-case makes the gateway's call the
// petitioner's of that case, honoured only from service:web (like every
// x-caserelay- key), never mixed with an office's user.
TEST_F(OnBehalfTest, OnlyTheWebGatewaySpeaksForAPetitionerOfOneCase) {
  struct Row {
    const char* rule;
    std::string token;
    std::multimap<std::string, std::string> metadata;
    std::string want;
  };
  const std::string pet = kPetitionerCaseMetadata;
  const std::string id = "140431-20260105-000001";
  for (const Row& row : std::vector<Row>{
           {"issue 15: the gateway for the petitioner of a case",
            web_,
            {{pet, id}},
            "petitioner of case " + id + " (service:web)"},
           {"issue 15: with the end user's address (intake's limit)",
            web_,
            {{pet, id}, {kClientAddressMetadata, "203.0.113.7"}},
            "petitioner of case " + id + " (service:web)"},
           {"auth.h: an office may not speak for a petitioner",
            office_,
            {{pet, id}},
            "error: PERMISSION_DENIED"},
           {"auth.h: nor may another service",
            notify_,
            {{pet, id}},
            "error: PERMISSION_DENIED"},
           {"a petitioner acts for no office's user",
            web_,
            {{pet, id}, {kUserMetadata, "王五"}},
            "error: INVALID_ARGUMENT"},
           {"a petitioner acts for no office",
            web_,
            {{pet, id}, {kOfficeMetadata, "140431:bureau"}},
            "error: INVALID_ARGUMENT"},
           {"a case id is letters, digits and '-'",
            web_,
            {{pet, "140431/../x"}},
            "error: INVALID_ARGUMENT"},
           {"an empty case id names no case", web_, {{pet, ""}},
            "error: INVALID_ARGUMENT"},
           {"one case per call",
            web_,
            {{pet, id}, {pet, "140431-20260105-000002"}},
            "error: INVALID_ARGUMENT"},
       }) {
    EXPECT_EQ(Ask(row.token, row.metadata), row.want) << row.rule;
  }
}

// Issue 16 (console contract, "routing"): x-caserelay-roles names the
// staff user's roles, only from service:web, only with the user and the
// office; a direct office principal names none and has every role.
TEST_F(OnBehalfTest, OnlyTheWebGatewayNamesAStaffUsersRoles) {
  struct Row {
    const char* rule;
    std::string token;
    std::multimap<std::string, std::string> metadata;
    std::string want;
  };
  const std::string user = kUserMetadata, office = kOfficeMetadata,
                    roles = kRolesMetadata;
  const std::string bureau = "140431:bureau";
  for (const Row& row : std::vector<Row>{
           {"issue 16: a handler and head, sorted and named as sent",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, "head,handler"}},
            "王五 (140431:bureau via service:web, roles handler,head)"},
           {"issue 16: every role, a name given twice counts once",
            web_,
            {{user, "admin-1"},
             {office, bureau},
             {roles, "admin,leader,inspector,head,handler,registrar,admin"}},
            "admin-1 (140431:bureau via service:web, roles "
            "registrar,handler,head,inspector,leader,admin)"},
           {"auth.h: required with the office (a user is never the office's "
            "own credential)",
            web_,
            {{user, "王五"}, {office, bureau}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: an empty list names no role",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, ""}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: an unknown name",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, "handler,mayor"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: names are lower-case",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, "HEAD"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: an empty name between commas",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, "handler,,head"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: roles only with the office",
            web_,
            {{user, "portal-42"}, {roles, "head"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: roles only with the user",
            web_,
            {{office, bureau}, {roles, "head"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: a petitioner has no roles",
            web_,
            {{kPetitionerCaseMetadata, "140431-20260105-000001"},
             {roles, "head"}},
            "error: INVALID_ARGUMENT"},
           {"auth.h: roles given twice",
            web_,
            {{user, "王五"}, {office, bureau}, {roles, "head"},
             {roles, "handler"}},
            "error: INVALID_ARGUMENT"},
           {"issue 16 item 2: an office may not name roles (refused, not "
            "ignored)",
            office_,
            {{roles, "head"}},
            "error: PERMISSION_DENIED"},
           {"issue 16 item 2: nor another service",
            notify_,
            {{user, "王五"}, {office, bureau}, {roles, "head"}},
            "error: PERMISSION_DENIED"},
           {"auth.h: the office's own credential names no roles",
            office_,
            {},
            "140431:bureau"},
       }) {
    EXPECT_EQ(Ask(row.token, row.metadata), row.want) << row.rule;
  }
}

TEST(PrincipalTest, RolesMetadataRoundTripsEveryRole) {
  const std::vector<v1::StaffRole> all = {
      v1::STAFF_ROLE_ADMIN,     v1::STAFF_ROLE_LEADER,
      v1::STAFF_ROLE_INSPECTOR, v1::STAFF_ROLE_HEAD,
      v1::STAFF_ROLE_HANDLER,   v1::STAFF_ROLE_REGISTRAR};
  const std::string value = RolesMetadataValue(all);
  EXPECT_EQ(value, "registrar,handler,head,inspector,leader,admin");
  auto parsed = ParseRolesMetadata(value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(RolesMetadataValue(*parsed), value);
  EXPECT_EQ(parsed->size(), all.size());
  // Every value of the proto's enum but UNSPECIFIED has a name.
  const auto* d = v1::StaffRole_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const auto role = static_cast<v1::StaffRole>(d->value(i)->number());
    EXPECT_EQ(RoleName(role).empty(), role == v1::STAFF_ROLE_UNSPECIFIED)
        << d->value(i)->name();
  }
}

TEST(PrincipalTest, OnlyADirectOfficeHasEveryRole) {
  EXPECT_TRUE(Principal::Office("140431:bureau").HasEveryRole());
  EXPECT_TRUE(Principal::Office("140431:bureau", "王五").HasEveryRole());
  Principal user = Principal::Office("140431:bureau", "王五");
  user.via = kWebService;
  user.roles = {v1::STAFF_ROLE_HANDLER};
  EXPECT_FALSE(user.HasEveryRole());
  EXPECT_FALSE(Principal::Service("web").HasEveryRole());
  EXPECT_FALSE(Principal::Petitioner("140431-20260105-000001").HasEveryRole());
}

TEST(PrincipalTest, APetitionerIsNoOfficeAndActsAsThePetitioner) {
  const Principal p = Principal::Petitioner("140431-20260105-000001");
  EXPECT_TRUE(p.IsPetitioner());
  EXPECT_TRUE(p.IsService(kWebService));
  EXPECT_EQ(p.Operator(), "petitioner");
  EXPECT_EQ(ActingOffice(p).status().code(), C::kPermissionDenied);
  EXPECT_FALSE(Principal::Service("web").IsPetitioner());
  EXPECT_NE(p, Principal::Service("web"));
}

TEST(CallerOfficeTest, AServiceIdentityIsNoOffice) {
  EXPECT_EQ(ActingOffice(Principal::Service("notification")).status().code(),
            C::kPermissionDenied);
  EXPECT_EQ(*ActingOffice(Principal::Office("140431:bureau")), "140431:bureau");
}

}  // namespace
}  // namespace caserelay::rpc
