#include "services/routing/routing_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/transitions.h"

namespace caserelay::routing {

namespace {

using caserelay::v1::CaseState;
using caserelay::v1::RoutingCaseRecord;

// Where a case of the same matter stands, for the rules on repeats, items
// in progress below and terminated matters (DOMAIN.md "Routing").
PriorCase PriorOf(const RoutingCaseRecord& r, absl::Time now) {
  PriorCase p;
  p.case_id = r.view().case_id();
  p.state = r.view().state();
  p.holder_office_code = r.view().office_code();
  p.terminated = r.view().state() == caserelay::v1::CASE_STATE_TERMINATED ||
                 r.has_terminated_at();
  // Open: a repeat may still be linked to it (the life cycle's table).
  p.open =
      lifecycle::FindTransition(
          r.view().state(), caserelay::v1::CASE_ACTION_LINK_REPEAT) != nullptr;
  // The handling time limits only: a late reply to a supervision (督办)
  // is the office's debt to the bureau, not the petitioner's.
  p.within_time_limit = true;
  for (const auto& d : r.view().deadlines()) {
    if (d.kind() == caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY) continue;
    if (!d.has_paused_at() && time::FromProto(d.due_at()) <= now) {
      p.within_time_limit = false;
    }
  }
  return p;
}

}  // namespace

RoutingServiceImpl::RoutingServiceImpl(const service::Context& context,
                                       RoutingParts parts)
    : context_(context),
      parts_(parts),
      cases_(context.store),
      access_(parts.offices) {}

absl::StatusOr<caserelay::v1::RouteDecision> RoutingServiceImpl::Decide(
    const caserelay::v1::Matter& matter, const std::string& identity_key,
    const CaseReader& read, absl::Time now,
    const std::vector<std::string>& uncommitted,
    std::vector<RoutingCaseRecord>* same_matter,
    const std::string& except_case) const {
  RouteInput input;
  input.matter = matter;
  if (!identity_key.empty()) {
    auto same =
        cases_.SameMatter(read, identity_key, MatterKey(matter), uncommitted);
    if (!same.ok()) return same.status();
    if (!except_case.empty()) {
      same->erase(std::remove_if(same->begin(), same->end(),
                                 [&](const RoutingCaseRecord& r) {
                                   return r.view().case_id() == except_case;
                                 }),
                  same->end());
    }
    for (const auto& r : *same) input.same_matter.push_back(PriorOf(r, now));
    if (same_matter != nullptr) *same_matter = *std::move(same);
  }
  return parts_.router->Decide(input);
}

absl::Status RoutingServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                       store::WriteBatch& batch) {
  switch (event.payload_case()) {
    case caserelay::v1::Envelope::kPetitionReceived:
      return ApplyPetition(event, batch);
    case caserelay::v1::Envelope::kSupervisionIssued:
      return ApplySupervision(event, batch);
    case caserelay::v1::Envelope::kDeadlineWarning:
    case caserelay::v1::Envelope::kDeadlineMissed:
    // 群体访 alerts are the bureau's watch (issue 18 item 3), not the case's.
    case caserelay::v1::Envelope::kGroupPetitionAlert:
      return absl::OkStatus();  // lights are supervision's; 督办 is recorded
    default:
      return absl::InvalidArgumentError(
          "routing: expected PetitionReceived (petitions) or "
          "SupervisionIssued (supervision-events)");
  }
}

absl::Status RoutingServiceImpl::ApplyPetition(
    const caserelay::v1::Envelope& event, store::WriteBatch& batch) {
  const auto& petition = event.petition_received();
  if (petition.case_number().empty() ||
      petition.case_number() != event.case_id()) {
    return absl::InvalidArgumentError(
        "petitions: case number missing or not the key");
  }
  absl::MutexLock lock(&mu_);
  auto known = cases_.Read(batch, event.case_id());
  if (!known.ok()) return known.status();
  if (known->has_value()) return absl::OkStatus();  // registered before

  const absl::Time now = context_.clock->Now();
  const std::string matter_key = MatterKey(petition.matter());
  const std::string matter_of =
      absl::StrCat(petition.identity_key(), std::string(1, '\0'), matter_key);
  std::vector<RoutingCaseRecord> same;
  // The earlier cases through the batch: with partitioned state only those
  // of this case's partition (the `matters` gap, README), so a repeat's
  // open case is in the same batch's DB.
  auto decision = Decide(
      petition.matter(), petition.identity_key(),
      [this, &batch](const std::string& id) { return cases_.Read(batch, id); },
      now, pending_matters_[matter_of], &same);
  if (absl::IsInvalidArgument(decision.status())) {
    // Intake checks the matter against the same tables (ValidateMatter),
    // so this is a petition intake took under other tables or before it
    // checked them: it holds a case number, so the receiving bureau
    // triages it with the reason rather than it going to dead letters.
    decision =
        parts_.router->Triage(petition.matter(), decision.status().message());
  }
  if (!decision.ok()) return decision.status();

  RoutingCaseRecord record;
  auto registered =
      parts_.lifecycle->Register(petition, *decision, now, record);
  if (!registered.ok()) return registered.status();
  record.set_identity_key(petition.identity_key());
  record.set_matter_key(matter_key);
  record.set_first_time(same.empty());

  // The open case a repeat is linked to, checked before anything is
  // written (a failure must leave the batch untouched).
  const RoutingCaseRecord* open_before = nullptr;
  RoutingCaseRecord open_after;
  caserelay::v1::CaseEvent linked;
  if (decision->disposition() == caserelay::v1::DISPOSITION_LINKED_REPEAT) {
    for (const auto& r : same) {
      if (r.view().case_id() == decision->linked_case_id()) open_before = &r;
    }
    if (open_before == nullptr) {
      return absl::InternalError(
          absl::StrCat("routing: repeat linked to unknown case ",
                       decision->linked_case_id()));
    }
    open_after = *open_before;
    auto link = parts_.lifecycle->LinkRepeat(event.case_id(), now, open_after);
    if (!link.ok()) return link.status();
    linked = *std::move(link);
  }

  if (partitioned()) {
    // `matters` is instance-local: written ahead of the case (a committed
    // case is never missing from it; an entry whose case never commits
    // reads as no case), before anything goes into `batch` (a retried
    // Apply must find the batch untouched).
    store::WriteBatch ahead(context_.store);
    CaseStore::IndexMatter(ahead, nullptr, record);
    if (!ahead.empty()) {
      if (auto c = context_.store->Commit(ahead); !c.ok()) return c.status();
    }
  }
  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(event.event_id(), "/registered"));
  out.set_case_id(event.case_id());
  out.set_producer("routing");
  *out.mutable_occurred_at() = time::ToProto(now);
  *out.mutable_case_event() = *std::move(registered);
  cases_.Append(batch, nullptr, record, out,
                partitioned() ? nullptr : &batch);
  if (!petition.identity_key().empty()) {
    pending_matters_[matter_of].push_back(event.case_id());
  }

  if (open_before != nullptr) {
    caserelay::v1::Envelope link_out;
    link_out.set_event_id(absl::StrCat(event.event_id(), "/linked"));
    link_out.set_case_id(open_before->view().case_id());
    link_out.set_producer("routing");
    *link_out.mutable_occurred_at() = time::ToProto(now);
    *link_out.mutable_case_event() = std::move(linked);
    cases_.Append(batch, open_before, open_after, link_out,
                  partitioned() ? nullptr : &batch);
    pending_[open_before->view().case_id()] = open_after.view().version();
  }
  return absl::OkStatus();
}

absl::Status RoutingServiceImpl::ApplySupervision(
    const caserelay::v1::Envelope& event, store::WriteBatch& batch) {
  const caserelay::v1::SupervisionIssued& issued = event.supervision_issued();
  const std::string& id = event.case_id();
  if (id.empty()) {
    return absl::InvalidArgumentError("supervision-events: case id missing");
  }
  if (!event.has_occurred_at()) {
    return absl::InvalidArgumentError(
        "supervision-events: occurred_at unset (the reply deadline starts "
        "there)");
  }
  absl::MutexLock lock(&mu_);
  auto known = cases_.Read(batch, id);
  if (!known.ok()) return known.status();
  if (!known->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("supervision-events: no case ", id.substr(0, 64)));
  }
  const std::string pending_key =
      absl::StrCat(id, std::string(1, '\0'), issued.supervision_id());
  if (pending_supervisions_.contains(pending_key)) return absl::OkStatus();
  auto db = DbOfCase(id);
  if (!db.ok()) return db.status();
  auto recorded = db->cases().HasSupervision(id, issued.supervision_id());
  if (!recorded.ok()) return recorded.status();
  if (*recorded) return absl::OkStatus();  // a replay

  const caserelay::v1::RoutingCaseRecord& before = **known;
  caserelay::v1::RoutingCaseRecord after = before;
  const absl::Time now = context_.clock->Now();
  auto supervised = parts_.lifecycle->Supervise(
      issued, time::FromProto(event.occurred_at()), now, after);
  if (absl::IsAlreadyExists(supervised.status())) return absl::OkStatus();
  if (!supervised.ok()) return supervised.status();

  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(event.event_id(), "/supervised"));
  out.set_case_id(id);
  out.set_producer("routing");
  *out.mutable_occurred_at() = time::ToProto(now);
  *out.mutable_case_event() = *std::move(supervised);
  cases_.Append(batch, &before, after, out, partitioned() ? nullptr : &batch);
  pending_[id] = after.view().version();
  pending_supervisions_.insert(pending_key);
  return absl::OkStatus();
}

void RoutingServiceImpl::Committed() {
  absl::MutexLock lock(&mu_);
  // Every input of a round is applied before its first commit, so the
  // batch's bookkeeping of matters and supervisions ends here.
  pending_matters_.clear();
  pending_supervisions_.clear();
  if (!partitioned()) {
    pending_.clear();
    return;
  }
  // Partitioned: this is called after each partition's commit; a case
  // stays pending until its committed version is the one its batch wrote
  // (or its partition left: nothing of it is in hand any more).
  for (auto it = pending_.begin(); it != pending_.end();) {
    bool done = true;
    if (auto db = DbOfCase(it->first); db.ok()) {
      auto record = db->cases().Read(it->first);
      done = !record.ok() || !record->has_value() ||
             (*record)->view().version() >= it->second;
    }
    if (done) {
      pending_.erase(it++);
    } else {
      ++it;
    }
  }
}

absl::StatusOr<std::string> RoutingServiceImpl::Caller(
    const grpc::ServerContext& ctx, access::PetitionerCall call) const {
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(parts_.auth, ctx);
  if (!caller.ok()) return caller.status();
  if (caller->IsPetitioner()) {
    absl::Status refused =
        access::PetitionerMay(caller->petitioner_case, call, "");
    if (!refused.ok()) return refused;
    return absl::InternalError("routing: a petitioner's call as an office's");
  }
  return rpc::ActingOffice(*caller);
}

absl::StatusOr<Actor> RoutingServiceImpl::ActorOf(
    const grpc::ServerContext& ctx, access::PetitionerCall call) const {
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(parts_.auth, ctx);
  if (!caller.ok()) return caller.status();
  if (caller->IsPetitioner()) {
    absl::Status refused =
        access::PetitionerMay(caller->petitioner_case, call, "");
    if (!refused.ok()) return refused;
    return absl::InternalError("routing: a petitioner's call as an office's");
  }
  absl::StatusOr<std::string> office = rpc::ActingOffice(*caller);
  if (!office.ok()) return office.status();
  return ActorFor(*caller, *std::move(office));
}

absl::Status RoutingServiceImpl::ReadAs(const Actor& actor,
                                        const RoutingCaseRecord& record) const {
  // The person's roles first (roles.h: the holder, a past holder or a
  // party of the life cycle for kOffice), then the office's access rule.
  if (absl::Status s = access::MayReadCaseAs(
          actor.roles, actor.office, PartiesOf(actor.office, record));
      !s.ok()) {
    return s;
  }
  return MayRead(actor.office, record);
}

void RoutingServiceImpl::FillAllowed(const Actor& actor,
                                     const RoutingCaseRecord& record,
                                     caserelay::v1::CaseView* view) const {
  view->clear_allowed_actions();
  const absl::Time now = context_.clock->Now();
  for (auto& a : AllowedActions(actor, record,
                                [&](caserelay::v1::CaseAction action) {
                                  // What may be done now: MayAct, a
                                  // reply only to an outstanding 督办, a
                                  // recommendation only after one.
                                  return MayAct(actor.office, action, record)
                                             .ok() &&
                                         parts_.lifecycle
                                             ->MayOffer(actor.office, action,
                                                        record, now)
                                             .ok();
                                })) {
    *view->add_allowed_actions() = std::move(a);
  }
}

absl::Status RoutingServiceImpl::NotAccused(
    const std::string& office,
    const google::protobuf::RepeatedPtrField<std::string>& accused,
    const std::string& case_id) const {
  if (accused.empty()) return absl::OkStatus();
  return access_.NotAccused(
      office, std::vector<std::string>(accused.begin(), accused.end()),
      case_id);
}

absl::Status RoutingServiceImpl::MayRead(
    const std::string& office, const RoutingCaseRecord& record) const {
  return access_.MayRead(office, PartiesOf(office, record));
}

absl::Status RoutingServiceImpl::MaySeePetitioner(
    const std::string& office, const RoutingCaseRecord& record) const {
  return access_.MaySeePetitioner(office, PartiesOf(office, record));
}

access::CaseParties RoutingServiceImpl::PartiesOf(
    const std::string& office, const RoutingCaseRecord& record) const {
  const caserelay::v1::CaseView& view = record.view();
  access::CaseParties parties;
  parties.case_id = view.case_id();
  parties.acting_offices = {view.office_code()};
  parties.past_holders.assign(record.past_holders().begin(),
                              record.past_holders().end());
  parties.accused.emplace(view.matter().accused_offices().begin(),
                          view.matter().accused_offices().end());
  // A party the life cycle names (e.g. a review organ, Arts. 35-36, before
  // it takes the request) reads the case it may act on.
  if (parts_.lifecycle->IsPartyOf(office, record).ok()) {
    parties.parties.push_back(office);
  }
  return parties;
}

absl::Status RoutingServiceImpl::MayAct(const std::string& office,
                                        caserelay::v1::CaseAction action,
                                        const RoutingCaseRecord& record) const {
  if (absl::Status s =
          NotAccused(office, record.view().matter().accused_offices(),
                     record.view().case_id());
      !s.ok()) {
    return s;
  }
  // The one access rule: the party the life cycle's table names for the
  // action (holder, handler, review organs, supervised office).
  return parts_.lifecycle->MayTake(office, action, record);
}

}  // namespace caserelay::routing
