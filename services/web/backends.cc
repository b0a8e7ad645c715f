#include "services/web/backends.h"

#include <chrono>

#include "absl/strings/numbers.h"
#include "common/rpc/auth.h"
#include "grpcpp/client_context.h"

namespace caserelay::web {
namespace {

class GrpcBackends : public Backends {
 public:
  explicit GrpcBackends(const GrpcBackendsOptions& options)
      : intake_(v1::IntakeService::NewStub(options.intake)),
        routing_(v1::RoutingService::NewStub(options.routing)),
        notification_(v1::NotificationService::NewStub(options.notification)),
        timeout_(options.timeout) {}

  RpcResult SubmitPetition(const CallMeta& meta,
                           const v1::SubmitPetitionRequest& request,
                           v1::SubmitPetitionResponse* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return intake_->SubmitPetition(ctx, request, response);
    });
  }
  RpcResult GetCaseStatus(const CallMeta& meta,
                          const v1::GetCaseStatusRequest& request,
                          v1::GetCaseStatusResponse* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return intake_->GetCaseStatus(ctx, request, response);
    });
  }
  RpcResult DescribeForm(const CallMeta& meta,
                         const v1::DescribeFormRequest& request,
                         v1::DescribeFormResponse* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return intake_->DescribeForm(ctx, request, response);
    });
  }
  RpcResult ListReceptions(const CallMeta& meta,
                           const v1::ListReceptionsRequest& request,
                           v1::ListReceptionsResponse* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return intake_->ListReceptions(ctx, request, response);
    });
  }
  RpcResult SendPhoneCode(const CallMeta& meta,
                          const v1::SendPhoneCodeRequest& request,
                          v1::SendPhoneCodeResponse* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return notification_->SendPhoneCode(ctx, request, response);
    });
  }
  RpcResult GetPetitionerView(const CallMeta& meta,
                              const v1::GetPetitionerViewRequest& request,
                              v1::PetitionerView* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return routing_->GetPetitionerView(ctx, request, response);
    });
  }
  RpcResult Act(const CallMeta& meta, const v1::ActRequest& request,
                v1::CaseView* response) override {
    return Call(meta, [&](grpc::ClientContext* ctx) {
      return routing_->Act(ctx, request, response);
    });
  }

 private:
  template <typename Rpc>
  RpcResult Call(const CallMeta& meta, Rpc rpc) const {
    return CallWithMeta(meta, timeout_, rpc);
  }

  const std::unique_ptr<v1::IntakeService::Stub> intake_;
  const std::unique_ptr<v1::RoutingService::Stub> routing_;
  const std::unique_ptr<v1::NotificationService::Stub> notification_;
  const absl::Duration timeout_;
};

}  // namespace

void AddCallMetadata(const CallMeta& meta, absl::Duration timeout,
                     grpc::ClientContext* ctx) {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(timeout));
  ctx->AddMetadata(rpc::kClientAddressMetadata, meta.client_address);
  if (!meta.petitioner_case.empty()) {
    ctx->AddMetadata(rpc::kPetitionerCaseMetadata, meta.petitioner_case);
  }
  if (!meta.user.empty()) ctx->AddMetadata(rpc::kUserMetadata, meta.user);
  if (!meta.office.empty()) {
    ctx->AddMetadata(rpc::kOfficeMetadata, meta.office);
  }
  if (!meta.roles.empty()) ctx->AddMetadata(rpc::kRolesMetadata, meta.roles);
}

int RetryAfterSeconds(const grpc::ClientContext& ctx) {
  const auto& trailers = ctx.GetServerTrailingMetadata();
  auto it = trailers.find(rpc::kRetryAfterMetadata);
  int seconds = 0;
  if (it != trailers.end() &&
      absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()),
                       &seconds) &&
      seconds > 0) {
    return seconds;
  }
  return 0;
}

std::unique_ptr<Backends> NewGrpcBackends(const GrpcBackendsOptions& options) {
  return std::make_unique<GrpcBackends>(options);
}

}  // namespace caserelay::web
