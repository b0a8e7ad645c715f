#include "tools/casectl/bulletin_commands.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/file/file.h"
#include "common/rpc/principal.h"
#include "common/time/timestamp.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

absl::StatusOr<v1::BulletinKind> KindOf(const std::string& word,
                                        const std::string& what) {
  if (word == "daily") return v1::BULLETIN_KIND_DAILY;
  if (word == "weekly") return v1::BULLETIN_KIND_WEEKLY;
  if (word == "monthly") return v1::BULLETIN_KIND_MONTHLY;
  return absl::InvalidArgumentError(absl::StrCat(
      what, " must be daily, weekly or monthly; got '", word, "'"));
}

absl::StatusOr<v1::BulletinFormat> FormatOf(const std::string& word) {
  if (word.empty() || word == "html") return v1::BULLETIN_FORMAT_HTML;
  if (word == "pdf") return v1::BULLETIN_FORMAT_PDF;
  if (word == "csv") return v1::BULLETIN_FORMAT_CSV;
  return absl::InvalidArgumentError(
      absl::StrCat("--format must be html, pdf or csv; got '", word, "'"));
}

absl::StatusOr<std::string> OfficeOf(const ParsedFlags& flags) {
  const std::string office = flags.Value("office");
  if (office.empty()) {
    return absl::InvalidArgumentError("--office BUREAU is required");
  }
  if (!rpc::IsOfficeCode(office)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--office must be an office code such as 140000:bureau; got '", office,
        "'"));
  }
  return office;
}

absl::StatusOr<int> PositiveOf(const ParsedFlags& flags, const char* flag) {
  const std::string text = flags.Value(flag);
  if (text.empty()) return 0;
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, " must be a positive number; got '", text, "'"));
  }
  return value;
}

// Writes `bytes` to `path`, or to `out` when path is empty.
absl::Status Write(const std::string& path, const std::string& bytes,
                   std::ostream& out) {
  if (path.empty()) {
    out << bytes;
    return absl::OkStatus();
  }
  return file::WriteFileAtomically(path, bytes);
}

}  // namespace

absl::StatusOr<BulletinCommand> BulletinCommandOf(const ParsedFlags& flags) {
  const std::vector<std::string>& words = flags.positional();
  BulletinCommand command;
  const std::string verb = words.empty() ? "" : words[0];
  command.out = flags.Value("out");
  auto format = FormatOf(flags.Value("format"));
  if (!format.ok()) return format.status();
  command.get.set_format(*format);
  if (verb == "get") {
    if (words.size() != 2) {
      return absl::InvalidArgumentError("bulletin get takes the bulletin's ID");
    }
    command.verb = BulletinCommand::Verb::kGet;
    command.get.set_id(words[1]);
    return command;
  }
  if (words.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("bulletin ", verb, " takes no ID (bulletin get ID does)"));
  }
  auto office = OfficeOf(flags);
  if (!office.ok()) return office.status();
  if (verb == "list") {
    command.verb = BulletinCommand::Verb::kList;
    command.list.set_bureau_code(*office);
    if (!flags.Value("kind").empty()) {
      auto kind = KindOf(flags.Value("kind"), "--kind");
      if (!kind.ok()) return kind.status();
      command.list.set_kind(*kind);
    }
    auto year = PositiveOf(flags, "year");
    if (!year.ok()) return year.status();
    command.list.set_year(*year);
    auto limit = PositiveOf(flags, "limit");
    if (!limit.ok()) return limit.status();
    command.list.set_page_size(*limit);
    command.list.set_page_token(flags.Value("page-token"));
    return command;
  }
  auto kind = KindOf(verb, "the first word (or list, get)");
  if (!kind.ok()) return kind.status();
  const std::string date = flags.Value("date");
  absl::CivilDay day;
  if (!absl::ParseCivilTime(date, &day) || absl::FormatCivilTime(day) != date) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--date YYYY-MM-DD (a day the bulletin covers) is required; got '",
        date, "'"));
  }
  command.verb = BulletinCommand::Verb::kIssue;
  command.issue.set_bureau_code(*office);
  command.issue.set_kind(*kind);
  command.issue.set_day(date);
  return command;
}

absl::Status RunBulletin(v1::StatisticsService::StubInterface& statistics,
                         const BulletinCommand& command,
                         const PrintOptions& options, std::ostream& out,
                         std::ostream& err) {
  if (command.verb == BulletinCommand::Verb::kList) {
    v1::ListBulletinsResponse resp;
    absl::Status s = Call([&](grpc::ClientContext* ctx) {
      return statistics.ListBulletins(ctx, command.list, &resp);
    });
    if (!s.ok()) return s;
    if (options.json) return PrintJson(resp, out);
    out << "共 " << resp.total() << " 期\n";
    for (const v1::Bulletin& b : resp.bulletins()) {
      out << b.id() << "  " << b.title() << "  " << b.first_day() << ".."
          << b.last_day() << "  "
          << absl::FormatTime("%Y-%m-%d %H:%M", time::FromProto(b.issued_at()),
                              absl::FixedTimeZone(8 * 3600))
          << (b.scheduled() ? "" : "  (on request)") << "\n";
    }
    if (!resp.next_page_token().empty()) {
      out << "next page: --page-token " << resp.next_page_token() << "\n";
    }
    return absl::OkStatus();
  }
  v1::GetBulletinRequest get = command.get;
  if (command.verb == BulletinCommand::Verb::kIssue) {
    v1::IssueBulletinResponse issued;
    absl::Status s = Call(
        [&](grpc::ClientContext* ctx) {
          return statistics.IssueBulletin(ctx, command.issue, &issued);
        },
        kIssueTimeout);
    if (!s.ok()) return s;
    err << (issued.already_issued() ? "已印发过（原样返回）: " : "已印发: ")
        << issued.bulletin().title() << " (" << issued.bulletin().id() << ")\n";
    if (options.json) return PrintJson(issued, out);
    get.set_id(issued.bulletin().id());
  }
  v1::GetBulletinResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return statistics.GetBulletin(ctx, get, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp.bulletin(), out);
  return Write(command.out, resp.document(), out);
}

}  // namespace caserelay::casectl
