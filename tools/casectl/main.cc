// casectl: the command line of caserelay, over gRPC. `casectl --help` lists
// the commands (cli.cc holds the table); this file only dispatches.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/accounts.grpc.pb.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/rpc/credentials.h"
#include "common/time/file_clock.h"
#include "tools/casectl/actions.h"
#include "tools/casectl/admin_commands.h"
#include "tools/casectl/bulletin_commands.h"
#include "tools/casectl/calendar_commands.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/charged_command.h"
#include "tools/casectl/clock_commands.h"
#include "tools/casectl/connect.h"
#include "tools/casectl/dead_letters_commands.h"
#include "tools/casectl/group_commands.h"
#include "tools/casectl/intake_commands.h"
#include "tools/casectl/reception_commands.h"
#include "tools/casectl/office_commands.h"
#include "tools/casectl/sms_commands.h"
#include "tools/casectl/supervise_command.h"
#include "tools/casectl/supervision_commands.h"
#include "tools/casectl/tokens.h"
#include "tools/casectl/verify_route.h"
#include "tools/casectl/volume_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

// Bad usage: nothing was sent.
int Usage(const Invocation* inv, absl::string_view why) {
  std::cerr << "casectl: " << why << " (try casectl "
            << (inv != nullptr && inv->command != nullptr
                    ? inv->command->name + " "
                    : "")
            << "--help)\n";
  return kExitUsage;
}

// No service could be reached as asked (an address or credential file
// missing or bad): nothing was sent.
int Setup(const absl::Status& status) {
  std::cerr << "casectl: " << status.message() << "\n";
  return kExitUsage;
}

// The service (or a local step) refused or failed.
int Failed(const absl::Status& status) {
  std::cerr << "casectl: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return kExitFailed;
}

int Done(const absl::Status& status) {
  return status.ok() ? kExitOk : Failed(status);
}

absl::StatusOr<std::unique_ptr<v1::IntakeService::Stub>> IntakeStub(
    const GlobalOptions& global) {
  absl::StatusOr<rpc::ClientAuth> auth = IntakeAuth(global);
  if (!auth.ok()) return auth.status();
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return channel.status();
  return v1::IntakeService::NewStub(*channel);
}

absl::StatusOr<std::unique_ptr<v1::RoutingService::Stub>> RoutingStub(
    const GlobalOptions& global) {
  absl::StatusOr<rpc::ClientAuth> auth = RoutingAuth(global);
  if (!auth.ok()) return auth.status();
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return channel.status();
  return v1::RoutingService::NewStub(*channel);
}

absl::StatusOr<std::unique_ptr<v1::SupervisionService::Stub>> SupervisionStub(
    const GlobalOptions& global) {
  absl::StatusOr<rpc::ClientAuth> auth = SupervisionAuth(global);
  if (!auth.ok()) return auth.status();
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return channel.status();
  return v1::SupervisionService::NewStub(*channel);
}

absl::StatusOr<std::unique_ptr<v1::NotificationService::Stub>> NotificationStub(
    const GlobalOptions& global) {
  absl::StatusOr<rpc::ClientAuth> auth = NotificationAuth(global);
  if (!auth.ok()) return auth.status();
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return channel.status();
  return v1::NotificationService::NewStub(*channel);
}

// "Now" for stats' default period: the simulated clock of
// $CASERELAY_CLOCK_FILE when it is set (the services then run on it),
// else this machine's clock.
absl::StatusOr<absl::Time> StatsNow() {
  const char* path = std::getenv(kClockFileVariable);
  if (path == nullptr || *path == '\0') return absl::Now();
  auto clock = time::FileClock::Open(path);
  if (!clock.ok()) {
    return absl::Status(
        clock.status().code(),
        absl::StrCat("$", kClockFileVariable, ": ", clock.status().message()));
  }
  return (*clock)->Now();
}

// casectl stats [volume]: GetIndicators or GetVolume of the statistics
// service (the indicators' one place since issue 17: its index).
int RunStatsCommand(const Invocation& inv, bool volume) {
  // Parse everything local before connecting: bad usage sends nothing.
  absl::StatusOr<absl::Time> now = StatsNow();
  if (!now.ok()) return Setup(now.status());
  v1::GetVolumeRequest volume_request;
  v1::GetIndicatorsRequest indicators_request;
  if (volume) {
    auto req = VolumeRequestOf(inv.flags, *now);
    if (!req.ok()) return Usage(&inv, req.status().message());
    volume_request = *std::move(req);
  } else {
    auto req = StatsRequestOf(inv.flags, *now);
    if (!req.ok()) return Usage(&inv, req.status().message());
    indicators_request = *std::move(req);
  }
  absl::StatusOr<rpc::ClientAuth> auth = StatisticsAuth(inv.global);
  if (!auth.ok()) return Setup(auth.status());
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return Setup(channel.status());
  auto stub = v1::StatisticsService::NewStub(*channel);
  const PrintOptions print{inv.global.json};
  if (volume) return Done(RunVolume(*stub, volume_request, print, std::cout));
  return Done(RunStats(*stub, indicators_request, print, std::cout));
}

int RunSupervision(const Invocation& inv) {
  const PrintOptions print{inv.global.json};
  const std::string first =
      inv.flags.positional().empty() ? "" : inv.flags.positional()[0];
  if (inv.command->kind == CommandKind::kStats && !first.empty()) {
    if (first != "volume") {
      return Usage(&inv, absl::StrCat("stats takes volume or nothing; got '",
                                      first, "'"));
    }
    return RunStatsCommand(inv, /*volume=*/true);
  }
  if (inv.command->kind == CommandKind::kStats) {
    return RunStatsCommand(inv, /*volume=*/false);
  }
  // Parse everything local before connecting: bad usage sends nothing.
  LightsCommand lights;
  v1::SuperviseRequest supervise;
  GroupAlertsCommand alerts;
  if (inv.command->kind == CommandKind::kSupervise) {
    auto req = SuperviseRequestOf(inv.flags);
    if (!req.ok()) return Usage(&inv, req.status().message());
    supervise = *std::move(req);
  } else if (inv.command->kind == CommandKind::kLights) {
    auto cmd = LightsCommandOf(inv.flags);
    if (!cmd.ok()) return Usage(&inv, cmd.status().message());
    lights = *std::move(cmd);
  } else if (inv.command->kind == CommandKind::kGroupAlerts) {
    auto cmd = GroupAlertsCommandOf(inv.flags);
    if (!cmd.ok()) return Usage(&inv, cmd.status().message());
    alerts = *std::move(cmd);
  }
  auto stub = SupervisionStub(inv.global);
  if (!stub.ok()) return Setup(stub.status());
  v1::SupervisionService::Stub& supervision = **stub;
  switch (inv.command->kind) {
    case CommandKind::kSupervise:
      return Done(RunSupervise(supervision, supervise, print, std::cout));
    case CommandKind::kLights:
      return Done(RunLights(supervision, lights, print, std::cout));
    case CommandKind::kGroupAlerts:
      return Done(RunGroupAlerts(supervision, alerts, print, std::cout));
    default:
      return Done(RunDeadlines(supervision, first, print, std::cout));
  }
}

int RunStatistics(const Invocation& inv) {
  // Parse everything local before connecting: bad usage sends nothing.
  auto command = BulletinCommandOf(inv.flags);
  if (!command.ok()) return Usage(&inv, command.status().message());
  absl::StatusOr<rpc::ClientAuth> auth = StatisticsAuth(inv.global);
  if (!auth.ok()) return Setup(auth.status());
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return Setup(channel.status());
  auto stub = v1::StatisticsService::NewStub(*channel);
  return Done(RunBulletin(*stub, *command, PrintOptions{inv.global.json},
                          std::cout, std::cerr));
}

int RunNotification(const Invocation& inv) {
  const PrintOptions print{inv.global.json};
  const std::string& first = inv.flags.positional()[0];
  // Parse everything local before connecting: bad usage sends nothing.
  v1::ResolveMessageRequest resolve;
  if (inv.command->kind == CommandKind::kSmsResolve) {
    auto req = ResolveRequestOf(inv.flags);
    if (!req.ok()) return Usage(&inv, req.status().message());
    resolve = *std::move(req);
  }
  auto stub = NotificationStub(inv.global);
  if (!stub.ok()) return Setup(stub.status());
  if (inv.command->kind == CommandKind::kSmsResolve) {
    return Done(RunSmsResolve(**stub, resolve, print, std::cout));
  }
  return Done(RunSms(**stub, first, print, std::cout));
}

int RunAdmin(const Invocation& inv) {
  // Parse everything local, the password included, before connecting.
  auto req = BootstrapRequestOf(inv.flags, std::cin);
  if (!req.ok()) return Usage(&inv, req.status().message());
  absl::StatusOr<rpc::ClientAuth> auth = AccountsAuth(inv.global);
  if (!auth.ok()) return Setup(auth.status());
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) return Setup(channel.status());
  auto stub = v1::AccountsService::NewStub(*channel);
  return Done(RunAdminBootstrap(*stub, *req, PrintOptions{inv.global.json},
                                std::cout));
}

int RunClockCommand(const Invocation& inv) {
  absl::StatusOr<ClockCommand> cmd = ClockCommandOf(inv.flags);
  if (!cmd.ok()) return Usage(&inv, cmd.status().message());
  return Done(RunClock(*cmd, PrintOptions{inv.global.json}, std::cout));
}

int RunCalendarCommand(const Invocation& inv) {
  absl::StatusOr<CalendarCommand> cmd = CalendarCommandOf(inv.flags);
  if (!cmd.ok()) return Usage(&inv, cmd.status().message());
  return Done(RunCalendar(*cmd, PrintOptions{inv.global.json}, std::cout));
}

int RunIntake(const Invocation& inv) {
  const PrintOptions print{inv.global.json};
  v1::SubmitPetitionRequest submit;
  if (inv.command->kind == CommandKind::kSubmit) {
    absl::StatusOr<v1::SubmitPetitionRequest> req = SubmitRequestOf(inv.flags);
    if (!req.ok()) return Usage(&inv, req.status().message());
    submit = *std::move(req);
  }
  auto stub = IntakeStub(inv.global);
  if (!stub.ok()) return Setup(stub.status());
  if (inv.command->kind == CommandKind::kSubmit) {
    return Done(RunSubmit(**stub, submit, print, std::cout));
  }
  return Done(RunStatus(**stub, StatusRequestOf(inv.flags), print, std::cout));
}

int RunReceptionCommand(const Invocation& inv) {
  // Parse everything local before connecting: bad usage sends nothing.
  auto command = ReceptionCommandOf(inv.flags);
  if (!command.ok()) return Usage(&inv, command.status().message());
  auto stub = IntakeStub(inv.global);
  if (!stub.ok()) return Setup(stub.status());
  return Done(RunReception(**stub, *command, PrintOptions{inv.global.json},
                           std::cout));
}

int RunRouting(const Invocation& inv) {
  const PrintOptions print{inv.global.json};
  const std::string first =
      inv.flags.positional().empty() ? "" : inv.flags.positional()[0];
  // Parse everything local before connecting: bad usage sends nothing.
  v1::PreviewRouteRequest preview;
  InboxCommand inbox;
  ActCommand act;
  v1::ListChargedCasesRequest charged;
  switch (inv.command->kind) {
    case CommandKind::kRoute: {
      absl::StatusOr<std::string> text = ReadInput(first, std::cin);
      if (!text.ok()) return Usage(&inv, text.status().message());
      auto req = PreviewRequestFromJson(*text);
      if (!req.ok()) {
        return Usage(&inv, absl::StrCat(first, ": ", req.status().message()));
      }
      preview = *std::move(req);
      break;
    }
    case CommandKind::kInbox: {
      auto cmd = InboxCommandOf(inv.flags);
      if (!cmd.ok()) return Usage(&inv, cmd.status().message());
      inbox = *std::move(cmd);
      break;
    }
    case CommandKind::kCharged: {
      auto req = ChargedRequestOf(inv.flags);
      if (!req.ok()) return Usage(&inv, req.status().message());
      charged = *std::move(req);
      break;
    }
    case CommandKind::kAct: {
      auto cmd = ActCommandOf(inv.command->name, inv.flags);
      if (!cmd.ok()) return Usage(&inv, cmd.status().message());
      act = *std::move(cmd);
      break;
    }
    default:
      break;
  }
  auto stub = RoutingStub(inv.global);
  if (!stub.ok()) return Setup(stub.status());
  v1::RoutingService::Stub& routing = **stub;
  switch (inv.command->kind) {
    case CommandKind::kRoute:
      return Done(RunRoute(routing, preview, print, std::cout));
    case CommandKind::kInbox:
      return Done(RunInbox(routing, inbox, print, std::cout));
    case CommandKind::kCharged:
      return Done(RunCharged(routing, charged, print, std::cout));
    case CommandKind::kShow:
      return Done(RunShow(routing, first, print, std::cout));
    case CommandKind::kVerify: {
      absl::StatusOr<bool> intact = RunVerify(routing, first, print, std::cout);
      if (!intact.ok()) return Failed(intact.status());
      return *intact ? kExitOk : kExitBroken;
    }
    default:
      return Done(RunAct(routing, act, print, std::cout));
  }
}

int RunToken(const Invocation& inv) {
  const std::vector<std::string>& args = inv.flags.positional();
  if (args[0] != "add") return Usage(&inv, "token takes add PRINCIPAL");
  AddTokenOptions options{args[1], inv.flags.Value("tokens"),
                          inv.flags.Value("out"), inv.flags.Value("holder")};
  absl::Status s = AddToken(options);
  if (s.code() == absl::StatusCode::kInvalidArgument) {
    return Usage(&inv, s.message());
  }
  if (!s.ok()) return Failed(s);
  std::cout << "token for " << options.principal
            << (options.holder.empty() ? "" : " held by " + options.holder)
            << ": hash appended to "
            << options.tokens_path << ", token written to "
            << options.token_path << "\n";
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  if (!inv.ok()) return Usage(nullptr, inv.status().message());
  if (inv->help) {
    std::cout << (inv->command == nullptr ? MainHelp()
                                          : CommandHelp(*inv->command));
    return kExitOk;
  }
  switch (inv->command->kind) {
    case CommandKind::kSubmit:
    case CommandKind::kStatus:
      return RunIntake(*inv);
    case CommandKind::kReception:
      return RunReceptionCommand(*inv);
    case CommandKind::kToken:
      return RunToken(*inv);
    case CommandKind::kDeadLetters: {
      auto cmd = DeadLettersCommandOf(inv->flags);
      if (!cmd.ok()) return Usage(&*inv, cmd.status().message());
      return Done(RunDeadLetters(*cmd, std::cout));
    }
    case CommandKind::kClock:
      return RunClockCommand(*inv);
    case CommandKind::kCalendar:
      return RunCalendarCommand(*inv);
    case CommandKind::kAdmin:
      return RunAdmin(*inv);
    case CommandKind::kDeadlines:
    case CommandKind::kSupervise:
    case CommandKind::kLights:
    case CommandKind::kGroupAlerts:
    case CommandKind::kStats:
      return RunSupervision(*inv);
    case CommandKind::kSms:
    case CommandKind::kSmsResolve:
      return RunNotification(*inv);
    case CommandKind::kBulletin:
      return RunStatistics(*inv);
    default:
      return RunRouting(*inv);
  }
}

}  // namespace
}  // namespace caserelay::casectl

int main(int argc, char** argv) { return caserelay::casectl::Main(argc, argv); }
