// statistics (信访统计, issue 17 item 1): a read model of case-events that
// keeps the index (contribution.h, index_keys.h) and answers GetVolume and
// GetIndicators from it (index_reader.h). It never writes a case.
//
// Apply (the one mutator): for each CaseEvent, in each case's order, the
// case's record (case_record.h) is updated, and the index takes the case's
// old contribution out and puts its new one in (Diff), in the same
// WriteBatch as the consumed offsets: a redelivered event (its sequence not
// above the case's) changes nothing, and a restart loses none.
//
// Access (the shared rule of domain/access, as supervision's queries):
// with an authenticator, a bureau or government asks for a region or
// office within its region (none: its own region), a department only for
// its own office; PERMISSION_DENIED otherwise. Cases are counted under the
// offices they are attributed to (the registering bureau, the handling
// office, the late office), never under an accused unit, which routing
// never makes any of those (Art. 30).
//
// Thread safety: Apply on the loop's thread; the gRPC handlers only read
// the store and may run concurrently with it and each other.

#ifndef CASERELAY_SERVICES_STATISTICS_STATISTICS_SERVICE_H_
#define CASERELAY_SERVICES_STATISTICS_STATISTICS_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "common/region/region_tree.h"
#include "common/service/service_main.h"
#include "domain/offices/office_directory.h"
#include "services/statistics/bulletins/bulletin_parts.h"
#include "services/statistics/contribution.h"
#include "services/statistics/index_reader.h"

namespace caserelay::statistics {

// Every family the service's store needs.
inline const std::vector<std::string>& ColumnFamilies() {
  static const auto* const kFamilies = new std::vector<std::string>{
      kCasesFamily, kCountersFamily, kDuesFamily, bulletins::kBulletinsFamily};
  return *kFamilies;
}

// What the service reads besides the context. Not owned; they outlive it.
struct StatisticsTables {
  const region::RegionTree* regions;
  const offices::OfficeDirectory* offices;
};

// Adds `delta` (Diff's answer) to the counters of `batch`: each key's
// counts as the batch leaves them (counter_buffer.h: read once per batch,
// held), added; each changed counter is put once when the batch is
// committed (deleted when every count is zero). DATA_LOSS for a stored
// value that does not parse; the store's error; nothing changed then.
absl::Status WriteDelta(const CountsByKey& delta, store::WriteBatch& batch);

class StatisticsServiceImpl final
    : public caserelay::v1::StatisticsService::Service,
      public service::EventHandler {
 public:
  // REQUIRES: the store of `context` has every family of ColumnFamilies();
  // the tables' pointers are set.
  StatisticsServiceImpl(const service::Context& context,
                        StatisticsTables tables);

  // IndexReader::Volume's answer and errors; with auth, UNAUTHENTICATED
  // without a valid caller and PERMISSION_DENIED for a scope the caller
  // may not ask for (file comment; an empty scope is the caller's own).
  grpc::Status GetVolume(grpc::ServerContext* ctx,
                         const caserelay::v1::GetVolumeRequest* req,
                         caserelay::v1::GetVolumeResponse* resp) override;

  // IndexReader::Indicators' answer and errors; access as GetVolume.
  grpc::Status GetIndicators(
      grpc::ServerContext* ctx, const caserelay::v1::GetIndicatorsRequest* req,
      caserelay::v1::GetIndicatorsResponse* resp) override;

  // Applies a CaseEvent (file comment). An event whose sequence is not
  // above the case's last applied one is skipped; a gap is
  // service::SequenceGapError (held by the loop). INVALID_ARGUMENT
  // (nothing written; a dead letter) for another payload, a sequence of 0
  // or an event UpdateRecord refuses; DATA_LOSS for a corrupt record or
  // counter; the store's error.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

  // The query interface over this service's store (query.h), for the
  // bulletins.
  const StatisticsQuery& query() const { return reader_; }

  // The bulletins' RPCs (bulletin_handlers.cc): the parts' answers and
  // errors; with auth, UNAUTHENTICATED without a valid caller and
  // PERMISSION_DENIED unless the caller may ask for the bureau's region
  // (MayAskScope). UNAVAILABLE until set_bulletins().
  grpc::Status IssueBulletin(
      grpc::ServerContext* ctx, const caserelay::v1::IssueBulletinRequest* req,
      caserelay::v1::IssueBulletinResponse* resp) override;
  grpc::Status ListBulletins(
      grpc::ServerContext* ctx, const caserelay::v1::ListBulletinsRequest* req,
      caserelay::v1::ListBulletinsResponse* resp) override;
  grpc::Status GetBulletin(grpc::ServerContext* ctx,
                           const caserelay::v1::GetBulletinRequest* req,
                           caserelay::v1::GetBulletinResponse* resp) override;
  // The bulletins' parts, built over query() (not owned; set once before
  // serving).
  void set_bulletins(bulletins::BulletinParts* parts) { bulletins_ = parts; }

 private:
  // The scope `caller` may ask for: `*region` / `*office` as asked, or its
  // own when both are empty; "" caller (auth none): as asked. A staff user
  // the gateway speaks for is narrowed by their roles first
  // (access::NarrowToRoleScope: ADMIN alone nothing, registrar/handler/
  // head only their own office, so no bureau's bulletin; inspector/leader
  // the subtree); the office's own credential keeps every role.
  // PERMISSION_DENIED (the roles' reason in Chinese) otherwise. Leaves unknown regions and malformed
  // offices to the reader's errors.
  absl::Status MayAskScope(grpc::ServerContext* ctx, std::string* region,
                           std::string* office) const;
  // MayAskScope on a VolumeScope or IndicatorScope, which it rewrites.
  template <typename Scope>
  absl::Status Authorize(grpc::ServerContext* ctx, Scope* scope) const;

  // Const after construction.
  const service::Context context_;
  const StatisticsTables tables_;
  const IndexReader reader_;

  // The loop's thread only (Apply).
  ScopeResolver scopes_;

  // Set once before serving; not owned.
  bulletins::BulletinParts* bulletins_ = nullptr;

  // MayAskScope for the region of `bureau`, with PERMISSION_DENIED naming
  // the bureau.
  absl::Status MayAskBureau(grpc::ServerContext* ctx,
                            const offices::Office& bureau) const;
};

service::ServiceDefinition StatisticsDefinition();

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_STATISTICS_SERVICE_H_
