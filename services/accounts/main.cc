// accounts: see accounts.h, accounts_service.h and README.md.
#include "services/accounts/definition.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::accounts::AccountsDefinition());
}
