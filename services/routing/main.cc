// routing: see routing_service.h and README.md.
#include "services/routing/routing_service.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::routing::RoutingDefinition());
}
