#include "tools/casectl/supervise_command.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/lifecycle/lifecycle.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

struct Word {
  const char* word;
  int value;
};

// 2005 Art. 36 items 1-6 (SupervisionGround).
const std::vector<Word>& Grounds() {
  static const auto* const kWords = new std::vector<Word>{
      {"missed-deadline", v1::SUPERVISION_GROUND_MISSED_DEADLINE},
      {"not-reported", v1::SUPERVISION_GROUND_RESULT_NOT_REPORTED},
      {"procedure", v1::SUPERVISION_GROUND_PROCEDURE_BREACHED},
      {"shirking", v1::SUPERVISION_GROUND_SHIRKING},
      {"not-carried-out", v1::SUPERVISION_GROUND_OPINION_NOT_CARRIED_OUT},
      {"other", v1::SUPERVISION_GROUND_OTHER},
  };
  return *kWords;
}

const std::vector<Word>& Kinds() {
  static const auto* const kWords = new std::vector<Word>{
      {"improvement", v1::RECOMMENDATION_KIND_IMPROVEMENT},
      {"accountability", v1::RECOMMENDATION_KIND_ACCOUNTABILITY},
  };
  return *kWords;
}

std::string Join(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const Word& w : words) out.push_back(w.word);
  return absl::StrJoin(out, "|");
}

const Word* Find(const std::vector<Word>& words, const std::string& word) {
  for (const Word& w : words) {
    if (word == w.word) return &w;
  }
  return nullptr;
}

}  // namespace

std::string GroundChoices() { return Join(Grounds()); }
std::string RecommendationKindChoices() { return Join(Kinds()); }

absl::StatusOr<v1::RecommendationKind> ParseRecommendationKind(
    const std::string& word) {
  const Word* w = Find(Kinds(), word);
  if (w == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--kind must be ", RecommendationKindChoices(), "; got '", word, "'"));
  }
  return static_cast<v1::RecommendationKind>(w->value);
}

const std::vector<FlagSpec>& SuperviseFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"ground", FlagKind::kValue, false, "G",
       "the ground (2005 Art. 36): " + GroundChoices() + " (required)"},
      {"target", FlagKind::kValue, false, "OFFICE",
       "the office supervised (default: the case's holder)"},
      {"level", FlagKind::kValue, false, "L",
       "letter (督办函, default) or listed (挂牌督办)"},
      {"reason", FlagKind::kValue, false, "R",
       "the bureau's reason (required for --ground other); no personal data"},
  };
  return *kFlags;
}

absl::StatusOr<v1::SuperviseRequest> SuperviseRequestOf(
    const ParsedFlags& flags) {
  if (flags.positional().size() != 1 || flags.positional()[0].empty()) {
    return absl::InvalidArgumentError("supervise takes CASE");
  }
  v1::SuperviseRequest req;
  req.set_case_id(flags.positional()[0]);
  const std::string ground = flags.Value("ground");
  const Word* g = Find(Grounds(), ground);
  if (g == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("supervise needs --ground ", GroundChoices(),
                     ground.empty() ? "" : absl::StrCat("; got '", ground, "'")));
  }
  req.set_ground(static_cast<v1::SupervisionGround>(g->value));
  req.set_target_office_code(flags.Value("target"));
  const std::string level = flags.Value("level");
  if (level.empty() || level == "letter") {
    req.set_level(v1::SUPERVISION_LEVEL_LETTER);
  } else if (level == "listed") {
    req.set_level(v1::SUPERVISION_LEVEL_LISTED);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--level must be letter or listed; got '", level, "'"));
  }
  req.set_reason(flags.Value("reason"));
  return req;
}

absl::Status RunSupervise(v1::SupervisionService::StubInterface& supervision,
                          const v1::SuperviseRequest& request,
                          const PrintOptions& options, std::ostream& out) {
  v1::SuperviseResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return supervision.Supervise(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  const v1::SupervisionIssued& i = resp.supervision();
  out << "督办 " << i.supervision_id() << ": "
      << (i.level() == v1::SUPERVISION_LEVEL_LISTED ? "listed (挂牌督办)"
                                                    : "letter (督办函)")
      << " by hand, " << i.issuer_office_name() << " (" << i.issuer_office_code()
      << ") → " << i.target_office_name() << " (" << i.target_office_code()
      << "), 事由 " << lifecycle::GroundWords(i.ground());
  if (!i.reason().empty()) out << ": " << i.reason();
  out << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
