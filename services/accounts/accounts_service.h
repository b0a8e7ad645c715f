// accounts' gRPC API (caserelay.v1.AccountsService): a thin transport over
// Accounts (accounts.h). It decides who may call: every RPC but
// BootstrapAdmin only the web gateway (service:web, also when it names a
// user), BootstrapAdmin only an office's own credential (a direct call,
// e.g. casectl); anyone else PERMISSION_DENIED. It turns records into
// User messages (the office's name from the office directory; the views
// from the roles).
//
// Thread safety: thread-safe (gRPC calls the handlers from many threads).

#ifndef CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_SERVICE_H_
#define CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_SERVICE_H_

#include "caserelay/v1/accounts.grpc.pb.h"
#include "common/rpc/auth.h"
#include "domain/offices/office_directory.h"
#include "services/accounts/accounts.h"

namespace caserelay::accounts {

class AccountsServiceImpl final : public v1::AccountsService::Service {
 public:
  // None owned; all outlive this.
  AccountsServiceImpl(Accounts* accounts,
                      const offices::OfficeDirectory* offices,
                      const rpc::Authenticator* auth)
      : accounts_(accounts), offices_(offices), auth_(auth) {}

  grpc::Status Login(grpc::ServerContext* ctx, const v1::LoginRequest* req,
                     v1::LoginResponse* resp) override;
  grpc::Status Authenticate(grpc::ServerContext* ctx,
                            const v1::AuthenticateRequest* req,
                            v1::User* resp) override;
  grpc::Status Logout(grpc::ServerContext* ctx, const v1::LogoutRequest* req,
                      v1::LogoutResponse* resp) override;
  grpc::Status ChangePassword(grpc::ServerContext* ctx,
                              const v1::ChangePasswordRequest* req,
                              v1::ChangePasswordResponse* resp) override;
  grpc::Status ListUsers(grpc::ServerContext* ctx,
                         const v1::ListUsersRequest* req,
                         v1::ListUsersResponse* resp) override;
  grpc::Status CreateUser(grpc::ServerContext* ctx,
                          const v1::CreateUserRequest* req,
                          v1::User* resp) override;
  grpc::Status UpdateUser(grpc::ServerContext* ctx,
                          const v1::UpdateUserRequest* req,
                          v1::User* resp) override;
  grpc::Status ResetPassword(grpc::ServerContext* ctx,
                             const v1::ResetPasswordRequest* req,
                             v1::ResetPasswordResponse* resp) override;
  grpc::Status BootstrapAdmin(grpc::ServerContext* ctx,
                              const v1::BootstrapAdminRequest* req,
                              v1::User* resp) override;

  // The User message of `record` (never its password hash).
  v1::User ToUser(const v1::AccountUserRecord& record) const;

 private:
  // OK for the web gateway; PERMISSION_DENIED naming `method` otherwise,
  // or Caller's error.
  absl::StatusOr<rpc::Principal> Gateway(const grpc::ServerContext* ctx,
                                         const char* method) const;

  Accounts* const accounts_;
  const offices::OfficeDirectory* const offices_;
  const rpc::Authenticator* const auth_;
};

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_ACCOUNTS_SERVICE_H_
