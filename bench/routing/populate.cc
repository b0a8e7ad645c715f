#include "bench/routing/populate.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/pipeline/stats.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/timestamp.h"
#include "domain/routing/matter_key.h"
#include "domain/routing/rules.h"
#include "services/routing/case_store.h"

namespace caserelay::bench {
namespace {

using caserelay::v1::CaseState;
using caserelay::v1::Envelope;
using caserelay::v1::RoutingCaseRecord;
using offices::Office;

constexpr int kProgressEvery = 100000;

// A case on its way to its final state: step `next` of `steps` is due in
// the next batch.
struct Pending {
  RoutingCaseRecord record;
  Office bureau;
  Office government;
  int next = 2;
  int steps = 1;
};

class Writer {
 public:
  Writer(store::Store& store, const Tree& tree, const PopulateOptions& o)
      : store_(store), tree_(tree), options_(o), cases_(&store), rng_(o.seed) {
    for (const std::string& code : tree.codes) {
      const region::Region* r = tree.regions->Find(code);
      if (r->level == region::Level::kTownship) townships_.push_back(r);
    }
    std::shuffle(townships_.begin(), townships_.end(), rng_);
    double total = 0;
    for (size_t k = 0; k < townships_.size(); ++k) {
      total += 1.0 / std::pow(static_cast<double>(k + 1), o.zipf);
      cdf_.push_back(total);
    }
  }

  absl::StatusOr<Population> Run() {
    const SteadyTime start = SteadyClock::now();
    int registered = 0;
    while (registered < options_.cases || !pending_.empty()) {
      store::WriteBatch batch(&store_);
      std::vector<Pending> moving = std::move(pending_);
      pending_.clear();
      for (Pending& p : moving) Advance(batch, std::move(p));
      const int n = std::min(options_.batch_cases, options_.cases - registered);
      for (int i = 0; i < n; ++i) Register(batch, registered++);
      auto committed = store_.Commit(batch);
      if (!committed.ok()) return committed.status();
      std::vector<uint64_t> seqs;
      for (const auto& r : *committed) seqs.push_back(r.seq);
      if (absl::Status s = store_.DeleteOutbox(seqs); !s.ok()) return s;
      ++pop_.batches;
      if (n > 0 && registered % kProgressEvery == 0 && options_.progress) {
        options_.progress(registered, Since(start, SteadyClock::now()));
      }
    }
    pop_.wall = Since(start, SteadyClock::now());
    return std::move(pop_);
  }

 private:
  uint32_t OfficeIndex(const std::string& code) {
    auto [it, added] = index_.emplace(code, pop_.offices.size());
    if (added) pop_.offices.push_back(code);
    return it->second;
  }

  absl::Time Due() {
    return options_.now - absl::Hours(24 * 30) +
           absl::Seconds(static_cast<int64_t>(rng_() % (90 * 86400)));
  }

  void AddDeadline(RoutingCaseRecord& r, caserelay::v1::DeadlineKind kind,
                   const Office& office, absl::Time started, absl::Time due) {
    auto* d = r.mutable_view()->add_deadlines();
    d->set_kind(kind);
    d->set_office_code(office.code);
    *d->mutable_started_at() = time::ToProto(started);
    *d->mutable_due_at() = time::ToProto(due);
  }

  // The envelope of `action` by `actor`, as routing publishes it, after
  // the record was changed by it.
  Envelope Event(const RoutingCaseRecord& r, int step,
                 caserelay::v1::CaseAction action, CaseState from,
                 const std::string& actor_code, const std::string& actor_name,
                 absl::Time at) {
    Envelope e;
    e.set_event_id(absl::StrCat(r.view().case_id(), "/", step));
    e.set_case_id(r.view().case_id());
    e.set_producer("routing");
    *e.mutable_occurred_at() = time::ToProto(at);
    auto* ev = e.mutable_case_event();
    ev->set_action(action);
    ev->set_actor_office_code(actor_code);
    ev->set_actor_office_name(actor_name);
    ev->set_from_state(from);
    ev->set_to_state(r.view().state());
    ev->set_holder_office_code(r.view().office_code());
    ev->set_holder_office_name(r.view().office_name());
    *ev->mutable_deadlines() = r.view().deadlines();
    return e;
  }

  void Register(store::WriteBatch& batch, int i) {
    const size_t t = std::upper_bound(cdf_.begin(), cdf_.end(),
                                      std::uniform_real_distribution<double>(
                                          0, cdf_.back())(rng_)) -
                     cdf_.begin();
    const region::Region& town = *townships_[std::min(t, cdf_.size() - 1)];
    const region::Region& county = *tree_.regions->CountyOf(town.code);
    Pending p;
    p.bureau = tree_.offices->Bureau(county);
    p.government = tree_.offices->Government(town);
    const int share = static_cast<int>(rng_() % 100);
    p.steps = share < 30 ? 1 : share < 58 ? 2 : share < 93 ? 3 : 4;
    const bool not_accepted = share >= 25 && share < 30;
    const CaseState final_state =
        p.steps == 1   ? (not_accepted ? caserelay::v1::CASE_STATE_NOT_ACCEPTED
                                       : caserelay::v1::CASE_STATE_REGISTERED)
        : p.steps == 2 ? caserelay::v1::CASE_STATE_ASSIGNED
        : p.steps == 3 ? caserelay::v1::CASE_STATE_ACCEPTED
                       : caserelay::v1::CASE_STATE_EXTENDED;
    pop_.cases.push_back(
        {OfficeIndex(p.steps == 1 ? p.bureau.code : p.government.code),
         final_state});

    const absl::Time received =
        options_.now -
        absl::Seconds(static_cast<int64_t>(rng_() % (90 * 86400)));
    const std::string& category =
        tree_.categories[rng_() % tree_.categories.size()];
    RoutingCaseRecord& r = p.record;
    auto* view = r.mutable_view();
    view->set_case_id(absl::StrFormat(
        "%s-%s-%07d", county.code.substr(0, 6),
        absl::FormatTime("%Y%m%d", received, absl::FixedTimeZone(8 * 3600)),
        i + 1));
    view->set_state(final_state == caserelay::v1::CASE_STATE_NOT_ACCEPTED
                        ? final_state
                        : caserelay::v1::CASE_STATE_REGISTERED);
    view->set_office_code(p.bureau.code);
    view->set_office_name(p.bureau.name);
    auto* m = view->mutable_matter();
    m->set_region_code(town.code);
    m->set_category(category);
    m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
    m->set_channel(caserelay::v1::CHANNEL_ONLINE);
    m->set_title(absl::StrCat("关于", tree_.offices->CategoryName(category),
                              "问题的反映（", i + 1, "）"));
    m->set_text(absl::StrCat(
        "本人于", town.name, "反映：相关单位未按规定办理本人的",
        tree_.offices->CategoryName(category),
        "事项，多次联系无果，请求依法核实处理并书面答复。事实与理由：",
        "自去年以来多次向有关部门口头反映，均未得到明确答复，影响正常生活。"));
    *view->mutable_received_at() = time::ToProto(received);
    auto* d = view->mutable_decision();
    d->set_registering_office_code(p.bureau.code);
    d->set_registering_office_name(p.bureau.name);
    if (not_accepted) {
      d->set_disposition(caserelay::v1::DISPOSITION_NOT_ACCEPTED);
      d->add_rules(routing::kRuleStatutoryRoute);
      d->set_route(
          tree_.routes->For(caserelay::v1::STATUTORY_ROUTE_LITIGATION));
    } else {
      d->set_disposition(caserelay::v1::DISPOSITION_ASSIGN);
      d->set_target_office_code(p.government.code);
      d->set_target_office_name(p.government.name);
      d->add_rules(routing::kRuleTerritorialTiered);
      d->add_rules(routing::kRuleAssignToTownship);
    }
    *view->mutable_rules() = d->rules();
    if (!not_accepted) {
      AddDeadline(r, caserelay::v1::DEADLINE_KIND_TRANSFER, p.bureau, received,
                  Due());
    }
    r.mutable_petitioner()->set_id(absl::StrCat("P", i + 1));
    r.set_identity_key(absl::StrFormat("%064x", (i + 1) * 2654435761ULL));
    r.set_matter_key(routing::MatterKey(*m));
    r.set_first_time(true);

    Envelope e =
        Event(r, 1, caserelay::v1::CASE_ACTION_REGISTER,
              caserelay::v1::CASE_STATE_RECEIVED, "routing", "", received);
    auto* ev = e.mutable_case_event();
    *ev->mutable_decision() = *d;
    *ev->mutable_petitioner() = r.petitioner();
    ev->set_channel(m->channel());
    *ev->mutable_received_at() = view->received_at();
    ev->set_region_code(m->region_code());
    ev->set_category(m->category());
    ev->set_matter_class(m->matter_class());
    cases_.Append(batch, nullptr, r, e, &batch);
    ++pop_.events;
    if (p.steps > 1) pending_.push_back(std::move(p));
  }

  // Applies step p.next: ASSIGN, ACCEPT or EXTEND.
  void Advance(store::WriteBatch& batch, Pending p) {
    const RoutingCaseRecord before = p.record;
    RoutingCaseRecord& r = p.record;
    auto* view = r.mutable_view();
    const absl::Time at =
        time::FromProto(view->updated_at()) + absl::Hours(24 * p.next);
    caserelay::v1::CaseAction action;
    const Office* actor = &p.government;
    const Office& gov = p.government;
    if (p.next == 2) {
      action = caserelay::v1::CASE_ACTION_ASSIGN;
      actor = &p.bureau;
      view->set_state(caserelay::v1::CASE_STATE_ASSIGNED);
      view->set_office_code(gov.code);
      view->set_office_name(gov.name);
      view->set_sender_office_code(p.bureau.code);
      r.add_past_holders(p.bureau.code);
      *r.mutable_transferred_at() = time::ToProto(at);
      view->clear_deadlines();
      AddDeadline(r, caserelay::v1::DEADLINE_KIND_ACCEPTANCE, gov, at, Due());
      AddDeadline(
          r, caserelay::v1::DEADLINE_KIND_RESULT_REPORT, gov, at,
          options_.now + absl::Hours(24 * 60) +
              absl::Seconds(static_cast<int64_t>(rng_() % (60 * 86400))));
    } else {
      // The result report runs on; the other deadline is replaced.
      auto report = view->deadlines(view->deadlines_size() - 1);
      view->clear_deadlines();
      AddDeadline(r, caserelay::v1::DEADLINE_KIND_HANDLING, gov, at, Due());
      *view->add_deadlines() = report;
      action = p.next == 3 ? caserelay::v1::CASE_ACTION_ACCEPT
                           : caserelay::v1::CASE_ACTION_EXTEND;
      view->set_state(p.next == 3 ? caserelay::v1::CASE_STATE_ACCEPTED
                                  : caserelay::v1::CASE_STATE_EXTENDED);
      view->set_extended(p.next == 4);
    }
    Envelope e = Event(r, p.next, action, before.view().state(), actor->code,
                       actor->name, at);
    if (action == caserelay::v1::CASE_ACTION_EXTEND) {
      e.mutable_case_event()->set_extension_days(30);
    }
    e.mutable_case_event()->set_operator_(absl::StrCat("clerk-", rng_() % 50));
    cases_.Append(batch, &before, r, e, &batch);
    ++pop_.events;
    ++pop_.inbox_moves;
    if (p.next++ < p.steps) pending_.push_back(std::move(p));
  }

  store::Store& store_;
  const Tree& tree_;
  const PopulateOptions& options_;
  const routing::CaseStore cases_;
  std::mt19937_64 rng_;
  std::vector<const region::Region*> townships_;
  std::vector<double> cdf_;  // Zipf weights of townships_, cumulative
  absl::flat_hash_map<std::string, uint32_t> index_;  // office -> index
  std::vector<Pending> pending_;  // steps for the next batch
  Population pop_;
};

}  // namespace

absl::StatusOr<Population> Populate(store::Store& store, const Tree& tree,
                                    const PopulateOptions& options) {
  Writer writer(store, tree, options);
  return writer.Run();
}

}  // namespace caserelay::bench
