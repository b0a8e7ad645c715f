// notification: see notification_service.h and README.md.
#include "services/notification/notification_service.h"

int main(int argc, char** argv) {
  return caserelay::service::RunServiceMain(
      argc, argv, caserelay::notification::NotificationDefinition());
}
