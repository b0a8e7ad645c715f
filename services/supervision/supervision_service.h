// supervision (督查督办): keeps every running legal deadline as a durable
// timer, lights the yellow and red lights and issues 督办 (DOMAIN.md
// "Deadlines" and "Supervision").
//
// Routing computes the deadlines and lists those running after each
// CaseEvent; supervision mirrors them (deadline_mirror.h: armed, paused
// for a hearing, moved by an extension, done when no longer listed). Each
// ARMED deadline has two timers: a warning at due_at - warning_before and
// a miss at due_at. When they come due (Tick):
//   - warning (黄灯): the deadline, still ARMED, not yet warned, with the
//     due the timer was set for and not yet due, gets `warned` and one
//     DeadlineWarning is published ("supervision/<deadline id>/warning/
//     <due_at µs>": an extension owes a new warning, which must not look
//     like a duplicate of the first to a consumer);
//   - miss (红灯): the deadline, still ARMED with that due, becomes MISSED;
//     DeadlineMissed is published ("supervision/<deadline id>/missed"); it
//     enters the red-light board ("lights") until routing stops listing
//     it; and escalation.h decides a 督办 instrument, published as
//     SupervisionIssued ("supervision/<supervision id>/issued") and kept on
//     the case's record.
// Each CaseEvent also updates the case's facts for the indicators
// (case_facts.h).
//
// Column families: "cases" (case id -> SupervisionCaseRecord: last applied
// sequence, deadlines, supervisions, facts), "timers" and "lights" (keys in
// keys.h), "group-alerts" (群体访 alerts, group_alerts.h). Timers fire on the consume loop's thread (Tick), in the same
// WriteBatch as the offsets and the outbox, so a restart loses none and
// fires none twice.
//
// Access (DESIGN.md "Security"; the shared rule of domain/access): with an
// authenticator (auth.mode token or mtls) each case's record keeps its
// parties from its events ("parties": holder, past holders, and the
// accused offices of its REGISTER, sequence 1). ListDeadlines answers the
// offices CaseAccess::MayRead allows, the offices of its deadlines not
// ended in time counting as acting offices (the office that must act, and
// its superiors, read them; one whose deadline ended in time reads as a
// past holder); ListRedLights and ListGroupAlerts take a scope the caller
// may ask for (its own region's subtree by default; a department only its
// own office), and the red lights leave out every case the caller is
// accused in or a member of an accused government (Art. 30).
// GetIndicators answers service:statistics only (MayAskIndicators): offices
// read the indicators from statistics, under the same rule. A record kept before
// parties were (no REGISTER applied with them) has its accused offices
// unknown: only the offices named in it see it (domain/access). Without an
// authenticator (local runs) everything is visible.
//
// Two writers (issue 18 item 4): the consume loop (Apply, Tick) and the
// Supervise handler (a 督办 by hand, manual_supervision.h). Both take mu_.
// A case the loop has written but not yet committed is "pending": Supervise
// waits until the loop's commit lands (Committed()), so its
// read-modify-write of the case's record never works from a state the loop
// is about to overwrite, and the 督办's number stays one counter per case.
//
// Thread safety: Apply/Tick on the loop's thread; Supervise and the query
// handlers (which only read the store) on gRPC's threads, concurrently.

#ifndef CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/metrics/metrics.h"
#include "common/region/region_tree.h"
#include "common/rpc/principal.h"
#include "common/service/key_db.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"
#include "domain/access/roles.h"
#include "domain/offices/office_directory.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/held_view.h"
#include "services/supervision/keys.h"

namespace caserelay::supervision {

inline constexpr char kCases[] = "cases";
inline constexpr char kTimers[] = "timers";
inline constexpr char kLights[] = "lights";
// The topic supervision publishes to.
inline constexpr char kSupervisionEvents[] = "supervision-events";

// Every family the service's store needs.
inline const std::vector<std::string>& ColumnFamilies() {
  static const auto* const kFamilies =
      new std::vector<std::string>{kCases, kTimers, kLights, kGroupAlerts};
  return *kFamilies;
}

// The settings supervision.* (definition.cc).
struct SupervisionOptions {
  // Timers fired per Tick at most (supervision.fire_batch), >= 1.
  int fire_batch = 1000;
  // The yellow light this long before due_at (supervision.warning_before);
  // zero: no warnings.
  absl::Duration warning_before = absl::Hours(72);
  // A group petition of at least this many persons alerts its registering
  // bureau (group.alert_head_count, group_alerts.h), >= 2.
  int group_alert_head_count = 5;
};

// What the service reads besides the context. Not owned; they outlive the
// service.
struct SupervisionTables {
  const region::RegionTree* regions;
  const offices::OfficeDirectory* offices;
};

class SupervisionServiceImpl final
    : public caserelay::v1::SupervisionService::Service,
      public service::EventHandler {
 public:
  // REQUIRES: the store of `context` has every family of ColumnFamilies();
  // tables' pointers are set; options.fire_batch >= 1.
  SupervisionServiceImpl(const service::Context& context,
                         SupervisionTables tables,
                         SupervisionOptions options = {});

  // Every deadline of the case and the instruments issued on it; empty for
  // an unknown case. INVALID_ARGUMENT without a case_id; DATA_LOSS if its
  // record is corrupt; with auth, UNAUTHENTICATED without a valid caller
  // and PERMISSION_DENIED unless CaseAccess::MayRead allows the caller
  // (file comment; so also for an unknown case).
  grpc::Status ListDeadlines(
      grpc::ServerContext* ctx, const caserelay::v1::ListDeadlinesRequest* req,
      caserelay::v1::ListDeadlinesResponse* resp) override;

  // The red lights of the offices within region_code (or of office_code),
  // oldest due first, at most `limit` (0: 100; at most 10000) per page.
  // next_page_token (opaque) continues after the last one; empty on the
  // last page. INVALID_ARGUMENT for an unknown region_code, a malformed
  // office_code, a limit outside 0..10000 or a page_token not from this
  // service; PERMISSION_DENIED (with auth) for a region or office the
  // caller may not ask for (file comment); DATA_LOSS for a corrupt record.
  // With auth, the lights of a case the caller is accused in are left out.
  // With partitioned state the answer is whole across instances or
  // UNAVAILABLE naming the partitions not answered (subtree_query.h), as
  // for ListGroupAlerts and GetIndicators.
  grpc::Status ListRedLights(
      grpc::ServerContext* ctx, const caserelay::v1::ListRedLightsRequest* req,
      caserelay::v1::ListRedLightsResponse* resp) override;

  // The indicators (indicators.h) of the scope over the period, over every
  // case record: the reference statistics' index is checked against. With
  // auth, only service:statistics may ask (MayAskIndicators; anyone else
  // PERMISSION_DENIED, offices ask statistics), and it reads the scope it
  // asks for, every case counted. The errors of
  // IndicatorCalculator::Create (INVALID_ARGUMENT, NOT_FOUND); DATA_LOSS
  // for a corrupt record.
  grpc::Status GetIndicators(
      grpc::ServerContext* ctx, const caserelay::v1::GetIndicatorsRequest* req,
      caserelay::v1::GetIndicatorsResponse* resp) override;

  // The group-petition alerts (群体访, issue 18 item 3; group_alerts.h) of
  // the bureaus within region_code (or of office_code), newest received
  // first, at most `limit` (0: 100; at most 10000) per page;
  // next_page_token continues. Who may ask is ListRedLights' rule: the
  // person's roles narrow the scope (roles.h NarrowToRoleScope), then the
  // caller's office may ask only its subtree (MayAskScope; empty scope: its
  // own). The alerts hold figures only, so no row is withheld within the
  // scope. INVALID_ARGUMENT for an unknown region_code, a malformed
  // office_code, a limit outside 0..10000 or a foreign page_token;
  // PERMISSION_DENIED (with auth) for a scope the caller may not ask for;
  // DATA_LOSS for a corrupt alert.
  grpc::Status ListGroupAlerts(
      grpc::ServerContext* ctx,
      const caserelay::v1::ListGroupAlertsRequest* req,
      caserelay::v1::ListGroupAlertsResponse* resp) override;

  // 督办 by hand (issue 18 item 4, manual_supervision.h): the caller's
  // bureau issues req->ground to req->target_office_code (empty: the
  // holder) on req->case_id, published as SupervisionIssued{source MANUAL}
  // with the case's next "<case>/supervision/<n>" and kept on its record,
  // committed before the answer (the published instrument). Errors:
  // PERMISSION_DENIED without auth (no issuer to name), for a role that
  // does not issue 督办 (roles.h MayIssueSupervision), an unknown case, and
  // the refusals of access::MaySupervise (not a bureau of county level or
  // above, a target outside its subtree or itself, Art. 30);
  // FAILED_PRECONDITION for a target not acting on the case or a closed or
  // linked case; INVALID_ARGUMENT (CheckSuperviseRequest); UNAVAILABLE if
  // the case stays pending in the loop for 5 s, or the store fails.
  grpc::Status Supervise(grpc::ServerContext* ctx,
                         const caserelay::v1::SuperviseRequest* req,
                         caserelay::v1::SuperviseResponse* resp) override;

  // After each commit of the loop: its cases are no longer pending.
  void Committed() override;

  // A CaseEvent's deadlines are mirrored (deadline_mirror.h) into the
  // case's record and the timers, and its facts updated (case_facts.h).
  // First, an ARMED deadline whose due_at is not after the event's
  // occurred_at is missed as Tick would miss it (so a deadline ended late
  // is MISSED even if its timer had not fired yet, e.g. after a stop). An
  // event whose sequence is not above the case's last applied one is
  // skipped, writing nothing. INVALID_ARGUMENT (nothing written; the loop
  // keeps it as a dead letter) for another payload (ExpectPayload), a
  // sequence of 0, a listed deadline without kind, started_at or due_at, or
  // an event UpdateFacts refuses; DATA_LOSS for a corrupt record.
  // A REGISTER of a group of at least options.group_alert_head_count
  // persons also raises its GroupPetitionAlert (group_alerts.h): kept in
  // "group-alerts" and published, in the same batch.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

  // Fires the timers that are due (fire instant <= now on the clock), at
  // most options.fire_batch of them, the earliest ones, as the file comment
  // says (fired in case order, each case's earliest first: a case's outputs
  // keep their order, cases' outputs interleave in case-id order); a timer whose deadline was paused, ended, moved or already
  // handled is dropped without output. A miss of an office the directory
  // does not know issues no instrument (warned in the log and counted).
  // A timer whose case record is corrupt goes to "dead-letters" (key
  // "timer/<timer key>", the reason as value) and the others still fire.
  // The due cases' records are read in one batched read (MultiGet), each
  // parsed and written once however many of its timers fire. The store's
  // error if the scan or that read fails (nothing fired then).
  absl::Status Tick(store::WriteBatch& batch) override;

  // True when the last Tick fired options.fire_batch timers and more may
  // be due (the loop then ticks again without waiting for input).
  bool MoreDue() const override;

  // Issue 19 (partitioned state, partitions.cc): Tick on the DB of one
  // held partition, with that partition's own scan state.
  absl::Status TickPartition(int32_t partition, store::Store& store,
                             store::WriteBatch& batch) override;
  // A partition (re)acquired: its scan of the timers starts from the
  // beginning again (another instance may have armed timers in it).
  void PartitionHeld(int32_t partition) override;

 private:
  // Lowers the next Tick's scan start to `at` if it is earlier (a timer
  // armed in the batch in hand).
  // Where a Tick's scan of "timers" stands, per partition (-1: the one
  // store of an unpartitioned service).
  struct TimerScan {
    // Where the next Tick's scan starts: every timer below it has fired
    // ("" after a start or an Acquire: from the beginning).
    std::string from;
    // The earliest firing instant (TimeBytes) armed since the last Tick.
    std::optional<std::string> armed_low;
    // The last Tick fired options.fire_batch timers: more may be due.
    bool more_due = false;
  };
  TimerScan& ScanOf(int32_t partition) { return scans_[partition]; }
  // The partition `case_id` lives in; -1 without partitioned state.
  int32_t PartitionOfCase(std::string_view case_id) const;
  // Tick over `store` (the one store, or a partition's DB) with `scan`,
  // firing at most `limit` (>= 1) timers.
  absl::Status TickIn(TimerScan& scan, const store::Store& store, int limit,
                      store::WriteBatch& batch);
  void NoteArmed(TimerScan& scan, absl::Time at);
  // A due timer as Tick scanned it.
  struct DueTimer {
    std::string_view key;  // into Tick's scan results
    std::string_view value;
    std::optional<ParsedTimer> timer;  // nullopt: a malformed key
    std::string case_id;               // "" for a malformed key
  };
  // A due timer's case as Tick read it: its record (DATA_LOSS if corrupt)
  // and whether a fire changed it (Tick then writes it, once).
  struct DueCase {
    absl::StatusOr<caserelay::v1::SupervisionCaseRecord> record;
    bool changed = false;
  };
  // Fires one due timer (a well-formed key) on its case's record in
  // `due_case` into `batch` (Tick deleted its key already); a miss's red
  // light goes to `lights` (key, office) for Tick to put. A corrupt record
  // sends the timer to dead-letters.
  void Fire(const DueTimer& scanned, absl::Time now, DueCase& due_case,
            store::WriteBatch& batch,
            std::vector<std::pair<std::string, std::string>>& lights);
  // Drops a due timer whose key does not parse (logged, counted).
  void DropMalformed(std::string_view key);
  // How a miss was reached: by an event (nothing deleted yet; the light is
  // put at once) or by its timer (Tick deleted the timer's key and writes
  // the lights it collects in key order after the fires, issue 20 item 3).
  struct MissedBy {
    bool timer_deleted = false;
    std::vector<std::pair<std::string, std::string>>* lights = nullptr;
  };
  // Marks the ARMED deadline `deadline_id` of `record` MISSED: removes its
  // timers, lights its red light, publishes DeadlineMissed and issues the
  // instrument it calls for. REQUIRES: the deadline is in `record`.
  void Miss(caserelay::v1::SupervisionCaseRecord& record,
            const std::string& deadline_id, absl::Time now,
            store::WriteBatch& batch, MissedBy by);
  // Counts a timer dropped without output (metric and fired_).
  void Dropped();
  // Records the lateness of a timer fired with output (histogram and
  // fired_).
  void Late(absl::Duration lateness);
  // One info line for what the batch fired since the last line (fired_),
  // if anything; the per-timer lines are at debug (issue 20 item 3: a
  // million timers wrote 180 MB of info lines).
  void LogFired();
  // Issues the instrument a miss calls for, if any, into `record` and the
  // outbox.
  void Supervise(caserelay::v1::SupervisionCaseRecord& record,
                 const caserelay::v1::Deadline& missed, absl::Time now,
                 store::WriteBatch& batch);

  // A case's DB for the gRPC handlers: the one store, or in a partitioned
  // service the DB of the case's partition, leased while this lives.
  using CaseDb = service::KeyDb;
  // UNAVAILABLE ("partition moving, try again") if the case's partition
  // is not held here (the caller forwards to the owner first:
  // owner_forward.h, so this is a partition changing hands).
  absl::StatusOr<CaseDb> DbOfCase(std::string_view case_id) const;
  // A board's scope (ListRedLights, ListGroupAlerts) as the caller may ask
  // for it: `caller` as CallerOffice says ("": auth none), region and
  // office narrowed by the person's roles (roles.h NarrowToRoleScope) and
  // defaulted by MayAskScope, `limit` resolved (0: 100).
  struct BoardScope {
    std::string caller;
    std::string region;
    std::string office;
    int limit = 100;
  };
  // The scope of a board request; CallerOffice's errors; INVALID_ARGUMENT
  // for a limit outside 0..10000, an unknown region_code or a malformed
  // office_code; PERMISSION_DENIED for a scope the caller may not ask for.
  absl::StatusOr<BoardScope> BoardScopeOf(grpc::ServerContext* ctx,
                                          const std::string& region_code,
                                          const std::string& office_code,
                                          int32_t limit) const;
  // Whether a row of `office` is within `scope`'s region and office.
  bool InBoardScope(const BoardScope& scope, std::string_view office) const;
  // One page of the board from `view` (subtree_query.h): the lights after
  // `begin` (a lights key; "" from the first) within `scope`, the lights
  // of cases the caller may not list left out. DATA_LOSS for a corrupt
  // record; the view's errors.
  absl::StatusOr<caserelay::v1::ListRedLightsResponse> RedLightsIn(
      const HeldView& view, const BoardScope& scope,
      const std::string& begin) const;
  // One page of group alerts from `view` after `begin` within `scope`.
  // DATA_LOSS for a corrupt alert; the view's errors.
  absl::StatusOr<caserelay::v1::ListGroupAlertsResponse> GroupAlertsIn(
      const HeldView& view, const BoardScope& scope,
      const std::string& begin) const;
  // The indicators of `request` over the case records of `view`.
  // IndicatorCalculator::Create's errors; DATA_LOSS for a corrupt record.
  absl::StatusOr<caserelay::v1::GetIndicatorsResponse> IndicatorsIn(
      const HeldView& view,
      const caserelay::v1::GetIndicatorsRequest& request) const;

  // "" with auth none (no restriction); otherwise the caller's office
  // code, and in `*roles` (if non-null) the person's staff roles (every
  // role for the office's own credential, domain/access/roles.h). The error
  // of rpc::Caller/ActingOffice (UNAUTHENTICATED, also for a null `ctx`);
  // PERMISSION_DENIED if its region is not in the tree.
  absl::StatusOr<std::string> CallerOffice(
      grpc::ServerContext* ctx, access::StaffRoles* roles = nullptr) const;
  // OK if `caller` ("": auth none) may ask for the offices within
  // `*region` and/or office `*office` (domain/access MayAskRegion,
  // MayAskOffice); both empty: set to the caller's own region, or for a
  // department its own office. PERMISSION_DENIED otherwise. REQUIRES: a
  // non-empty region is in the tree.
  absl::Status MayAskScope(const std::string& caller, std::string* region,
                           std::string* office) const;
  // Whether a row of this case may appear in a list or figure `caller`
  // ("": auth none, always) asked for (domain/access MayListRow: never a
  // case the caller is accused in).
  bool MayListRow(const std::string& caller,
                  const caserelay::v1::SupervisionCaseRecord& record) const;

  // Const after construction.
  const service::Context context_;
  const SupervisionTables tables_;
  const SupervisionOptions options_;
  metrics::Counter& warnings_fired_;
  metrics::Counter& misses_fired_;
  metrics::Counter& timers_dropped_;
  metrics::Histogram& lateness_;
  metrics::Counter& letters_issued_;
  metrics::Counter& listings_issued_;
  metrics::Counter& unknown_offices_;
  metrics::Counter& manual_issued_;

  // The loop and Supervise (file comment).
  mutable absl::Mutex mu_;
  // Cases written by the loop's batch in hand, not yet committed.
  absl::flat_hash_set<std::string> pending_ ABSL_GUARDED_BY(mu_);
  metrics::Counter& group_alerts_;

  // The loop's thread only (Apply, Tick, MoreDue, PartitionHeld).
  std::map<int32_t, TimerScan> scans_;
  // What the batch in hand fired (Tick's and Apply's misses), for the one
  // info line per batch (LogFired).
  struct Fired {
    int64_t warnings = 0;
    int64_t misses = 0;
    int64_t instruments = 0;
    int64_t dropped = 0;
    absl::Duration max_lateness;
  };
  Fired fired_;
};

// The case's record in `view` (an empty one if none). DATA_LOSS if it does
// not parse; the view's errors (FAILED_PRECONDITION for a case whose
// partition is not in the view).
absl::StatusOr<caserelay::v1::SupervisionCaseRecord> ReadCaseIn(
    const HeldView& view, std::string_view case_id);

// The only principal supervision's GetIndicators answers (auth.mode token
// or mtls): service:statistics, the indicators' own service, which keeps
// this scan as the reference of its index. Offices ask statistics.
inline constexpr char kIndicatorsCaller[] = "statistics";

// OK for service:statistics (kIndicatorsCaller); PERMISSION_DENIED naming
// the caller otherwise (an office, a user the gateway speaks for, another
// service).
absl::Status MayAskIndicators(const rpc::Principal& caller);

// The record of case `case_id` from its stored bytes `raw` (nullopt: none
// stored, a new one with case_id set). DATA_LOSS if it does not parse.
absl::StatusOr<caserelay::v1::SupervisionCaseRecord> ParseCase(
    std::string_view case_id, const std::optional<std::string>& raw);

// The case's record as `batch` would leave it (a new one, with case_id
// set, if none). DATA_LOSS if it does not parse; the store's error.
absl::StatusOr<caserelay::v1::SupervisionCaseRecord> LoadCase(
    const store::WriteBatch& batch, std::string_view case_id);

// An output of supervision to kSupervisionEvents: `event_id`, the case,
// producer "supervision", occurred at `now`; the caller sets the payload.
caserelay::v1::Envelope SupervisionOutput(std::string event_id,
                                          const std::string& case_id,
                                          absl::Time now);

// The deadline `id` of `record`; null if it has none.
caserelay::v1::Deadline* FindDeadline(
    caserelay::v1::SupervisionCaseRecord& record, std::string_view id);

service::ServiceDefinition SupervisionDefinition();

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
