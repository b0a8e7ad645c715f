// intake: see intake_service.h and README.md.
#include "services/intake/intake_service.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::intake::IntakeDefinition());
}
