#include "common/service/dead_letters.h"

#include <functional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace caserelay::service {

namespace {

using Visit = std::function<bool(std::string_view, std::string_view)>;

// Appends a line per input dead letter `scan` visits to `out`.
absl::Status AppendLetters(const std::function<absl::Status(const Visit&)>& scan,
                           std::string& out) {
  return scan([&](std::string_view key, std::string_view v) {
    if (key.substr(0, 7) == "outbox/") return true;
    const size_t lf = v.find('\n');
    std::string_view reason = v.substr(0, lf);
    const size_t bytes = lf == std::string_view::npos ? 0 : v.size() - lf - 1;
    absl::StrAppend(&out, std::string(key), "\t",
                    std::string(reason.substr(0, 300)), "\t", bytes, "\n");
    return true;
  });
}

}  // namespace

absl::StatusOr<std::string> FormatInputDeadLetters(const store::Store& store) {
  std::string out = "key\treason\tbytes\n";
  absl::Status s = AppendLetters(
      [&](const Visit& visit) {
        return store.Scan("dead-letters", "", "", visit);
      },
      out);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> FormatInputDeadLetters(
    const store::Store& local, const store::PartitionedStore& partitions) {
  absl::StatusOr<std::string> out = FormatInputDeadLetters(local);
  if (!out.ok()) return out;
  absl::Status s = AppendLetters(
      [&](const Visit& visit) {
        return partitions.Scan("dead-letters", "", "", visit);
      },
      *out);
  if (!s.ok()) return s;
  return out;
}

admin::HttpResponse ListDeadLetters(const store::Store& store,
                                    const store::PartitionedStore* partitions) {
  auto text = partitions == nullptr
                  ? FormatInputDeadLetters(store)
                  : FormatInputDeadLetters(store, *partitions);
  if (!text.ok()) {
    return {503, "text/plain; charset=utf-8",
            absl::StrCat(text.status().message(), "\n")};
  }
  return {200, "text/plain; charset=utf-8", *text};
}

admin::HttpResponse ReplayDeadLetters(
    const admin::HttpRequest& request,
    const std::vector<std::unique_ptr<ConsumeLoop>>& loops) {
  auto key = request.query.find("key");
  const bool all = request.query.count("all") > 0;
  if ((key == request.query.end() || key->second.empty()) && !all) {
    return {400, "text/plain; charset=utf-8",
            "give key=KEY (as /dead-letters lists it) or all=1\n"};
  }
  const std::string wanted = all ? "" : key->second;
  size_t queued = 0;
  bool found = all;
  for (const auto& loop : loops) {
    auto n = loop->RequestReplay(wanted);
    if (absl::IsNotFound(n.status())) continue;
    if (!n.ok()) {
      return {503, "text/plain; charset=utf-8",
              absl::StrCat(n.status().message(), "\n")};
    }
    queued += *n;
    found = true;
  }
  if (!found) {
    return {404, "text/plain; charset=utf-8",
            absl::StrCat("no dead letter ", wanted,
                         " of an input this service reads\n")};
  }
  return {202, "text/plain; charset=utf-8",
          absl::StrCat(queued,
                       " dead letter(s) queued for replay; they leave "
                       "/dead-letters once applied\n")};
}

}  // namespace caserelay::service
