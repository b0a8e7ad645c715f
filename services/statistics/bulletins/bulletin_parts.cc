#include "services/statistics/bulletins/bulletin_parts.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log/log.h"
#include "common/time/calendar_setup.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;
using T = config::Setting::Type;

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  for (absl::string_view word :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    words.emplace_back(absl::StripAsciiWhitespace(word));
  }
  return words;
}

absl::StatusOr<absl::Weekday> ParseWeekday(const std::string& word) {
  const std::pair<const char*, absl::Weekday> days[] = {
      {"monday", absl::Weekday::monday},
      {"tuesday", absl::Weekday::tuesday},
      {"wednesday", absl::Weekday::wednesday},
      {"thursday", absl::Weekday::thursday},
      {"friday", absl::Weekday::friday},
      {"saturday", absl::Weekday::saturday},
      {"sunday", absl::Weekday::sunday}};
  for (const auto& [name, day] : days) {
    if (absl::AsciiStrToLower(word) == name) return day;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "config: bulletins.weekly_day \"", word, "\": monday ... sunday"));
}

// "HH:MM" as the time after midnight.
absl::StatusOr<absl::Duration> ParseTimeOfDay(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int hours = 0, minutes = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &hours) ||
      !absl::SimpleAtoi(parts[1], &minutes) || hours < 0 || hours > 23 ||
      minutes < 0 || minutes > 59) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: bulletins.issue_time \"", text, "\": HH:MM, China time"));
  }
  return absl::Hours(hours) + absl::Minutes(minutes);
}

absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat("day \"", text, "\": YYYY-MM-DD"));
  }
  return day;
}

}  // namespace

std::vector<config::Setting> BulletinSettings() {
  return {
      {"bulletins.bureaus", T::kString, "", false,
       "petition bureaus whose bulletins are issued on schedule, office codes "
       "separated by commas (e.g. 140000:bureau,140100:bureau); empty: none, "
       "bulletins only on request"},
      {"bulletins.kinds", T::kString, "daily,weekly,monthly", false,
       "the kinds issued on schedule: daily (每日信访), weekly (周通报), "
       "monthly (月分析)"},
      {"bulletins.issue_time", T::kString, "08:00", false,
       "the time of day (China time, HH:MM) a bulletin falls due on its day"},
      {"bulletins.weekly_day", T::kString, "monday", false,
       "the weekday the 周通报 of the week before falls due (the first "
       "working day from it)"},
      {"bulletins.monthly_day", T::kInt, "1", false,
       "the day of the month the 月分析 falls due (1-28; the first working "
       "day from it)",
       1, 28},
      {"bulletins.weasyprint", T::kString, "weasyprint", false,
       "the WeasyPrint program that renders the PDFs (PATH is searched)"},
      {"bulletins.pdf_timeout", T::kDuration, "120s", false,
       "how long one PDF may take before WeasyPrint is killed"},
      {"bulletins.retry_after", T::kDuration, "60s", false,
       "after a bulletin could not be issued, the wait before trying again"},
      {"calendar.dir", T::kPath, "data/holidays", false,
       "the holiday tables (State Council notices) the working days come "
       "from, as routing's"},
      {"calendar.uncovered_years", T::kString, "law", false,
       "a year without a table: 'law' (statutory holidays derived), "
       "'weekends' or 'refuse', as routing's"},
  };
}

absl::StatusOr<std::unique_ptr<BulletinParts>> BulletinParts::Create(
    const service::Context& context, const statistics::StatisticsQuery* query,
    const offices::OfficeDirectory* offices,
    const region::RegionTree* regions, const IndexProgress* progress) {
  const config::Config& cfg = *context.config;
  std::unique_ptr<BulletinParts> parts(new BulletinParts());
  parts->offices_ = offices;

  auto mode =
      time::ParseUncoveredYears(cfg.GetString("calendar.uncovered_years"));
  if (!mode.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: calendar.uncovered_years: ", mode.status().message()));
  }
  auto calendar = time::LoadCalendar(
      cfg.GetPath("calendar.dir"), *mode, [](absl::civil_year_t year) {
        log::Warn(
            "calendar: no State Council notice for this year; bulletin "
            "periods count the statutory holidays derived from the law",
            {{"year", std::to_string(year)}});
      });
  if (!calendar.ok()) return calendar.status();
  parts->calendar_ = std::make_unique<time::Calendar>(*std::move(calendar));
  auto weekday = ParseWeekday(cfg.GetString("bulletins.weekly_day"));
  if (!weekday.ok()) return weekday.status();
  auto rules = PeriodRules::Create(
      *parts->calendar_, *weekday,
      static_cast<int>(cfg.GetInt("bulletins.monthly_day")));
  if (!rules.ok()) return rules.status();
  parts->rules_ = std::make_unique<PeriodRules>(*rules);

  auto renderer = WeasyPrintRenderer::Create(
      {cfg.GetString("bulletins.weasyprint"),
       cfg.GetDuration("bulletins.pdf_timeout"), ""});
  if (!renderer.ok()) return renderer.status();
  parts->renderer_ = *std::move(renderer);
  parts->store_ = std::make_unique<BulletinStore>(context.store);
  parts->source_ =
      std::make_unique<QueryContentSource>(query, offices, regions);
  if (context.consumer_options && context.publisher != nullptr) {
    // Several instances (issue 19): every one follows the bulletins' topic
    // and records on it; the lease's holder issues on schedule.
    const kafka::ConsumerOptions client =
        context.consumer_options({kBulletinsTopic});
    auto reader = kafka::CreateKafkaPartitionReader(
        {client.bootstrap, "statistics-bulletins", client.extra});
    if (!reader.ok()) return reader.status();
    auto bulletin_log =
        BulletinLog::Create(context.store, parts->store_.get(),
                            context.publisher, *std::move(reader));
    if (!bulletin_log.ok()) return bulletin_log.status();
    parts->log_ = *std::move(bulletin_log);
    auto lease = IssuerLease::Create(client);
    if (!lease.ok()) return lease.status();
    parts->lease_ = *std::move(lease);
  }
  parts->issuer_ = std::make_unique<BulletinIssuer>(
      parts->store_.get(), parts->rules_.get(), parts->source_.get(),
      parts->renderer_.get(), context.clock, progress, parts->log_.get());

  ScheduleSettings schedule;
  for (const std::string& code : Words(cfg.GetString("bulletins.bureaus"))) {
    auto bureau = parts->BureauOf(code);
    if (!bureau.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: bulletins.bureaus: ", bureau.status().message()));
    }
    schedule.bureaus.push_back(*bureau);
  }
  schedule.kinds.clear();
  for (const std::string& word : Words(cfg.GetString("bulletins.kinds"))) {
    auto kind = ParseKind(word);
    if (!kind.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: bulletins.kinds: ", kind.status().message()));
    }
    schedule.kinds.push_back(*kind);
  }
  auto issue_time = ParseTimeOfDay(cfg.GetString("bulletins.issue_time"));
  if (!issue_time.ok()) return issue_time.status();
  schedule.issue_time = *issue_time;
  schedule.retry_after = cfg.GetDuration("bulletins.retry_after");
  if (parts->lease_ != nullptr) {
    // The holder issues once it has applied every bulletin recorded before
    // it took over (issuer_lease.h).
    schedule.may_issue = [lease = parts->lease_.get(),
                          bulletin_log = parts->log_.get()] {
      const std::optional<absl::Time> since = lease->HeldSince();
      return since.has_value() && bulletin_log->CaughtUpAt() > *since;
    };
  }
  parts->scheduled_ = !schedule.bureaus.empty() && !schedule.kinds.empty();
  parts->schedule_ = std::make_unique<BulletinSchedule>(
      parts->issuer_.get(), parts->store_.get(), parts->rules_.get(),
      context.clock, std::move(schedule));
  return parts;
}

void BulletinParts::Start() {
  if (log_ != nullptr) log_->Start();
  // Only an instance that may issue on schedule competes for the lease.
  if (lease_ != nullptr && scheduled_) lease_->Start();
  if (scheduled_) schedule_->Start();
}

void BulletinParts::Stop() {
  schedule_->Stop();
  if (lease_ != nullptr) lease_->Stop();
  // Record waits for the follower: it stops after the RPCs (the gRPC
  // server shuts down before Service::Stop).
  if (log_ != nullptr) log_->Stop();
}

absl::StatusOr<offices::Office> BulletinParts::BureauOf(
    absl::string_view bureau_code) const {
  auto office = offices_->Find(std::string(bureau_code));
  if (!office.ok() || office->kind != offices::OfficeKind::kBureau) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bureau_code: \"", bureau_code, "\" 不是信访部门（如 140000:bureau）"));
  }
  return *office;
}

absl::StatusOr<offices::Office> BulletinParts::BureauOfBulletin(
    absl::string_view id) const {
  auto record = store_->Find(id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat("没有通报 ", id));
  }
  return BureauOf((*record)->bureau_code());
}

absl::StatusOr<v1::IssueBulletinResponse> BulletinParts::Issue(
    const v1::IssueBulletinRequest& request) {
  auto bureau = BureauOf(request.bureau_code());
  if (!bureau.ok()) return bureau.status();
  auto kind = FromProto(request.kind());
  if (!kind.ok()) return kind.status();
  auto day = ParseDay(request.day());
  if (!day.ok()) return day.status();
  auto issued = issuer_->Issue(*bureau, *kind, *day, /*scheduled=*/false);
  if (!issued.ok()) return issued.status();
  v1::IssueBulletinResponse response;
  *response.mutable_bulletin() = issued->bulletin;
  response.set_already_issued(issued->already_issued);
  return response;
}

absl::StatusOr<v1::ListBulletinsResponse> BulletinParts::List(
    const v1::ListBulletinsRequest& request) const {
  auto bureau = BureauOf(request.bureau_code());
  if (!bureau.ok()) return bureau.status();
  if (request.page_size() < 0 || request.page_size() > 500) {
    return absl::InvalidArgumentError("page_size: 0 (50) to 500");
  }
  std::optional<BulletinKind> kind;
  if (request.kind() != v1::BULLETIN_KIND_UNSPECIFIED) {
    auto parsed = FromProto(request.kind());
    if (!parsed.ok()) return parsed.status();
    kind = *parsed;
  }
  auto page = store_->List(bureau->code, kind, request.year(),
                           request.page_size() == 0 ? 50 : request.page_size(),
                           request.page_token());
  if (!page.ok()) return page.status();
  v1::ListBulletinsResponse response;
  for (v1::Bulletin& bulletin : page->bulletins) {
    *response.add_bulletins() = std::move(bulletin);
  }
  response.set_next_page_token(page->next_page_token);
  response.set_total(page->total);
  return response;
}

absl::StatusOr<v1::GetBulletinResponse> BulletinParts::Get(
    const v1::GetBulletinRequest& request) const {
  auto record = store_->Find(request.id());
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat("没有通报 ", request.id()));
  }
  auto document = store_->Document(request.id(), request.format());
  if (!document.ok()) return document.status();
  v1::GetBulletinResponse response;
  *response.mutable_bulletin() = **record;
  switch (request.format()) {
    case v1::BULLETIN_FORMAT_PDF:
      response.set_format(v1::BULLETIN_FORMAT_PDF);
      response.set_content_type("application/pdf");
      break;
    case v1::BULLETIN_FORMAT_CSV:
      response.set_format(v1::BULLETIN_FORMAT_CSV);
      response.set_content_type("text/csv; charset=utf-8");
      break;
    default:
      response.set_format(v1::BULLETIN_FORMAT_HTML);
      response.set_content_type("text/html; charset=utf-8");
  }
  response.set_document(*std::move(document));
  return response;
}

}  // namespace caserelay::bulletins
