// Leaders' reception days (领导接访 / 下访 / 带案下访, issue 18 item 1): the
// rules of the published schedule intake keeps (services/intake/README.md
// "Receptions"), apart from its store and transport.
//
//   - A reception names its leader (姓名, 职务), a kind (ReceptionKind), a
//     day (China date, today or later, at most max_days_ahead ahead) and a
//     place; a topic is optional. Issue 18 item 1: "a schedule of reception
//     days per office (leader, date, place, topic), published".
//   - It may be cancelled only before its day, once: a petitioner who
//     plans to come must learn it in time; on the day the visits it
//     received are recorded against it.
//   - A visit is registered at a reception only by the office holding it,
//     on its day, as a visit (走访, Art. 17), and not if it was cancelled:
//     "a visit registered at a reception records the leader and the batch".
//
// Who may publish or cancel is domain/access (reception_access.h).
//
// Messages name the field first, then say in Chinese what to fix (the
// console shows them beside the field); a rule's refusal cites the rule.
// Pure functions, thread-safe.

#ifndef CASERELAY_DOMAIN_RECEPTION_RECEPTION_H_
#define CASERELAY_DOMAIN_RECEPTION_RECEPTION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.pb.h"

namespace caserelay::reception {

inline constexpr char kRuleSchedule[] =
    "issue 18 item 1: an office publishes its leaders' reception days "
    "(leader, date, place, topic)";
inline constexpr char kRuleCancel[] =
    "issue 18 item 1: a published reception is cancelled before its day, "
    "so those who plan to come learn it in time";
inline constexpr char kRuleVisit[] =
    "issue 18 item 1 and Art. 17 (走访): a visit is registered at a "
    "reception by the office holding it, on its day";

// The size bounds of a reception's text fields, in code points.
struct ReceptionBounds {
  int max_leader_chars = 20;
  int max_title_chars = 30;
  int max_place_chars = 100;
  int max_topic_chars = 200;
  int max_days_ahead = 366;  // a schedule for at most a year ahead
};

// "YYYY-MM-DD" as a day; INVALID_ARGUMENT "<field>: 请按 年-月-日 填写日期，
// 例如 2026-03-04" otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field,
                                        absl::string_view text);
// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// OK if `req` may be published on `today` (China): leader_name,
// leader_title and place given and within `bounds`, topic within them, a
// known kind other than UNSPECIFIED, day a date from today to
// today + max_days_ahead. INVALID_ARGUMENT naming the first bad field
// otherwise. office_code is the caller's business (access).
absl::Status ValidatePublish(const caserelay::v1::PublishReceptionRequest& req,
                             absl::CivilDay today,
                             const ReceptionBounds& bounds = {});

// OK if `reception` may be cancelled on `today`: not cancelled and today
// before its day; FAILED_PRECONDITION citing kRuleCancel otherwise.
absl::Status CheckCancel(const caserelay::v1::Reception& reception,
                         absl::CivilDay today);

// OK if a visit (`channel`) registered by `office` on `today` may be
// recorded at `reception`; FAILED_PRECONDITION "reception_id: <Chinese
// reason> (<kRuleVisit>)" when it was cancelled, is another office's or
// another day's, or the petition is no visit (CHANNEL_VISIT).
absl::Status CheckVisit(const caserelay::v1::Reception& reception,
                        absl::string_view office,
                        caserelay::v1::Channel channel, absl::CivilDay today);

// The reference a visit's PetitionReceived carries (its day as 00:00 China
// time). REQUIRES: reception.day parses (it was validated when published).
caserelay::v1::ReceptionRef RefOf(const caserelay::v1::Reception& reception);

// "JF<yyyymmdd>-<seq, at least 4 digits>": the id of the `seq`-th
// reception published on `published` (China date).
std::string ReceptionId(absl::CivilDay published, uint64_t seq);

// True for a string ReceptionId could have made (letters, digits and '-',
// at most 32 bytes), before any look-up.
bool MayBeReceptionId(absl::string_view id);

}  // namespace caserelay::reception

#endif  // CASERELAY_DOMAIN_RECEPTION_RECEPTION_H_
