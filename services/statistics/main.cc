// statistics: see statistics_service.h and README.md.
#include "services/statistics/statistics_service.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::statistics::StatisticsDefinition());
}
