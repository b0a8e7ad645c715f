#include "services/web/console_backends.h"

#include <google/protobuf/message.h>

#include <cstdio>
#include <cstdlib>

#include "caserelay/v1/accounts.grpc.pb.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;

// `m` as the generated type T; a caller that passed another type broke
// Call's contract.
template <typename T>
const T& In(const pb::Message& m) {
  const T* typed = pb::DynamicCastToGenerated<T>(&m);
  if (typed == nullptr) {
    std::fprintf(stderr, "ConsoleBackends: request is %s, not %s\n",
                 m.GetTypeName().c_str(), T::descriptor()->full_name().c_str());
    std::abort();
  }
  return *typed;
}

template <typename T>
T* Out(pb::Message* m) {
  T* typed = pb::DynamicCastToGenerated<T>(m);
  if (typed == nullptr) {
    std::fprintf(stderr, "ConsoleBackends: response is %s, not %s\n",
                 m->GetTypeName().c_str(),
                 T::descriptor()->full_name().c_str());
    std::abort();
  }
  return typed;
}

class GrpcConsoleBackends : public ConsoleBackends {
 public:
  explicit GrpcConsoleBackends(const GrpcConsoleBackendsOptions& options)
      : accounts_(v1::AccountsService::NewStub(options.accounts)),
        routing_(v1::RoutingService::NewStub(options.routing)),
        intake_(v1::IntakeService::NewStub(options.intake)),
        supervision_(v1::SupervisionService::NewStub(options.supervision)),
        notification_(v1::NotificationService::NewStub(options.notification)),
        statistics_(options.statistics == nullptr
                        ? nullptr
                        : v1::StatisticsService::NewStub(options.statistics)),
        timeout_(options.timeout) {}

  RpcResult Call(ConsoleRpc rpc, const CallMeta& meta,
                 const pb::Message& request, pb::Message* response) override {
    // One line per RPC: the stub's method with the request and response
    // as their types.
#define CR_CALL(stub, Method, Request, Response)                      \
  return CallWithMeta(meta, timeout_, [&](grpc::ClientContext* ctx) { \
    return stub->Method(ctx, In<v1::Request>(request),                \
                        Out<v1::Response>(response));                 \
  })
    switch (rpc) {
      case ConsoleRpc::kLogin:
        CR_CALL(accounts_, Login, LoginRequest, LoginResponse);
      case ConsoleRpc::kAuthenticate:
        CR_CALL(accounts_, Authenticate, AuthenticateRequest, User);
      case ConsoleRpc::kLogout:
        CR_CALL(accounts_, Logout, LogoutRequest, LogoutResponse);
      case ConsoleRpc::kChangePassword:
        CR_CALL(accounts_, ChangePassword, ChangePasswordRequest,
                ChangePasswordResponse);
      case ConsoleRpc::kListUsers:
        CR_CALL(accounts_, ListUsers, ListUsersRequest, ListUsersResponse);
      case ConsoleRpc::kCreateUser:
        CR_CALL(accounts_, CreateUser, CreateUserRequest, User);
      case ConsoleRpc::kUpdateUser:
        CR_CALL(accounts_, UpdateUser, UpdateUserRequest, User);
      case ConsoleRpc::kResetPassword:
        CR_CALL(accounts_, ResetPassword, ResetPasswordRequest,
                ResetPasswordResponse);
      case ConsoleRpc::kGetCase:
        CR_CALL(routing_, GetCase, GetCaseRequest, CaseDetail);
      case ConsoleRpc::kListInbox:
        CR_CALL(routing_, ListInbox, ListInboxRequest, ListInboxResponse);
      case ConsoleRpc::kAct:
        CR_CALL(routing_, Act, ActRequest, CaseView);
      case ConsoleRpc::kPreviewRoute:
        CR_CALL(routing_, PreviewRoute, PreviewRouteRequest, RouteDecision);
      case ConsoleRpc::kListApprovals:
        CR_CALL(routing_, ListApprovals, ListApprovalsRequest,
                ListApprovalsResponse);
      case ConsoleRpc::kListChargedCases:
        CR_CALL(routing_, ListChargedCases, ListChargedCasesRequest,
                ListChargedCasesResponse);
      case ConsoleRpc::kSubmitPetition:
        CR_CALL(intake_, SubmitPetition, SubmitPetitionRequest,
                SubmitPetitionResponse);
      case ConsoleRpc::kFindCases:
        CR_CALL(intake_, FindCases, FindCasesRequest, FindCasesResponse);
      case ConsoleRpc::kGetPetitioner:
        CR_CALL(intake_, GetPetitioner, GetPetitionerRequest,
                GetPetitionerResponse);
      case ConsoleRpc::kListReceptions:
        CR_CALL(intake_, ListReceptions, ListReceptionsRequest,
                ListReceptionsResponse);
      case ConsoleRpc::kPublishReception:
        CR_CALL(intake_, PublishReception, PublishReceptionRequest, Reception);
      case ConsoleRpc::kCancelReception:
        CR_CALL(intake_, CancelReception, CancelReceptionRequest, Reception);
      case ConsoleRpc::kListDeadlines:
        CR_CALL(supervision_, ListDeadlines, ListDeadlinesRequest,
                ListDeadlinesResponse);
      case ConsoleRpc::kSupervise:
        CR_CALL(supervision_, Supervise, SuperviseRequest, SuperviseResponse);
      case ConsoleRpc::kListRedLights:
        CR_CALL(supervision_, ListRedLights, ListRedLightsRequest,
                ListRedLightsResponse);
      case ConsoleRpc::kListGroupAlerts:
        CR_CALL(supervision_, ListGroupAlerts, ListGroupAlertsRequest,
                ListGroupAlertsResponse);
      case ConsoleRpc::kGetIndicators:
        // The indicators have one place: statistics' index (issue 17).
        if (statistics_ == nullptr) return NoStatistics();
        CR_CALL(statistics_, GetIndicators, GetIndicatorsRequest,
                GetIndicatorsResponse);
      case ConsoleRpc::kListMessages:
        CR_CALL(notification_, ListMessages, ListMessagesRequest,
                ListMessagesResponse);
      case ConsoleRpc::kListBulletins:
        if (statistics_ == nullptr) return NoStatistics();
        CR_CALL(statistics_, ListBulletins, ListBulletinsRequest,
                ListBulletinsResponse);
      case ConsoleRpc::kGetBulletin:
        if (statistics_ == nullptr) return NoStatistics();
        CR_CALL(statistics_, GetBulletin, GetBulletinRequest,
                GetBulletinResponse);
    }
#undef CR_CALL
    std::abort();  // every enumerator is a case above
  }

 private:
  const std::unique_ptr<v1::AccountsService::Stub> accounts_;
  const std::unique_ptr<v1::RoutingService::Stub> routing_;
  const std::unique_ptr<v1::IntakeService::Stub> intake_;
  const std::unique_ptr<v1::SupervisionService::Stub> supervision_;
  const std::unique_ptr<v1::NotificationService::Stub> notification_;
  const std::unique_ptr<v1::StatisticsService::Stub> statistics_;  // or null
  const absl::Duration timeout_;

  // The answer of a statistics call when statistics.address is unset.
  static RpcResult NoStatistics() {
    RpcResult r;
    r.status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "statistics.address is not set");
    return r;
  }
};

}  // namespace

const char* ConsoleRpcName(ConsoleRpc rpc) {
  switch (rpc) {
    case ConsoleRpc::kLogin:
      return "accounts.Login";
    case ConsoleRpc::kAuthenticate:
      return "accounts.Authenticate";
    case ConsoleRpc::kLogout:
      return "accounts.Logout";
    case ConsoleRpc::kChangePassword:
      return "accounts.ChangePassword";
    case ConsoleRpc::kListUsers:
      return "accounts.ListUsers";
    case ConsoleRpc::kCreateUser:
      return "accounts.CreateUser";
    case ConsoleRpc::kUpdateUser:
      return "accounts.UpdateUser";
    case ConsoleRpc::kResetPassword:
      return "accounts.ResetPassword";
    case ConsoleRpc::kGetCase:
      return "routing.GetCase";
    case ConsoleRpc::kListInbox:
      return "routing.ListInbox";
    case ConsoleRpc::kAct:
      return "routing.Act";
    case ConsoleRpc::kPreviewRoute:
      return "routing.PreviewRoute";
    case ConsoleRpc::kListApprovals:
      return "routing.ListApprovals";
    case ConsoleRpc::kListChargedCases:
      return "routing.ListChargedCases";
    case ConsoleRpc::kSubmitPetition:
      return "intake.SubmitPetition";
    case ConsoleRpc::kFindCases:
      return "intake.FindCases";
    case ConsoleRpc::kGetPetitioner:
      return "intake.GetPetitioner";
    case ConsoleRpc::kListReceptions:
      return "intake.ListReceptions";
    case ConsoleRpc::kPublishReception:
      return "intake.PublishReception";
    case ConsoleRpc::kCancelReception:
      return "intake.CancelReception";
    case ConsoleRpc::kListDeadlines:
      return "supervision.ListDeadlines";
    case ConsoleRpc::kSupervise:
      return "supervision.Supervise";
    case ConsoleRpc::kListRedLights:
      return "supervision.ListRedLights";
    case ConsoleRpc::kListGroupAlerts:
      return "supervision.ListGroupAlerts";
    case ConsoleRpc::kGetIndicators:
      return "statistics.GetIndicators";
    case ConsoleRpc::kListMessages:
      return "notification.ListMessages";
    case ConsoleRpc::kListBulletins:
      return "statistics.ListBulletins";
    case ConsoleRpc::kGetBulletin:
      return "statistics.GetBulletin";
  }
  return "unknown";
}

std::unique_ptr<ConsoleBackends> NewGrpcConsoleBackends(
    const GrpcConsoleBackendsOptions& options) {
  return std::make_unique<GrpcConsoleBackends>(options);
}

}  // namespace caserelay::web
