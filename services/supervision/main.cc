// supervision: see supervision_service.h and README.md.
#include "services/supervision/supervision_service.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::supervision::SupervisionDefinition());
}
