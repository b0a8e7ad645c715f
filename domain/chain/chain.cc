#include "domain/chain/chain.h"

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "common/digest/digest.h"

namespace caserelay::chain {

namespace {

Verdict Broken(uint64_t sequence, std::string reason) {
  Verdict v;
  v.intact = false;
  v.altered_sequence = sequence;
  v.reason = std::move(reason);
  return v;
}

}  // namespace

Verdict Verify(std::string_view case_id, const std::vector<std::string>& events,
               std::string_view head_hash) {
  const size_t n = events.size();
  std::vector<caserelay::v1::Envelope> parsed(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t seq = i + 1;
    if (!parsed[i].ParseFromString(events[i])) {
      return Broken(seq, absl::StrCat("event ", seq, " does not parse"));
    }
    if (parsed[i].case_id() != case_id) {
      return Broken(seq, absl::StrCat("event ", seq, " names case ",
                                      parsed[i].case_id().substr(0, 64)));
    }
    if (parsed[i].sequence() != seq) {
      return Broken(0, absl::StrCat("event ", seq, " carries sequence ",
                                    parsed[i].sequence(),
                                    ": events are missing or reordered"));
    }
  }
  // link_ok[i]: event i carries the hash of event i-1 (event 0: none);
  // link_ok[n]: the head hash matches the last event.
  std::vector<bool> link_ok(n + 1, true);
  for (size_t i = 0; i < n; ++i) {
    std::string expected =
        i == 0 ? std::string() : digest::Sha256(events[i - 1]);
    link_ok[i] = parsed[i].prev_hash() == expected;
  }
  link_ok[n] =
      head_hash.empty() || n == 0 || digest::Sha256(events[n - 1]) == head_hash;
  for (size_t j = 0; j <= n; ++j) {
    if (link_ok[j]) continue;
    if (j == n) {
      return Broken(
          n, absl::StrCat("event ", n, " does not match the case's head hash"));
    }
    if (j == 0 || !link_ok[j + 1]) {
      return Broken(j + 1,
                    absl::StrCat("event ", j + 1, " was altered: ",
                                 j == 0 ? "the first event carries a hash"
                                        : "its hash and its predecessor's "
                                          "link both fail"));
    }
    return Broken(j, absl::StrCat("event ", j, " was altered: event ", j + 1,
                                  " carries a different hash of it"));
  }
  return Verdict{};
}

}  // namespace caserelay::chain
