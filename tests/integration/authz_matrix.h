// The authorisation matrix's table (authz_matrix_test.cc, issue 14 "Must
// show"): the callers, and for every read and act RPC of every service how
// to call it and what each caller must get.
//
// Thread safety: the functions are stateless; one test thread uses them.
#ifndef CASERELAY_TESTS_INTEGRATION_AUTHZ_MATRIX_H_
#define CASERELAY_TESTS_INTEGRATION_AUTHZ_MATRIX_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace caserelay::testing::authz {

inline constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
inline constexpr char kCounty[] = "140431";       // 沁源县
inline constexpr char kCountyBureau[] = "140431:bureau";  // holds the claim
inline constexpr char kCityBureau[] = "140400:bureau";  // 长治市: supervises it
inline constexpr char kSibling[] =
    "140404:bureau";  // 上党区, also under 长治市
inline constexpr char kCountyDiscipline[] =
    "140431:discipline";  // 沁源县纪委监委
inline constexpr char kOtherProvince[] = "130000:bureau";  // 河北省信访局
inline constexpr char kWeb[] =
    "service:web";  // the web gateway: speaks for users

enum class Want { kAllow, kDeny, kUnauth };

// "allow", "DENIED" or "UNAUTH", for the printed matrix.
const char* Name(Want w);

// What a call gave: its code and, for an allowed list or figure, whether
// it showed the accusation to its accused unit.
struct Outcome {
  grpc::StatusCode code;
  bool leaked = false;
};

// UNAUTHENTICATED, PERMISSION_DENIED, or else allowed (the call passed
// authentication and authorisation).
Want Classify(const Outcome& o);

// Who calls, and about which case: the accused unit is asked about the
// accusation (whose holder it supervises), everyone else about the claim.
struct Caller {
  std::string label;
  std::string principal;  // "" : no credentials
  bool accused = false;
};

// What the calls need to know of the two cases.
struct Cases {
  std::string claim;
  std::string claim_holder;
  std::string claim_code;  // its look-up code
  std::string claim_sms;   // its receipt SMS
  std::string accusation;
  std::string accusation_holder;
  std::string accusation_sms;
  // The province bureau, which counts every Shanxi case, on the service
  // called.
  std::shared_ptr<grpc::Channel> province;
};

using Call = std::function<Outcome(const std::shared_ptr<grpc::Channel>&,
                                   const Caller&, const Cases&)>;

struct Rpc {
  std::string name;
  Call call;
  // Expected per caller label (see Callers()).
  std::vector<Want> want;
};

// The region part of an office code.
std::string RegionOf(const std::string& office);
// A 10 s deadline on the call.
void Within(grpc::ClientContext& ctx);

// The callers, in the matrix's column order: holder, supervising bureau,
// sibling office, other province, accused unit, service:routing,
// service:web, service:notification, no credentials.
std::vector<Caller> Callers();
// Every read and act RPC of routing, supervision, notification and intake
// with its expected answer per caller of Callers().
std::vector<Rpc> Rpcs();

}  // namespace caserelay::testing::authz

#endif  // CASERELAY_TESTS_INTEGRATION_AUTHZ_MATRIX_H_
