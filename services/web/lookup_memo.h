// What intake answered to a session's look-up (issue 15 item 2), kept while
// routing has not registered the case yet: the look-up and then /my-case
// show intake's state and its plain-Chinese text (GetCaseStatusResponse
// .state_text) instead of an error until routing knows the case. The
// answer holds no personal data (case number, state, office, dates) and
// the look-up code is never kept: /my-case cannot ask intake again.
//
// Bounded: at most `capacity` sessions; an entry lives until its session's
// expiry; a full memo drops the entry that expires first.
//
// Thread-safe.
#ifndef CASERELAY_SERVICES_WEB_LOOKUP_MEMO_H_
#define CASERELAY_SERVICES_WEB_LOOKUP_MEMO_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/routing.pb.h"

namespace caserelay::web {

class LookupMemo {
 public:
  explicit LookupMemo(size_t capacity = 10000) : capacity_(capacity) {}

  // Keeps intake's `status` for session `session_id` until `expires_at`.
  void Remember(const std::string& session_id,
                const caserelay::v1::GetCaseStatusResponse& status,
                absl::Time expires_at);
  // Intake's answer kept for `session_id` about `case_id`, unexpired at
  // `now`; nullopt otherwise.
  std::optional<caserelay::v1::GetCaseStatusResponse> Find(
      const std::string& session_id, const std::string& case_id,
      absl::Time now) const;
  // Forgets `session_id` (routing knows the case now, or a log-out).
  void Forget(const std::string& session_id);

 private:
  struct Entry {
    caserelay::v1::GetCaseStatusResponse status;
    absl::Time expires_at;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

// The petitioner's view of what intake answered, before routing registered
// the case: its number, state and intake's text of it, the office and the
// receipt. Nothing is computed: every field is intake's.
caserelay::v1::PetitionerView ViewFromIntake(
    const caserelay::v1::GetCaseStatusResponse& status);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_LOOKUP_MEMO_H_
