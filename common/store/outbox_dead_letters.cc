#include "common/store/outbox_dead_letters.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace caserelay::store {
namespace {

constexpr char kDeadLetters[] = "dead-letters";

std::string Key(uint64_t seq) {
  return absl::StrFormat("%s%020u", kOutboxDeadLetterPrefix, seq);
}

// Value: reason LF at(RFC 3339) LF topic LF key LF value. The first four
// fields never hold a line feed (the reason's are replaced; topics and case
// ids have none).
std::string Encode(const OutboxDeadLetter& l) {
  return absl::StrCat(
      absl::StrReplaceAll(l.reason, {{"\n", " "}, {"\r", " "}}), "\n",
      absl::FormatTime(absl::RFC3339_full, l.at, absl::UTCTimeZone()), "\n",
      l.record.topic, "\n", absl::StrReplaceAll(l.record.key, {{"\n", " "}}),
      "\n", l.record.value);
}

bool Decode(std::string_view key, std::string_view v, OutboxDeadLetter* l) {
  std::string_view digits = key.substr(sizeof(kOutboxDeadLetterPrefix) - 1);
  if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()),
                        &l->record.seq)) {
    return false;
  }
  std::string_view fields[4];
  for (auto& f : fields) {
    size_t lf = v.find('\n');
    if (lf == std::string_view::npos) return false;
    f = v.substr(0, lf);
    v.remove_prefix(lf + 1);
  }
  l->reason = std::string(fields[0]);
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full,
                       absl::string_view(fields[1].data(), fields[1].size()),
                       &l->at, &err)) {
    return false;
  }
  l->record.topic = std::string(fields[2]);
  l->record.key = std::string(fields[3]);
  l->record.value = std::string(v);
  return true;
}

}  // namespace

absl::Status MoveToOutboxDeadLetters(Store& store,
                                     const OutboxDeadLetter& letter) {
  WriteBatch batch(&store);
  batch.Put(kDeadLetters, Key(letter.record.seq), Encode(letter));
  if (auto written = store.Commit(batch); !written.ok()) {
    return written.status();
  }
  return store.DeleteOutbox({letter.record.seq});
}

absl::StatusOr<std::vector<OutboxDeadLetter>> ListOutboxDeadLetters(
    const Store& store) {
  std::vector<OutboxDeadLetter> out;
  bool corrupt = false;
  absl::Status s = store.ScanPrefix(
      kDeadLetters, kOutboxDeadLetterPrefix,
      [&](std::string_view k, std::string_view v) {
        OutboxDeadLetter l;
        if (!Decode(k, v, &l)) {
          corrupt = true;
          return false;
        }
        out.push_back(std::move(l));
        return true;
      });
  if (!s.ok()) return s;
  if (corrupt) {
    return absl::DataLossError("store: corrupt outbox dead letter");
  }
  return out;
}

std::string FormatOutboxDeadLetters(
    const std::vector<OutboxDeadLetter>& letters) {
  std::string out = "seq\ttopic\tkey\tbytes\tat\treason\n";
  for (const OutboxDeadLetter& l : letters) {
    absl::StrAppend(
        &out, l.record.seq, "\t", l.record.topic, "\t", l.record.key, "\t",
        l.record.key.size() + l.record.value.size(), "\t",
        absl::FormatTime(absl::RFC3339_sec, l.at, absl::UTCTimeZone()), "\t",
        l.reason, "\n");
  }
  return out;
}

}  // namespace caserelay::store
