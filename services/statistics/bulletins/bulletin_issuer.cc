#include "services/statistics/bulletins/bulletin_issuer.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "services/statistics/bulletins/bulletin_html.h"

namespace caserelay::bulletins {

namespace v1 = caserelay::v1;

namespace {

std::string ChinaTimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", t, time::ChinaTimeZone());
}

}  // namespace

absl::Status BulletinIssuer::CaughtUp(const BulletinPeriod& period) const {
  const absl::Time end = time::StartOf(period.last + 1);
  const absl::Time through = progress_->AppliedThrough();
  if (through >= end) return absl::OkStatus();
  if (through == absl::InfinitePast()) {
    return absl::UnavailableError(absl::StrCat(
        "statistics has not yet established how far its index has applied "
        "case-events (no partition assigned or no answer from the broker "
        "yet); the bulletin of ",
        absl::FormatCivilTime(period.first), "..",
        absl::FormatCivilTime(period.last),
        " waits until it has applied them through ", ChinaTimeText(end)));
  }
  return absl::UnavailableError(absl::StrCat(
      "statistics has applied case-events through ", ChinaTimeText(through),
      " only, ", absl::FormatDuration(end - through),
      " behind the end of the period (", ChinaTimeText(end),
      "); the bulletin is issued once its index has caught up"));
}

absl::StatusOr<Issued> BulletinIssuer::Issue(const offices::Office& bureau,
                                             BulletinKind kind,
                                             absl::CivilDay day,
                                             bool scheduled) {
  if (bureau.kind != offices::OfficeKind::kBureau) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bureau_code: ", bureau.code, " 不是信访部门，只有信访部门印发通报"));
  }
  absl::StatusOr<BulletinPeriod> period = rules_->Covering(kind, day);
  if (!period.ok()) return period.status();
  const std::string id = BulletinId(bureau.code, kind, period->first);

  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<v1::Bulletin>> existing = store_->Find(id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return Issued{**existing, true};

  const absl::Time now = clock_->Now();
  if (now < time::StartOf(period->last + 1)) {
    return absl::FailedPreconditionError(
        absl::StrCat("该期", KindTitle(kind), "的统计期间（",
                     PeriodWords(*period), "）尚未结束，结束后方可印发"));
  }
  // Figures only from an index that has every event of the period.
  if (absl::Status caught_up = CaughtUp(*period); !caught_up.ok()) {
    return caught_up;
  }
  BulletinContent content;
  {
    absl::StatusOr<BulletinContent> figures = source_->Figures(bureau, *period);
    if (!figures.ok()) return figures.status();
    content = *std::move(figures);
  }
  content.bureau_code = bureau.code;
  content.bureau_name = bureau.name;
  content.period = *period;
  content.year = static_cast<int>(period->issue_day.year());
  absl::StatusOr<int> number =
      store_->NextNumber(bureau.code, kind, content.year);
  if (!number.ok()) return number.status();
  content.number = *number;
  content.issued_at = now;

  Documents documents;
  {
    absl::StatusOr<std::string> html = RenderHtml(content);
    if (!html.ok()) return html.status();
    documents.html = *std::move(html);
  }
  documents.csv = RenderCsv(content);
  {
    absl::StatusOr<std::string> pdf = renderer_->Render(documents.html);
    if (!pdf.ok()) return pdf.status();
    documents.pdf = *std::move(pdf);
  }

  v1::Bulletin record;
  record.set_id(id);
  record.set_bureau_code(bureau.code);
  record.set_kind(ToProto(kind));
  record.set_first_day(absl::FormatCivilTime(period->first));
  record.set_last_day(absl::FormatCivilTime(period->last));
  record.set_due_day(absl::FormatCivilTime(period->issue_day));
  record.set_year(content.year);
  record.set_number(content.number);
  record.set_title(Title(content));
  *record.mutable_issued_at() = time::ToProto(now);
  record.set_scheduled(scheduled);
  if (recorder_ != nullptr) return recorder_->Record(record, documents);
  absl::Status saved = store_->Save(record, documents, scheduled);
  if (!saved.ok()) return saved;
  return Issued{record, false};
}

}  // namespace caserelay::bulletins
