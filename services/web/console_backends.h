// The services the console calls (工作台调用的后端服务, issue 16): accounts
// for the staff's sessions and the office administration, and routing,
// intake, supervision and notification for the signed-in user, behind one
// seam so the console's handlers are tested without processes (a test's
// ConsoleBackends records what reached it and answers as it is told).
// GrpcConsoleBackends is the real one: it calls each service as
// service:web with the call's metadata (backends.h AddCallMetadata, the one
// place for them).
//
// Thread safety: implementations are thread-safe; Call may run on any
// number of the HTTP server's threads at once.

#ifndef CASERELAY_SERVICES_WEB_CONSOLE_BACKENDS_H_
#define CASERELAY_SERVICES_WEB_CONSOLE_BACKENDS_H_

#include <google/protobuf/message.h>

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "services/web/backends.h"

namespace caserelay::web {

// The calls the console makes; each names its service's RPC, whose
// request and response types Call takes.
enum class ConsoleRpc {
  // accounts (accounts.proto)
  kLogin,           // LoginRequest -> LoginResponse
  kAuthenticate,    // AuthenticateRequest -> User
  kLogout,          // LogoutRequest -> LogoutResponse
  kChangePassword,  // ChangePasswordRequest -> ChangePasswordResponse
  kListUsers,       // ListUsersRequest -> ListUsersResponse
  kCreateUser,      // CreateUserRequest -> User
  kUpdateUser,      // UpdateUserRequest -> User
  kResetPassword,   // ResetPasswordRequest -> ResetPasswordResponse
  // routing (routing.proto)
  kGetCase,        // GetCaseRequest -> CaseDetail
  kListInbox,      // ListInboxRequest -> ListInboxResponse
  kAct,            // ActRequest -> CaseView
  kPreviewRoute,   // PreviewRouteRequest -> RouteDecision
  kListApprovals,  // ListApprovalsRequest -> ListApprovalsResponse
  kListChargedCases,  // ListChargedCasesRequest -> ListChargedCasesResponse
  // intake (intake.proto)
  kSubmitPetition,  // SubmitPetitionRequest -> SubmitPetitionResponse
  kFindCases,       // FindCasesRequest -> FindCasesResponse
  kGetPetitioner,   // GetPetitionerRequest -> GetPetitionerResponse
  // 领导接访安排 (issue 18 item 1)
  kListReceptions,    // ListReceptionsRequest -> ListReceptionsResponse
  kPublishReception,  // PublishReceptionRequest -> Reception
  kCancelReception,   // CancelReceptionRequest -> Reception
  // supervision (supervision.proto)
  kListDeadlines,  // ListDeadlinesRequest -> ListDeadlinesResponse
  kSupervise,      // SuperviseRequest -> SuperviseResponse (督办 by hand)
  kListRedLights,  // ListRedLightsRequest -> ListRedLightsResponse
  kListGroupAlerts,  // ListGroupAlertsRequest -> ListGroupAlertsResponse
  // notification (notification.proto)
  kListMessages,  // ListMessagesRequest -> ListMessagesResponse
  // statistics (statistics.proto; the console's 指标 from its index and
  // 通报, issue 17)
  kGetIndicators,  // GetIndicatorsRequest -> GetIndicatorsResponse
  kListBulletins,  // ListBulletinsRequest -> ListBulletinsResponse
  kGetBulletin,    // GetBulletinRequest -> GetBulletinResponse
};

// "accounts.Login", "routing.GetCase", ...: for logs and tests.
const char* ConsoleRpcName(ConsoleRpc rpc);

class ConsoleBackends {
 public:
  virtual ~ConsoleBackends() = default;

  // Makes the call `rpc` with `meta`; fills *response only when the status
  // is OK. The status is the service's or the transport's (UNAVAILABLE,
  // DEADLINE_EXCEEDED). REQUIRES: request and *response are of the types
  // the enum above names for `rpc` (another type is a broken invariant:
  // the process aborts).
  virtual RpcResult Call(ConsoleRpc rpc, const CallMeta& meta,
                         const google::protobuf::Message& request,
                         google::protobuf::Message* response) = 0;
};

struct GrpcConsoleBackendsOptions {
  std::shared_ptr<grpc::Channel> accounts;
  std::shared_ptr<grpc::Channel> routing;
  std::shared_ptr<grpc::Channel> intake;
  std::shared_ptr<grpc::Channel> supervision;
  std::shared_ptr<grpc::Channel> notification;
  // Optional: unset, the statistics' calls (指标, 通报) answer UNAVAILABLE.
  std::shared_ptr<grpc::Channel> statistics;
  absl::Duration timeout = absl::Seconds(5);  // each call's deadline
};

// REQUIRES: every channel but statistics is set.
std::unique_ptr<ConsoleBackends> NewGrpcConsoleBackends(
    const GrpcConsoleBackendsOptions& options);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_CONSOLE_BACKENDS_H_
