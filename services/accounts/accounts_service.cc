#include "services/accounts/accounts_service.h"

#include "absl/strings/str_cat.h"
#include "common/peer/client_address.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "domain/access/roles.h"

namespace caserelay::accounts {
namespace {

std::vector<int> RolesOf(const google::protobuf::RepeatedField<int>& roles) {
  return std::vector<int>(roles.begin(), roles.end());
}

}  // namespace

absl::StatusOr<rpc::Principal> AccountsServiceImpl::Gateway(
    const grpc::ServerContext* ctx, const char* method) const {
  if (ctx == nullptr) return absl::UnauthenticatedError("accounts: no context");
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(auth_, *ctx);
  if (!caller.ok()) return caller.status();
  // Only the gateway signs people in: anyone else could guess passwords
  // without its limits, or hold sessions it never gave a browser.
  if (!peer::FromWebGateway(*caller) || caller->IsPetitioner()) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller->Name(), ": only service:web calls accounts' ", method));
  }
  return caller;
}

v1::User AccountsServiceImpl::ToUser(const v1::AccountUserRecord& r) const {
  v1::User u;
  u.set_username(r.username());
  u.set_display_name(r.display_name());
  u.set_office_code(r.office_code());
  if (offices_ != nullptr) {
    auto office = offices_->Find(r.office_code());
    if (office.ok()) u.set_office_name(office->name);
  }
  access::StaffRoles roles;
  for (int role : r.roles()) roles.push_back(static_cast<v1::StaffRole>(role));
  for (v1::StaffRole role : roles) u.add_roles(role);
  u.set_disabled(r.disabled());
  if (r.has_last_login_at()) *u.mutable_last_login_at() = r.last_login_at();
  // The console sections the roles open: the role table's, not ours.
  for (v1::ConsoleView view : access::ConsoleViews(roles)) u.add_views(view);
  return u;
}

grpc::Status AccountsServiceImpl::Login(grpc::ServerContext* ctx,
                                        const v1::LoginRequest* req,
                                        v1::LoginResponse* resp) {
  auto caller = Gateway(ctx, "Login");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  absl::StatusOr<std::string> address = peer::ClientAddressKey(*ctx, *caller);
  if (!address.ok()) return rpc::ToGrpc(address.status());
  auto signed_in = accounts_->Login(req->username(), req->password(), *address);
  if (!signed_in.ok()) {
    if (auto after = signed_in.status().GetPayload(kRetryAfterPayload)) {
      ctx->AddTrailingMetadata(rpc::kRetryAfterMetadata, std::string(*after));
    }
    return rpc::ToGrpc(signed_in.status());
  }
  resp->set_session_token(signed_in->token);
  *resp->mutable_user() = ToUser(signed_in->user);
  *resp->mutable_expires_at() = time::ToProto(signed_in->expires_at);
  return grpc::Status::OK;
}

grpc::Status AccountsServiceImpl::Authenticate(
    grpc::ServerContext* ctx, const v1::AuthenticateRequest* req,
    v1::User* resp) {
  auto caller = Gateway(ctx, "Authenticate");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  auto user = accounts_->Authenticate(req->session_token());
  if (!user.ok()) return rpc::ToGrpc(user.status());
  *resp = ToUser(*user);
  return grpc::Status::OK;
}

grpc::Status AccountsServiceImpl::Logout(grpc::ServerContext* ctx,
                                         const v1::LogoutRequest* req,
                                         v1::LogoutResponse*) {
  auto caller = Gateway(ctx, "Logout");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  return rpc::ToGrpc(accounts_->Logout(req->session_token()));
}

grpc::Status AccountsServiceImpl::ChangePassword(
    grpc::ServerContext* ctx, const v1::ChangePasswordRequest* req,
    v1::ChangePasswordResponse*) {
  auto caller = Gateway(ctx, "ChangePassword");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  absl::StatusOr<std::string> address = peer::ClientAddressKey(*ctx, *caller);
  if (!address.ok()) return rpc::ToGrpc(address.status());
  absl::Status changed = accounts_->ChangePassword(
      req->session_token(), req->old_password(), req->new_password(), *address);
  if (auto after = changed.GetPayload(kRetryAfterPayload)) {
    ctx->AddTrailingMetadata(rpc::kRetryAfterMetadata, std::string(*after));
  }
  return rpc::ToGrpc(changed);
}

grpc::Status AccountsServiceImpl::ListUsers(grpc::ServerContext* ctx,
                                            const v1::ListUsersRequest* req,
                                            v1::ListUsersResponse* resp) {
  auto caller = Gateway(ctx, "ListUsers");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  auto users = accounts_->ListUsers(req->session_token());
  if (!users.ok()) return rpc::ToGrpc(users.status());
  for (const auto& user : *users) *resp->add_users() = ToUser(user);
  return grpc::Status::OK;
}

grpc::Status AccountsServiceImpl::CreateUser(grpc::ServerContext* ctx,
                                             const v1::CreateUserRequest* req,
                                             v1::User* resp) {
  auto caller = Gateway(ctx, "CreateUser");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  auto user = accounts_->CreateUser(
      req->session_token(), NewUser{req->username(), req->display_name(),
                                    RolesOf(req->roles()), req->password()});
  if (!user.ok()) return rpc::ToGrpc(user.status());
  *resp = ToUser(*user);
  return grpc::Status::OK;
}

grpc::Status AccountsServiceImpl::UpdateUser(grpc::ServerContext* ctx,
                                             const v1::UpdateUserRequest* req,
                                             v1::User* resp) {
  auto caller = Gateway(ctx, "UpdateUser");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  auto user = accounts_->UpdateUser(req->session_token(), req->username(),
                                    RolesOf(req->roles()), req->disabled());
  if (!user.ok()) return rpc::ToGrpc(user.status());
  *resp = ToUser(*user);
  return grpc::Status::OK;
}

grpc::Status AccountsServiceImpl::ResetPassword(
    grpc::ServerContext* ctx, const v1::ResetPasswordRequest* req,
    v1::ResetPasswordResponse*) {
  auto caller = Gateway(ctx, "ResetPassword");
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  return rpc::ToGrpc(accounts_->ResetPassword(
      req->session_token(), req->username(), req->password()));
}

grpc::Status AccountsServiceImpl::BootstrapAdmin(
    grpc::ServerContext* ctx, const v1::BootstrapAdminRequest* req,
    v1::User* resp) {
  if (ctx == nullptr) {
    return rpc::ToGrpc(absl::UnauthenticatedError("accounts: no context"));
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(auth_, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // The office's own credential, not the gateway speaking for someone.
  if (!caller->IsOffice() || !caller->via.empty()) {
    return rpc::ToGrpc(absl::PermissionDeniedError(absl::StrCat(
        caller->ToString(),
        ": only an office's own credential bootstraps its administrator")));
  }
  if (offices_ != nullptr) {
    auto office = offices_->Find(caller->id);
    if (!office.ok()) return rpc::ToGrpc(office.status());
  }
  auto user = accounts_->BootstrapAdmin(
      caller->id,
      NewUser{req->username(), req->display_name(), {}, req->password()});
  if (!user.ok()) return rpc::ToGrpc(user.status());
  *resp = ToUser(*user);
  return grpc::Status::OK;
}

}  // namespace caserelay::accounts
