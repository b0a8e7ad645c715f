// Starts the real system for integration tests: devbroker and the four
// services as separate processes on loopback (port 0: each service picks a
// free port and writes it to its endpoints file, and keeps it across
// restarts), each with its own temp RocksDB directory, the notification
// service writing to a development sink file. Every process is killed and
// reaped when the System goes away (and dies with the test process:
// PR_SET_PDEATHSIG).
//
// Thread safety: not thread-safe; one test thread drives it.

#ifndef CASERELAY_TESTS_INTEGRATION_HARNESS_H_
#define CASERELAY_TESTS_INTEGRATION_HARNESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/time/file_clock.h"
#include "grpcpp/channel.h"

namespace caserelay::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bound, closed),
// chosen at random below the kernel's ephemeral range, so that no process
// binding port 0 is handed it before the caller binds it; only another
// FreeLoopbackPort can pick it too, a small race tests accept. From the
// ephemeral range if the range leaves no room below it. UNAVAILABLE if no
// socket can be bound.
absl::StatusOr<int> FreeLoopbackPort();

// OK once `address` ("127.0.0.1:<port>") can be bound again as the
// services bind (SO_REUSEADDR: the stopped process's connections left in
// TIME_WAIT do not count), retrying for Scaled(2 s); FAILED_PRECONDITION
// naming the address if another socket still holds it, INVALID_ARGUMENT
// for another form of address. Only a check: the port may be taken
// between it and the service's bind.
absl::Status AwaitPortFree(const std::string& address);

// A child process with its output in a log file.
//
// In a sanitizer build (scripts/test --sanitize) the child inherits
// ASAN_OPTIONS and UBSAN_OPTIONS and writes its reports (ASan, LeakSanitizer
// at exit, UBSan) to the log: when the Process is reaped (Signal with wait,
// Running, the destructor), a report written since Start is a test failure
// (gtest's ADD_FAILURE, with the report), whatever the exit status. Other
// builds do not look.
class Process {
 public:
  // Starts `argv[0]` with `argv` and `env` added to this environment.
  static absl::StatusOr<std::unique_ptr<Process>> Start(
      const std::vector<std::string>& argv,
      const std::map<std::string, std::string>& env, const std::string& log);
  ~Process();  // SIGKILL and reap if still running

  // Sends `sig`; with wait, reaps and returns the exit status (as waitpid).
  int Signal(int sig, bool wait);
  bool Running();
  pid_t pid() const { return pid_; }
  const std::string& log() const { return log_; }

 private:
  Process(pid_t pid, std::string log, std::string name, long log_start)
      : pid_(pid),
        log_(std::move(log)),
        name_(std::move(name)),
        log_start_(log_start) {}
  // Marks the child reaped and, in a sanitizer build, fails the test on a
  // sanitizer report in the log after log_start_.
  void Reaped();
  pid_t pid_;
  std::string log_;
  std::string name_;  // argv[0]
  long log_start_;    // the log's size when the child started
  bool reaped_ = false;
  int status_ = 0;
};

// `d` times $CASERELAY_TEST_TIME_SCALE (a number >= 1; 1 when unset or not
// a number), for waits until something happens: code under the sanitizers
// runs several times slower, and scripts/test --sanitize sets the scale.
absl::Duration Scaled(absl::Duration d);

// Waits until `path` exists and has a line "key=value"; returns value.
absl::StatusOr<std::string> WaitForKey(const std::string& path,
                                       const std::string& key,
                                       absl::Duration timeout,
                                       Process* process = nullptr);

// A fresh directory under $TMPDIR, removed (with its contents) at exit of
// the owning object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct SystemOptions {
  // Offices that get a token (every service runs auth.mode = token with
  // one tokens file), besides the province bureau of Shanxi,
  // 140000:bureau, which reads every Shanxi case and is what routing(),
  // supervision() and notification() act as. Each service's identity
  // (service:intake ... service:web) always has a token.
  std::vector<std::string> offices;
  // The person holding a principal's token (principal -> label, e.g.
  // "140431:bureau" -> "王科员"): the tokens file names them, and the
  // record names them as who acted (issue 14 item 2). Unnamed: the
  // principal itself.
  std::map<std::string, std::string> holders = {};
  // If set, the system runs on a simulated clock (issue 4 item 7) that
  // starts at this time: Start creates the clock file `clock` in the temp
  // dir and gives every service `clock.file`; the test moves the time with
  // System::clock(). Unset: every service uses the system clock.
  std::optional<absl::Time> simulated_start = std::nullopt;
  // The services to start (a subset of System::kServices, any order; they
  // start in the order of kServices). Default: all five. notification
  // needs intake (it asks intake for phone numbers): Start refuses it
  // without intake (INVALID_ARGUMENT), as it does an unknown name.
  std::vector<std::string> services = {"intake", "routing", "supervision",
                                       "notification", "statistics"};
  // Settings per service ("supervision" -> {"supervision.fire_batch" ->
  // "200"}): each replaces the harness's value of the key, or is added to
  // the service's config file. Start and Restart use them; the service
  // refuses a key it does not know, and a service not started ignores
  // them.
  std::map<std::string, std::map<std::string, std::string>> settings = {};
  // The topics devbroker creates, each "NAME:PARTITIONS" (its --topic);
  // empty: its defaults (the four topics, 8 partitions each). The
  // services need all four. The embedded broker keeps only ~5 MiB per
  // partition (PLATFORM-NOTES.md), so a test that reads a big topic from
  // its beginning gives it more partitions.
  std::vector<std::string> topics = {};
  // Also start the web gateway (services/web) once the services are up,
  // as service:web, on a free loopback port; System::web_url() is the
  // portal's URL. Needs intake, routing and notification (Start refuses it
  // without them: INVALID_ARGUMENT). settings["web"] adds to its config.
  bool web = false;
  // How many instances of a service to start (issue 19: supervision and
  // notification run as N instances of one consumer group; "supervision"
  // -> 3). Unnamed services, and every service by default, run one.
  // Instance 1 keeps the service's name ("supervision"); instance k > 1 is
  // "supervision#k" (System::InstanceName), with its own store
  // (data-supervision-k), config, endpoints file, log
  // (supervision-k.log), gRPC and admin ports; every instance of a
  // service has the service's one kafka.group. settings may be keyed by
  // an instance name too ("notification#2" -> {...}): merged over the
  // service's own. Start refuses a count below 1 or above 9, or one for
  // a service not started (INVALID_ARGUMENT).
  std::map<std::string, int> instances = {};
  // devbroker's broker count (its --brokers, 1..16; replication factor
  // min(3, brokers)). Faults go through System::BrokerControl.
  int brokers = 1;
  // Also start accounts (services/accounts, the console's staff
  // directory, issue 16) after the services, outside kServices (RestartAll
  // leaves it). With it and supervision the web gateway also gets
  // accounts.address and supervision.address: its console is on. With
  // statistics started the gateway gets statistics.address too (the
  // console's 通报).
  bool accounts = false;
};

class System {
 public:
  static constexpr const char* kServices[] = {
      "intake", "routing", "supervision", "notification", "statistics"};
  static constexpr const char* kProvinceBureau = "140000:bureau";
  // The web gateway's identity: the only one that may speak for a user.
  static constexpr const char* kWeb = "service:web";

  // Starts devbroker and the services of options.services (default: all
  // four), each with its SystemOptions::instances; fails with the log's
  // tail if any does not come up in time, and with INVALID_ARGUMENT for an
  // unknown service, notification without intake, or a bad instance
  // count.
  static absl::StatusOr<std::unique_ptr<System>> Start(
      SystemOptions options = {});
  ~System();

  // "supervision" for k == 1, "supervision#k" otherwise (SystemOptions::
  // instances).
  static std::string InstanceName(const std::string& service, int k);
  // The service an instance name belongs to ("supervision#2" ->
  // "supervision"; a service name is its own first instance).
  static std::string ServiceOf(const std::string& instance);

  // The instances of a started service, first to last ({"supervision",
  // "supervision#2", ...}); empty if the service was not started.
  std::vector<std::string> Instances(const std::string& service) const;

  // Every method below that takes a `service` takes an instance name as
  // well ("supervision#2"); a service name means its first instance.
  //
  // SIGKILL (or SIGTERM) one started service; Restart starts it again on
  // the same store and config (SystemOptions::settings too), on the same
  // gRPC and admin addresses it had (those the web gateway and the other
  // services were given), and waits until it is ready. Restart fails
  // (FAILED_PRECONDITION, naming the service and address) if another
  // process holds one of its ports, and with the service's log if it does
  // not come up. REQUIRES: for Restart, the service was stopped (Kill).
  void Kill(const std::string& service, int sig);
  // Sends `sig` to a started service and returns at once (e.g. SIGHUP).
  void Signal(const std::string& service, int sig);
  absl::Status Restart(const std::string& service);

  // Stops the whole system as Ctrl-C stops scripts/run (SIGTERM to every
  // service, then to devbroker, each awaited) and starts it again over
  // the same stores: a new devbroker, whose topics begin again at offset
  // 0 (issue 23 item 1), then the services on their addresses (as
  // Restart). Fails like Start.
  absl::Status RestartAll();

  // Sends one line to devbroker's control channel (tools/devbroker
  // README.md "Control channel", e.g. "broker 2 down", "broker 2 up",
  // "brokers") and returns its answer line: "ok ..." when it took effect,
  // "error ..." when devbroker refused it (nothing changed). UNAVAILABLE
  // if the channel cannot be reached or does not answer within 5 s.
  absl::StatusOr<std::string> BrokerControl(const std::string& command) const;

  const std::string& dir() const { return dir_.path(); }
  std::string bootstrap() const { return bootstrap_; }
  std::string grpc_address(const std::string& service) const;
  std::string sms_sink() const { return dir() + "/sms-dev-sink.tsv"; }
  // The portal's URL ("http://127.0.0.1:<port>/") when started with
  // SystemOptions::web; empty otherwise.
  const std::string& web_url() const { return web_url_; }
  // notification's delivery-report secret (kannel.dlr_secret_path,
  // services/notification/dlr_mac.h), owner-only.
  std::string dlr_secret_path() const {
    return dir() + "/notification-dlr.secret";
  }

  // True iff SystemOptions::simulated_start was set.
  bool simulated() const { return clock_ != nullptr; }
  // The shared simulated clock: Set/Advance move the time of every
  // service at once. REQUIRES simulated() (aborts otherwise).
  time::FileClock& clock();

  // The admin HTTP address (host:port) of a started service.
  std::string admin_address(const std::string& service) const;
  // The admin server's answer to GET `path`: status code and body.
  struct AdminReply {
    int code;
    std::string body;
  };
  // GET `path` of a started service's admin server, whatever the status
  // (e.g. /healthz's reasons with a 503). UNAVAILABLE if it cannot be
  // reached (5 s timeouts) or does not answer HTTP; INVALID_ARGUMENT if its
  // admin address is not IPv4 host:port.
  absl::StatusOr<AdminReply> Get(const std::string& service,
                                 const std::string& path) const;
  // GET /healthz of a service's admin server: the HTTP status code (200
  // when every consume loop is healthy), or UNAVAILABLE if it cannot be
  // reached or answers something that is not HTTP.
  absl::StatusOr<int> Healthz(const std::string& service) const;
  // GET `path` (e.g. "/metrics") of a service's admin server: the body of
  // a 200 answer. UNAVAILABLE if it cannot be reached or does not answer
  // HTTP; FAILED_PRECONDITION (with the code) for another status.
  absl::StatusOr<std::string> AdminGet(const std::string& service,
                                       const std::string& path) const;
  // The value of one sample of the service's /metrics, named exactly as
  // rendered, labels included (e.g.
  // `caserelay_supervision_timers_fired_total{kind="miss"}`). NOT_FOUND if
  // the service has no such sample (a counter appears once registered);
  // the errors of AdminGet.
  absl::StatusOr<double> Metric(const std::string& service,
                                const std::string& sample) const;
  // The sum of every sample of metric `name` on the service's /metrics
  // whose labels contain `label` (any, if empty): MetricSum() below on
  // AdminGet's body.
  absl::StatusOr<double> MetricSum(const std::string& service,
                                   const std::string& name,
                                   const std::string& label = "") const;

  // intake as the province bureau, as staff enter petitions (the portal's
  // own, as service:web, must carry a phone_proof: issue 15 item 2; make
  // that stub with Channel("intake", kWeb)).
  caserelay::v1::IntakeService::Stub& intake();
  // routing as the province bureau; routing_as(office) as another office
  // of SystemOptions::offices (a stub is made on first use).
  caserelay::v1::RoutingService::Stub& routing();
  caserelay::v1::RoutingService::Stub& routing_as(const std::string& office);
  // A channel to a started `service` that authenticates as `principal`
  // with its token: kProvinceBureau, an office of SystemOptions::offices,
  // or a service's identity "service:<name>" (e.g. kWeb,
  // "service:notification"); aborts for a principal without a token.
  // New stubs of any service can be made on it, e.g.
  //   IntakeService::NewStub(sys->Channel("intake", "service:routing")).
  std::shared_ptr<grpc::Channel> Channel(const std::string& service,
                                         const std::string& principal) const;
  // A channel to `service` with no credentials at all.
  std::shared_ptr<grpc::Channel> UnauthenticatedChannel(
      const std::string& service) const;
  // A file holding `principal`'s token (mode 0600), for casectl
  // --token-file and notification's intake.token_file.
  std::string token_file(const std::string& principal) const;
  caserelay::v1::SupervisionService::Stub& supervision();
  caserelay::v1::NotificationService::Stub& notification();
  // statistics as the province bureau (issue 17).
  caserelay::v1::StatisticsService::Stub& statistics();

 private:
  System() = default;
  // Launches a service instance (an instance name); AwaitService waits
  // for its endpoints and, for a first instance, makes its stub.
  absl::Status LaunchService(const std::string& service);
  absl::Status AwaitService(const std::string& service);
  // Starts devbroker with broker_argv_ and waits for its bootstrap list
  // and control address (harness_cluster.cc).
  absl::Status StartBroker();
  // Starts the web gateway and waits for its URL (harness_web.cc).
  absl::Status StartWeb();
  absl::Status StartService(const std::string& service) {
    absl::Status s = LaunchService(service);
    return s.ok() ? AwaitService(service) : s;
  }

  // Writes a token for each office and each service's identity into the
  // tokens file every service loads, with the holders of `holders`.
  absl::Status WriteTokens(std::vector<std::string> offices,
                           const std::map<std::string, std::string>& holders);

  TempDir dir_;
  // SystemOptions::settings: service -> key -> value.
  std::map<std::string, std::map<std::string, std::string>> settings_;
  std::unique_ptr<time::FileClock> clock_;     // null: the system clock
  std::map<std::string, std::string> tokens_;  // principal -> token
  std::map<std::string, std::unique_ptr<caserelay::v1::RoutingService::Stub>>
      routing_as_;
  std::vector<std::string> broker_argv_;
  std::unique_ptr<Process> broker_;
  std::string bootstrap_;
  std::string broker_control_;  // devbroker's control=HOST:PORT
  // SystemOptions::instances of the started services (1 when unnamed).
  std::map<std::string, int> instances_;
  std::string web_url_;
  // The started instances (by instance name), and "web" when
  // SystemOptions::web.
  std::map<std::string, std::unique_ptr<Process>> services_;
  std::map<std::string, std::string> addresses_;
  std::map<std::string, std::string> admin_addresses_;
  std::unique_ptr<caserelay::v1::IntakeService::Stub> intake_;
  std::unique_ptr<caserelay::v1::SupervisionService::Stub> supervision_;
  std::unique_ptr<caserelay::v1::NotificationService::Stub> notification_;
  std::unique_ptr<caserelay::v1::StatisticsService::Stub> statistics_;
};

// A valid online labour claim about `region_code` by petitioner number
// `n` (name, mobile number and texts carry n; no ID number).
caserelay::v1::SubmitPetitionRequest SamplePetition(
    const std::string& region_code, int n);

// Runs `command` with sh, stderr joined to stdout; returns the exit code
// (-1 if it did not exit normally) and everything it printed.
// y-m-d hh:00 China Standard Time (UTC+8, no daylight saving), spelled out
// in the harness so the tests' expected instants do not depend on the code
// under test.
absl::Time China(int y, int m, int d, int hh = 0);

// The sum of every sample of metric `name` in a /metrics text (any label
// set whose text contains `label`; all if empty); 0 if it has none.
double MetricSum(const std::string& metrics_text, const std::string& name,
                 const std::string& label = "");

struct CommandResult {
  int code;
  std::string output;
};
CommandResult RunCommand(const std::string& command);

// Path of a built binary, e.g. Binary("services/intake/intake").
std::string Binary(const std::string& relative);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_HARNESS_H_
